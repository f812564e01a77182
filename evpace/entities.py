"""The group -> brand -> model registry, with aliases and fuzzy suggestions for unknown names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from .errors import UnknownEntityError
from .model import Entity


def normalise_name(name: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive key for matching names."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[\s._\-'’()]+", " ", text)
    return text.strip()


class Registry:
    """All known entities, addressable by id, name or alias."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._by_id: dict[str, Entity] = {}
        self._by_name: dict[str, str] = {}
        for e in entities:
            self._by_id[e.id] = e
        for e in self._by_id.values():
            for name in (e.id, e.name, *e.aliases):
                key = normalise_name(name)
                # an id or canonical name always wins over an alias of another entity
                if key not in self._by_name or name in (e.id, e.name):
                    self._by_name[key] = e.id

    def __iter__(self):
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._by_id

    def get(self, entity_id: str) -> Entity:
        """Entity by exact id (raises :class:`UnknownEntityError` with suggestions)."""
        if entity_id in self._by_id:
            return self._by_id[entity_id]
        return self.resolve(entity_id)

    def find(self, name: str) -> Entity | None:
        """Entity by id, name or alias, or None."""
        eid = self._by_name.get(normalise_name(name))
        return self._by_id[eid] if eid else None

    def resolve(self, name: str) -> Entity:
        """Entity by id, name or alias; unknown names raise an error listing close matches."""
        found = self.find(name)
        if found:
            return found
        raise UnknownEntityError(name=name, suggestions=", ".join(self.suggest(name)) or "none")

    def suggest(self, name: str, n: int = 5) -> list[str]:
        """Ids of the entities whose names look most like ``name``."""
        key = normalise_name(name)
        keys = list(self._by_name)
        close = difflib.get_close_matches(key, keys, n=n * 3, cutoff=0.5)
        close += [k for k in keys if key and (k.startswith(key) or key in k.split())]
        out: list[str] = []
        for k in close:
            eid = self._by_name[k]
            if eid not in out:
                out.append(eid)
        return out[:n]

    def children(self, entity_id: str) -> list[Entity]:
        """Direct children (brands of a group, models of a brand)."""
        return [e for e in self._by_id.values() if e.parent == entity_id]

    def ancestors(self, entity_id: str) -> list[Entity]:
        """Parent, grandparent... of an entity."""
        out = []
        e = self._by_id.get(entity_id)
        while e and e.parent:
            e = self._by_id.get(e.parent)
            if e:
                out.append(e)
        return out

    def top_level(self) -> list[Entity]:
        """Groups and brands that have no parent, plus groups' brands (everything but models)."""
        return [e for e in self._by_id.values() if e.kind != "model"]
