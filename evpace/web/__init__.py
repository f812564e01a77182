"""The web dashboard and JSON API (FastAPI + Jinja2 + htmx). See docs/web.md.

>>> from evpace.web import create_app, serve
>>> app = create_app("evpace.db", token=None)   # an ASGI app; serve() runs it with uvicorn
"""

from __future__ import annotations

from .app import create_app, serve

__all__ = ["create_app", "serve"]
