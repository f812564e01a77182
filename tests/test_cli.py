"""The command line: every command has help and is documented; formats; errors; exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evpace.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
runner = CliRunner()


def commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def db(module_database) -> str:
    r = runner.invoke(app, ["--db", module_database, "init"])
    assert r.exit_code == 0, r.output
    return module_database


def run(db: str, *args: str) -> str:
    r = runner.invoke(app, ["--db", db, *args])
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("cmd", commands())
def test_every_command_has_help_and_is_documented(cmd):
    r = runner.invoke(app, [cmd, "--help"])
    assert r.exit_code == 0 and "Usage" in r.output
    assert re.search(rf"^{cmd}\b", r.output.split("Usage:")[1].split()[1]) or cmd in r.output
    assert re.search(rf"evpace (--db \S+ )?{cmd}\b", README.read_text()), f"README does not document 'evpace {cmd}'"


def test_init_is_idempotent_from_the_cli(db):
    r = runner.invoke(app, ["--db", db, "init"])
    assert r.exit_code == 0
    assert "0 new facts" in r.output and "0 new events" in r.output


def test_milestones_json_fields(db):
    rows = json.loads(run(db, "milestones", "--threshold", "1000000", "--format", "json"))
    need = {"entity_id", "entity", "threshold", "metric", "date", "estimated", "months_from_first_delivery",
            "days_from_first_delivery", "place", "sources"}
    assert rows and all(need <= set(r) for r in rows)
    li = next(r for r in rows if r["entity_id"] == "li-auto")
    assert li["date"] == "2024-10-15" and li["sources"][0].startswith("http")


def test_targets_json_and_csv_fields(db):
    rows = json.loads(run(db, "targets", "xiaomi", "--year", "2026", "-f", "json"))
    need = {"entity_id", "year", "actual", "actual_through", "target", "target_announced", "progress",
            "monthly_pace_needed"}
    assert rows and need <= set(rows[0])
    table = list(csv.DictReader(io.StringIO(run(db, "targets", "xiaomi", "--year", "2026", "-f", "csv"))))
    assert float(table[0]["target"]) == rows[0]["target"]


def test_series_gaps_shown_as_gaps(db):
    rows = json.loads(run(db, "series", "firefly", "-f", "json"))
    gaps = [r for r in rows if r["value"] is None]
    assert gaps and all(r["how"] == "gap" and r["sources"] == [] for r in gaps)


def test_facts_filters(db):
    rows = json.loads(run(db, "facts", "-e", "xiaomi", "--scope", "year", "--kind", "target", "-f", "json"))
    assert rows and {r["entity_id"] for r in rows} == {"xiaomi"} and {r["kind"] for r in rows} == {"target"}
    assert all(r["source"] for r in rows)


def test_unknown_entity_exit_code_and_message(db):
    r = runner.invoke(app, ["--db", db, "targets", "Xaomi", "--year", "2025"])
    assert r.exit_code == 2 and "close matches" in r.output and "xiaomi" in r.output


def test_bad_option_values(db):
    r = runner.invoke(app, ["--db", db, "facts", "-f", "yaml"])
    assert r.exit_code != 0
    r = runner.invoke(app, ["--db", db, "milestones", "-n", "1000000", "--as-of", "yesterday"])
    assert r.exit_code == 2 and "as_of" in r.output


def test_load_bad_csv_reports_line_and_keeps_good_rows(db, tmp_path):
    bad = tmp_path / "extra.csv"
    bad.write_text("entity_id,metric,scope,period,value,bound,kind,source_url\n"
                   "xiaomi,deliveries,month,2026-07,1234,exact,actual,https://example.test/x\n"
                   "xiaomi,deliveries,month,2026-07,12x4,exact,actual,https://example.test/y\n")
    r = runner.invoke(app, ["--db", db, "load", str(bad)])
    assert r.exit_code == 1
    assert f"{bad}:3: field 'value'" in r.output and "1 new facts" in r.output
