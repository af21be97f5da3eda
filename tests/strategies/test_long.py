"""Long documents: an earnings-call transcript longer than the context is read in parts and merged.

The transcripts are the real ones in ../shared/long/; the model is a loopback server that answers
every question with a schema-conforming test double (this tests the splitting and merging logic).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from summarizer import InputTooLongError, read_article, summarize
from summarizer.finding.company import UNNAMED
from summarizer.finding.names import figure_name
from summarizer.finding.timing import dates_a_report
from summarizer.strategies.grounded import asked as find
from summarizer.text import contains_verbatim

from ..scripted_server import FakeModel, answer_name, answer_schema

LONG = Path(__file__).resolve().parents[3] / "shared" / "long"
TRANSCRIPT = LONG / "KMI_q2_2021.transcript.txt"
pytestmark = pytest.mark.skipif(not TRANSCRIPT.is_file(), reason="../shared/long is not beside the repo")


KINDER = {"name": "Kinder Morgan", "ticker": "KMI"}
EXXON = {"name": "Exxon Mobil", "ticker": "XOM"}  # printed nowhere in the transcript


def _part(body: dict[str, Any]) -> str:
    system = body["messages"][0]["content"]
    return system.split("this is part ")[1].split(" ")[0] if "this is part " in system else "1"


def conforming(body: dict[str, Any], companies: dict[str, dict[str, Any]] | None = None,
               thesis: str = "Kinder Morgan raised its outlook; the whole call in one line.") -> dict[str, Any]:  # fmt: skip
    """An answer that fills every key the question's schema asks for; `companies` maps a part number
    to the company that part's answer names (Kinder Morgan by default)."""
    name, schema = answer_name(body), answer_schema(body)
    props, defs = schema["properties"], schema.get("$defs", {})
    if name == "FigureLabels":
        refs = {k: p["$ref"].split("/")[-1] for k, p in props.items()}
        return {k: {"name": f"label of {k}"} | ({"kind": "reported"} if "kind" in defs[r]["properties"] else {})
                for k, r in refs.items()}  # fmt: skip
    if name == "ThesisAnswer":
        return {"thesis": thesis}
    if name == "RiskCall":
        sentence = body["messages"][-1]["content"].split("]")[0].split("[")[1]
        return {"category": "financial", "risk": f"risk of sentence {sentence}"}
    part = _part(body)
    answer: dict[str, Any] = {"company": (companies or {}).get(part, KINDER), "thesis": f"Thesis of part {part}."}
    if "catalysts" in props:
        keys = defs[props["catalysts"]["$ref"].split("/")[-1]]["properties"]
        answer["catalysts"] = {k: f"event {k}" for k in keys}
    return answer


def _stance(body: dict[str, Any]) -> str:
    """Each part's stance as a choice: positive, but neutral for part 2."""
    return "positive" if _part(body) != "2" else "neutral"


