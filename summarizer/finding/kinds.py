"""What sort of fact a figure is, proposed by code from the words a careful reader goes by: "price
target" makes a target, "analysts expect" an estimate, "shares rose" a market move, "the company
expects" guidance, a deal, fine or stake `other`, "revenue rose" or "a better-than-expected rise" a
reported result.

Each cue is a pattern with the kind it signals; the cue nearest the figure in its sentence decides.
A figure with no cue gets no proposal (None), and the model's reading stands.
"""

from __future__ import annotations

import re

from ..schema import Kind

_CUES: list[tuple[Kind, re.Pattern[str]]] = [
    (
        "target",
        re.compile(
            r"\bprice[- ]target|target price|price objective|\b(?:implied |potential )?upside\b|"
            r"\bdownside\b|\bvalue[sd]? (?:the )?(?:company|shares|stock) at\b|"
            r"\bworth\b.{0,20}\ba share\b",
            re.I,
        ),
    ),
    (
        "estimate",
        re.compile(
            r"\banalysts?\b|\bconsensus\b|\bI/B/E/S\b|\bpolled\b|\bestimates?\b|\beconomists?\b|"
            r"\bexpectations?\b|\bStarMine\b|\bFactSet\b|\bZacks\b|\bpoll\b|\bWall Street\b",
            re.I,
        ),
    ),
    (
        "market",
        re.compile(
            r"\b(?:shares?|stocks?|ADRs?|equity)\b.{0,40}\b(?:rose|fell|were|was|closed|closing|"
            r"traded|trading|gained|climbed|dropped|jumped|surged|slid|slipped|tumbled|touched|hit|"
            r"rallied|recovered|up|down|lost|added)\b|\bclos(?:ed|ing) (?:at|up|down)\b|"
            r"\bmarket (?:value|capitali[sz]ation|cap)\b|\bindex\b|\bDow\b|\bNasdaq\b|\bS&P\b|\bFTSE\b|"
            r"\bNikkei\b|\bHang Seng\b|\byields?\b|\bbond\b|\bpence\b|\bintraday\b|\b\d+-(?:year|week) "
            r"(?:high|low)\b",
            re.I | re.S,
        ),
    ),
    (
        "guidance",
        re.compile(
            r"\b(?:expects?|(?<!than[- ])expected|expecting|forecasts?|forecasting|projects?|projected|"
            r"projecting|plans?|planned|planning|targets?|targeting|aims?|aiming|outlook|guidance|"
            r"intends?|budget|earmarked|will|would|sees|anticipates?|goal|to cut|to invest|"
            r"to spend|to return|buy back)\b",
            re.I,
        ),
    ),
    (
        "other",
        re.compile(
            r"\b(?:deal|acqui(?:re|red|sition)|bid|offer(?:ed)?|takeover|merger|buy|bought|stake|"
            r"fine[ds]?|settle(?:d|ment)?|penalty|pay|paid|valued at|worth|priced at|issu(?:e[ds]?|ance)|"
            r"bonds?|notes?|loan|debt|rating|downgrade[ds]?|upgrade[ds]?|employs?|employees|"
            r"workers|jobs|staff|stores|hospitals|clinics|plants|factories|costs? (?:\w+ )?\$)\b",
            re.I,
        ),
    ),
    (
        "reported",
        re.compile(
            r"\bthan[- ](?:expected|forecast|estimated)\b|"
            r"\b(?:reported|posted|totaled|totalled|amounted|generated|earned|sold|delivered|"
            r"shipped|revenues?|sales|profits?|earnings|income|loss|margin|EBITDA?|turnover|"
            r"subscribers|users|downloads|deliveries|passengers|production)\b",
            re.I,
        ),
    ),
]
# A move ("rose 8%", "was down 2%") is the market's when the sentence speaks of shares, else a result.
_MOVE = re.compile(
    r"\b(?:rose|fell|grew|increased|decreased|declined|jumped|slumped|surged|dropped|climbed|"
    r"plunged|sank|sunk|slid|gained|lost|appreciated|depreciated|advanced|up|down|higher|lower|flat)\b",
    re.I,
)
_SHARES = re.compile(r"\b(?:shares?|stocks?|equity|ADRs?|index|They were|They are|They hit|They climbed)\b", re.I)
# Forecasters: a plan or forecast verb whose sentence names them before it is theirs, an estimate
# ("Analysts polled by Reuters forecast earnings of $2.08"), not the company's outlook.
_FORECASTERS = re.compile(
    r"\b(?:analysts?|economists?|strategists?|brokers?|brokerages?|consensus|polled|Wall Street)\b", re.I
)
# A number of forecasters ("36 analysts surveyed", "13 economists") is a count, not their estimate.
_FORECASTER_COUNT = re.compile(r"\s+(?:[\w-]+\s+)?(?:analysts|economists|strategists|brokers|brokerages)\b", re.I)
# How near a cue must be to speak for a figure, in characters either side.
REACH = 90
# When two kinds' cues are equally near, the more specific wins.
_ORDER: tuple[Kind, ...] = ("target", "estimate", "market", "other", "guidance", "reported")


def kind_cue(sentence: str, start: int, end: int) -> Kind | None:
    """The kind the words nearest the figure at sentence[start:end] signal, or None."""
    named = kind_cue_named(sentence, start, end)
    return named[0] if named else None


def kind_cue_named(sentence: str, start: int, end: int) -> tuple[Kind, str] | None:
    """The kind the words nearest the figure at sentence[start:end] signal and the name of the cue
    that decided it, or None. An outlook cue ("expect", "forecast") that follows a forecaster
    ("analysts") signals an estimate; a number of forecasters ("36 analysts") is `other`."""
    if _FORECASTER_COUNT.match(sentence, end):
        return "other", "forecaster-count"
    best: tuple[int, int, Kind, int, str] | None = None
    move: Kind = "market" if _SHARES.search(sentence) else "reported"
    move_name = "share-move" if move == "market" else "result-move"
    for kind, pattern, name in [*((k, p, k) for k, p in _CUES), (move, _MOVE, move_name)]:
        for m in pattern.finditer(sentence):
            if m.start() < end and start < m.end():
                continue  # the figure's own words
            gap = start - m.end() if m.end() <= start else m.start() - end
            if gap > REACH:
                continue
            # Nearness in steps of a few words, then specificity.
            key = (gap // 30, _ORDER.index(kind), kind, m.start(), name)
            if best is None or key[:2] < best[:2]:
                best = key
    if best is None:
        return None
    if best[2] == "guidance" and _FORECASTERS.search(sentence, 0, best[3]):
        return "estimate", "forecaster-outlook"
    return best[2], best[4]
