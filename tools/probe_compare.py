"""The model's choice among candidate sentences, read from its probabilities: for each article, one
question per decision ("Which of these sentences states the most serious risk to the company?",
"... announces a future event that could move the stock?") lists the article's shown sentences by
letter (A, B, ...; the first 26), and the first answer token's alternatives give each sentence its
probability of being the one. Measured against the gold labels like `tools.decisions`: ROC AUC, and
precision, recall and F1 of the sentences at probability >= `TAKE` (fixed, not fitted).

    python -m tools.probe_compare [--dataset evals/test] [--case ID ...] [--out FILE.json]

With no endpoint the embedded llama.cpp server is started (or the running one used).
"""

from __future__ import annotations

import argparse
import json
import string
import time
from pathlib import Path
from typing import Any

import openai

from summarizer.evaluation import load_dataset
from summarizer.finding import find
from summarizer.learning import same_sentence
from summarizer.model import resolve_endpoint

from .decisions import _auc, _prf
from .probe_choices import distribution

SYSTEM = (
    "You read financial news for an editor. Answer each question about the article below with one letter "
    "from the options given, nothing else.\n\nThe article, one numbered sentence per line:\n{article}"
)
QUESTIONS = {
    "risk": "Which of these sentences states the most serious risk to the company (a threat, a weakness, a danger)?",
    "catalyst": "Which of these sentences announces a future event that could move the company's stock?",
}
LETTERS = string.ascii_uppercase
TAKE = 0.1  # a sentence the model gives this much of its choice is taken


def ask(client: openai.OpenAI, model: str, system: str, question: str, n: int) -> list[float]:
    r = client.chat.completions.create(
        model=model, temperature=0, max_tokens=1, logprobs=True, top_logprobs=20,
        messages=[{"role": "system", "content": system}, {"role": "user", "content": question}],
    )  # fmt: skip
    content = getattr(r.choices[0].logprobs, "content", None) or []
    dist = distribution(content[0].top_logprobs if content else [], [c.lower() for c in LETTERS[:n]])
    return [dist[c.lower()] for c in LETTERS[:n]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default="evals/test")
    ap.add_argument("--case", action="append")
    ap.add_argument("--base-url")
    ap.add_argument("--model")
    ap.add_argument("--out", help="write the figures as JSON here")
    args = ap.parse_args(argv)
    endpoint = resolve_endpoint(base_url=args.base_url, model=args.model)
    client = openai.OpenAI(base_url=endpoint.url(), api_key=endpoint.api_key, timeout=600)
    scored: dict[str, list[tuple[bool, float]]] = {d: [] for d in QUESTIONS}
    seconds: list[float] = []
    for case in load_dataset(args.dataset, only=args.case):
        if case.gold is None:
            continue
        found = find(case.article.text, case.article.published)
        shown = [i for i in range(len(found.sentences)) if i not in found.boilerplate]
        system = SYSTEM.format(article="\n".join(f"[{i + 1}] {found.sentences[i]}" for i in shown))
        offered = shown[: len(LETTERS)]
        listing = "\n".join(f"{LETTERS[k]}: [{i + 1}] {found.sentences[i]}" for k, i in enumerate(offered))
        for decision, question in QUESTIONS.items():
            t0 = time.perf_counter()
            p = ask(client, endpoint.model, system, f"{question}\n{listing}\nAnswer with one letter.", len(offered))
            seconds.append(time.perf_counter() - t0)
            gold = case.gold.risks if decision == "risk" else case.gold.catalysts
            probability = dict(zip(offered, p, strict=True))
            for i in shown:
                truth = any(same_sentence(g.evidence, found.sentences[i]) for g in gold)
                scored[decision].append((truth, probability.get(i, 0.0)))
        print(case.id, f"{seconds[-2]:.1f} s, {seconds[-1]:.1f} s", flush=True)
    result: dict[str, Any] = {
        d: {**_prf([(y, p >= TAKE) for y, p in rows]), "auc": _auc(rows)} for d, rows in scored.items()
    }
    result["seconds_per_question"] = round(sum(seconds) / max(1, len(seconds)), 1)
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
