"""Strategies are plug-ins: a third one registered from outside works through the front door,
the batch API and the eval harness, and both built-in ones are really async."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest

from summarizer import Brief, ConfigurationError, asummarize, strategies, summarize, summarize_many
from summarizer.evaluation import evaluate
from summarizer.model import ModelClient
from summarizer.schema import StrictModel
from summarizer.strategies import Request, Strategy

from ..conftest import GOOD_BRIEF, GOOD_DRAFT, SEED
from ..scripted_server import FakeModel, Reply


class Verdict(StrictModel):
    stance: str


class StanceOnly(Strategy):
    """A toy strategy: the model gives the stance, code fills in the rest of a known brief."""

    name = "stance-only"
    default_prompt = "single"

    def version(self, prompt: str | None = None) -> str:
        return "toy-1"

    def prepare(self, request: Request) -> Request:
        if "Alibaba" not in request.text:
            raise ConfigurationError("this toy only briefs the seed article")
        return request

    async def brief(self, plan: Request, model: ModelClient) -> Brief:
        verdict: Any = await model.create(
            Verdict, [{"role": "user", "content": plan.text[:200]}], max_retries=0, max_tokens=32
        )
        return Brief.model_validate(GOOD_BRIEF | {"stance": verdict.stance}, context={"article": plan.text})


@pytest.fixture
def toy():
    strategies.register(StanceOnly())
    yield
    strategies.unregister("stance-only")


def test_a_registered_strategy_is_used_by_name(toy, seed_text):
    assert "stance-only" in strategies.names() and strategies.names()[0] == strategies.DEFAULT_STRATEGY
    with FakeModel([Reply({"stance": "mixed"}, prompt_tokens=10, completion_tokens=2)]) as fm:
        s = summarize(seed_text, strategy="stance-only", base_url=fm.base_url, model="m")
    assert s.brief.stance == "mixed" and s.run.strategy == "stance-only" and s.run.prompt_version == "toy-1"
    assert (s.run.attempts, s.run.prompt_tokens, s.run.completion_tokens) == (1, 10, 2)
    assert fm.requests[0]["tools"][0]["function"]["name"] == "Verdict"


def test_a_registered_strategy_refuses_its_input_before_any_call(toy):
    with FakeModel([]) as fm, pytest.raises(ConfigurationError, match="toy"):
        summarize("Shares of Tencent rose 5%.", strategy="stance-only", base_url=fm.base_url, model="m")
    assert fm.requests == []


def test_a_registered_strategy_runs_in_batches_and_evals(toy, tmp_path):
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    shutil.copy(SEED, data / "articles" / "seed.txt")
    with FakeModel([], default=Reply({"stance": "positive"})) as fm:
        outcomes = summarize_many([SEED.read_text()] * 3, strategy="stance-only", base_url=fm.base_url, model="m")
        result = evaluate(data, out=tmp_path / "runs", strategy="stance-only", base_url=fm.base_url, model="m")
    assert [o.ok for o in outcomes] == [True, True, True]
    assert result.run.options.strategy == "stance-only" and result.run.cases[0].status == "ok"


@pytest.mark.parametrize("strategy", ["single", "grounded"])
def test_both_built_in_strategies_run_concurrently_on_one_event_loop(strategy, seed_text):
    # Two briefs at once on one event loop: the model holds both first requests at the same time.
    from summarizer.strategies.grounded import asked as find

    from .conftest import brief_answer, figure_labels

    found = find(seed_text, None)
    by_tool = {"BriefDraft": Reply(GOOD_DRAFT, delay=0.2), "BriefAnswer": Reply(brief_answer(found), delay=0.2),
               "RiskCall": Reply({"category": "none", "risk": ""}), "FigureLabels": Reply(figure_labels(found))}  # fmt: skip

    async def both(base_url: str) -> list[Any]:
        return await asyncio.gather(
            *(asummarize(seed_text, strategy=strategy, base_url=base_url, model="m") for _ in range(2))
        )

    with FakeModel([], by_tool=by_tool) as fm:
        results = asyncio.run(both(fm.base_url))
    assert [r.run.strategy for r in results] == [strategy, strategy]
    assert fm.most_in_flight == 2
