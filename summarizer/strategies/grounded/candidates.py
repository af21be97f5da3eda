"""Which sentences the model is asked about as risks and catalysts: those a decision learned from
labels (`summarizer.learning`) finds likely, most likely first. Without fitted decisions, code's
cues stand: the sentences with a word of trouble, and the timings of sentences that look ahead."""

from __future__ import annotations

from dataclasses import replace

from ...finding import Findings, Timing
from ...learning import Decisions, article_features

MAX_RISKS = 8  # an article's risks asked about, at most (the most likely)
MAX_UNDATED = 3  # catalysts with no timing asked about, at most


def candidates(found: Findings, decisions: Decisions | None) -> Findings:
    """`found` with its risk sentences and timings chosen by the learned decisions: a sentence is a
    risk's when its probability reaches the decision's threshold; a timing is kept when its sentence
    is likely a catalyst's, and a likely catalyst sentence without a timing gets an undated one. The
    probabilities are kept in `scores`."""
    if decisions is None or not (decisions.has("risk") and decisions.has("catalyst")):
        return found
    features = article_features(found)
    shown = list(features)
    scores: dict[str, dict[int, float]] = {"risk": {}, "catalyst": {}}
    for i, feats in features.items():
        for decision in ("risk", "catalyst"):
            scores[decision][i] = round(decisions.probability(decision, feats), 4)

    def likely(decision: str) -> list[int]:
        t = decisions.threshold(decision)
        return sorted((i for i in shown if scores[decision][i] >= t), key=lambda i: -scores[decision][i])

    risks = sorted(likely("risk")[:MAX_RISKS])
    catalyst = set(likely("catalyst"))
    timings = [t for t in found.timings if t.sentence in catalyst]
    dated = {t.sentence for t in found.timings}
    undated = sorted([i for i in likely("catalyst") if i not in dated][:MAX_UNDATED])
    timings += [Timing(i, "", None, None) for i in undated]
    timings.sort(key=lambda t: (t.sentence, found.sentences[t.sentence].find(t.text) if t.text else 10**6))
    return replace(found, risk_sentences=risks, timings=timings, scores=scores)
