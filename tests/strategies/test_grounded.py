"""The grounded strategy's logic against an in-process fake model (the answers are test doubles):
questions by reference (the brief, the stance as a choice, each risk, the figures), assembled and
validated by code."""

from __future__ import annotations

import json
import math
from datetime import date

import pytest

from summarizer import ConfigurationError, ExtractionError, summarize
from summarizer.finding.company import names_company
from summarizer.schema import FIELDS, Brief
from summarizer.strategies import get as get_strategy
from summarizer.strategies.grounded import asked as find
from summarizer.strategies.grounded.questions import task_variables, timing_words
from summarizer.strategies.grounded.thesis import clean_thesis

from ..conftest import GOOD_DRAFT
from ..scripted_server import FakeModel, Reply
from .conftest import (
    assert_one_prefix_then_questions,
    assert_seed_brief,
    brief_answer,
    figure_labels,
    risk_replies,
    seed_replies,
)

PUBLISHED = "2026-01-04"


def _run(seed_text, replies, **options):
    with FakeModel(replies, **options) as srv:
        s = summarize(seed_text, published=PUBLISHED, base_url=srv.base_url, model="m")
    return s, srv


def test_questions_by_reference_give_a_brief_with_exact_figures(seed_text, found):
    risky = found.risk_sentences[-1]
    answer = brief_answer(found, events={"in February": "quarterly results"})
    s, _ = _run(seed_text, seed_replies(found, answer=answer, risks={risky: "execution"}))
    brief = s.brief
    calls = 3 + len(found.risk_sentences)
    assert isinstance(brief, Brief) and s.run.strategy == "grounded" and s.run.attempts == calls
    assert s.run.mode == "json_schema"
    # Summed over the calls: the brief, the stance (one token), each risk, the figures.
    assert s.run.prompt_tokens == 100 * calls and s.run.completion_tokens == 50 * (calls - 1) + 1
    assert_seed_brief(brief, found, risky)


def test_every_question_starts_with_the_same_system_message_so_the_article_is_read_once(seed_text, found):
    _, srv = _run(seed_text, seed_replies(found))
    assert_one_prefix_then_questions(srv.requests, found)


def test_an_endpoint_mode_asks_every_answer_as_a_tool_call_instead(seed_text, found):
    with FakeModel(seed_replies(found)) as srv:
        s = summarize(seed_text, published=PUBLISHED, base_url=srv.base_url, model="m", mode="tools")
    asked = [r["tools"][0]["function"]["name"] for r in srv.requests if "tools" in r]
    assert asked == ["BriefAnswer", *["RiskCall"] * len(found.risk_sentences), "FigureLabels"]
    assert s.run.mode == "tools" and len(s.brief.metrics) == len(found.figures)


def test_the_model_is_never_asked_what_code_reads(seed_text, found):
    _, srv = _run(seed_text, seed_replies(found))
    schemas = {r["response_format"]["json_schema"]["name"]: r["response_format"]["json_schema"]["schema"]
               for r in srv.requests if "response_format" in r}  # fmt: skip
    assert set(schemas["BriefAnswer"]["properties"]) == {"company", "thesis", "catalysts"}  # no stance, no echo
    assert set(schemas["BriefAnswer"]["$defs"]["CompanyCall"]["properties"]) == {"name", "ticker"}  # the ISIN is code's
    assert set(schemas["RiskCall"]["properties"]) == {"category", "risk"}
    labels = schemas["FigureLabels"]
    assert not task_variables(found)["kind_ids"]  # a cue decides every kind of the seed's figures
    for ref in labels["properties"].values():
        assert set(labels["$defs"][ref["$ref"].split("/")[-1]]["properties"]) == {"name"}  # no value, unit, period


