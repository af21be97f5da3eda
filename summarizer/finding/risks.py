"""Sentences that may state a risk: a lexicon of trouble. Whether one does is the model's decision."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

# Words of trouble: a sentence with one of them may state a risk.
_RISK_CUES = re.compile(
    r"\b(?:risk|concern|uncertain|warn|threat|challeng|pressur|competi|rival|regulat|probe|investigat|"
    r"lawsuit|sued|litigation|liabilit|fine[ds]?\b|penalt|antitrust|sanction|tariff|debt|downgrad|weak|"
    r"slow|declin|fell|fall|drop|loss|losing|cut|writedown|write-down|impair|volatil|doubt|caution|worr|"
    r"fear|headwind|hurt|damag|disrupt|delay|shortage|constrain|strike|recession|inflation|sustainab|"
    r"discount|overvalu|dilut|layoff|restat|scrutiny|crisis|default|bankrupt|liquidity|weigh|recall|"
    r"fail|slip|critici|alarm|struggl|setback|strain|costly|burden|deficit|short of|miss|lower|"
    r"could|may|might)",
    re.I,
)


def risk_sentences(sentences: Sequence[str], skip: Collection[int] = ()) -> list[int]:
    """The indices of the sentences with a word of trouble, those in `skip` left out."""
    return [i for i, s in enumerate(sentences) if i not in skip and _RISK_CUES.search(s)]
