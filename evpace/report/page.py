"""The HTML side of the report and of standalone chart pages: the Jinja2 environment (autoescaping on),
the vendored Vega scripts inlined, and the numbering of sources that every figure links to."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from ..dataset import publisher_of
from ..model import Origin

TEMPLATES = Path(__file__).parent / "templates"
VENDOR = Path(__file__).parent.parent / "static" / "vendor"
#: Load order matters: vega-embed needs vega and vega-lite.
VENDOR_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
#: vega-embed options: export buttons and the spec, but no link to the online editor.
EMBED_OPTIONS = {"actions": {"export": True, "source": True, "compiled": False, "editor": False},
                 "renderer": "svg", "tooltip": {"theme": "light"}}

_SOURCEMAP = re.compile(r"^//# sourceMappingURL=.*$", re.M)


@functools.cache
def vendor_scripts() -> tuple[Markup, ...]:
    """The vendored vega, vega-lite and vega-embed builds, ready to inline in ``<script>`` elements
    (source-map comments dropped, any ``</script`` defused)."""
    out = []
    for name in VENDOR_SCRIPTS:
        text = (VENDOR / name).read_text(encoding="utf-8")
        text = _SOURCEMAP.sub("", text)
        text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)
        out.append(Markup(text))  # noqa: S704 - our own vendored build, checked above
    return tuple(out)


def http_url(url: str) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def fmt_num(v: Any, kind: str = "") -> str:
    """A figure for the page: thousands separated; ``pct`` as a percentage; None as a dash."""
    if v is None or v == "":
        return "—"
    if kind == "pct":
        return f"{v:.1%}"
    if kind == "signed_pct":
        return f"{v:+.1%}"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int, float)):
        return f"{v:,.0f}" if abs(v) >= 10 or float(v).is_integer() else f"{v:.2f}"
    return str(v)


class SourceIndex:
    """Numbers sources in the order the page first cites them; ``refs`` gives the links, ``entries`` the
    list at the end of the page (anchors ``src-N``)."""

    def __init__(self, origins: dict[str, Origin] | None = None) -> None:
        self.origins = dict(origins or {})
        self.numbers: dict[str, int] = {}

    def number(self, url: str) -> int:
        if url not in self.numbers:
            self.numbers[url] = len(self.numbers) + 1
        return self.numbers[url]

    def refs(self, urls: Iterable[str] | str | None) -> Markup:
        """``[1, 4]`` as links to the source entries (nothing for no source)."""
        if isinstance(urls, str):
            urls = [urls]
        nums = sorted({self.number(u) for u in (urls or ()) if u})
        if not nums:
            return Markup("")
        links = ",".join(f'<a href="#src-{n}">{n}</a>' for n in nums)
        return Markup(f'<sup class="refs">[{links}]</sup>')  # noqa: S704 - integers only

    def num(self, value: Any, urls: Iterable[str] | str | None = None, kind: str = "") -> Markup:
        """A figure followed by its source links."""
        if value is None or value == "":
            return Markup('<span class="num">—</span>')
        return Markup('<span class="num">{}</span>{}').format(fmt_num(value, kind), self.refs(urls))

    def entries(self) -> list[dict[str, Any]]:
        out = []
        for url, n in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            o = self.origins.get(url)
            out.append({"n": n, "url": url, "link": http_url(url),
                        "publisher": (o.publisher if o and o.publisher else publisher_of(url)) or url,
                        "title": o.title if o else "", "published": o.published if o else None,
                        "published_basis": o.published_basis if o else ""})
        return out


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["n"] = fmt_num
    env.filters["pct"] = lambda v: fmt_num(v, "pct")
    env.globals["escape"] = escape
    return env


def chart_page(spec: dict[str, Any], title: str | None = None) -> str:
    """A standalone HTML page drawing ``spec`` with the inlined Vega scripts (works offline)."""
    if title is None:
        t = spec.get("title")
        title = (t.get("text") if isinstance(t, dict) else t) or "evpace chart"
    return environment().get_template("chart.html.j2").render(
        title=title, spec=spec, scripts=vendor_scripts(), embed_options=EMBED_OPTIONS)
