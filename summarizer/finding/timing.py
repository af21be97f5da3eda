"""Time expressions found by code, and the window of days each one means.

"in February" in an article published 2026-01-04 is 2026-02-01..2026-02-28; "on Friday" is the
nearest Friday to the publication date (up to 3 days ahead, else the last one); "this quarter" is the calendar quarter of the
publication date; "by January 11" runs from the publication date to January 11. Specific days
("July 17", "May 30, 2017") are read with `dateparser`; months, quarters, halves, years and weeks are
calendar arithmetic. A relative expression with no publication date has no window; an absolute one
("in the first quarter of 2008") needs none.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_MONTH_NAMES = [m.lower() for m in calendar.month_name[1:]]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_QUARTER = r"(?:(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|Q[1-4])"
_YEAR = r"(?:19|20)\d\d"
_LEAD = r"(?:(?:by|until|till|through|before|from|in|on|at|during|over|starting in|starting|early|late|mid|end of|the end of|by the end of|later|later in|early in)\s+)*"

_PATTERNS = [
    rf"{_LEAD}(?:the\s+)?(?:first|second)\s+half\s+of\s+(?:this\s+year|next\s+year|{_YEAR})",
    rf"{_LEAD}(?:the\s+)?{_QUARTER}(?:\s+of\s+(?:this\s+year|next\s+year|{_YEAR}|fiscal\s+{_YEAR}))?",
    rf"{_LEAD}(?:the\s+)?next\s+(?:\w+\s+)?(?:days|weeks|months)",
    rf"{_LEAD}{_MONTH}\s+\d{{1,2}}(?!\d)(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?",
    rf"{_LEAD}\d{{1,2}}\s+{_MONTH}(?:\s+{_YEAR})?",
    rf"{_LEAD}{_MONTH}(?:\s+{_YEAR})?",
    rf"{_LEAD}(?:on\s+)?{_WEEKDAY}",
    rf"{_LEAD}(?:the\s+)?(?:this|next|current|coming)\s+(?:week|month|quarter|year|financial\s+year|fiscal\s+year)",
    rf"{_LEAD}(?:the\s+)?end\s+of\s+(?:the\s+)?(?:this|next|current)\s+(?:week|month|quarter|year)",
    rf"{_LEAD}(?:fiscal\s+|FY\s?){_YEAR}",
    rf"{_LEAD}(?:in\s+)?{_YEAR}",
    r"\b(?:today|tomorrow|later this (?:week|month|year)|next few (?:weeks|months|quarters))\b",
]
_FINDER = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + r")(?![\w-])", re.I)
_DATELINE_AFTER = re.compile(r"^\s*(?:\(\s*Reuters\s*\)|\(AP\)|\(Bloomberg\)|-\s)")


# Words of a sentence that looks ahead: a timing elsewhere is history ("rose 8% in January").
_FORWARD = re.compile(
    r"\b(?:will|would|shall|'ll|expects?|expected|expecting|plans?|planned|planning|due|scheduled|set to|deadline|"
    r"until|by|next|coming|upcoming|later|aims?|aiming|intends?|intended|starting|from|to be|should|could|may|might|"
    r"targets?|targeting|forecasts?|forecasting|projects?|projected|outlook|guidance|current|anticipates?|"
    r"anticipated|sees|seeks?|hopes?|pending|ahead)\b",
    re.I,
)


def forward_looking(sentence: str) -> bool:
    """Whether a sentence speaks of what is still to come (its timings may date a catalyst)."""
    return _FORWARD.search(sentence) is not None


@dataclass(frozen=True)
class Timing:
    """A time expression as written in one sentence, with the window it means (when it has one). An
    empty `text`: a sentence that may announce an event without dating it."""

    sentence: int
    text: str
    start: date | None
    end: date | None

    def describe(self) -> str:
        if not self.text:
            return "(no date)"
        if self.start is None or self.end is None:
            return f'"{self.text}"'
        span = self.start.isoformat() if self.start == self.end else f"{self.start} to {self.end}"
        return f'"{self.text}" = {span}'


def _month_index(word: str) -> int:
    w = word.lower().rstrip(".")
    return next(i for i, m in enumerate(_MONTH_NAMES, 1) if m.startswith(w[:3]))


def _month_window(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _quarter_window(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    return start, _month_window(year, 3 * q)[1]


def _year_of(text: str, published: date | None) -> int | None:
    m = re.search(_YEAR, text)
    if m:
        return int(m.group(0))
    if published is None:
        return None
    return published.year + (1 if re.search(r"next\s+year", text, re.I) else 0)


def resolve(text: str, published: date | None) -> tuple[date | None, date | None]:
    """The first and last day `text` can mean, or (None, None)."""
    t = text.strip()
    low = t.lower()
    until = bool(re.match(r"(?:by|until|till|through|before)\b", low))
    window = _window(t, low, published)
    if window[0] is None or window[1] is None:
        return None, None
    start, end = window[0], window[1]
    if until and published is not None and published <= end:
        start = published  # "by January 11": from now until then
    return start, end


def _window(t: str, low: str, published: date | None) -> tuple[date | None, date | None]:
    if m := re.search(r"next\s+(?:(\w+)\s+)?(days|weeks|months)", low):
        if published is None:
            return None, None
        words = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "few": 3, "several": 6, "twelve": 12}  # fmt: skip
        n = words.get(m.group(1) or "", int(m.group(1)) if (m.group(1) or "").isdigit() else 3)
        days = {"days": 1, "weeks": 7, "months": 30}[m.group(2)] * n
        return published, published + timedelta(days=days)
    if m := re.search(r"(first|second)\s+half", low):
        y = _year_of(low, published)
        if y is None:
            return None, None
        return (date(y, 1, 1), date(y, 6, 30)) if m.group(1) == "first" else (date(y, 7, 1), date(y, 12, 31))
    if m := re.search(rf"({_QUARTER})", t, re.I):
        word = m.group(1).lower()
        q = int(word[1]) if word.startswith("q") else _ORD[re.split(r"[- ]", word)[0]]
        y = _year_of(low, published)
        if y is None:
            return None, None
        relative = not re.search(_YEAR, low) and not re.search(r"next\s+year", low)
        if relative and published is not None and _quarter_window(y, q)[1] < published:
            y += 1  # "the first quarter" in a November article is next year's
        return _quarter_window(y, q)
    if re.search(rf"{_MONTH}\s+\d{{1,2}}(?!\d)|\d{{1,2}}\s+{_MONTH}", t, re.I):
        import dateparser

        base = datetime.combine(published, datetime.min.time()) if published else None
        core = re.sub(
            r"^(?:(?:by|until|till|through|before|from|in|on|at|during|over|starting|early|late|mid)\s+)+",
            "",
            t,
            flags=re.I,
        )
        if base is None and not re.search(_YEAR, core):
            return None, None
        # The base is the day before publication, so a date on the publication day itself is kept.
        settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base - timedelta(days=1)} if base else {}
        parsed = dateparser.parse(core, languages=["en"], settings=settings)
        if parsed is None:
            return None, None
        return parsed.date(), parsed.date()
    if m := re.search(rf"\b({_MONTH})\b", t, re.I):
        month = _month_index(m.group(1))
        y_match = re.search(_YEAR, t)
        if y_match:
            return _month_window(int(y_match.group(0)), month)
        if published is None:
            return None, None
        y = published.year + (1 if month < published.month else 0)
        return _month_window(y, month)
    if m := re.search(rf"\b({_WEEKDAY})\b", t, re.I):
        if published is None:
            return None, None
        # The nearest such day: news says "on Friday" of the last few days and the next few.
        ahead = (_WEEKDAYS.index(m.group(1).lower()) - published.weekday()) % 7
        day = published + timedelta(days=ahead if ahead <= 3 else ahead - 7)
        return day, day
    if m := re.search(r"\b(this|next|current|coming)\s+(week|month|quarter|financial\s+year|fiscal\s+year|year)", low):
        if published is None:
            return None, None
        step = 0 if m.group(1) in ("this", "current") else 1
        unit = m.group(2)
        if unit == "week":
            monday = published - timedelta(days=published.weekday()) + timedelta(weeks=step)
            return monday, monday + timedelta(days=6)
        if unit == "month":
            y, mo = divmod(published.month - 1 + step, 12)
            return _month_window(published.year + y, mo + 1)
        if unit == "quarter":
            q = (published.month - 1) // 3 + step
            y, q = published.year + q // 4, q % 4
            return _quarter_window(y, q + 1)
        if unit == "year":
            return date(published.year + step, 1, 1), date(published.year + step, 12, 31)
        return None, None  # a financial year's end depends on the company
    if m := re.search(rf"(?:fiscal\s+|FY\s?)?({_YEAR})", t, re.I):
        if "fiscal" in low or "fy" in low:
            return None, None  # fiscal years differ by company
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31)
    if published is not None and low in ("today",):
        return published, published
    if published is not None and low == "tomorrow":
        return published + timedelta(days=1), published + timedelta(days=1)
    return None, None


def timings_in(sentence: str, index: int, published: date | None) -> list[Timing]:
    """Every time expression in one sentence, with its window when it has one."""
    out = []
    for m in _FINDER.finditer(sentence):
        text = m.group(0).strip()
        if not text or re.fullmatch(r"(?:in|on|by|at)\s*", text, re.I) or _DATELINE_AFTER.match(sentence[m.end() :]):
            continue
        if re.search(r"\bmay$", text, re.I) and (
            not text.endswith("May") or (text == "May" and not re.match(r",?\s+\d", sentence[m.end() :]))
        ):
            continue  # the verb "may" ("in May", "May 30" and "May 2004" are the month)
        start, end = resolve(text, published)
        out.append(Timing(index, text, start, end))
    return out


def future_timing(sentence: str, index: int, published: date | None) -> Timing | None:
    """The first time expression in a sentence that can still lie ahead of `published` (any, when
    the date is unknown): the timing of an event the sentence announces."""
    for t in timings_in(sentence, index, published):
        if published is None or t.end is None or t.end >= published:
            if t.end is None and published is not None and re.fullmatch(rf"(?:in\s+)?{_YEAR}", t.text, re.I):
                continue
            return t
    return None


_REPORT_VERBS = r"(?:said|says|reported|posted|announced|told|unveiled|launched|warned|revealed|closed|rose|fell)"


def dates_a_report(sentence: str, timing: Timing | str, published: date | None = None) -> bool:
    """The timing dates the saying or doing the sentence reports ("said on Tuesday", "On Wednesday,
    Lenovo reported"), not an event still to come. A timing that names a year after the publication
    date dates nothing said ("In 1988, Douglas said Dean should ..." in a story of 1987)."""
    if isinstance(timing, Timing):
        year = re.search(_YEAR, timing.text)
        if published is not None and year is not None and int(year.group(0)) > published.year:
            return False
        timing = timing.text
    t = re.escape(timing)
    return bool(
        re.search(rf"\b{_REPORT_VERBS}\s+(?:\w+\s+)?{t}", sentence, re.I)
        or re.match(rf"\W*{t},?\s+(?:[\w'.]+\s+){{0,4}}{_REPORT_VERBS}\b", sentence, re.I)
    )
