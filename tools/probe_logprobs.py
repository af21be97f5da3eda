"""Which token probabilities an OpenAI-compatible endpoint gives: `logprobs` / `top_logprobs` on chat
completions, free and with a forced tool call, and on legacy completions. Writes what each request
returned, so a strategy knows whether a choice can be read as a distribution over its options.

    python -m tools.probe_logprobs [--base-url URL --model M] [--out evals/bench]

With no endpoint the embedded llama.cpp server is started.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam

from summarizer.model import resolve_endpoint
from summarizer.text import write_atomic

QUESTION = (
    "Is the tone of this news toward the stock positive, negative, mixed or neutral? Answer with one word.\n"
    "News: Shares of Acme rose 5% after the company reported record quarterly profit."
)
OPTIONS = ["positive", "negative", "mixed", "neutral"]
TOOL = {
    "type": "function",
    "function": {
        "name": "Stance",
        "parameters": {"type": "object", "properties": {"stance": {"type": "string", "enum": OPTIONS}},
                       "required": ["stance"]},
    },
}  # fmt: skip


def _top(entry: Any) -> list[tuple[str, float]]:
    return [(t.token, round(math.exp(t.logprob), 4)) for t in (getattr(entry, "top_logprobs", None) or [])]


def probe(client: openai.OpenAI, model: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": QUESTION}]

    def attempt(name: str, call: Any) -> None:
        try:
            rows.append({"request": name, **call()})
        except openai.APIError as exc:
            rows.append({"request": name, "error": f"{type(exc).__name__}: {str(exc)[:200]}"})

    def chat(**extra: Any) -> dict[str, Any]:
        r = client.chat.completions.create(model=model, messages=messages, temperature=0, max_tokens=16,
                                           logprobs=True, top_logprobs=5, **extra)  # fmt: skip
        choice = r.choices[0]
        content = getattr(choice.logprobs, "content", None) or []
        calls = choice.message.tool_calls or []
        return {
            "answer": calls[0].function.arguments if calls and calls[0].type == "function" else choice.message.content,
            "logprobs_tokens": len(content),
            "first_tokens": [
                {"token": c.token, "p": round(math.exp(c.logprob), 4), "top": _top(c)} for c in content[:6]
            ],
        }

    def completion() -> dict[str, Any]:
        prompt = QUESTION + "\nAnswer:"
        r = client.completions.create(model=model, prompt=prompt, temperature=0, max_tokens=3, logprobs=5)
        lp = r.choices[0].logprobs
        tops = [{k: round(math.exp(v), 4) for k, v in t.items()} for t in (getattr(lp, "top_logprobs", None) or [])]
        return {"answer": r.choices[0].text, "first_tokens": tops[:3]}

    attempt("chat, free text", chat)
    attempt("chat, forced tool call (grammar-constrained on llama.cpp)",
            lambda: chat(tools=[TOOL], tool_choice={"type": "function", "function": {"name": "Stance"}}))  # fmt: skip
    attempt("legacy completions", completion)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.probe_logprobs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--out", default="evals/bench")
    args = parser.parse_args(argv)
    endpoint = resolve_endpoint(base_url=args.base_url, model=args.model)
    client = openai.OpenAI(base_url=endpoint.url(), api_key=endpoint.api_key)
    rows = probe(client, endpoint.model)
    result = {"endpoint": endpoint.name, "model": endpoint.model, "rows": rows}
    if endpoint.embedded:
        import llama_cpp

        result["llama_cpp_python"] = llama_cpp.__version__
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "logprobs.json", json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
