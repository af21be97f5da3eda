"""`python -m tools.cues` on a dataset written here: the kind and period rules against its gold labels."""

from __future__ import annotations

import json

import yaml

from tools import cues

ARTICLE = """title: Northwind Traders quarterly results
published: 2026-01-05

Northwind Traders said quarterly revenue was $4.1 billion in the third quarter.

Its shares fell 3% in early trading.

The tally stood at 42.
"""


def _metric(as_written, value, unit, kind, evidence, period=None, start=None, end=None, currency=None):
    return {"name": "figure", "value": value, "value_high": None, "qualifier": "exact", "unit": unit,
            "currency": currency, "period": period, "period_start": start, "period_end": end, "kind": kind,
            "as_written": as_written, "evidence": evidence}  # fmt: skip


def _dataset(root):
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "articles" / "northwind.txt").write_text(ARTICLE)
    revenue = "Northwind Traders said quarterly revenue was $4.1 billion in the third quarter."
    shares = "Its shares fell 3% in early trading."
    label = {
        "company": {"name": "Northwind Traders", "ticker": None, "isin": None},
        "published": "2026-01-05",
        "thesis": "Northwind Traders' revenue was $4.1 billion.",
        "stance": "neutral",
        "metrics": [
            _metric("$4.1 billion", 4.1e9, "currency", "reported", revenue, "Q3 2025", "2025-07-01", "2025-09-30",
                    currency="USD"),
            # Labeled unlike any reading, so the tables count a disagreement of kind and of period.
            _metric("3%", 3, "percent", "guidance", shares, "2026", "2026-01-01", "2026-12-31"),
            _metric("42", 42, "count", "other", "The tally stood at 42."),
        ],
        "risks": [],
        "catalysts": [],
    }  # fmt: skip
    (root / "labels" / "northwind.yaml").write_text(yaml.safe_dump(label, sort_keys=False))
    return root


def test_the_tables_count_each_rule_against_gold(tmp_path):
    result = cues.measure(_dataset(tmp_path / "data"))
    kind, period = result["kind"], result["period"]
    assert result["figures"] == 3 and result["unplaced"] == 0
    assert kind["no_cue"] == 1 and kind["fired"] == 2 and kind["right"] == 1
    assert kind["coverage"] == round(2 / 3, 4) and kind["accuracy_where_fired"] == 0.5
    assert sum(r["fired"] for r in kind["rules"].values()) == 2
    assert period["right"] == 2 and period["accuracy"] == round(2 / 3, 4)
    assert sum(r["fired"] for r in period["rules"].values()) == 3


def test_the_command_prints_the_tables_and_writes_json(tmp_path, capsys):
    data, out = _dataset(tmp_path / "data"), tmp_path / "cues.json"
    assert cues.main([str(data), "--json", str(out), "--misses"]) == 0
    printed = capsys.readouterr().out
    assert "kind rule" in printed and "period rule" in printed and "(no cue)" in printed
    assert "northwind: kind market" in printed and "gold guidance" in printed
    assert json.loads(out.read_text())["figures"] == 3
