"""A choice among options read from the answer's token probabilities, and the fallbacks where an
endpoint gives none (the endpoint is an in-process fake: its answers are test doubles)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from summarizer.model import ModelClient, resolve_endpoint, run_sync
from summarizer.model.client import option_probabilities

from ..scripted_server import FakeModel, Reply

OPTIONS = ("positive", "negative", "mixed", "neutral")
ASK = [{"role": "system", "content": "The article."}, {"role": "user", "content": "Tone? One word."}]


def _choose(srv: FakeModel) -> tuple[object, ModelClient]:
    async def go() -> tuple[object, ModelClient]:
        async with ModelClient(resolve_endpoint(base_url=srv.base_url, model="m"), http_retries=0) as client:
            return await client.choose(ASK, OPTIONS), client

    return run_sync(go())


def _alt(token: str, logprob: float) -> SimpleNamespace:
    return SimpleNamespace(token=token, logprob=logprob)


def test_the_options_probabilities_are_renormalized_over_the_options():
    top = [_alt("neg", -0.5), _alt(" Positive", -1.5), _alt("The", -0.1), _alt("mixed.", -3.0)]
    p = option_probabilities(top, OPTIONS)
    total = math.exp(-0.5) + math.exp(-1.5) + math.exp(-3.0)
    assert p["negative"] == pytest.approx(math.exp(-0.5) / total) and p["neutral"] == 0.0
    assert sum(p.values()) == pytest.approx(1.0)


def test_a_token_that_could_begin_two_options_is_no_evidence():
    assert option_probabilities([_alt("ne", -0.1)], OPTIONS) == {}
    assert option_probabilities([_alt("ne", -0.1), _alt("mixed", -2.0)], OPTIONS)["mixed"] == 1.0


def test_a_choice_is_one_generated_token_with_its_alternatives_probabilities():
    with FakeModel([], choice="negative", choice_logprobs={"negative": -0.3, "mixed": -1.6}) as srv:
        choice, client = _choose(srv)
    assert choice.option == "negative"  # type: ignore[attr-defined]
    assert choice.confidence == pytest.approx(1 / (1 + math.exp(-1.3)), abs=1e-4)  # type: ignore[attr-defined]
    (request,) = srv.requests
    assert request["max_tokens"] == 1 and request["logprobs"] is True and request["top_logprobs"] == 20
    assert "tools" not in request and client.completions == 1 and client.usage.completion_tokens == 1


def test_without_probabilities_the_answers_words_choose_and_the_confidence_is_none():
    with FakeModel([], choice="Mixed", choice_logprobs=None) as srv:
        choice, _ = _choose(srv)
    assert (choice.option, choice.confidence) == ("mixed", None)  # type: ignore[attr-defined]


def test_words_that_name_no_option_are_asked_again_as_a_constrained_choice():
    with FakeModel([Reply({"answer": "neutral"})], choice="Hmm", choice_logprobs=None) as srv:
        choice, _ = _choose(srv)
    assert (choice.option, choice.confidence) == ("neutral", None)  # type: ignore[attr-defined]
    enum = srv.requests[1]["tools"][0]["function"]["parameters"]["properties"]["answer"]["enum"]
    assert enum == list(OPTIONS)


def test_an_endpoint_that_refuses_probabilities_is_asked_in_words_from_then_on():
    with FakeModel([], choice="positive", refuse_logprobs=True) as srv:

        async def go() -> list[object]:
            async with ModelClient(resolve_endpoint(base_url=srv.base_url, model="m"), http_retries=0) as c:
                return [await c.choose(ASK, OPTIONS), await c.choose(ASK, OPTIONS)]

        first, second = run_sync(go())
    assert first == second and first.option == "positive" and first.confidence is None  # type: ignore[attr-defined]
    assert [bool(r.get("logprobs")) for r in srv.requests] == [True, False, False]  # refused once, then not asked
