"""The period a figure covers, as a window of days, proposed by code from the words around it.

A figure's period is the time expression of its own clause ("rose 8% in January", "Q3 2025 revenue
of $2.4 billion"), read looking back from the publication date for results and market moves and
looking ahead for forecasts; a share move with no time expression is the day of publication; "from
$140 million a year earlier" is the clause's period a year back. Fiscal periods, "latest quarter"
and spans the words leave open ("the past few years") have no window.

Each window comes from one rule, named by `figure_window_named`; the first that reads one decides:

| rule | reads | example |
|---|---|---|
| no-period-kind | a price target or an `other` figure (deal, count, fine) covers no period | "a $40 price target" |
| to-date | the year so far, if nearer than any other time expression: January 1 to publication | "up 12% so far this year" |
| quarter-ended | a quarter ended on a date (`phrases.periods_ended`), for every figure of its sentence | "the quarter ended June 30" |
| clause | the time expression nearest the figure, not a comparison base nor the day of a saying | "sales rose 4% in March" |
| year-span | a span of years | "a margin of 9% for 2027-2029" |
| months-ended | six, nine or twelve months ended on a date | "in the nine months to September" |
| last-year, this-year, last-month | the year or month before or of publication | "doubled last year" |
| trailing | the last N years, months or weeks, ending on publication | "tripled in the past two years" |
| trading-day | a market figure, its sentence a market move (`phrases.market_move`) and no time: publication day | "up 2% in early trading" |
| reporting | a result or estimate in a sentence of results with no period: the article's reporting period | "revenue was $3.2 billion" |
| …+year-back | a comparison base a year back: the window a year earlier | "from $140 million a year earlier" |
| none | nothing dates the figure | |

`reporting_period` reads the article's reporting period from its first sentences of results: a
quarter ended on a date, by the same rule as `quarter-ended`, else a named quarter ("third-quarter").
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from .numbers import WORDS
from .phrases import RESULTS, market_move, periods_ended
from .timing import (
    _MONTH,
    _ORD,
    _QUARTER,
    _WEEKDAYS,
    _YEAR,
    Timing,
    _month_index,
    _month_window,
    _quarter_window,
    dates_a_report,
    resolve,
    timings_in,
)

_TO_DATE = re.compile(
    r"\b(?:so far (?:this|in the) year|year[- ]to[- ]date|YTD|this year so far|so far in \d{4}|"
    r"since the (?:start|beginning) of (?:the|this) year)\b",
    re.I,
)
_LAST_YEAR = re.compile(r"\blast year\b", re.I)
_THIS_YEAR = re.compile(r"\bthis year\b", re.I)
_LAST_MONTH = re.compile(r"\blast month\b", re.I)
# A year's figure is not the quarter's: no reporting period for it.
_ANNUAL = re.compile(r"\b(?:annual|annually|full[- ]year|for the year)\b", re.I)
# "2014-2016", "2014 to 2016": the years from the first to the last.
_YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|to|through)\s*((?:19|20)\d\d)\b")
_YEAR_BACK = re.compile(
    r"\b(?:a year (?:earlier|ago|before)|the year before|year[- ](?:earlier|ago)|(?:the )?(?:previous|prior) year|last year's|"
    r"same (?:period|quarter) (?:a year ago|last year|of \d{4}))\b",
    re.I,
)
_FROM = re.compile(r"\b(?:from|compared (?:with|to)|versus|vs\.?|against)\s+(?:a\s+|an\s+)?$", re.I)
_FISCAL = re.compile(r"\b(?:fiscal|financial year|FY)\b", re.I)

Window = tuple[date, date] | None


def _back_year(w: Window) -> Window:
    if w is None:
        return None
    try:
        return w[0].replace(year=w[0].year - 1), w[1].replace(year=w[1].year - 1)
    except ValueError:  # 29 February
        return w[0] - timedelta(days=365), w[1] - timedelta(days=365)


def _looking_back(text: str, published: date) -> Window:
    """A relative expression read as the latest such period that has begun by publication."""
    low = text.lower()
    if m := re.search(rf"\b({'|'.join(_WEEKDAYS)})\b", low):
        back = (published.weekday() - _WEEKDAYS.index(m.group(1))) % 7
        day = published - timedelta(days=back)
        return day, day
    if (m := re.search(rf"({_QUARTER})", text, re.I)) and not re.search(_YEAR, text):
        word = m.group(1).lower()
        q = int(word[1]) if word.startswith("q") else _ORD[re.split(r"[- ]", word)[0]]
        y = published.year if _quarter_window(published.year, q)[0] <= published else published.year - 1
        return _quarter_window(y, q)
    if m := re.fullmatch(rf"(?:in\s+|during\s+|for\s+)?({_MONTH})\.?", low, re.I):
        month = _month_index(m.group(1))
        return _month_window(_latest_year(month, published), month)
    return None


def _latest_year(month: int, published: date) -> int:
    """The year of the latest such month that has begun by publication."""
    return published.year if month <= published.month else published.year - 1


def _expression_window(text: str, published: date | None, forward: bool) -> Window:
    if not forward and published is not None:
        got = _looking_back(text, published)
        if got is not None:
            return got
    if _FISCAL.search(text):
        return None  # a fiscal period needs the company's calendar
    start, end = resolve(text, published)
    if start is None or end is None:
        return None
    if re.match(r"\s*(?:by|until|till|through|before)\b", text, re.I):
        return None  # a deadline, not a period
    dated = re.search(_YEAR, text) is not None
    if published is not None and not dated:
        if not forward and start > published:
            return _back_year((start, end))  # "on November 8" in a story of November 19: this year's
        if forward and re.search(_QUARTER, text, re.I) and start.year > published.year:
            this_year = _back_year((start, end))
            if this_year and (published - this_year[1]).days <= 92:
                return this_year  # a quarter just ended and not yet reported
    return start, end


_QUARTERLY = re.compile(r"\bquarter(?:ly)?\b", re.I)


def _of_results(sentence: str) -> bool:
    """A sentence of results: it has their words, or the quarter's."""
    return bool(RESULTS.search(sentence) or _QUARTERLY.search(sentence))


