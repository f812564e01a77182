"""Check an article: every numeric claim judged against the data, arithmetic shown.

>>> from evpace.check import check_paths, render_json
>>> for checked in check_paths(["article.txt"], "evpace.db", now=True):
...     print(render_json(checked.verdicts))

The pieces: :mod:`.claims` (what the article claims), :mod:`.judge` and :mod:`.timing` (verdicts),
:mod:`.tolerance` (how much a number may be off, from its wording), :mod:`.forecast` (the hook
forward-looking claims are judged by), :mod:`.data` (what the dataset says at a point in time),
:mod:`.render` (table rows, JSON, HTML). Rules: docs/check.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import EvpaceError
from ..model import Document
from .claims import Claim, find_claims, latest_date_mentioned
from .forecast import Forecaster, LinearRunRate
from .judge import VERDICTS, Reading, Verdict, check_document, resolve_as_of
from .render import JSON_FIELDS, render_html, render_json, render_table_rows, verdict_dict
from .tolerance import Tolerance, tolerance_for


@dataclass
class Checked:
    """One input's result: the document and its verdicts, or the error that kept it from being read."""

    path: str
    document: Document | None = None
    verdicts: list[Verdict] = field(default_factory=list)
    error: EvpaceError | None = None


def check_paths(paths: Iterable[str], db: Any = None, as_of: dt.date | str | None = None, now: bool = False,
                published: str | None = None, forecaster: Forecaster | None = None) -> list[Checked]:
    """Read articles (files, folders, globs, ``-``; see :func:`evpace.sources.read_documents`) and check
    each. ``published`` is the date given to documents that carry none; ``as_of`` overrides every
    document's date for the data cut-off."""
    from ..sources import read_documents

    out = []
    for doc in read_documents(list(paths), published=published):
        if isinstance(doc, EvpaceError):
            out.append(Checked(path=str(doc.fields.get("path", "")), error=doc))
            continue
        out.append(Checked(path=doc.path, document=doc,
                           verdicts=check_document(doc, db, as_of=as_of, now=now, forecaster=forecaster)))
    return out


__all__ = ["JSON_FIELDS", "VERDICTS", "Checked", "Claim", "Forecaster", "LinearRunRate", "Reading", "Tolerance",
           "Verdict", "check_document", "check_paths", "find_claims", "latest_date_mentioned", "render_html",
           "render_json", "render_table_rows", "resolve_as_of", "tolerance_for", "verdict_dict"]