def test_a_transcript_longer_than_the_context_is_read_in_parts_and_merged():
    a = read_article(TRANSCRIPT)
    found = find(a.text, a.published)
    # An endpoint without probabilities: the stance is the one most parts said in words.
    with FakeModel([], auto=conforming, choice=_stance, choice_logprobs=None) as srv:
        s = summarize(a.text, base_url=srv.base_url, model="m", context_tokens=8192)
    asks = [r for r in srv.requests if answer_name(r)]
    briefs = [r for r in asks if answer_name(r) == "BriefAnswer"]
    parts = len(briefs)
    assert parts >= 2
    for i, r in enumerate(briefs, 1):
        assert f"this is part {i} of {parts}" in r["messages"][0]["content"]
        assert len(json.dumps(r["messages"])) / 3 + 2048 < 8192  # every question fits the context
    # Each tag is asked about once, in the part that holds its sentence; nothing is lost in the merge.
    asked = [k for r in asks if answer_name(r) == "FigureLabels" for k in answer_schema(r)["properties"]]
    assert sorted(asked, key=lambda k: int(k[1:])) == [f"F{i}" for i in range(1, len(found.figures) + 1)]
    b = s.brief
    # Each name is the model's label, or the one the figure's clause gives where the label is not in it.
    read = {(f.as_written, figure_name(found.sentences[f.sentence], f.start, f.end, f.unit)) for f in found.figures}
    assert len(b.metrics) == len(found.figures)
    assert all(m.name.startswith("label of f") or (m.as_written, m.name) in read for m in b.metrics)
    ahead = [t for t in found.timings if not dates_a_report(found.sentences[t.sentence], t.text)]
    assert len(b.risks) == len(found.risk_sentences) and len(b.catalysts) == len(ahead)
    assert len({(m.unit, m.value, m.value_high) for m in b.metrics}) == len(b.metrics)  # a repeated figure is one
    for item in [*b.metrics, *b.risks, *b.catalysts]:
        assert contains_verbatim(a.text, item.evidence)
    # One thesis for the whole, written last from the parts' theses; the stance most parts gave.
    last = srv.requests[-1]
    assert answer_name(last) == "ThesisAnswer" and "Part 2: Thesis of part 2." in str(last)
    assert b.thesis.startswith("Kinder Morgan raised") and b.stance == "positive"  # part 2 alone said neutral
    assert s.run.attempts == len(srv.requests)


def test_a_context_too_small_for_any_part_is_refused_before_any_call():
    a = read_article(TRANSCRIPT)
    with pytest.raises(InputTooLongError, match="leaves no room"):
        summarize(a.text, base_url="http://127.0.0.1:9/v1", model="m", context_tokens=3000)


def _merged(companies: dict[str, dict[str, Any]], thesis: str):
    a = read_article(TRANSCRIPT)
    with FakeModel([], auto=lambda body: conforming(body, companies, thesis)) as srv:
        return summarize(a.text, base_url=srv.base_url, model="m", context_tokens=8192).brief


def test_a_company_one_part_brings_from_outside_the_text_gives_way_to_the_one_the_text_names():
    # The transcript prints its ticker KMI once; a part that did not see it may guess a company.
    b = _merged({"1": EXXON}, "Exxon Mobil's cash flow is strong; Exxon Mobil raised its outlook.")
    assert (b.company.name, b.company.ticker) == ("Kinder Morgan", "KMI")
    assert b.thesis == "The company's cash flow is strong; the company raised its outlook."


def test_a_company_no_part_finds_in_the_text_is_not_guessed():
    parts = {str(i): EXXON for i in range(1, 9)}
    b = _merged(parts, "Exxon Mobil's cash flow is strong. Analysts like Exxon Mobil.")
    assert (b.company.name, b.company.ticker, b.company.isin) == (UNNAMED, None, None)
    assert b.thesis == "The company's cash flow is strong. Analysts like the company."


def test_each_part_chooses_a_stance_and_the_brief_weighs_them_by_probability():
    a = read_article(TRANSCRIPT)
    with FakeModel([], auto=conforming, choice=_stance,
                   choice_logprobs=lambda body: {_stance(body): -0.1, "mixed": -2.5}) as srv:  # fmt: skip
        s = summarize(a.text, base_url=srv.base_url, model="m", context_tokens=8192)
    parts = sum(1 for r in srv.requests if answer_name(r) == "BriefAnswer")
    assert parts >= 2 and sum(1 for r in srv.requests if not answer_name(r)) == parts  # one choice per part
    b = s.brief
    assert b.stance == "positive"  # part 2 alone chose neutral
    p = 1 / (1 + math.exp(-2.4))  # each part's own option against "mixed"
    assert b.stance_confidence == pytest.approx(p * (parts - 1) / parts, abs=1e-3)
    assert all(m.checks and m.review for m in b.metrics)  # model "m" has no confidence table: every field flagged
