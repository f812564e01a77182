"""Read and validate the shipped dataset (``evpace/data``) or a user's CSV of facts.

Files follow ``evpace/data/datapackage.json``. Every row is checked; a bad row gives an
:class:`InvalidRowError` naming file, line and field, and the other rows go on.

Publication dates: a figure whose source states no publication date is taken as published
``ASSUMED_DELAY_DAYS`` days after the end of the period it describes (monthly reports appear
early the next month); a target without a date is taken as published on 1 January of its year.
This is what makes ``as_of`` queries possible on curated rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

from .entities import Registry
from .errors import InvalidFileError, InvalidRowError
from .model import (
    BOUNDS,
    ENTITY_KINDS,
    FLAGS,
    KINDS,
    METRICS,
    SCOPES,
    Entity,
    Event,
    Fact,
    Origin,
    Provenance,
    month_end,
    period_end,
)

ASSUMED_DELAY_DAYS = 3
ACCESSED = "2026-11-21"  # when the curated sources were collected into the shipped dataset

_PERIOD_RE = {
    "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "half": re.compile(r"^\d{4}-H[12]$"),
    "year": re.compile(r"^\d{4}$"),
    "ytd": re.compile(r"^\d{4}-(0[1-9]|1[0-2])/\d{4}-(0[1-9]|1[0-2])$"),
    "cumulative": re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-\d{2})?$"),
}
FACT_FIELDS = ("entity_id", "metric", "scope", "period", "value", "bound", "kind", "basis", "flags",
               "note", "place", "source_url", "published", "origin")


@dataclass
class Dataset:
    """Entities, facts and events read from CSV files, plus the errors of rows that were refused."""

    registry: Registry
    facts: list[Fact] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    errors: list[InvalidRowError] = field(default_factory=list)


def data_dir() -> Path:
    """Folder of the shipped dataset inside the installed package."""
    return Path(str(resources.files("evpace") / "data"))


@functools.lru_cache(maxsize=4096)  # called for every fact of a document, with the document's URL
def publisher_of(url: str) -> str:
    """A short publisher name from a URL (its host without www.), or the repo of a github: path."""
    if url.startswith("github:"):
        return url.split("/")[0] + "/" + url.split("/")[1].split("@")[0]
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def assumed_published(period: str, kind: str) -> dt.date:
    """Publication date assumed for a figure whose source gives none (see module docstring)."""
    if kind == "target":
        return dt.date(int(period[:4]), 1, 1)
    return period_end(period) + dt.timedelta(days=ASSUMED_DELAY_DAYS)


def parse_published(text: str) -> dt.date:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (taken as the month's last day, when it was surely known)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return month_end(int(text[:4]), int(text[5:]))
    raise ValueError(f"not a date: {text!r}")


def make_origin(url: str, published: str, period: str, kind: str) -> Origin:
    """Origin of a curated row, with the documented rule for a missing publication date."""
    if published:
        return Origin(url=url, publisher=publisher_of(url), published=parse_published(published).isoformat(),
                      published_basis="source", accessed=ACCESSED)
    return Origin(url=url, publisher=publisher_of(url), published=assumed_published(period, kind).isoformat(),
                  published_basis="assumed", accessed=ACCESSED)


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [(reader.line_num, row) for row in reader]
            return list(reader.fieldnames or []), rows
    except UnicodeDecodeError as exc:
        raise InvalidFileError(path=path, reason=f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise InvalidFileError(path=path, reason=f"not valid CSV: {exc}") from exc
    except OSError as exc:
        raise InvalidFileError(path=path, reason=exc.strerror or str(exc)) from exc


def _need_columns(path: Path, have: list[str], need: tuple[str, ...]) -> None:
    missing = [c for c in need if c not in have]
    if missing:
        raise InvalidFileError(path=path, reason=f"missing column(s) {', '.join(missing)}")


def read_entities(path: Path) -> Registry:
    """Read ``entities.csv``; any bad row is an error here (the registry must be whole)."""
    cols, rows = _read_csv(path)
    _need_columns(path, cols, ("id", "name", "kind", "parent", "aliases", "rollup", "source_url"))
    entities = []
    for line, r in rows:
        if r["kind"] not in ENTITY_KINDS:
            raise InvalidRowError(path=path, line=line, field="kind", reason=f"{r['kind']!r} not in {ENTITY_KINDS}")
        if not (r.get("source_url") or "").strip():
            raise InvalidRowError(path=path, line=line, field="source_url", reason="empty")
        aliases = tuple(a.strip() for a in (r.get("aliases") or "").split(";") if a.strip())
        entities.append(Entity(id=r["id"], name=r["name"], kind=r["kind"], parent=r["parent"] or None,
                               aliases=aliases, rollup=r.get("rollup") or "none",
                               tags=tuple(t.strip() for t in (r.get("tags") or "").split(";") if t.strip()),
                               note=r.get("note") or "",
                               source_url=r["source_url"]))
    reg = Registry(entities)
    for e in entities:
        if e.parent and e.parent not in reg:
            raise InvalidRowError(path=path, line=0, field="parent", reason=f"{e.id}: unknown parent {e.parent!r}")
    return reg


def parse_fact_row(row: dict[str, str], registry: Registry, path: Path | str, line: int) -> Fact:
    """One facts-CSV row -> :class:`Fact`, or :class:`InvalidRowError` naming the bad field."""

    def bad(fname: str, reason: str) -> InvalidRowError:
        return InvalidRowError(path=path, line=line, field=fname, reason=reason)

    get = {k: (row.get(k) or "").strip() for k in FACT_FIELDS}
    if None in row:  # more cells than columns
        raise bad("(row)", f"{len(row[None]) } extra cell(s) beyond the header")
    eid = get["entity_id"]
    if not eid:
        raise bad("entity_id", "empty")
    if eid not in registry:
        found = registry.find(eid)
        if not found:
            close = ", ".join(registry.suggest(eid)) or "none"
            raise bad("entity_id", f"unknown entity {eid!r}; close matches: {close}")
        eid = found.id
    for fname, allowed in (("metric", METRICS), ("scope", SCOPES), ("bound", BOUNDS), ("kind", KINDS)):
        if get[fname] not in allowed:
            raise bad(fname, f"{get[fname]!r} is not one of {', '.join(allowed)}")
    if not _PERIOD_RE[get["scope"]].match(get["period"]):
        raise bad("period", f"{get['period']!r} is not a valid period for scope {get['scope']!r}")
    try:
        period_end(get["period"])
    except ValueError as exc:
        raise bad("period", str(exc)) from None
    try:
        value = float(get["value"].replace(",", ""))
    except ValueError:
        raise bad("value", f"{get['value']!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise bad("value", f"{get['value']!r} must be a positive number")
    flags = tuple(f.strip() for f in get["flags"].split(";") if f.strip())
    for f in flags:
        if f not in FLAGS:
            raise bad("flags", f"{f!r} is not one of {', '.join(FLAGS)}")
    if not get["source_url"]:
        raise bad("source_url", "empty: every figure needs its source")
    if get["published"]:
        try:
            parse_published(get["published"])
        except ValueError as exc:
            raise bad("published", str(exc)) from None
    origin = make_origin(get["source_url"], get["published"], get["period"], get["kind"])
    ref = get["origin"] or f"{Path(path).name}:{line}"
    return Fact(entity_id=eid, metric=get["metric"], scope=get["scope"], period=get["period"], value=value,
                bound=get["bound"], kind=get["kind"], basis=get["basis"], flags=flags, note=get["note"],
                place=get["place"], origin=origin, provenance=Provenance(origin_ref=ref))


def read_facts(path: Path, registry: Registry) -> tuple[list[Fact], list[InvalidRowError]]:
    """Read a facts CSV: valid rows become facts, bad rows become errors (and are not loaded)."""
    cols, rows = _read_csv(path)
    _need_columns(path, cols, ("entity_id", "metric", "scope", "period", "value", "source_url"))
    facts, errors = [], []
    for line, row in rows:
        try:
            facts.append(parse_fact_row(row, registry, path, line))
        except InvalidRowError as exc:
            errors.append(exc)
    return facts, errors


def read_events(path: Path, registry: Registry) -> tuple[list[Event], list[InvalidRowError]]:
    """Read ``events.csv`` (first deliveries, launches...)."""
    cols, rows = _read_csv(path)
    _need_columns(path, cols, ("entity_id", "event", "date", "status", "source_url"))
    events, errors = [], []
    for line, r in rows:
        try:
            if r["entity_id"] not in registry:
                raise InvalidRowError(path=path, line=line, field="entity_id", reason=f"unknown {r['entity_id']!r}")
            if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", r["date"]):
                raise InvalidRowError(path=path, line=line, field="date", reason=f"{r['date']!r} is not a date")
            if not r["source_url"].strip():
                raise InvalidRowError(path=path, line=line, field="source_url", reason="empty")
            origin = Origin(url=r["source_url"], publisher=publisher_of(r["source_url"]), accessed=ACCESSED)
            events.append(Event(entity_id=r["entity_id"], event=r["event"], date=r["date"],
                                status=r.get("status") or "confirmed", place=r.get("place") or "",
                                model=r.get("model") or "", note=r.get("note") or "", origin=origin,
                                origin_ref=r.get("origin") or f"{path.name}:{line}"))
        except InvalidRowError as exc:
            errors.append(exc)
    return events, errors


def load_dataset(folder: Path | None = None) -> Dataset:
    """Read the shipped dataset (or a folder with the same three files)."""
    folder = Path(folder) if folder else data_dir()
    registry = read_entities(folder / "entities.csv")
    facts, errors = read_facts(folder / "facts.csv", registry)
    events, ev_errors = read_events(folder / "events.csv", registry)
    return Dataset(registry=registry, facts=facts, events=events, errors=errors + ev_errors)
