"""The static report: one self-contained offline HTML file, every figure linked to its source."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("altair")
pytest.importorskip("jinja2")

from evpace import api  # noqa: E402
from evpace.report import SourceIndex, build_report  # noqa: E402

ARTICLE = """---
title: Xiaomi <script>alert("title")</script> beats its target
published: 2026-01-06
---
Xiaomi delivered more than 50,000 vehicles in December 2025 <script>alert("body")</script>, and over
410,000 in 2025 as a whole. <img src=x onerror=alert(1)>
"""


@pytest.fixture(scope="module")
def db(module_database) -> str:
    api.init(module_database)
    return module_database


@pytest.fixture(scope="module")
def report(db, tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("report-out")
    article = folder / "xiaomi-script.md"
    article.write_text(ARTICLE, encoding="utf-8")
    out = build_report(db, folder / "report.html", articles=[str(article)])
    assert out.exists()
    return out.read_text(encoding="utf-8")


def test_contains_the_million_club(db, report):
    club = api.milestones(1_000_000, db, tag="upstart")
    crossed = [m.entity for m in club if m.status == "crossed"]
    assert len(crossed) >= 5
    section = report[report.index('id="million-club"'):report.index('id="race"')]
    for name in crossed + ["Xiaomi Auto"]:
        assert f">{name}</a>" in section
    for eid in {m.entity_id for m in club}:
        assert f'id="maker-{eid}"' in report


def test_every_source_link_has_its_entry(report):
    refs = set(re.findall(r'href="#src-(\d+)"', report))
    anchors = re.findall(r'id="src-(\d+)"', report)
    assert refs, "figures should link to sources"
    assert len(anchors) == len(set(anchors))
    assert refs == set(anchors)  # every link lands, every entry is cited
    assert sorted(map(int, anchors)) == list(range(1, len(anchors) + 1))


def test_figures_carry_source_links(report):
    club = report[report.index('id="million-club"'):report.index('id="race"')]
    # Li Auto's 1,000,000 date and months from first delivery are followed by their sources
    assert re.search(r'2024-10-15</span><sup class="refs">\[<a href="#src-\d+">', club)
    assert re.search(r'>58</span><sup class="refs">', club)


def test_nothing_loaded_from_the_network(report):
    assert not re.search(r"<script[^>]*\ssrc=", report, re.I)
    assert 'src="http' not in report and "src='http" not in report
    assert not re.search(r"@import|url\(\s*['\"]?https?:", report, re.I)
    assert "sourceMappingURL" not in report
    # the page's own markup (inlined script bodies aside: they only build elements from chart data)
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "<script></script>", report, flags=re.S | re.I)
    assert not re.search(r"<link\b", markup, re.I)
    assert not re.search(r"<(img|iframe|embed|object|source|video|audio|frame)\b[^>]*\ssrc=", markup, re.I)
    # plain links to sources are fine: every remote href is an <a> element
    hrefs = list(re.finditer(r'href="https?://', markup))
    assert hrefs
    for m in hrefs:
        start = markup.rfind("<", 0, m.start())
        assert markup[start:start + 3] == "<a ", markup[start:m.start() + 40]


def test_scripts_and_styles_inlined(report):
    assert "<style>" in report and "vegaEmbed(" in report
    assert report.count('<div class="vega"') >= 3
    specs = re.findall(r'<script type="application/json" id="chart-\d+-spec">(.*?)</script>', report, re.S)
    assert len(specs) == report.count('<div class="vega"')
    for s in specs:
        spec = json.loads(s)
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_article_check_is_escaped(report):
    section = report[report.index('id="articles"'):report.index('id="sources"')]
    assert "evpace-check" in section  # check.render_html's table
    assert "<script>alert" not in report and "<img src=x" not in report
    assert "&lt;script&gt;alert(" in section  # the title, escaped by Jinja's autoescape
    assert "evpace-badge" in section


def test_static_svg_mode_has_no_script(db, tmp_path):
    out = build_report(db, tmp_path / "static.html", charts_mode="svg", forecasts=False, as_of="2025-12-31")
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html
    assert html.count("<svg") >= 3
    assert "data published by 2025-12-31" in html
    refs = set(re.findall(r'href="#src-(\d+)"', html))
    assert refs == set(re.findall(r'id="src-(\d+)"', html))


def test_bad_chart_mode(db, tmp_path):
    with pytest.raises(api.InvalidArgumentError):
        build_report(db, tmp_path / "x.html", charts_mode="png")


def test_source_index_numbers_in_order_of_citation():
    idx = SourceIndex()
    assert str(idx.refs(["https://b.example/1", "https://a.example/2"])).count("#src-") == 2
    assert idx.number("https://b.example/1") == 1
    assert str(idx.num(None, ["https://c.example"])) == '<span class="num">—</span>'
    assert "&lt;" in str(idx.num("<x>", []))
    entries = idx.entries()
    assert [e["n"] for e in entries] == [1, 2] and entries[0]["link"]
