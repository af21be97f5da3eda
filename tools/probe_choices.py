"""Decisions as one-token choices read from token probabilities, on a dataset with gold labels: for
each article, the stance, and for each sentence code marks as a possible risk, whether it states
one. Every question shares one prefix (the instructions and the numbered article), so a server with
a prompt cache reads the article once; the first question pays for it, the others only for their own
words. Measures how often the most probable option is right, how well the probability predicts it
(accuracy by band), and what each question costs.

    python -m tools.probe_choices [--dataset evals/gold] [--case ID ...] [--out evals/bench]

With no endpoint the embedded llama.cpp server is started; one question at a time.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from pathlib import Path
from typing import Any

import openai

from summarizer.evaluation import load_dataset
from summarizer.finding import find
from summarizer.model import resolve_endpoint
from summarizer.text import contains_verbatim, write_atomic

SYSTEM = (
    "You read financial news for an editor. Answer each question about the article below with one word "
    "from the options given, nothing else.\n\nThe article, one numbered sentence per line:\n{article}"
)
STANCE = ("What is the article's tone toward the company's stock? Options: positive, negative, mixed, neutral.",
          ["positive", "negative", "mixed", "neutral"])  # fmt: skip
RISK = ('Sentence [{n}]: "{sentence}"\nDoes this sentence warn of something that could hurt the company or its '
        "stock (a risk, a threat, a weakness, a danger)? Options: yes, no.", ["yes", "no"])  # fmt: skip
BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01))


def distribution(top: list[Any], options: list[str]) -> dict[str, float]:
    """The options' probabilities from the first answer token's top alternatives, renormalized: a
    token counts for the option it begins (case and leading spaces ignored)."""
    mass = dict.fromkeys(options, 0.0)
    for t in top:
        word = t.token.strip().lower()
        if not word:
            continue
        for o in options:
            if o.startswith(word):
                mass[o] += math.exp(t.logprob)
                break
    total = sum(mass.values())
    return {o: (p / total if total else 0.0) for o, p in mass.items()}


def ask(client: openai.OpenAI, model: str, system: str, question: str, options: list[str]) -> dict[str, Any]:
    t0 = time.perf_counter()
    r = client.chat.completions.create(
        model=model, temperature=0, max_tokens=1, logprobs=True, top_logprobs=20,
        messages=[{"role": "system", "content": system}, {"role": "user", "content": question}],
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    content = getattr(r.choices[0].logprobs, "content", None) or []
    dist = distribution(content[0].top_logprobs if content else [], options)
    best = max(dist, key=lambda o: dist[o])
    return {"answer": best, "p": round(dist[best], 4), "seconds": round(seconds, 2),
            "prompt_tokens": r.usage.prompt_tokens if r.usage else None}  # fmt: skip


def bands(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for lo, hi in BANDS:
        inside = [r for r in rows if lo <= r["p"] < hi]
        out.append({"band": f"{lo:.2f}-{min(hi, 1.0):.2f}", "n": len(inside),
                    "accuracy": round(sum(r["right"] for r in inside) / len(inside), 4) if inside else None})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.probe_choices", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", default="evals/gold")
    parser.add_argument("--case", action="append")
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--out", default="evals/bench")
    args = parser.parse_args(argv)
    endpoint = resolve_endpoint(base_url=args.base_url, model=args.model)
    client = openai.OpenAI(base_url=endpoint.url(), api_key=endpoint.api_key, timeout=600)
    stance_rows, risk_rows, first, later = [], [], [], []
    for case in load_dataset(args.dataset, only=args.case):
        if case.gold is None:
            continue
        found = find(case.article.text, case.article.published)
        shown = [(i, s) for i, s in enumerate(found.sentences) if i not in found.boilerplate]
        system = SYSTEM.format(article="\n".join(f"[{i + 1}] {s}" for i, s in shown))
        got = ask(client, endpoint.model, system, *STANCE)
        first.append(got)
        stance_rows.append(got | {"id": case.id, "gold": case.gold.stance, "right": got["answer"] == case.gold.stance})
        for i in found.risk_sentences:
            got = ask(client, endpoint.model, system, RISK[0].format(n=i + 1, sentence=found.sentences[i]), RISK[1])
            later.append(got)
            is_risk = any(contains_verbatim(r.evidence, found.sentences[i]) or contains_verbatim(found.sentences[i], r.evidence)
                          for r in case.gold.risks)  # fmt: skip
            risk_rows.append(got | {"id": case.id, "sentence": i + 1, "gold": is_risk,
                                    "right": (got["answer"] == "yes") == is_risk})  # fmt: skip
        print(case.id, stance_rows[-1]["answer"], stance_rows[-1]["p"], f"{first[-1]['seconds']} s", flush=True)

    def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"n": len(rows), "accuracy": round(sum(r["right"] for r in rows) / len(rows), 4) if rows else None,
                "by_band": bands(rows)}  # fmt: skip

    result = {
        "endpoint": endpoint.name, "model": endpoint.model, "dataset": args.dataset,
        "stance": summary(stance_rows), "risk_sentence": summary(risk_rows),
        "first_question_seconds_median": statistics.median(r["seconds"] for r in first) if first else None,
        "later_question_seconds_median": statistics.median(r["seconds"] for r in later) if later else None,
        "rows": {"stance": stance_rows, "risk_sentence": risk_rows},
    }  # fmt: skip
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "choices.json", json.dumps(result, indent=1) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
