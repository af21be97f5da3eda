"""Phrases that more than one reader of a figure goes by, each defined once so the readers agree: the
words of financial results, a move and whose move it is, and a span of months ended on a date.

- `RESULTS`: the words of a company's financial results ("revenue", "net income", "EBITDA"; not
  "per share", as often a price, an offer or a dividend). The kind cues read a figure beside them as
  a result; the period rules read a sentence with them as one about the article's reporting period.
- `OPERATING`, `INDICATORS`: what else a result measures: operating measures ("subscribers",
  "deliveries") and the economy's indicators ("GDP", "inflation").
- `MOVE` and `move_subject`: a move ("rose", "was down", "slipped") is the market's when the nearest
  subject named before it in the sentence is the shares, an index, bonds or a currency ("Shares of
  the bank fell 3%, and they are down 20% this year"); a result's when it is a measure ("revenue
  rose 8%") or anything else; nobody's when a pronoun stands for a subject the sentence does not
  name ("They slipped 3%": what slipped is named in another sentence). `TRADING` verbs ("traded",
  "closed", "hit") are a move only the market makes; "trades at", a standing valuation, is none.
  `market_move` says whether a sentence reports a move of the market.
- `periods_ended`: "the quarter ended Dec. 31", "the three months to 30 June 2024", "the nine
  months ending September", "the year to March": the span of months that ends with that month.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

from .timing import _MONTH, _YEAR, _month_index

RESULTS = re.compile(
    r"\b(?:revenues?|sales|turnover|profits?|earnings|EPS|income|loss(?:es)?|margins?|EBIT(?:DA|A)?|"
    r"cash flows?|results)\b",
    re.I,
)
OPERATING = re.compile(
    r"\b(?:subscribers|users|customers|clients|downloads|deliveries|shipments|passengers|production|output|orders|"
    r"bookings|volumes|traffic|visitors|same[- ]store|like[- ]for[- ]like)\b",
    re.I,
)
INDICATORS = re.compile(
    r"\b(?:GDP|gross domestic product|inflation|unemployment|jobless rate|payrolls|consumer prices|"
    r"(?:consumer |producer )?price index|CPI|PMI|retail sales|industrial production|exports|imports)\b",
    re.I,
)
# What moves in a market: shares and their price, indices, bonds and their yields, currencies.
MARKET = re.compile(
    r"\b(?:shares|stocks?|(?:share|stock) prices?|ADRs|ADSs|equities|(?<!price )ind(?:ex|ices)|Dow|Nasdaq|"
    r"S&P 500|FTSE|Nikkei|Hang Seng|DAX|CAC 40|Stoxx|Kospi|Sensex|Nifty|bonds|Treasur(?:y|ies)|gilts|bunds|"
    r"yields?|sterling|the (?:U\.S\. |US )?dollar|the (?:euro|pound|yen|yuan|renminbi|rupee|rouble|ruble|won|"
    r"franc|real|peso|lira|rand)(?![\s-](?:zone|area))|the greenback)\b",
    re.I,
)
# A move that is itself the figure: "doubled", "more than tripled".
MULTIPLE = r"doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|quadrupl(?:e|es|ed|ing)|halv(?:e|es|ed|ing)"
_VERBS = (
    r"ris(?:e|es|en|ing)|rose|fall(?:s|en|ing)?|fell|gr(?:ow|ows|ew|own|owing)|increas(?:e|es|ed|ing)|"
    r"decreas(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|jump(?:s|ed|ing)?|surg(?:e|es|ed|ing)|soar(?:s|ed|ing)?|"
    r"climb(?:s|ed|ing)?|gain(?:s|ed|ing)?|drop(?:s|ped|ping)?|slump(?:s|ed|ing)?|plung(?:e|es|ed|ing)|"
    r"plummet(?:s|ed|ing)?|tumbl(?:e|es|ed|ing)|sink(?:s|ing)?|sank|sunk|slid(?:e|es|ing)?|slip(?:s|ped|ping)?|"
    r"dip(?:s|ped|ping)?|eas(?:e|es|ed|ing)|edg(?:e|es|ed|ing)|advanc(?:e|es|ed|ing)|retreat(?:s|ed|ing)?|"
    r"rall(?:y|ies|ied|ying)|rebound(?:s|ed|ing)?|recover(?:s|ed|ing)?|los(?:e|es|ing)|lost|"
    r"appreciat(?:e|es|ed|ing)|depreciat(?:e|es|ed|ing)|up|down|higher|lower|flat|unchanged|" + MULTIPLE
)
# Not the second half of a compound ("fast-growing", "long-awaited").
MOVE = re.compile(rf"(?<![\w-])(?:{_VERBS})\b", re.I)
# Verbs of a move only when the market makes it: "the stock added 2%", but "he added" is speech.
TRADING = re.compile(
    r"(?<![\w-])(?:trad(?:ed|ing)|clos(?:ed|es|ing)|open(?:ed|s|ing)|touch(?:ed|es|ing)|hit(?:s|ting)?|"
    r"changed hands|add(?:s|ed|ing)?|shed(?:s|ding)?)\b",
    re.I,
)
_MEASURE = re.compile(rf"{RESULTS.pattern}|{OPERATING.pattern}|{INDICATORS.pattern}", re.I)
_IN = re.compile(r"\s+in\s+((?:\S+\s+){0,3}\S+)")
_PRONOUN = re.compile(r"\b(?:they|it|these|those)\b", re.I)


def move_subject(sentence: str, at: int, end: int | None = None) -> str | None:
    """Whose move the word at sentence[at:end] reports: "market" when its subject is the shares, an
    index, bonds or a currency; "result" when it is a measure, or when the sentence names no subject
    and no pronoun before it; None when a pronoun stands for a subject the sentence does not name.
    The subject is what the move is "in" ("a 9% rise in sales", "a 4% slide in the stock"), else the
    nearest subject named before it."""
    if end is not None and (m := _IN.match(sentence, end)):
        for word in re.finditer(r"\S+", m.group(1)):
            if MARKET.match(m.group(1), word.start()):
                return "market"
            if _MEASURE.match(m.group(1), word.start()):
                return "result"
    before = sentence[:at]
    market = max((m.start() for m in MARKET.finditer(before)), default=-1)
    measure = max((m.start() for m in _MEASURE.finditer(before)), default=-1)
    if market > measure:
        return "market"
    if measure >= 0 or not _PRONOUN.search(before):
        return "result"
    return None


def market_move(sentence: str) -> bool:
    """Whether the sentence reports a move of the market: a move or trading verb whose subject is the
    shares, an index, bonds or a currency ("Shares were down 2.5 percent in morning trading")."""
    return any(move_subject(sentence, *m.span()) == "market" for p in (MOVE, TRADING) for m in p.finditer(sentence))


_SPANS = {"quarter": 3, "three": 3, "3": 3, "half": 6, "six": 6, "6": 6, "nine": 9, "9": 9, "year": 12,
          "twelve": 12, "12": 12}  # fmt: skip
PERIOD_ENDED = re.compile(
    r"\b(?P<span>quarter|(?:three|six|nine|twelve|3|6|9|12)[- ]months?|half[- ]year|half|year)\s+"
    r"(?:that\s+)?(?P<verb>ended|ending|ends|to|through)\s+(?:on\s+)?(?:the\s+end\s+of\s+|end-)?"
    rf"(?P<date>\d{{1,2}}\s+{_MONTH}(?:,?\s+{_YEAR})?|{_MONTH}(?:\s+\d{{1,2}}(?!\d))?(?:,?\s+{_YEAR})?)(?![\w-])",
    re.I,
)


def periods_ended(
    sentence: str, published: date | None, *, forward: bool = False
) -> Iterator[tuple[re.Match[str], int, tuple[date, date]]]:
    """Every span of months ended on a date the sentence names, with its length in months and its
    window: from the first day of its first month to the last day of the month it ends with. A date
    without a year is the latest such date on or before publication, or for a figure that looks
    ahead (`forward`) and a span not said to have ended ("ending", "to"), the nearest one."""
    for m in PERIOD_ENDED.finditer(sentence):
        months = _SPANS[re.split(r"[- ]", m.group("span").lower())[0]]
        last = _last_day(m.group("date"), published, forward and m.group("verb").lower() != "ended")
        if last is not None:
            y, mo = divmod(last.year * 12 + last.month - months, 12)
            yield m, months, (date(y, mo + 1, 1), last)


def _last_day(text: str, published: date | None, nearest: bool) -> date | None:
    """The last day of the month of the date `text` names ("Dec. 31", "31 December 2004", "March")."""
    month = _month_index(re.search(_MONTH, text, re.I).group(0))  # type: ignore[union-attr]
    year = re.search(_YEAR, text)
    if year is not None:
        y = int(year.group(0))
    elif published is None:
        return None
    else:
        day = re.search(r"\b(\d{1,2})\b", text)

        def ends(y: int) -> date:
            last = calendar.monthrange(y, month)[1]
            return date(y, month, min(int(day.group(1)), last) if day else last)

        y = published.year if ends(published.year) <= published else published.year - 1
        if nearest and (ends(y + 1) - published).days < (published - ends(y)).days:
            y += 1
    return date(y, month, calendar.monthrange(y, month)[1])