def reporting_period(sentences: list[str], published: date | None) -> Window:
    """The period an article's results are for, from the first sentences that name one ("the quarter
    ended Dec. 31", "third-quarter", "three months to December", "Q3 2006")."""
    for s in sentences[:8]:
        if not _of_results(s):
            continue
        for _, months, window in periods_ended(s, published):
            if months == 3:
                return window
        for t in timings_in(s, 0, published):
            if re.search(_QUARTER, t.text, re.I) and not _FISCAL.search(t.text):
                got = _expression_window(t.text, published, forward=False)
                if got is not None:
                    return got
    return None


FORWARD_KINDS = ("guidance", "estimate")
_TRAILING = re.compile(r"\b(?:past|last|previous)\s+(\w+)\s+(years|months|weeks)\b", re.I)


def _trailing(sentence: str, published: date | None) -> Window:
    """ "the past nine months": the span ending on the publication date. A count in words is read
    with the number table ("two" to "ninety"); "few" and "several" leave the span open."""
    m = _TRAILING.search(sentence)
    if m is None or published is None:
        return None
    n = WORDS.get(m.group(1).lower(), int(m.group(1)) if m.group(1).isdigit() else 0)
    if not n:
        return None
    days = {"years": 365, "months": 30, "weeks": 7}[m.group(2).lower()] * n
    return published - timedelta(days=days - 1), published


_BASE_BEFORE = re.compile(r"\b(?:from|than|since|versus|vs\.?)\s+(?:its\s+|the\s+|a\s+)?$", re.I)


def _comparison_base(sentence: str, t: Timing) -> bool:
    """A comparison base ("up 27% from its 2003 performance") is not the figure's own period."""
    before = sentence[: max(0, sentence.find(t.text))]
    return bool(
        re.match(r"(?:from|since)\b", t.text, re.I) or _FROM.search(before + " ") or _BASE_BEFORE.search(before)
    )


def figure_window(
    sentence: str, start: int, end: int, published: date | None, *, kind: str, reporting: Window = None
) -> Window:
    """The window of the figure at sentence[start:end] of the given kind; `reporting` is the article's
    reporting period, the period of a result whose clause names none. Price targets and figures of
    kind `other` (deal terms, counts, fines) cover no period."""
    return figure_window_named(sentence, start, end, published, kind=kind, reporting=reporting)[0]


