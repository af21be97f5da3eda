"""An optional LLM judge of the thesis, with the written rubric in `prompts/judge/`.

It runs through any configured endpoint (the same settings as `summarize`). Verdicts keep their
reasons, and are cached by (article, reference, candidate, judge model, judge prompt version).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, Field

from ..model import ModelClient, resolve_endpoint, run_sync
from ..prompts import load_prompt
from ..text import write_atomic

JUDGE_PROMPT = "judge"


class Verdict(BaseModel):
    """Your grade of the thesis."""

    reasons: str = Field(description="Two or three sentences: what the thesis gets right and wrong.")
    score: int = Field(ge=1, le=5, description="1 to 5 by the rubric.")


class JudgeResult(BaseModel):
    score: int
    reasons: str
    model: str
    prompt_version: str


def judge_thesis(
    article: str,
    reference: str,
    candidate: str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    cache_dir: Path | None = None,
) -> JudgeResult:
    endpoint = resolve_endpoint(base_url=base_url, api_key=api_key, model=model)
    prompt = load_prompt(JUDGE_PROMPT)
    version = prompt.version(Verdict)
    key = hashlib.sha256("\0".join((article, reference, candidate, endpoint.model, version)).encode()).hexdigest()[:24]
    cached = cache_dir / f"judge-{key}.json" if cache_dir else None
    if cached is not None and cached.is_file():
        return JudgeResult.model_validate_json(cached.read_text(encoding="utf-8"))
    messages = prompt.messages(article=article, reference=reference, candidate=candidate)

    async def ask() -> Verdict:
        async with ModelClient(endpoint) as client:
            with client.typed_errors():
                return await client.create(Verdict, messages, max_retries=2, max_tokens=512)

    verdict = run_sync(ask())
    result = JudgeResult(score=verdict.score, reasons=verdict.reasons, model=endpoint.model, prompt_version=version)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, json.dumps(result.model_dump()))
    return result
