"""Figures found by code: every numeric expression in a sentence, with its span, value and unit.

The grounded strategy shows these to the model as numbered candidates; the model
only says which ones matter and what they measure. Value, range, qualifier, unit and currency come
from here, so the numbers in a brief are exact by construction.

What counts as a figure: a number (digits, or a number word before a unit or a noun), with its
currency ("$", "US$", "euros", "dlrs", "pence"), scale ("billion", "bn", "mln", "m"), unit ("%",
"percent", "percentage points", "basis points", "times") and per-share marker ("a share", "EPS");
ranges ("30 to 40 percent", "$8 billion to $11 billion", "between 2 and 3 percent", "8-9%");
qualifiers ("about", "more than", "up to"); word-only figures ("triple-digit percentage",
"doubled", "tripled"). What does not: years, days of the month, quarter and ordinal names, clock
times, durations ("six months", "10 years"), tickers and codes (".T", "8604"), and figures in
boilerplate sentences (see `is_boilerplate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .filters import is_boilerplate
from .numbers import (
    FRACTION, NUMBER, PREFIX, SCALE, SIGN, SUBUNIT, SUBUNIT_FACTOR, SUFFIX, WORD, WORDS,
    number, prefix_currency, scale, subunit_currency, suffix_currency,
)  # fmt: skip

if TYPE_CHECKING:
    from ..schema import Qualifier, Unit

_UNIT = (
    r"%|percentage[- ]points?|pct[- ]points?|basis[- ]points?|bps|per[- ]?cent|pct|percent"
    r"|times|-fold|fold|x(?![a-z])|points?"
)

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    (r"more than|over|above|exceeding|in excess of|at least|upwards of|greater than|north of|beyond", "more_than"),
    (r"less than|under|below|up to|at most|fewer than|no more than|as much as|as many as|shy of", "less_than"),
    (r"about|approximately|approx\.|around|roughly|nearly|almost|some|near|close to|closer to|an estimated|"
     r"estimated|circa|just over|just under|an?", "approximately"),
]  # fmt: skip
_QUAL = "|".join(p for p, _ in _QUALIFIERS)

# One amount: [currency] number [scale] [currency word | subunit] [unit]
_AMOUNT = (
    rf"(?P<{{p}}pre>{_PREFIX})?\s?(?P<{{p}}num>{_NUM}|(?:{_WORD})(?:\b|(?=fold\b)))"  # "Tencent" is no figure
    rf"(?:\+?[\s-]?(?P<{{p}}scale>{_SCALE})\b)?"
    rf"(?:[\s-](?P<{{p}}suf>{_SUFFIX})\b)?"
    rf"(?:[\s-]?(?P<{{p}}sub>{_SUBUNIT}))?"
    rf"(?:[\s-]?(?P<{{p}}unit>{_UNIT}))?"
)
_RANGE_SEP = r"\s?(?:-|–|—|to)\s?"
_FIGURE = re.compile(
    rf"(?<![\w.$€£¥:/])(?:(?P<between>between)\s)?(?:(?P<qual>{_QUAL})\s)?"
    + _AMOUNT.replace("{p}", "a")
    + rf"(?:(?P<sep>{_RANGE_SEP}|\sand\s)"
    + _AMOUNT.replace("{p}", "b")
    + r")?(?![\w/]|\.\d|:\d)",
    re.I,
)
_PER_SHARE_AFTER = re.compile(r"^[\s-]*(?:a|per|each|/)[\s-]*(?:share|ads|adr|unit|stock)\b", re.I)
_PER_SHARE_CONTEXT = re.compile(
    r"\b(?:shares?|stock|price|target|eps|earnings per|dividend|traded|trading|closed|closing|"
    r"valu\w+ at|ads|adr|a share|per share|bid|offer(?:ed|ing)? \$?\d|tender)\b",
    re.I,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTHS}|fy|q[1-4]|h[12]|fiscal)\.?\s*$", re.I)
_DATE_AFTER = re.compile(
    rf"^(?:\s*(?:{_MONTHS})\b|(?:st|nd|rd|th)\b|\s?(?:years?|months?|weeks?|days?|hours?|minutes?|quarters?|decades?|"
    r"-year|-month|-week|-day|-hour|-quarter)\b|:\d|/\d|s\b|'s\b)",
    re.I,
)
_TICKER_AROUND = re.compile(r"\(\s*$|^\.[A-Z]{1,2}\b|^\s*\)")
_WORDY: list[tuple[re.Pattern[str], Unit, Qualifier]] = [
    (re.compile(r"\b(?:triple|double|single|high single|low single|mid single)[- ]digit(?: percent(?:age)?(?: rates?)?)?", re.I),
     "percent", "more_than"),
]  # fmt: skip
_MULTIPLES = re.compile(
    r"\b(?:more than |nearly |almost )?(doubl(?:ed|ing)|tripl(?:ed|ing)|quadrupl(?:ed|ing))\b", re.I
)
_MULTIPLE_VALUE = {"doubl": 2.0, "tripl": 3.0, "quadru": 4.0}


@dataclass(frozen=True)
class Figure:
    """One figure printed in one sentence."""

    sentence: int  # 0-based index into the article's sentences
    start: int
    end: int
    as_written: str
    value: float | None
    value_high: float | None
    qualifier: Qualifier
    unit: Unit
    currency: str | None

    def describe(self) -> str:
        """A short, exact reading of the figure for the model: '$50 billion (currency USD)'."""
        unit = self.unit + (f" {self.currency}" if self.currency else "")
        return f"{self.as_written} ({unit})"


def _number(text: str) -> float:
    t = text.lower().strip()
    if t in _WORDS:
        return float(_WORDS[t])
    tens, _, ones = t.replace("-", " ").partition(" ")
    if tens in _WORDS and ones in _ONES:
        return float(_WORDS[tens] + _ONES[ones])
    return float(t.replace(",", ""))


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    for pattern, factor in _SCALE_FACTORS:
        if re.fullmatch(pattern, word.rstrip("."), re.I):
            return factor
    return 1.0


def _suffix_ccy(word: str | None) -> str | None:
    if not word:
        return None
    for pattern, code in _SUFFIX_CCY:
        if re.fullmatch(pattern, word, re.I):
            return code
    return None


def _qualifier(word: str | None) -> Qualifier:
    if not word:
        return "exact"
    for pattern, q in _QUALIFIERS:
        if re.fullmatch(pattern, word, re.I):
            return q if word.lower() not in ("a", "an") else "exact"
    return "exact"


def _unit_of(unit: str | None) -> Unit | None:
    if not unit:
        return None
    u = unit.lower().replace("-", " ")
    if "percentage" in u or "pct point" in u:
        return "percentage_points"
    if "basis" in u or u == "bps":
        return "basis_points"
    if u in ("%", "percent", "per cent", "percent", "pct") or u.replace(" ", "") == "percent":
        return "percent"
    if u.startswith("point"):
        return "other"
    return "multiple"


def _side(m: re.Match[str], p: str) -> dict[str, str | None]:
    return {k: m.group(p + k) for k in ("pre", "num", "scale", "suf", "sub", "unit")}


def _plausible(sentence: str, m: re.Match[str], a: dict[str, str | None], b: dict[str, str | None]) -> bool:
    """Not a year, a day of the month, an ordinal, a clock time, a duration or a ticker code."""
    num = a["num"] or ""
    own_marker = any(a[k] for k in ("pre", "scale", "suf", "sub", "unit"))
    has_marker = own_marker or any(b[k] for k in ("pre", "scale", "suf", "sub", "unit"))
    before, after = sentence[: m.start("anum")], sentence[m.end() :]
    if not own_marker and re.fullmatch(r"(?:19|20)\d\d", num):
        return False  # a year
    if re.match(
        r"^\s?(?:GMT|BST|CET|EST|EDT|ET|JST|a\.m\.|p\.m\.|am\b|pm\b)|^-(?:member|strong|page|point|year|day)",
        sentence[m.end("anum") :],
    ):
        return False  # a clock time, "24-member"
    if re.search(r"[\d%a-z)]\s*\(\s*$", sentence[: m.start()]) and re.match(r"^\s*\)", after):
        return False  # a conversion beside the figure: "£138m ($259.8m)" is one figure
    if _DATE_AFTER.match(sentence[m.end("anum") :]) and not has_marker:
        return False
    if has_marker:
        return True
    if num.lower() in _WORDS:
        # A number word is a figure only when a noun follows: "six Airbus", "eight analysts".
        return bool(re.match(r"^\s+[a-z]", after, re.I)) and not re.match(r"^\s+(?:of|or|and|to|in)\b", after, re.I)
    value = _number(num)
    if re.fullmatch(r"(?:19|20)\d\d", num):
        return False  # a year
    if _DATE_BEFORE.search(before) and value <= 31:
        return False
    if _TICKER_AROUND.search(before) or _TICKER_AROUND.match(after) or re.match(r"^\.[A-Z]", after):
        return False
    if re.match(r"^\s*(?:st|nd|rd|th)\b", after) or re.search(
        r"\b(?:no\.|number|page|article|section|rule|route|form)\s*$", before, re.I
    ):
        return False
    return not (value <= 1 and "." not in num)  # a bare "1" is nearly always "one of ..."


def _build(sentence: str, index: int, m: re.Match[str]) -> Figure | None:
    a, b = _side(m, "a"), _side(m, "b")
    if not _plausible(sentence, m, a, b):
        return None
    has_b = b["num"] is not None
    sep = (m.group("sep") or "").strip().lower()
    if has_b and not any(a[k] or b[k] for k in ("pre", "scale", "suf", "sub", "unit")):
        return None  # "16-1178", "2-1/2": bare number pairs are codes and fractions, not figures
    if has_b:
        # "from 10% to 12%" is a change, not a range; "rose 5% to $10 billion" are two figures.
        before = sentence[: m.start()].lower()
        unit_a = a["unit"] or a["pre"] or a["suf"] or a["sub"]
        unit_b = b["unit"] or b["pre"] or b["suf"] or b["sub"]
        same = (
            not unit_a
            or not unit_b
            or (_unit_of(a["unit"]) == _unit_of(b["unit"]) and bool(a["pre"]) == bool(b["pre"]))
        )
        is_range = same and (
            (sep == "and" and bool(m.group("between")))
            or (sep in ("-", "–", "—"))
            or (
                sep == "to"
                and not re.search(
                    r"\b(?:from|up|down|rose|fell|increased|decreased|cut|raised|lowered)\s*$|\bfrom\b[^,.;]*$", before
                )
            )
        )
        if not is_range:
            # Keep only the first amount; the second is found on its own.
            return _single(sentence, index, m, a, end=m.end("anum") if not _has_tail(m, "a") else _tail_end(m, "a"))
        return _range(sentence, index, m, a, b)
    return _single(sentence, index, m, a, end=m.end())


def _has_tail(m: re.Match[str], p: str) -> bool:
    return any(m.group(p + k) for k in ("scale", "suf", "sub", "unit"))


def _tail_end(m: re.Match[str], p: str) -> int:
    return max(m.end(p + k) for k in ("num", "scale", "suf", "sub", "unit") if m.group(p + k))


def _classify(
    sentence: str, end: int, side: dict[str, str | None], other: dict[str, str | None] | None = None
) -> tuple[Unit, float, str | None]:
    """(unit, factor, currency) of one amount; a range's first side borrows the second's markers."""
    s = dict(side)
    if other is not None:
        for k in ("pre", "scale", "suf", "sub", "unit"):
            s[k] = s[k] or other[k]
    factor = _scale(s["scale"])
    ccy = _PREFIX_CCY.get((s["pre"] or "").lower().replace(" ", "")) or _suffix_ccy(s["suf"])
    if s["sub"]:
        factor *= 0.01
        if ccy is None:
            ccy = "GBP" if s["sub"].lower().startswith("p") else "USD"
    unit = _unit_of(s["unit"])
    if unit is not None and unit != "multiple":
        return unit, factor, None
    if unit == "multiple" and ccy is None:
        return "multiple", factor, None
    if ccy is None and s["scale"]:
        # "a 102.9 mln dlr loss and 10.3 mln": a scaled amount beside money is money.
        ccy = _sentence_currency(sentence)
    if ccy is None:
        return "count", factor, None
    after = sentence[end:]
    per_share = bool(_PER_SHARE_AFTER.match(after)) or bool(s["sub"])
    if not per_share and not s["scale"] and _number(s["num"] or "0") * factor < 10_000:
        per_share = not re.match(
            r"^\s*(?:a|per|each)\s+(?:month|year|week|day|hour|person|head|tonne|ton|barrel|ounce)\b", after, re.I
        )
    return ("currency_per_share" if per_share else "currency"), factor, ccy


def _sentence_currency(sentence: str) -> str | None:
    for m in _FIGURE.finditer(sentence):
        code = _PREFIX_CCY.get((m.group("apre") or "").lower().replace(" ", "")) or _suffix_ccy(m.group("asuf"))
        if code:
            return code
    return None


def _single(sentence: str, index: int, m: re.Match[str], a: dict[str, str | None], end: int) -> Figure:
    unit, factor, ccy = _classify(sentence, end, a)
    start = (
        m.start("qual")
        if m.group("qual") and _qualifier(m.group("qual")) != "exact"
        else m.start("apre")
        if a["pre"]
        else m.start("anum")
    )
    return Figure(
        sentence=index, start=start, end=end, as_written=sentence[start:end],
        value=round(_number(a["num"] or "0") * factor, 6), value_high=None,
        qualifier=_qualifier(m.group("qual")), unit=unit, currency=ccy,
    )  # fmt: skip


def _range(sentence: str, index: int, m: re.Match[str], a: dict[str, str | None], b: dict[str, str | None]) -> Figure:
    unit, factor_b, ccy = _classify(sentence, m.end(), b, a)
    _, factor_a, _ = _classify(sentence, m.end(), a, b)
    start = m.start("between") if m.group("between") else (m.start("apre") if a["pre"] else m.start("anum"))
    low, high = _number(a["num"] or "0") * factor_a, _number(b["num"] or "0") * factor_b
    if a["scale"] is None and b["scale"] is not None:
        low = _number(a["num"] or "0") * factor_b  # "$1.2-1.4 billion"
    return Figure(
        sentence=index, start=start, end=m.end(), as_written=sentence[start : m.end()],
        value=round(low, 6), value_high=round(high, 6), qualifier="range", unit=unit, currency=ccy,
    )  # fmt: skip


def figures_in(sentence: str, index: int = 0) -> list[Figure]:
    """Every figure in one sentence, left to right."""
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for m in _FIGURE.finditer(sentence):
        fig = _build(sentence, index, m)
        if fig is not None:
            found.append(fig)
            taken.append((fig.start, fig.end))
        bare_pair = not any(m.group(p + k) for p in "ab" for k in ("pre", "scale", "suf", "sub", "unit"))
        if m.group("bnum") is not None and not bare_pair and (fig is None or fig.qualifier != "range"):
            # The second amount of "5% to $10 billion" is a figure of its own.
            for sub in _FIGURE.finditer(sentence, m.start("bpre") if m.group("bpre") else m.start("bnum"), m.end()):
                f2 = _build(sentence, index, sub)
                if f2 is not None and not any(s <= f2.start < e for s, e in taken):
                    found.append(f2)
                    taken.append((f2.start, f2.end))
                break
    for pattern, unit, wordy_qual in _WORDY:
        for w in pattern.finditer(sentence):
            found.append(Figure(index, w.start(), w.end(), w.group(0), None, None, wordy_qual, unit, None))
    for w in _MULTIPLES.finditer(sentence):
        stem = next(v for k, v in _MULTIPLE_VALUE.items() if w.group(1).lower().startswith(k))
        qual: Qualifier = "more_than" if w.group(0).lower().startswith("more") else "exact"
        found.append(Figure(index, w.start(), w.end(), w.group(0), stem, None, qual, "multiple", None))
    return sorted(found, key=lambda f: f.start)


def article_figures(sentences: list[str]) -> list[Figure]:
    """Every figure in the article's sentences, boilerplate skipped, a figure repeated with the same
    reading kept once (its first occurrence)."""
    out: list[Figure] = []
    seen: set[tuple[str, float | None, float | None, str]] = set()
    for i, s in enumerate(sentences):
        if is_boilerplate(s):
            continue
        for f in figures_in(s, i):
            key = (f.unit, f.value, f.value_high, f.as_written.lower() if f.value is None else "")
            if key in seen:
                continue
            seen.add(key)
            out.append(f)
    return out
