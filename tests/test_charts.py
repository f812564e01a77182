"""Charts: every kind builds a valid Vega-Lite spec with sourced data rows; exports are real files; gaps stay gaps."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("altair")
pytest.importorskip("vl_convert")

import vl_convert as vlc  # noqa: E402

from evpace import api, charts  # noqa: E402
from evpace.errors import InvalidArgumentError  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def db(module_database) -> str:
    api.init(module_database)
    return module_database


def _valid(spec: dict) -> None:
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    vega = vlc.vegalite_to_vega(spec)  # compiles: a spec Vega-Lite accepts
    assert vega["$schema"].startswith("https://vega.github.io/schema/vega/")


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _mark(layer: dict) -> str:
    m = layer["mark"]
    return m["type"] if isinstance(m, dict) else m


def _all_rows_sourced(spec: dict) -> None:
    for name, rows in spec["datasets"].items():
        for r in rows:
            if name == "rules":
                continue  # thresholds chosen by the caller, not figures
            assert "sources" in r and isinstance(r["sources"], list), (name, r)
            assert "source" in r, (name, r)


@pytest.mark.parametrize("entity", ["xiaomi", "li-auto"])
@pytest.mark.parametrize("kind", ["monthly", "target", "fan"])
def test_single_maker_charts_build_valid_specs_with_rows(db, kind, entity):
    kw = {"year": 2025} if kind == "target" else {}
    spec = charts.build(kind, [entity], db, **kw)
    _valid(spec)
    assert charts.spec_rows(spec), f"{kind} {entity}: no data rows"
    _all_rows_sourced(spec)


def test_race_chart_one_line_per_maker_and_milestone_markers(db):
    spec = charts.race_chart(db)
    _valid(spec)
    _all_rows_sourced(spec)
    lines = charts.spec_rows(spec, "lines")
    makers = {r["maker"] for r in lines}
    # upstarts with a cumulative series and a known first delivery
    assert {"Xiaomi Auto", "Li Auto", "NIO Inc."} <= makers
    line_layers = [layer for layer in _layers(spec) if _mark(layer) == "line"]
    assert len(line_layers) == 1
    enc = line_layers[0]["encoding"]
    assert enc["color"]["field"] == "maker" and enc["x"]["field"] == "months"
    assert enc["x"]["title"] == "Months since first delivery"
    assert {r["maker"] for r in charts.spec_rows(spec, "ends")} == makers  # one end label per line
    # every maker's rows are one month apart: one line each, not several series mixed
    for m in makers:
        periods = [r["period"] for r in lines if r["maker"] == m]
        assert periods == sorted(set(periods))
    marks = charts.spec_rows(spec, "milestones")
    assert marks and all(r["sources"] for r in marks)
    li = [r for r in marks if r["maker"] == "Li Auto" and r["threshold"] == 1_000_000]
    assert li and li[0]["date"] == "2024-10-15" and 57 <= li[0]["months"] <= 59
    assert {r["threshold"] for r in charts.spec_rows(spec, "rules")} == {500_000, 1_000_000}
    # Leapmotor's first delivery is not in the data: named, not guessed
    assert "Leapmotor" not in makers
    assert "Leapmotor" in " ".join(spec["title"]["subtitle"])


def test_race_chart_by_date_places_everyone_and_entity_filter(db):
    spec = charts.race_chart(db, ["xiaomi", "leapmotor"], x="date")
    _valid(spec)
    assert {r["maker"] for r in charts.spec_rows(spec, "lines")} == {"Xiaomi Auto", "Leapmotor"}


def test_race_chart_as_of_uses_only_earlier_data(db):
    spec = charts.race_chart(db, as_of="2024-06-30")
    periods = [r["period"] for r in charts.spec_rows(spec, "lines")]
    assert periods and max(periods) <= "2024-06"
    assert all(r["threshold"] != 1_000_000 or r["date"] <= "2024-06-30" for r in charts.spec_rows(spec, "milestones"))


def test_gaps_are_gaps_in_monthly_bars(db):
    series = api.series("hima", db)
    gaps = {p.period for p in series if p.value is None}
    assert gaps, "the shipped data has months without a HIMA figure"
    spec = charts.monthly_bars(db, "hima")
    _valid(spec)
    rows = {r["period"]: r for r in charts.spec_rows(spec, "months")}
    assert set(rows) == {p.period for p in series}
    for p in gaps:
        assert rows[p]["value"] is None and rows[p]["status"] == "no figure (gap)"  # never zero
    bars = [layer for layer in _layers(spec) if _mark(layer) == "bar"]
    rects = [layer for layer in _layers(spec) if _mark(layer) == "rect"]
    assert bars and rects
    assert bars[0]["transform"] == [{"filter": "datum.value !== null"}]
    assert rects[0]["transform"] == [{"filter": "datum.value === null"}]  # gaps drawn as marked bands
    assert str(len(gaps)) in spec["title"]["subtitle"][0]


def test_gaps_break_the_race_lines(db):
    spec = charts.race_chart(db, ["nio"])
    rows = charts.spec_rows(spec, "lines")
    assert any(r["value"] is None for r in rows)  # NIO's early months without figures
    line = next(layer for layer in _layers(spec) if _mark(layer) == "line")
    assert line["mark"]["invalid"] == "break-paths-filter-domains"


def test_target_chart_rules_per_target_and_revision(db):
    spec = charts.target_chart(db, "xiaomi", 2025)
    targets = charts.spec_rows(spec, "targets")
    assert sorted(t["target"] for t in targets) == [300_000, 350_000, 400_000]
    assert all(t["announced"] and t["announced"] in t["label"] for t in targets)
    ytd = charts.spec_rows(spec, "ytd")
    assert ytd[-1]["period"] == "2025-12" and ytd[-1]["value"] == pytest.approx(411_837)
    assert all(r["sources"] for r in ytd[1:])


def test_target_chart_without_targets_says_so(db):
    spec = charts.target_chart(db, "xiaomi", 2024)
    _valid(spec)
    if not charts.spec_rows(spec, "targets"):
        assert "no target" in spec["title"]["subtitle"][0]


def test_fan_chart_bands_or_no_forecast(db):
    spec = charts.fan_chart(db, "xiaomi", threshold=1_000_000, year=2026)
    _valid(spec)
    if charts.forecast_available() is None:
        bands = charts.spec_rows(spec, "bands")
        assert len(bands) > 3
        for b in bands:
            assert b["lo95"] <= b["lo80"] <= b["lo50"] <= b["median"] <= b["hi50"] <= b["hi80"] <= b["hi95"]
        assert charts.spec_rows(spec, "crossing")[0]["threshold"] == 1_000_000
        assert "forecast" in spec["title"]["text"]
    else:
        assert "no forecast available" in spec["title"]["text"]


def test_fan_chart_without_forecast_module(db, monkeypatch):
    monkeypatch.setattr(charts, "forecast_available", lambda: "the forecast module could not be imported (test)")
    spec = charts.fan_chart(db, "xiaomi")
    _valid(spec)
    assert spec["title"]["text"] == "Xiaomi Auto: no forecast available"
    assert charts.spec_rows(spec, "message")


def test_fan_chart_maker_that_cannot_be_forecast(db):
    spec = charts.fan_chart(db, "aito")  # too few monthly figures
    _valid(spec)
    assert "no forecast available" in spec["title"]["text"]


def test_milestone_timeline(db):
    spec = charts.milestone_timeline(db, 1_000_000, tag="upstart")
    _valid(spec)
    _all_rows_sourced(spec)
    rows = charts.spec_rows(spec, "crossings")
    assert {"Li Auto", "NIO Inc.", "XPeng"} <= {r["maker"] for r in rows}
    layer = _layers(spec)[0]
    assert layer["encoding"]["x"]["type"] == "temporal" and layer["encoding"]["y"]["field"] == "maker"
    assert layer["encoding"]["color"]["field"] == "metric"
    assert "Xiaomi Auto" in " ".join(spec["title"]["subtitle"])  # not yet there


def test_png_and_svg_export_are_real_files(db, tmp_path):
    spec = charts.race_chart(db)
    png = charts.save(spec, tmp_path / "race.png")
    data = png.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > 20_000
    svg = charts.save(spec, tmp_path / "race.svg")
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")
    assert "Months since first delivery" in svg.read_text(encoding="utf-8")


def test_html_and_json_export(db, tmp_path):
    spec = charts.monthly_bars(db, "xiaomi")
    page = charts.save(spec, tmp_path / "m.html").read_text(encoding="utf-8")
    assert 'src="http' not in page and "<link" not in page
    assert "vegaEmbed(" in page and page.count("<script>") >= 4  # vega, vega-lite, vega-embed, the call
    assert "sourceMappingURL" not in page
    assert json.loads(charts.save(spec, tmp_path / "m.json").read_text()) == spec


def test_chart_dispatch(db, tmp_path):
    out = charts.chart("monthly", ["Xiaomi"], db, tmp_path / "x.svg")
    assert out.read_text().lstrip().startswith("<svg")
    out = charts.chart("timeline", [], db, tmp_path / "t.json", threshold=500_000)
    assert json.loads(out.read_text())["datasets"]["crossings"]
    with pytest.raises(InvalidArgumentError):
        charts.chart("pie", [], db, tmp_path / "x.png")
    with pytest.raises(InvalidArgumentError):
        charts.chart("monthly", ["xiaomi", "nio"], db, tmp_path / "x.png")
    with pytest.raises(InvalidArgumentError):
        charts.chart("monthly", ["xiaomi"], db, tmp_path / "x.gif")