def test_a_figure_no_cue_speaks_for_is_asked_its_kind_and_the_kind_is_the_models():
    text = "Acme Corp reported on Monday. The bank had 3.2 million accounts at the end of June. Acme has 120 stores."
    found = find(text, date(2026, 1, 4))
    assert task_variables(found)["kind_ids"] == [1]
    labels = {"F1": {"name": "accounts", "kind": "reported"}, "F2": {"name": "stores"}}
    answer = brief_answer(found) | {"thesis": "Acme Corp grows."}
    with FakeModel([Reply(answer), *risk_replies(found), Reply(labels)]) as srv:
        b = summarize(text, published=PUBLISHED, base_url=srv.base_url, model="m").brief
    schema = srv.requests[-1]["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["F1"]["$ref"].endswith("/FigureLabel")
    assert schema["properties"]["F2"]["$ref"].endswith("/FigureName")
    assert [(m.name, m.kind) for m in b.metrics] == [("accounts", "reported"), ("stores", "other")]


def test_each_risk_question_quotes_its_own_sentence(seed_text, found):
    _, srv = _run(seed_text, seed_replies(found))
    risky = [r["messages"][-1]["content"] for r in srv.requests if "RiskCall" in str(r.get("response_format"))]
    for question, s in zip(risky, found.risk_sentences, strict=True):
        assert f"Sentence [{s + 1}]" in question and found.sentences[s][:40].replace('"', "'") in question


def test_a_figure_without_a_label_is_kept_with_a_plain_name(seed_text, found):
    # A server that does not enforce the schema may leave a key out: the answer is then invalid,
    # goes back to the model once, and the figure is never lost.
    replies = [*seed_replies(found, labels=figure_labels(found, skip=1)), Reply(figure_labels(found))]
    s, srv = _run(seed_text, replies)
    assert s.run.attempts == 4 + len(found.risk_sentences) and len(s.brief.metrics) == len(found.figures)
    assert "F1" in str(srv.requests[-1]["messages"])  # the retry names the missing key


def test_the_isin_is_the_one_the_text_prints_and_a_ticker_that_is_an_isin_is_dropped(seed_text, found):
    answer = brief_answer(found)
    answer["company"] = {"name": "Alibaba Group", "ticker": "US01609W1027"}
    s, _ = _run(seed_text, seed_replies(found, answer=answer))
    assert s.brief.company.ticker is None and s.brief.company.isin == "US01609W1027"  # printed in the seed


def test_no_isin_is_read_where_the_text_prints_none_or_one_whose_check_digit_fails():
    from summarizer.strategies.grounded.assemble import _identifiers

    company = {"name": "Acme", "ticker": "ACME", "isin": None}
    assert _identifiers(dict(company), "Acme (ISIN US0378331005) rose.")["isin"] == "US0378331005"
    assert _identifiers(dict(company), "Acme (ISIN US0378331006) rose.")["isin"] is None  # check digit
    assert _identifiers(dict(company), "US0378331005 and US5949181045 both rose.")["isin"] is None  # which?
    assert _identifiers(dict(company), "INTERNATIONAL1 rose.")["isin"] is None


def test_an_answer_that_breaks_the_rules_every_time_names_the_question(seed_text, found):
    bad = brief_answer(found)
    bad["company"] = "Alibaba"  # not an object
    with pytest.raises(ExtractionError) as info:
        _run(seed_text, [Reply(bad)] * 3)
    assert str(info.value).startswith("brief question:") and "company" in str(info.value)
    assert info.value.attempts == 3 and info.value.usage.prompt_tokens == 300


def test_long_theses_are_cut_at_a_sentence_end_within_the_word_limit():
    long = "First point is made here. " + " ".join(["word"] * 70)
    assert clean_thesis(long) == "First point is made here."
    assert clean_thesis("Short [F2] and [T1] clean.") == "Short and clean."


def test_a_thesis_the_server_cut_off_mid_sentence_ends_at_its_last_full_sentence():
    # llama.cpp ends a grammar-constrained string at the schema's maxLength, mid-word or mid-tag.
    assert clean_thesis("Alibaba is re-rated. Its cloud division reported a 34% [F") == "Alibaba is re-rated."
    assert (
        clean_thesis("Shares fell as rivals had reined in their guideli")
        == "Shares fell as rivals had reined in their guideli…"
    )
    assert clean_thesis("Profit rose 34% (a record).") == "Profit rose 34% (a record)."


def test_the_single_strategy_is_still_selectable(seed_text):
    with FakeModel([Reply(GOOD_DRAFT)]) as srv:
        s = summarize(seed_text, published=PUBLISHED, base_url=srv.base_url, model="m", strategy="single")
    assert s.run.strategy == "single" and len(srv.requests) == 1


def test_an_unknown_strategy_is_a_configuration_error(seed_text):
    with pytest.raises(ConfigurationError, match="strategy"):
        summarize(seed_text, base_url="http://127.0.0.1:9/v1", model="m", strategy="magic")


def test_a_thesis_figure_the_article_does_not_print_goes_back_to_the_model(seed_text, found):
    injected = brief_answer(found)
    injected["thesis"] = "Alibaba doubled its dividend to $999 million, as the article instructs."
    s, srv = _run(seed_text, [Reply(injected), *seed_replies(found)])
    assert s.run.attempts == 4 + len(found.risk_sentences) and "$999 million" not in s.brief.thesis
    assert "does not print" in str(srv.requests[1]["messages"])


def test_a_thesis_figure_repeated_on_every_attempt_costs_its_clause_not_the_brief(seed_text, found):
    # A small model at temperature 0 answers the same way each time; the rest of its answer is sound.
    wrong = brief_answer(found, events={"in February": "quarterly results"})
    wrong["thesis"] = "Alibaba is being re-rated as an AI company, with cloud revenue up $34 billion [F1]. It invests."
    s, _ = _run(seed_text, [Reply(wrong)] * 3 + seed_replies(found)[1:])
    assert s.brief.thesis == "Alibaba is being re-rated as an AI company. It invests."
    assert [c.event for c in s.brief.catalysts] == ["quarterly results"]  # nothing else of the answer is lost
    calls = 5 + len(found.risk_sentences)
    assert s.run.attempts == calls and s.run.prompt_tokens == 100 * calls  # every attempt's usage is counted


def test_a_thesis_with_no_clause_the_article_prints_is_still_an_error(seed_text, found):
    injected = brief_answer(found)
    injected["thesis"] = "Alibaba doubled its dividend to $999 million."
    with pytest.raises(ExtractionError, match="which the article does not print") as info:
        _run(seed_text, [Reply(injected)] * 3)
    assert info.value.attempts == 3 and info.value.usage.prompt_tokens == 300


def test_an_answer_cut_off_at_max_tokens_is_asked_again_with_more_room(seed_text, found):
    cut = Reply('{"company": {"name": "Alib', finish_reason="length", prompt_tokens=100, completion_tokens=2048)
    s, srv = _run(seed_text, [cut, *seed_replies(found)])
    n = len(found.risk_sentences)
    assert s.run.attempts == 4 + n and s.run.completion_tokens == 2048 + 50 * (n + 2) + 1  # the cut one counts
    assert [r["max_tokens"] for r in srv.requests] == [2048, 4096, 1, *[2048] * n, 2048]


def test_an_answer_cut_off_every_time_is_a_typed_error(seed_text):
    cut = Reply('{"company": {"name": "Alib', finish_reason="length")
    with FakeModel([cut] * 3) as srv, pytest.raises(ExtractionError, match="max_tokens"):
        summarize(seed_text, published=PUBLISHED, base_url=srv.base_url, model="m", context_tokens=32768)
    assert [r["max_tokens"] for r in srv.requests] == [2048, 4096, 8192]


def test_the_usage_of_every_cut_off_answer_is_reported(seed_text):
    cut = Reply('{"company": {"name": "Alib', finish_reason="length", completion_tokens=50)
    with FakeModel([cut] * 3) as srv, pytest.raises(ExtractionError) as info:
        summarize(seed_text, published=PUBLISHED, base_url=srv.base_url, model="m", context_tokens=32768)
    assert info.value.usage.completion_tokens == 150 and info.value.attempts == 3


def test_timings_of_sentences_that_only_look_back_are_not_asked_about():
    text = "Acme Corp sales rose 8% in January.\n\nAcme will report results in March, it said."
    found = find(text, date(2026, 1, 4))
    assert [t.text for t in found.timings] == ["in March"]


def test_each_timing_is_listed_with_its_own_words_so_the_model_need_not_find_its_tag(found):
    listed = task_variables(found)["timings"]
    assert 'T1 "in February" = 2026-02-01 to 2026-02-28 in [' in listed
    assert "release of quarterly results in February." in listed


def test_the_words_around_a_timing_in_a_long_sentence_are_cut_around_it():
    words = " ".join(f"w{i}" for i in range(40))
    sentence = f"{words} results are due in February and then {words}"
    out = timing_words(sentence, "in February")
    assert out.startswith("... ") and out.endswith(" ...")
    assert "results are due in February and then" in out and len(out.split()) < 25


@pytest.mark.parametrize(
    ("name", "ticker", "text", "named"),
    [
        ("Alibaba Group", "BABA", "Alibaba's cloud grew.", True),  # a distinctive word of the name
        ("Apple Inc.", None, "Shares of Apple rose.", True),
        ("Time Warner", "TWX", "TimeWarner's profit jumped.", True),
        ("General Electric", "GE", "GE said it would cut costs.", True),  # initials (and ticker)
        ("Microsoft", "MSFT.O", "MSFT shares rose.", True),  # the ticker without its exchange
        ("Kinder Morgan", "KMI", "an asset for KMI for many years", True),
        ("Exxon Mobil", "XOM", "an asset for KMI for many years", False),  # brought from outside
        ("General Electric", "GE", "Gene therapy and GEMs", False),  # no word boundary, no name
        ("Apple Inc.", None, "an apple a day", False),  # the name as a common word does not count
    ],
)
def test_a_company_is_named_by_a_word_of_its_name_its_initials_or_its_ticker(name, ticker, text, named):
    assert names_company(name, ticker, text) is named


def test_a_company_the_article_never_names_is_not_put_in_the_brief(seed_text, found):
    answer = brief_answer(found)
    answer["company"] = {"name": "Tencent Holdings", "ticker": "0700.HK"}
    answer["thesis"] = "Tencent Holdings is being re-rated: cloud revenue grew 34% [F1]."
    s, _ = _run(seed_text, seed_replies(found, answer=answer))
    assert s.brief.company.name == "(company not named in the text)" and s.brief.company.ticker is None
    assert s.brief.thesis == "The company is being re-rated: cloud revenue grew 34%."


def test_an_event_or_risk_cut_off_inside_a_tag_loses_the_half_tag(seed_text, found):
    risky = found.risk_sentences[-1]
    answer = brief_answer(found, events={"in February": "quarterly results [F"})
    risks = risk_replies(found)
    risks[-1] = Reply({"category": "execution", "risk": "Growth may slow [R"})
    s, _ = _run(seed_text, [Reply(answer), *risks, Reply(figure_labels(found))])
    assert [r.evidence for r in s.brief.risks] == [found.sentences[risky]]
    assert [c.event for c in s.brief.catalysts] == ["quarterly results"]
    assert [r.description for r in s.brief.risks] == ["Growth may slow"]


@pytest.mark.parametrize(
    ("sentence", "timing", "expected"),
    [
        ("Credit Suisse said on Tuesday it would cut another 1,500 jobs.", "on Tuesday", True),
        ("On Wednesday, Lenovo reported a profit of $143.92 million.", "On Wednesday", True),
        ("The offer will begin Thursday, subject to clearances.", "Thursday", False),
        ("Results are due in February, the company said.", "in February", False),
    ],
)
def test_a_timing_that_dates_what_was_said_is_no_catalyst(sentence, timing, expected):
    from summarizer.finding.timing import dates_a_report

    assert dates_a_report(sentence, timing) is expected


def test_a_timing_after_the_publication_date_dates_nothing_said():
    from summarizer.finding.timing import dates_a_report, timings_in

    sentence = 'In 1988, Douglas said Dean should see "a 20 pct improvement in our bottom line."'
    (t,) = timings_in(sentence, 0, date(1987, 2, 26))
    assert dates_a_report(sentence, t.text) is True  # read from the words alone
    assert dates_a_report(sentence, t, date(1987, 2, 26)) is False


def test_risks_described_alike_keep_the_description_where_it_fits_and_describe_the_others_by_their_sentence(
    seed_text, found
):
    from summarizer.strategies.grounded.answers import RiskCall
    from summarizer.strategies.grounded.assemble import _risks

    answers = type("A", (), {})()
    same = "Cloud growth may prove unsustainable."
    answers.risks = {i: RiskCall(category="execution", risk=same)
                     for i in range(1, len(found.risk_sentences) + 1)}  # fmt: skip
    risks = [r for r, _ in _risks(found, answers)]  # type: ignore[arg-type]
    descriptions = [r["description"] for r in risks]
    assert len(set(descriptions)) == len(descriptions) and descriptions.count(same) == 1
    kept = next(r for r in risks if r["description"] == same)
    assert "sustainable" in kept["evidence"]


def test_the_stance_is_the_choice_of_the_first_tokens_probabilities_and_every_field_is_checked(
    seed_text, found, tmp_path, monkeypatch
):
    answer = brief_answer(found, events={"in February": "results"})

    def replies() -> list:
        return seed_replies(found, answer=answer, risks={found.risk_sentences[-1]: "execution"})

    monkeypatch.setenv("SUMMARIZER_CALIBRATION", str(tmp_path))
    s, _ = _run(seed_text, replies())
    b = s.brief
    weights = {"positive": math.exp(-0.2), "mixed": math.exp(-2.0), "negative": math.exp(-3.5), "neutral": math.exp(-4)}
    assert b.stance == "positive"
    assert b.stance_confidence == pytest.approx(weights["positive"] / sum(weights.values()), abs=1e-4)
    # The run keeps every option's probability as the model gave it, for a table to fit its offsets on.
    (chosen,) = s.run.choices
    assert chosen == pytest.approx({o: w / sum(weights.values()) for o, w in weights.items()}, abs=1e-4)
    # No table for model "m": uncalibrated, every field flagged with no confidence but the model's own.
    assert b.calibration is None and b.stance_review
    for item, fields in [*((m, FIELDS["metrics"]) for m in b.metrics), *((r, FIELDS["risks"]) for r in b.risks),
                         *((c, FIELDS["catalysts"]) for c in b.catalysts)]:  # fmt: skip
        assert tuple(item.checks) == fields and item.review and item.confidence is None
        assert all(c.review and c.confidence is None and c.basis for c in item.checks.values())
    # A table fitted for model "m" (and this prompt) is used: each field's rate, flagged below its threshold.
    basis = b.metrics[0].checks["kind"].basis  # the named cue that read the first figure's kind
    table = {"strategy": "grounded", "prompt": get_strategy("grounded").version(), "model": "m", "dataset": "d", "cases": 1,
             "counts": {"metrics.kind": {basis: [19, 20]}}, "thresholds": {"metrics.kind": 0.9}}  # fmt: skip
    (tmp_path / "m.json").write_text(json.dumps(table))
    b = _run(seed_text, replies())[0].brief
    assert b.calibration is not None and "fitted on d (1 articles)" in b.calibration
    moves = [m for m in b.metrics if m.checks["kind"].basis == basis]
    assert moves and all(not m.checks["kind"].review and m.checks["kind"].confidence > 0.9 for m in moves)
    for item in [*b.metrics, *b.risks, *b.catalysts]:
        assert item.confidence is not None and 0 <= item.confidence <= 1 and item.review  # names etc. untrusted


def test_an_endpoint_without_probabilities_gives_the_stance_said_in_words_unrated_and_flagged(seed_text, found):
    s, _ = _run(seed_text, seed_replies(found), choice="mixed", choice_logprobs=None)
    b = s.brief
    assert (b.stance, b.stance_confidence, b.stance_review) == ("mixed", None, True)


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("growth rate of income linked to AI products and ", "growth rate of income linked to AI products"),
        ("number of downloads of the proprietary AI models", "number of downloads of the proprietary AI"),
        ("price target", "price target"),  # shorter than the limit: as said
    ],
)
def test_a_name_cut_at_its_maximum_length_loses_the_cut_word_and_the_words_left_dangling(said, name):
    from summarizer.strategies.grounded.answers import NAME_MAX_CHARS
    from summarizer.strategies.grounded.assemble import _whole_words

    assert len(said) == NAME_MAX_CHARS or name == said
    assert _whole_words(said) == name
