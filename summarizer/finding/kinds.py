"""What sort of fact a figure is, proposed by code from the words a careful reader of financial news
goes by. Each cue has a name, the kind it signals and where it reads; the cue nearest the figure in its
sentence decides (nearness in steps of 30 characters, up to `REACH`), and among cues as near, the one
higher in the table. A count is a bare number followed by what it counts ("1,200 workers", "35 new
branches"): a figure in a currency or a percent counts nothing. A figure no cue reaches gets no
proposal (None), and the model's reading stands.

| cue | kind | reads | example |
|---|---|---|---|
| forecaster-count | other | a count of forecasters | "the 14 analysts covering the stock" |
| price-target | target | price target, target price, price objective, fair value estimate | "raised its price target to $48" |
| upside | target | the upside or downside a target implies | "implying 25% upside" |
| estimate-of | estimate | forecasters' numbers right before the figure | "against estimates of 92 cents" |
| expected-to-report | estimate | a result the market expects a company to report | "is expected to post a profit of $2 billion" |
| forecaster | estimate | analysts, economists, strategists, polls, consensus, data providers | "according to LSEG data" |
| estimate-word | estimate | estimates, expectations | "expectations were for 3%" |
| share-move | market | a move or trading verb whose subject is the shares, an index, bonds or a currency | "the stock slipped 2%" |
| market-value | market | market value, market capitalisation | "a market value of $12 billion" |
| share-price | market | share, stock or closing price; trades at | "a closing price of 310 pence" |
| close | market | closed, opened or ended the session at, up or down | "ended the session up 1.2%" |
| trading-range | market | N-week highs and lows, all-time highs, intraday, trading volume | "a 52-week low of $8.10" |
| yield | market | a yield (not high-yield) | "the 10-year yield of 4.2%" |
| deal | other | deal terms: deals, bids, offers, takeovers, stakes owned, valuations | "owns 20% of", "valued it at $3 billion" |
| penalty | other | fines, settlements, penalties, damages, payments | "agreed to pay $45 million to settle" |
| financing | other | debt, loans, bonds and notes issued, borrowing, credit lines | "a $600 million loan" |
| rating | other | ratings; an upgrade or downgrade to or from a grade | "cut to 'sell' from 'hold'" |
| list-price | other | what a product costs, right before the figure | "the handset retails for $799" |
| outlook | guidance | expects, forecasts, projected, guidance, outlook, sees, anticipates, predicts | "forecast sales of $9 billion" |
| plan | guidance | plans, targets, aims, intends, goals, seeks | "aims for a margin of 15%" |
| allocation | guidance | budgets, allocates, earmarks, sets aside, commits | "set aside $300 million for the upgrade" |
| plan-verb | guidance | to cut, to invest, to spend, to return, to buy back, to hire... | "to invest $2 billion" |
| future | guidance | will, would | "will add 400 jobs" |
| headcount | other | employs, workforce, headcount; a count of staff or jobs | "1,200 workers" |
| facilities | other | a count of stores, branches, plants, offices, sites... | "closing 35 branches" |
| beat-miss | reported | a figure set against forecasts ("than expected", "beat estimates") | "a bigger-than-expected 9% rise" |
| report-verb | reported | reported, posted, totalled, generated, earned, sold, delivered, recorded | "posted a loss of $40 million" |
| results-word | reported | revenue, sales, profit, earnings, income, loss, margin, EBITDA, cash flow | "operating margin of 11%" |
| operating-measure | reported | subscribers, users, deliveries, passengers, production, orders, traffic | "4.3 million subscribers" |
| economic-indicator | reported | GDP, inflation, unemployment, price indices, retail sales, trade | "inflation eased to 2.4%" |
| result-move | reported | a move whose subject is a measure, or not named at all | "orders climbed 6%" |

Rules that read more of the sentence: an outlook or plan cue whose subject is a forecaster ("analysts
expect", "economists forecast") is `forecaster-outlook`, an estimate; forecasters' words inside a
`beat-miss` phrase ("beating analysts' expectations") speak for nothing else. A figure is the measure
of one move, the nearest to it: a verb before it ("rose 6%") or a word right after it ("6% higher", "a
6% rise"); that move is the market's or a result's by its subject (`phrases.move_subject`), and no cue
when its subject is a pronoun the sentence does not name ("They are up 20%": what moved is another
sentence's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..schema import Kind
from .phrases import INDICATORS, MOVE, MULTIPLE, OPERATING, RESULTS, TRADING, move_subject

Place = Literal["near", "before", "after"]


@dataclass(frozen=True)
class Cue:
    """A phrase that signals a figure's kind: anywhere within reach of the figure ("near"), or right
    before or right after it."""

    name: str
    kind: Kind
    pattern: re.Pattern[str]
    place: Place = "near"


def _cue(name: str, kind: Kind, pattern: str, place: Place = "near") -> Cue:
    if place == "near":
        pattern = rf"(?<![\w-])(?:{pattern})"  # not the tail of a compound ("state-owned", "highly-rated")
    return Cue(name, kind, re.compile(pattern, re.I), place)


_FORECASTER = (
    r"analysts?|economists?|strategists?|brokers?|brokerages?|consensus|polled|poll|surveyed|I/B/E/S|StarMine|"
    r"FactSet|Zacks|Refinitiv|LSEG|Visible Alpha"
)
# What a count counts, right after it: "1,200 workers", "35 new branches", "40 of its stores".
_COUNTED = r"\s+(?:of\s+(?:its|the|their)\s+)?(?:[\w-]+\s+)?(?:{})\b"

# The table, most specific first: among cues as near the figure, the earlier decides.
# fmt: off
CUES: tuple[Cue, ...] = (
    _cue("price-target", "target", r"\bprice[- ]targets?\b|\btarget prices?\b|\bprice objectives?\b|"
         r"\bfair value estimates?\b"),
    _cue("upside", "target", r"\b(?:implied |potential )?(?:upside|downside)\b"),
    _cue("estimate-of", "estimate",
         r"\b(?:expectations?|estimates|consensus(?:\s+(?:estimate|forecast|view))?|(?:average|mean|median)\s+"
         r"(?:estimate|forecast)|(?:analysts?|economists?|strategists?|Wall Street)['’]?s?\s+(?:[\w-]+\s+)?"
         r"(?:estimates?|forecasts?|expectations|projections?))\s+(?:of|at|for)\s+(?:an?\s+|the\s+)?$",
         "before"),
    _cue("expected-to-report", "estimate",
         r"\b(?:is|are|was|were)\s+(?:\w+\s+)?expected\s+to\s+(?:report|post|announce|earn|show|deliver|book)\b"),
    _cue("forecaster", "estimate", rf"\b(?:{_FORECASTER})\b"),
    _cue("estimate-word", "estimate", r"\b(?:estimates?|expectations?)\b"),
    # share-move: see `_moves`
    _cue("market-value", "market", r"\bmarket (?:value|valuation|capitali[sz]ation|cap)\b"),
    _cue("share-price", "market", r"\b(?:share|stock|closing) prices?\b|\btrades? at\b"),
    _cue("close", "market", r"\b(?:clos(?:ed|ing|e)|open(?:ed|ing)|end(?:ed|ing) (?:the )?(?:day|session|trading))"
         r"\s+(?:at|up|down|higher|lower)\b"),
    _cue("trading-range", "market", r"\b\d+-(?:year|month|week|day) (?:highs?|lows?)\b|\ball-time (?:highs?|lows?)\b|"
         r"\bintraday\b|\btrading volume\b|\bchanged hands\b"),
    _cue("yield", "market", r"(?<!high )yields?\b"),
    _cue("deal", "other", r"\b(?:deals?|acqui(?:res?|red|ring|sitions?)|bids?|offer(?:ed|ing)?|takeovers?|mergers?|"
         r"buy(?:s|ing)?(?![\s-]back| ratings?| recommendations?)|bought|stakes?|owns|owned|"
         r"valu(?:es|ed|ing)\s+(?:[\w-]+\s+){0,3}?at|priced at|worth)\b"),
    _cue("penalty", "other", r"\b(?:fine[sd]?|fining|settle(?:s|d|ment)?|settling|penalt(?:y|ies)|damages|"
         r"compensation|pay|pays|paid|paying)\b"),
    _cue("financing", "other", r"\b(?:issu(?:e[sd]?|ing|ance)|bonds?|notes|loans?|debt|borrow(?:s|ed|ing)?|"
         r"credit (?:line|facility))\b"),
    _cue("rating", "other", r"\b(?:ratings?|rated|(?:up|down)grad(?:e|es|ed|ing)\s+(?:[\w'’-]+\s+){0,3}?(?:to|from))\b"),
    _cue("list-price", "other", r"\b(?:costs?|retails?\s+(?:for|at)|sells?\s+for|list price of)\s+$", "before"),
    _cue("outlook", "guidance", r"\b(?:expects?|(?<!than[- ])expected|expecting|forecasts?|forecasting|forecasted|"
         r"projected|projecting|projections?|guid(?:e|es|ed|ing)|guidance|outlook|sees|anticipates?|"
         r"(?<!than[- ])anticipated|anticipating|predicts?|(?<!than[- ])predicted)\b"),
    _cue("plan", "guidance", r"\b(?:plans?|planned|planning|targets?|targeted|targeting|aims?|aiming|intends?|"
         r"intended|intending|goals?|seeks?|seeking)\b"),
    _cue("allocation", "guidance", r"\b(?:budget(?:s|ed)?|allocat(?:e[sd]?|ing|ion)|earmark(?:s|ed|ing)?|"
         r"set(?:s|ting)? aside|commit(?:s|ted|ting|ments?)?)\b"),
    _cue("plan-verb", "guidance", r"\bto (?:cut|invest|spend|return|reduce|hire|build|buy back|repurchase|"
         r"double|triple|boost|lift)\b"),
    _cue("future", "guidance", r"\b(?:will|would)\b"),
    _cue("headcount", "other", r"\bemploy(?:s|ed|ing)?\b|\bworkforce\b|\bheadcount\b"),
    _cue("headcount", "other", _COUNTED.format(r"employees|workers|staff|jobs|positions|posts|roles"), "after"),
    _cue("facilities", "other", _COUNTED.format(
        r"stores|shops|branches|outlets|restaurants|hotels|plants|factories|mills|mines|refineries|warehouses|"
        r"hospitals|clinics|pharmacies|offices|sites|locations|facilities|cent(?:er|re)s|stations|dealerships|"
        r"showrooms|cinemas|theat(?:er|re)s"), "after"),
    _cue("beat-miss", "reported",
         r"\b(?:(?:better|worse|higher|lower|stronger|weaker|smaller|bigger|larger|faster|slower)[- ])?than[- ]"
         r"(?:expected|forecast|estimated|anticipated|feared|predicted)\b|"
         r"\b(?:beat(?:s|ing)?|top(?:s|ped|ping)|exceed(?:s|ed|ing)|surpass(?:es|ed|ing)|miss(?:es|ed|ing)?|above|"
         r"below|ahead of|short of|in line with)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
         r"(?:expectations|estimates?|forecasts?|consensus|predictions|projections)\b"),
    _cue("report-verb", "reported", r"\b(?:reported|posted|totaled|totalled|totals|amounted|generated|earned|sold|"
         r"delivered|shipped|recorded|booked|logged)\b"),
    Cue("results-word", "reported", RESULTS),
    Cue("operating-measure", "reported", OPERATING),
    Cue("economic-indicator", "reported", INDICATORS),
    # result-move: see `_moves`
)
# fmt: on
_RANK: dict[str, float] = {name: i for i, name in enumerate(dict.fromkeys(c.name for c in CUES))}
_RANK["share-move"] = _RANK["estimate-word"] + 0.5  # the first of the market's cues
_RANK["result-move"] = len(_RANK)  # the last of all

# A count is a bare number: "$1.8 billion beat analysts' estimates" counts no analysts.
_NOT_A_COUNT = re.compile(
    r"[%$€£¥₹]|\b(?:per ?cent|pct|cents?|dlrs|dollars?|euros?|pounds|pence|yen|yuan|rupees)\b", re.I
)
_FORECASTER_COUNT = re.compile(_COUNTED.format(r"analysts|economists|strategists|brokers|brokerages"), re.I)
# An outlook whose subject is a forecaster is the forecaster's estimate ("economists polled by LSEG had
# forecast growth of 0.3%"), unless someone else speaks between them ("analysts said the company expects").
_FORECASTERS = re.compile(rf"\b(?:{_FORECASTER}|Wall Street)\b", re.I)
_OTHER_SPEAKER = re.compile(r"\b(?:said|says|told|the company|management|executives?|the firm|the group)\b", re.I)
# How near a cue must be to speak for a figure, in characters either side; a move after the figure, at most
# a word away ("3% higher", "2% down"): a move further on is another clause's ("6%, and the shares climbed").
REACH = 90
_MOVE_AFTER = 8


def kind_cue(sentence: str, start: int, end: int) -> Kind | None:
    """The kind the words nearest the figure at sentence[start:end] signal, or None."""
    named = kind_cue_named(sentence, start, end)
    return named[0] if named else None


def kind_cue_named(sentence: str, start: int, end: int) -> tuple[Kind, str] | None:
    """The kind the words nearest the figure at sentence[start:end] signal and the name of the cue
    that decided it (see the module's table), or None."""
    count = not _NOT_A_COUNT.search(sentence, start, end)
    if count and _FORECASTER_COUNT.match(sentence, end):
        return "other", "forecaster-count"
    matches: list[tuple[re.Match[str], Cue]] = []
    for c in CUES:
        if c.place == "near":
            matches += [(m, c) for m in c.pattern.finditer(sentence)]
        elif c.place == "after" and not count:
            continue
        elif m := (c.pattern.search(sentence, 0, start) if c.place == "before" else c.pattern.match(sentence, end)):
            matches.append((m, c))
    matches += _moves(sentence)
    compared = [m.span() for m, c in matches if c.name == "beat-miss"]
    near: list[tuple[int, re.Match[str], Cue]] = []
    for m, c in matches:
        if m.start() < end and start < m.end() and not (c in _MOVES and _MULTIPLE.fullmatch(m.group(0))):
            continue  # the figure's own words, but for a figure that is a move ("more than doubled")
        if c.name != "beat-miss" and any(a <= m.start() and m.end() <= b for a, b in compared):
            continue  # "beating analysts' expectations" speaks of a comparison, not of the forecasters' figure
        gap = max(0, start - m.end() if m.end() <= start else m.start() - end)
        if gap > REACH or (c in _MOVES and m.start() >= end and gap > _MOVE_AFTER):
            continue  # a move verb speaks for the figure after it ("rose 6%") or right before it ("6% higher")
        near.append((gap, m, c))
    # A figure is the measure of one move, the nearest ("jumped on a 9% rise in sales": the rise).
    own_move = min((gap for gap, _, c in near if c in _MOVES), default=None)
    best: tuple[int, float, re.Match[str], Cue] | None = None
    for gap, m, c in near:
        if (c in _MOVES and gap != own_move) or c is _UNNAMED_MOVE:
            continue
        key = (gap // 30, _RANK[c.name], m, c)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        return None
    m, c = best[2], best[3]
    if c.kind == "guidance" and _forecasters_say(sentence, m.start()):
        return "estimate", "forecaster-outlook"
    return c.kind, c.name


def _moves(sentence: str) -> list[tuple[re.Match[str], Cue]]:
    """Each move in the sentence as the market's or a result's, by its subject (`move_subject`)."""
    out = []
    for pattern in (MOVE, TRADING):
        for m in pattern.finditer(sentence):
            whose = move_subject(sentence, *m.span())
            if whose == "market":
                out.append((m, _SHARE_MOVE))
            elif pattern is MOVE:
                out.append((m, _RESULT_MOVE if whose == "result" else _UNNAMED_MOVE))
    return out


_SHARE_MOVE = Cue("share-move", "market", MOVE)
_RESULT_MOVE = Cue("result-move", "reported", MOVE)
_UNNAMED_MOVE = Cue("unnamed-move", "reported", MOVE)  # the move of a pronoun: it speaks for no kind
_MOVES = (_SHARE_MOVE, _RESULT_MOVE, _UNNAMED_MOVE)
_MULTIPLE = re.compile(MULTIPLE, re.I)


def _forecasters_say(sentence: str, at: int) -> bool:
    """Whether the outlook word at sentence[at] is a forecaster's: a forecaster named before it, with
    nobody else speaking between them."""
    named = [m.end() for m in _FORECASTERS.finditer(sentence, 0, at)]
    return bool(named) and not _OTHER_SPEAKER.search(sentence, named[-1], at)
