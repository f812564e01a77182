"""The alert history page: what the watch rules noticed, and where each alert was delivered.

``alert_rows(db_url, limit)`` gives the rows the template ``alerts.html`` shows (newest first): time,
rule, entity, message, the delivery status per channel and the sources. Data only; nothing is sent.
"""

from __future__ import annotations

from typing import Any

from ..api import DB, open_store
from ..watch import state

#: delivery status -> badge class of style.css (green sent, amber owed, grey being sent)
STATUS_CLASS = {"sent": "badge-crossed", "pending": "badge-not-yet", "sending": "badge-unknown"}


def alert_rows(db_url: DB, limit: int = 100) -> list[dict[str, Any]]:
    """The latest ``limit`` alerts (at most 1,000), each with ``deliveries``: channel, status, attempts,
    last error, sent at, and ``badge`` (a CSS class for the status)."""
    limit = max(1, min(int(limit), 1000))
    with open_store(db_url) as s:
        rows = state.history(s, limit)
    for r in rows:
        r["at_text"] = r["at"][:19].replace("T", " ") + " UTC"
        for d in r["deliveries"]:
            d["badge"] = STATUS_CLASS.get(d["status"], "badge-unknown")
    return rows
