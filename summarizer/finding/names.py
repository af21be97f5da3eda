"""What a figure measures, as its own clause says it: the noun phrase of a measure nearest the figure
("net profit of 694 million euros", "revenue rose 7.5 percent to 13.75 billion rupees", "a market
share of 23 percent"), with the words before it that narrow it ("first-half comparable net profit"),
and the way a percentage moved ("share price decline" for "shares were down 3.2 percent").

Finance English names a figure in a few fixed ways:

| how the clause is written                      | name                        |
|------------------------------------------------|-----------------------------|
| "<measure> of <figure>"                        | the measure                 |
| "<measure> rose/fell <figure>"                 | the measure, growth/decline |
| "<figure> rise/fall in <measure>"              | the measure, growth/decline |
| "shares/the stock rose/fell <figure>"          | share price gain/decline    |
| "shares ... to/at <figure>" (a price)          | share price                 |
| "<figure> of <measure>", "<figure> in <measure>" | the measure               |

A clause with no measure word near the figure gives no name (`None`): the model's stands.
"""

from __future__ import annotations

import re

from .phrases import MARKET, MOVE, OPERATING, RESULTS

# Measures besides results and operating figures: what a deal, a payout, a valuation or a market is.
_OTHER = re.compile(
    r"\b(?:dividends?|payouts?|buy-?backs?|share repurchases?|stakes?|market (?:share|value|capitali[sz]ation)|"
    r"valuation|price targets?|target price|premium|discount|savings|costs?|expenses|spending|debt|cash|"
    r"capital expenditures?|capex|investments?|(?:deal|offer|transaction) value|offer|bid|forecasts?|"
    r"estimates?|consensus|guidance|outlook|prices?|rates?|yields?|multiple|backlog|reserves|assets|"
    r"headcount|jobs|employees|workforce|tax|fine|settlement|proceeds)\b",
    re.I,
)
_MEASURES = (RESULTS, OPERATING, _OTHER, MARKET)
# Words before a measure that narrow it: periods, accounting qualifiers, segments ("first-half",
# "comparable", "net", "operating", "cloud"); not articles, possessives, verbs or numbers.
_NOT_MODIFIER = re.compile(
    r"^(?:the|a|an|its|their|his|her|our|this|that|these|those|of|and|or|to|in|on|at|by|for|from|with|as|"
    r"was|were|is|are|be|been|has|have|had|said|says|also|while|but|which|who|after|before|than|about|"
    r"some|it|they|we|per|total|when|where|whose|including|compared|versus|against|amid|despite|due|because|"
    r"after|over|under|into|more|less|up|down|just|nearly|almost|around|record|"
    r"mln|mn|bln|bn|million|billion|trillion|thousand|pct|percent|cents?|cts|dlrs?|dollars?|pounds?|euros?|yen|"
    r"yuan|rupees?|francs?|points?|times|[a-z]+ed|[a-z]+ing|[a-z]+ly|[$€£¥\d].*)$"
)
# Words of those forms that do narrow a measure ("adjusted net income", "operating profit").
_KEEP = {
    "adjusted",
    "combined",
    "consolidated",
    "expected",
    "estimated",
    "projected",
    "diluted",
    "operating",
    "underlying",
    "banking",
    "lending",
    "trading",
    "outstanding",
    "recurring",
    "early",
    "quarterly",
    "yearly",
}
_UP = re.compile(
    r"^(?:ris|rose|gr|increas|jump|surg|soar|climb|gain|advanc|rall|rebound|recover|up|higher|appreciat|doubl|tripl|quadrupl)",
    re.I,
)
_DOWN = re.compile(
    r"^(?:fall|fell|decreas|declin|drop|slump|plung|plummet|tumbl|sink|sank|sunk|slid|slip|dip|eas|los|lost|down|lower|depreciat|halv)",
    re.I,
)
_MOVE_NOUN = re.compile(r"\s+(increase|rise|growth|gain|jump|decrease|decline|drop|fall|slide)s?\b", re.I)
REACH_BEFORE, REACH_AFTER = 70, 40  # the figure's clause, in characters


def _clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the figure's clause: `REACH` characters either side, cut at a semicolon, a dash
    between words or a sentence's quote."""
    lo, hi = max(0, start - REACH_BEFORE), min(len(sentence), end + REACH_AFTER)
    for m in re.finditer(r";|\s[-–—]{1,2}\s|\bbut\b|\bwhile\b|\bwhereas\b", sentence[lo:start]):
        lo = max(lo, lo + m.end()) if m else lo
    cut = re.search(r";|\s[-–—]{1,2}\s|\bbut\b|\bwhile\b|\bwhereas\b|,\s+(?:and\s+)?(?:the|its|a)\b", sentence[end:hi])
    return lo, (end + cut.start()) if cut else hi


def _modifiers(sentence: str, at: int, most: int = 3) -> str:
    """Up to `most` words right before sentence[at] that narrow a measure."""
    words = sentence[:at].split()
    kept: list[str] = []
    for w in reversed(words):
        w = w.strip("\"'“”‘’(),:").lower()
        if not w or (_NOT_MODIFIER.match(w) and w not in _KEEP) or w.endswith("'s") or len(kept) == most:
            break
        kept.insert(0, w)
    return " ".join(kept)


def _direction(text: str) -> str | None:
    for m in MOVE.finditer(text):
        word = m.group(0)
        if _UP.match(word):
            return "up"
        if _DOWN.match(word):
            return "down"
    return None


def figure_name(sentence: str, start: int, end: int, unit: str = "") -> str | None:
    """The name the clause of the figure at sentence[start:end] gives it, lowercase; None when no
    measure word stands near it."""
    lo, hi = _clause(sentence, start, end)
    found: list[tuple[int, re.Match[str], bool]] = []
    for pattern in _MEASURES:
        for m in pattern.finditer(sentence, lo, hi):
            if m.start() < start <= end <= m.end() or start <= m.start() < end:
                continue  # the figure's own words
            gap = start - m.end() if m.end() <= start else m.start() - end
            found.append((gap + (0 if m.end() <= start else 12), m, pattern is MARKET))
    if not found:
        return None
    _, m, market = min(found, key=lambda f: f[0])
    measure = m.group(0).lower()
    between = sentence[m.end() : start] if m.end() <= start else sentence[end : m.start()]
    move = _direction(between) if unit == "percent" else None
    if unit == "percent" and move is None and m.start() >= end and (noun := _MOVE_NOUN.match(sentence, m.end())):
        move = "up" if _UP.match(noun.group(1)) else "down"  # "a 34% revenue increase"
    if market and measure not in ("yield", "yields"):
        base = (
            "share price"
            if re.match(r"shares|stocks?|(?:share|stock) prices?|adrs|adss|equities", measure)
            else measure
        )
        if move:
            return f"{base} {'gain' if move == 'up' else 'decline'}"
        return base
    if unit == "currency_per_share" and RESULTS.fullmatch(measure) and measure not in ("revenue", "revenues", "sales"):
        measure = "earnings per share"  # profit "of $3.67 per share", "earnings of 40 cts a share"
    name = " ".join(w for w in (_modifiers(sentence, m.start()), measure) if w)
    if move:
        name += " growth" if move == "up" else " decline"
    return name