def figure_window_named(
    sentence: str, start: int, end: int, published: date | None, *, kind: str, reporting: Window = None
) -> tuple[Window, str]:
    """`figure_window` and the name of the rule that read it (see the module's table)."""
    if kind in ("target", "other"):
        return None, "no-period-kind"
    forward = kind in FORWARD_KINDS
    before, after = sentence[:start], sentence[end:]
    window: Window = None
    source = "none"
    timings = timings_in(sentence, 0, published)
    if published is not None and (m := _TO_DATE.search(sentence)):
        others = [t for t in timings if t.text.lower() not in m.group(0).lower()]
        near = min((abs(sentence.find(t.text) - end) for t in others), default=10**6)
        if abs(m.start() - end) <= near:
            return (date(published.year, 1, 1), published), "to-date"
    # A quarter ended on a date dates every figure of its sentence; longer spans compete by nearness.
    if quarter := next(
        (w for _, months, w in periods_ended(sentence, published, forward=forward) if months == 3), None
    ):
        window, source = quarter, "quarter-ended"
    if window is None:
        # Neither a comparison base nor, but for a share move, the day something was said or reported.
        found = [
            t for t in timings
            if not _comparison_base(sentence, t) and (kind == "market" or not dates_a_report(sentence, t, published))
        ]  # fmt: skip

        # The expression nearest the figure, preferring one after it in the same clause.
        def distance(t_text: str) -> int:
            at = sentence.find(t_text)
            return min(abs(at - end), abs(at + len(t_text) - start)) if at >= 0 else 10**6

        # Spans the timings do not read ("2014-2016", "the year to March", "last month") compete by nearness.
        spans = [_year_spans(sentence, start, end)]
        if published is not None:
            spans.append(_relative(sentence, start, end, published))
        spans.append(_months_ended(sentence, start, end, published, forward))
        gap, span, span_name = min(spans, key=lambda g: g[0])
        for t in sorted(found, key=lambda t: distance(t.text)):
            if span is not None and gap <= distance(t.text):
                break
            window = _expression_window(t.text, published, forward)
            if window is not None:
                source = "clause"
                break
        if window is None and span is not None:
            window, source = span, span_name
    if window is None and published is not None:
        if (trailing := _trailing(sentence, published)) is not None:
            window, source = trailing, "trailing"
        elif kind == "market" and market_move(sentence):
            window, source = (published, published), "trading-day"
    if (
        window is None and kind in ("reported", "estimate") and reporting is not None
        and _of_results(sentence) and not _ANNUAL.search(sentence)
    ):  # fmt: skip
        window, source = reporting, "reporting"
    if window is not None and _FROM.search(before) and _YEAR_BACK.search(after[:60] + " " + before[-60:]):
        window, source = _back_year(window), source + "+year-back"
    return window, source


def _gap(a: int, b: int, start: int, end: int) -> int:
    """Characters between the span [a, b) and the figure at [start, end)."""
    return a - end if a >= end else max(0, start - b)


def _nearest(
    spans: dict[re.Match[str], tuple[tuple[date, date], str]], start: int, end: int
) -> tuple[int, Window, str]:
    """The window of the match nearest the figure at [start, end), with its distance in characters
    and its rule's name (no window, and a distance beyond any sentence, when there is none)."""
    gaps = [(_gap(m.start(), m.end(), start, end), window, name) for m, (window, name) in spans.items()]
    return min(gaps, key=lambda g: g[0], default=(10**6, None, "none"))


def _relative(sentence: str, start: int, end: int, published: date) -> tuple[int, Window, str]:
    """ "last year", "this year", "last month": the one nearest the figure, against the publication
    date, with its distance from the figure in characters."""
    last_month = _month_window(published.year - (published.month == 1), (published.month - 2) % 12 + 1)
    spans = {
        _LAST_YEAR: ((date(published.year - 1, 1, 1), date(published.year - 1, 12, 31)), "last-year"),
        _THIS_YEAR: ((date(published.year, 1, 1), date(published.year, 12, 31)), "this-year"),
        _LAST_MONTH: (last_month, "last-month"),
    }
    return _nearest({m: spans[pattern] for pattern in spans for m in pattern.finditer(sentence)}, start, end)


def _year_spans(sentence: str, start: int, end: int) -> tuple[int, Window, str]:
    """A span of years ("for 2014-2016") in the figure's sentence, the nearest to it, with its
    distance from the figure in characters."""
    spans: dict[re.Match[str], tuple[tuple[date, date], str]] = {}
    for m in _YEAR_SPAN.finditer(sentence):
        first, last = int(m.group(1)), int(m.group(2))
        if first < last:
            spans[m] = (date(first, 1, 1), date(last, 12, 31)), "year-span"
    return _nearest(spans, start, end)


def _months_ended(
    sentence: str, start: int, end: int, published: date | None, forward: bool
) -> tuple[int, Window, str]:
    """A span of more than a quarter ended on a date ("the nine months to September", "the year ended
    March 31, 2025"), the nearest to the figure, with its distance from the figure in characters."""
    spans = {
        m: (w, "months-ended") for m, months, w in periods_ended(sentence, published, forward=forward) if months > 3
    }
    return _nearest(spans, start, end)


def _months_back(last: date, months: int) -> date:
    """The first day of the span of `months` calendar months that ends with `last`'s month."""
    y, m = divmod(last.year * 12 + last.month - months, 12)
    return date(y, m + 1, 1)


def describe(window: tuple[date, date]) -> str:
    """A window as an editor writes a period: "2026-01-02", "2025", "Q3 2006", "January 2005"."""
    start, end = window
    if start == end:
        return start.isoformat()
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    if start.year == end.year and start.day == 1 and end == _month_window(end.year, end.month)[1]:
        if start.month == end.month:
            return f"{calendar.month_name[start.month]} {start.year}"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"Q{end.month // 3} {start.year}"
    return f"{start.isoformat()} to {end.isoformat()}"
