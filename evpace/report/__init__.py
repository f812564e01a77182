"""The static report: one self-contained offline HTML file (see :func:`build_report` and docs/report.md)."""

from __future__ import annotations

from .build import build_report
from .page import SourceIndex, chart_page, vendor_scripts

__all__ = ["SourceIndex", "build_report", "chart_page", "vendor_scripts"]
