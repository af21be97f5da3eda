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
from summarizer.finding import find
from summarizer.finding.company import UNNAMED
from summarizer.finding.timing import dates_a_report
from summarizer.text import contains_verbatim

from ..scripted_server import FakeModel

LONG = Path(__file__).resolve().parents[3] / "shared" / "long"
TRANSCRIPT = LONG / "KMI_q2_2021.transcript.txt"
pytestmark = pytest.mark.skipif(not TRANSCRIPT.is_file(), reason="../shared/long is not beside the repo")


def _echoed(defs: dict[str, Any], key: str) -> dict[str, Any]:
    """The constant fields the tool's schema makes the answer of `key` repeat (its anchor)."""
    props = defs.get(key, {}).get("properties", {})
    return {name: p["const"] for name, p in props.items() if "const" in p}


KINDER = {"name": "Kinder Morgan", "ticker": "KMI", "isin": None}
EXXON = {"name": "Exxon Mobil", "ticker": "XOM", "isin": None}  # printed nowhere in the transcript


def conforming(body: dict[str, Any], companies: dict[str, dict[str, Any]] | None = None,
               thesis: str = "Kinder Morgan raised its outlook; the whole call in one line.") -> dict[str, Any]:  # fmt: skip
    """An answer that fills every key the question's tool asks for; `companies` maps a part number to
    the company that part's answer names (Kinder Morgan by default)."""
    tool = body["tools"][0]["function"]
    props = tool["parameters"]["properties"]
    if tool["name"] == "FigureLabels":
        return {k: {"name": f"label of {k}", "kind": "reported", "period": None} for k in props}
    if tool["name"] == "ThesisAnswer":
        return {"thesis": thesis}
    system = body["messages"][0]["content"]
    part = system.split("this is part ")[1].split(" ")[0] if "this is part " in system else "1"
    answer: dict[str, Any] = {
        "company": (companies or {}).get(part, KINDER),
        "stance": "positive" if part != "2" else "neutral",
        "thesis": f"Thesis of part {part}.",
    }
    defs = tool["parameters"].get("$defs", {})
    if "risks" in props:
        keys = defs[props["risks"]["$ref"].split("/")[-1]]["properties"]
        answer["risks"] = {k: {**_echoed(defs, k), "category": "financial", "description": f"risk {k}"} for k in keys}
    if "catalysts" in props:
        keys = defs[props["catalysts"]["$ref"].split("/")[-1]]["properties"]
        answer["catalysts"] = {k: {**_echoed(defs, k), "event": f"event {k}"} for k in keys}
    return answer


def test_a_transcript_longer_than_the_context_is_read_in_parts_and_merged():
    a = read_article(TRANSCRIPT)
    found = find(a.text, a.published)
    # An endpoint without probabilities: the stance is the one most parts' brief answers said.
    with FakeModel([], auto=conforming, choice_logprobs=None) as srv:
        s = summarize(a.text, base_url=srv.base_url, model="m", context_tokens=8192)
    tools = [r for r in srv.requests if r.get("tools")]
    briefs = [r for r in tools if r["tools"][0]["function"]["name"] == "BriefAnswer"]
    parts = len(briefs)
    assert parts >= 2
    for i, r in enumerate(briefs, 1):
        assert f"this is part {i} of {parts}" in r["messages"][0]["content"]
        assert len(json.dumps(r["messages"])) / 3 + 2048 < 8192  # every question fits the context
    # Each tag is asked about once, in the part that holds its sentence; nothing is lost in the merge.
    asked = [k for r in tools if r["tools"][0]["function"]["name"] == "FigureLabels"
             for k in r["tools"][0]["function"]["parameters"]["properties"]]  # fmt: skip
    assert sorted(asked, key=lambda k: int(k[1:])) == [f"F{i}" for i in range(1, len(found.figures) + 1)]
    b = s.brief
    assert len(b.metrics) == len(found.figures) and all(m.name.startswith("label of f") for m in b.metrics)
    ahead = [t for t in found.timings if not dates_a_report(found.sentences[t.sentence], t.text)]
    assert len(b.risks) == len(found.risk_sentences) and len(b.catalysts) == len(ahead)
    assert len({(m.unit, m.value, m.value_high) for m in b.metrics}) == len(b.metrics)  # a repeated figure is one
    for item in [*b.metrics, *b.risks, *b.catalysts]:
        assert contains_verbatim(a.text, item.evidence)
    # One thesis for the whole, written last from the parts' theses; the stance most parts gave.
    last = srv.requests[-1]
    assert last["tools"][0]["function"]["name"] == "ThesisAnswer" and "Part 2: Thesis of part 2." in str(last)
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


def _stance(body: dict[str, Any]) -> str:
    """Each part's stance as a choice: positive, but neutral for part 2."""
    system = body["messages"][0]["content"]
    part = system.split("this is part ")[1].split(" ")[0] if "this is part " in system else "1"
    return "positive" if part != "2" else "neutral"


def _choices_answer(body: dict[str, Any]) -> dict[str, Any]:
    """`conforming`, as the choices strategy asks: no stance in the brief, a kind only where asked."""
    tool = body["tools"][0]["function"]
    if tool["name"] == "FigureLabels":
        defs = tool["parameters"]["$defs"]
        refs = {k: p["$ref"].split("/")[-1] for k, p in tool["parameters"]["properties"].items()}
        return {k: {"name": f"label of {k}"} | ({"kind": "reported"} if "kind" in defs[r]["properties"] else {})
                for k, r in refs.items()}  # fmt: skip
    answer = conforming(body)
    answer.pop("stance", None)
    return answer


def test_with_choices_each_part_chooses_a_stance_and_the_brief_weighs_them_by_probability():
    a = read_article(TRANSCRIPT)
    with FakeModel([], auto=_choices_answer, choice=_stance,
                   choice_logprobs=lambda body: {_stance(body): -0.1, "mixed": -2.5}) as srv:  # fmt: skip
        s = summarize(a.text, base_url=srv.base_url, model="m", context_tokens=8192, strategy="choices")
    parts = sum(1 for r in srv.requests if r.get("tools") and r["tools"][0]["function"]["name"] == "BriefAnswer")
    assert parts >= 2 and sum(1 for r in srv.requests if not r.get("tools")) == parts  # one choice per part
    b = s.brief
    assert b.stance == "positive"  # part 2 alone chose neutral
    p = 1 / (1 + math.exp(-2.4))  # each part's own option against "mixed"
    assert b.stance_confidence == pytest.approx(p * (parts - 1) / parts, abs=1e-3)
    assert all(m.confidence is not None for m in b.metrics)
