"""Each scorer on hand-built gold and prediction pairs with a known right answer for every branch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from summarizer.errors import CouldNotEvaluate
from summarizer.evaluation import scoring
from summarizer.schema import Brief, Catalyst, Metric, Risk


def metric(**kw: Any) -> Metric:
    base: dict[str, Any] = {
        "name": "revenue growth", "value": 34, "value_high": None, "qualifier": "exact", "unit": "percent",
        "currency": None, "period": "latest quarter", "kind": "reported", "as_written": "34%",
        "evidence": "Revenue grew 34% in the latest quarter.",
    }  # fmt: skip
    base.update(kw)
    return Metric.model_validate(base)


def catalyst(event: str, start: str | None, end: str | None) -> Catalyst:
    return Catalyst(
        event=event,
        date_text=None,
        window_start=date.fromisoformat(start) if start else None,
        window_end=date.fromisoformat(end) if end else None,
        evidence="x",
    )


def risk(description: str, evidence: str = "Some sentence.") -> Risk:
    return Risk(description=description, category="other", evidence=evidence)


# ---- metrics ------------------------------------------------------------------------------------


def test_metric_match_within_half_a_percent():
    def m(v: float) -> Metric:
        return metric(value=v, as_written=f"{v:g}%", evidence=f"Revenue grew {v:g}% in the quarter.")

    assert scoring.metrics_match(m(100), m(100.4))
    assert not scoring.metrics_match(m(100), m(100.6))


def test_metric_match_needs_the_same_unit():
    gold = metric(value=34, unit="percent")
    assert not scoring.metrics_match(gold, metric(value=34, unit="percentage_points"))


def test_metric_match_with_both_values_null_compares_as_written():
    tri = {"value": None, "as_written": "triple-digit", "evidence": "AI income grew at a triple-digit rate."}
    upper = {"as_written": "Triple-digit", "evidence": "Triple-digit growth in AI income."}
    assert scoring.metrics_match(metric(**tri), metric(**(tri | upper)))
    other = tri | {"as_written": "double-digit", "evidence": "AI income grew at a double-digit rate."}
    assert not scoring.metrics_match(metric(**tri), metric(**other))


def test_metric_match_null_against_number_fails():
    tri = {"value": None, "as_written": "triple-digit", "evidence": "AI income grew at a triple-digit rate."}
    assert not scoring.metrics_match(metric(**tri), metric(value=34))


def test_metric_match_compares_value_high():
    rng = {"value": 30, "value_high": 40, "qualifier": "range", "as_written": "30 to 40 percent",
           "evidence": "Upside of 30 to 40 percent."}  # fmt: skip
    assert scoring.metrics_match(metric(**rng), metric(**rng))
    assert not scoring.metrics_match(metric(**rng), metric(**(rng | {"value_high": 45, "as_written": "30 to 45 percent",
                                                                      "evidence": "Upside of 30 to 45 percent."})))  # fmt: skip
    assert not scoring.metrics_match(
        metric(**rng), metric(value=30, as_written="30 percent", evidence="Up 30 percent.")
    )


def test_each_gold_metric_matches_at_most_one_prediction():
    gold = [metric()]
    pred = [metric(), metric(name="revenue growth again")]
    s = scoring.score_metrics(gold, pred)
    assert (s.prf.matched, s.prf.predicted, s.prf.gold) == (1, 2, 1)
    assert s.prf.precision == 0.5 and s.prf.recall == 1.0
    assert s.prf.f1 == pytest.approx(2 / 3)


def test_a_prediction_takes_the_gold_metric_with_the_most_similar_name():
    gold = [metric(name="operating margin"), metric(name="revenue growth")]
    s = scoring.score_metrics(gold, [metric(name="revenue growth, year over year")])
    assert s.pairs == [(1, 0)]


def test_pair_agreement_rates():
    gold = [metric(kind="reported", period="latest quarter", qualifier="exact")]
    pred = [metric(name="cloud sales", kind="guidance", period="last quarter", qualifier="approximately")]
    s = scoring.score_metrics(gold, pred)
    assert s.kind_ok == [False] and s.period_ok == [True] and s.qualifier_ok == [False]
    assert s.name_similarity[0] < scoring.NAME_OK


def window(period: str, start: str, end: str) -> dict[str, Any]:
    return {"period": period, "period_start": start, "period_end": end}


@pytest.mark.parametrize(
    ("gold", "pred", "agree"),
    [
        (window("2025", "2025-01-01", "2025-12-31"), window("fiscal 2025", "2025-01-01", "2025-12-31"), True),
        # Overlap of at least half of the longer window: Q4 inside the year is a quarter of it.
        (window("2025", "2025-01-01", "2025-12-31"), window("Q4", "2025-10-01", "2025-12-31"), False),
        (window("H2", "2025-07-01", "2025-12-31"), window("Q3-Q4", "2025-07-01", "2025-12-31"), True),
        (window("Jan-Jun", "2025-01-01", "2025-06-30"), window("Mar-Aug", "2025-03-01", "2025-08-31"), True),
        (window("Jan-Apr", "2025-01-01", "2025-04-30"), window("Mar-Aug", "2025-03-01", "2025-08-31"), False),
        (window("Friday", "2026-01-02", "2026-01-02"), window("Jan 2", "2026-01-02", "2026-01-02"), True),
        (window("Friday", "2026-01-02", "2026-01-02"), {"period": "Friday"}, False),
        ({"period": "latest quarter"}, {"period": "last quarter"}, True),  # both windows null
        ({"period": None}, {"period": "2025"}, True),  # both null windows: the text is not compared
    ],
)
def test_periods_agree_by_window_overlap(gold, pred, agree):
    assert scoring.score_metrics([metric(**gold)], [metric(**pred)]).period_ok == [agree]


def test_prf_edge_cases():
    assert scoring.PRF(0, 0, 0).precision == 1.0 and scoring.PRF(0, 0, 0).recall == 1.0
    assert scoring.PRF(0, 0, 3).precision == 0.0 and scoring.PRF(0, 0, 3).f1 == 0.0
    assert scoring.PRF(0, 2, 0).precision == 0.0 and scoring.PRF(0, 2, 0).recall == 1.0
    total = scoring.PRF(1, 2, 2) + scoring.PRF(2, 2, 4)
    assert (total.matched, total.predicted, total.gold) == (3, 4, 6)


# ---- catalysts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "pred", "matches"),
    [
        (("2026-02-01", "2026-02-28"), ("2026-02-15", "2026-03-15"), True),  # overlap
        (("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31"), False),  # disjoint
        (("2026-02-01", "2026-02-28"), ("2026-02-28", "2026-02-28"), True),  # touching on one day
        ((None, None), (None, None), True),  # both without timing
        (("2026-02-01", "2026-02-28"), (None, None), False),  # timing on one side only
        ((None, None), ("2026-02-01", "2026-02-28"), False),
    ],
)
def test_catalyst_windows(gold, pred, matches):
    g = catalyst("quarterly results", *gold)
    p = catalyst("quarterly results release", *pred)
    assert (scoring.catalysts_match(g, p) > 0) is matches


def test_catalyst_event_must_be_similar():
    g = catalyst("quarterly results", "2026-02-01", "2026-02-28")
    assert scoring.catalysts_match(g, catalyst("shareholder vote on merger", "2026-02-01", "2026-02-28")) == 0.0


def test_catalyst_matching_is_one_to_one_best_first():
    gold = [catalyst("quarterly results", None, None), catalyst("annual meeting", None, None)]
    pred = [catalyst("annual shareholder meeting", None, None), catalyst("quarterly results", None, None),
            catalyst("quarterly results in february", None, None)]  # fmt: skip
    prf, pairs = scoring.score_catalysts(gold, pred)
    assert sorted(pairs) == [(0, 1), (1, 0)]
    assert (prf.matched, prf.predicted, prf.gold) == (2, 3, 2)


# ---- risks --------------------------------------------------------------------------------------


def test_risk_matches_on_description():
    g = risk("Cloud growth may prove unsustainable.")
    assert scoring.risks_match(g, risk("cloud growth may not be sustainable")) > 0


def test_risk_matches_on_the_same_evidence_sentence():
    sentence = "This report must demonstrate whether the cloud division's high growth is sustainable."
    g = risk("Cloud growth may prove unsustainable.", sentence)
    assert scoring.risks_match(g, risk("Next results are a test.", sentence)) > 0


def test_unrelated_risk_does_not_match():
    g = risk("Cloud growth may prove unsustainable.", "Sentence one about cloud.")
    assert scoring.risks_match(g, risk("Regulators could fine the bank.", "Another sentence entirely.")) == 0.0


# ---- thesis, faithfulness -----------------------------------------------------------------------


def test_thesis_similarity_bounds():
    assert scoring.thesis_similarity("Alibaba is an AI company now.", "alibaba is an ai company now") == 1.0
    assert scoring.thesis_similarity("Alibaba rallies on AI.", "Oil prices fall on supply.") < 0.5


def _brief(metrics: list[Metric]) -> Brief:
    return Brief(company={"name": "X", "ticker": None, "isin": None}, published=None, thesis="t", stance="neutral",
                 metrics=metrics, risks=[], catalysts=[])  # fmt: skip


def test_faithfulness_counts_verbatim_quotes_and_numbers_in_the_article():
    article = "Revenue grew 34% in the latest quarter. It plans to invest $50 billion."
    inside = metric()
    outside = metric(value=50e9, unit="currency", currency="USD", as_written="$50 billion",
                     evidence="It will invest $50 billion soon.")  # fmt: skip
    wrong_number = metric(value=35, as_written="35%", evidence="Revenue grew 35% in the latest quarter.")
    b = _brief([inside, outside, wrong_number])
    assert scoring.evidence_verbatim(b, article) == (1, 3)
    assert scoring.numbers_in_article(b, article) == (2, 3)
    words = _brief([metric(value=8, unit="count", as_written="Eight", evidence="Eight analysts agree.")])
    assert scoring.numbers_in_article(words, "Eight analysts agree.") == (1, 1)  # a number written as a word


def _checks(**fields: tuple[float | None, bool]) -> dict[str, Any]:
    return {f: {"confidence": c, "review": r, "basis": "b"} for f, (c, r) in fields.items()}


def test_each_field_is_right_or_wrong_on_its_own_and_unjudged_where_gold_has_no_item():
    gold = _brief([metric(), metric(value=12, as_written="12%", evidence="Margins were 12%.")])
    gold.risks = [Risk(description="Rivals cut prices.", category="competition", evidence="Rivals cut prices.")]
    gold.catalysts = [catalyst("quarterly results", "2026-02-01", "2026-02-28")]
    pred = _brief([
        metric(kind="guidance"),
        metric(value=99, as_written="99%", evidence="It was 99%."),
    ])  # fmt: skip
    pred.risks = [Risk(description="Rivals cut prices.", category="macro", evidence="Rivals cut prices.")]
    pred.catalysts = [catalyst("quarterly results", "2026-03-01", "2026-03-31"), catalyst("a launch", None, None)]
    right = scoring.fields_right(gold, pred)
    assert right["metrics"] == [
        {"figure": True, "name": True, "kind": False, "period": True},
        {"figure": False, "name": None, "kind": None, "period": None},
    ]
    assert right["risks"] == [{"risk": True, "category": False}]
    # The event is named right though its window is not: two fields, one right.
    assert right["catalysts"] == [{"event": True, "window": False}, {"event": False, "window": None}]
    assert right["stance"] == [{"stance": True}]


def test_calibration_counts_unflagged_accuracy_flagged_share_and_bands_per_field():
    gold = _brief([metric(), metric(value=12, as_written="12%", evidence="Margins were 12%.")])
    sure = (0.97, False)
    pred = _brief([
        metric(checks=_checks(figure=sure, name=sure, kind=sure, period=sure)),  # all right, unflagged
        metric(value=12, as_written="12%", evidence="Margins were 12%.", kind="guidance",
               checks=_checks(figure=sure, name=sure, kind=(0.6, True), period=sure)),  # wrong kind, flagged
        metric(value=99, as_written="99%", evidence="It was 99%.",
               checks=_checks(figure=(0.9, False), name=sure, kind=sure, period=sure)),  # not in gold, unflagged
    ])  # fmt: skip
    case = type("C", (), {"gold": gold})()
    result = type("R", (), {"prediction": pred})()
    figures = scoring.Calibration().case(case, result)  # type: ignore[arg-type]
    totals = scoring.Calibration().totals([figures], [True])
    assert totals["calibration.metrics_kind.unflagged_accuracy"] == 1.0
    assert totals["calibration.metrics_kind.flagged_share"] == 0.5  # two judged: the third is not gold's
    assert totals["calibration.metrics_kind.accuracy_band_50_80"] == 0.0
    assert totals["calibration.metrics_figure.unflagged_accuracy"] == pytest.approx(2 / 3)
    assert totals["calibration.metrics_figure.accuracy_band_80_95"] == 0.0
    # Every field: 3 figures + 2 names, kinds and periods + the stance; one flagged (the wrong kind).
    assert totals["calibration.fields.flagged_share"] == pytest.approx(1 / 10)
    assert totals["calibration.fields.unflagged_accuracy"] == pytest.approx(8 / 9)
    assert totals["calibration.stance_stance.accuracy_band_none"] == 1.0
    assert "calibration.fields.flagged_share" in scoring.LOWER_IS_BETTER
    assert "calibration.risks_risk.unflagged_accuracy" not in totals  # no risks: no accuracy, not 0


def test_a_floor_on_unflagged_accuracy_holds_when_every_item_is_flagged():
    from summarizer.evaluation.gate import check_thresholds

    report = type("Report", (), {"totals": {"calibration.metrics_kind.flagged_share": 1.0}})()
    checks = check_thresholds(report, {"calibration.metrics_kind.unflagged_accuracy": 0.95})  # type: ignore[arg-type]
    assert [c.passed for c in checks] == [True]
    with pytest.raises(CouldNotEvaluate, match=r"unknown eval figure 'metrics\.f1x'"):
        check_thresholds(report, {"metrics.f1x": 0.5})  # type: ignore[arg-type]
