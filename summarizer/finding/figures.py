"""Figures found by code: every numeric expression in a sentence, with its span, value and unit.

The grounded strategy shows these to the model as numbered candidates; the model
only says which ones matter and what they measure. Value, range, qualifier, unit and currency come
from here, so the numbers in a brief are exact by construction.

What counts as a figure: a number (digits, a wire-copy fraction "72-5/8", or a number word before a
unit or a noun), with its sign ("-0.4%", "negative 3.5 percent"), currency ("$", "US$", "Rs", "CHF",
"euros", "dlrs", "pence"), scale ("billion", "bn", "mln", "m", "crore", "lakh crore"), unit ("%",
"percent", "percentage points", "basis points", "times") and per-share marker ("a share", "EPS");
ranges ("30 to 40 percent", "$8 billion to $11 billion", "between 2 and 3 percent", "8-9%", and
"$1.2-1.4 billion", where the first side shares the second's scale); qualifiers ("about", "more than",
"up to"); figures in words ("half a million", "triple-digit percentage", "doubled", "more than double",
"a four-for-one split", and shares of a whole as a percent: "two thirds of", "more than half its").
What does not: years, days of the month, quarter and ordinal names, halves of a year, clock times,
durations ("six months", "10 years", "2-1/2 years"), tickers and codes (".T", "8604"), bare fractions
("5/8", as often a date), and figures in boilerplate sentences (see `is_boilerplate`).

The tables and the reading of a number, a scale word and a currency are `numbers.py`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .filters import is_boilerplate
from .numbers import (
    FRACTION,
    NUMBER,
    PART_WORDS,
    PREFIX,
    SCALE,
    SIGN,
    SUBUNIT,
    SUBUNIT_FACTOR,
    SUFFIX,
    WORD,
    WORDS,
    number,
    prefix_currency,
    scale,
    subunit_currency,
    suffix_currency,
)

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
    rf"(?P<{{p}}sign>{SIGN})?(?P<{{p}}pre>{PREFIX})?\s?"
    rf"(?P<{{p}}num>{FRACTION}|{NUMBER}|(?:{WORD})(?:\b|(?=fold\b)))"  # "Tencent" is no figure
    rf"(?:\+?[\s-]?(?P<{{p}}scale>{SCALE})\b)?"
    rf"(?:[\s-](?P<{{p}}suf>{SUFFIX})\b)?"
    rf"(?:[\s-]?(?P<{{p}}sub>{SUBUNIT}))?"
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
# Things counted, not paid: a scaled amount before one of them (after at most one other word) is a count.
_COUNTED = re.compile(
    r"^\s+(?:[a-z-]+\s+)?(?:shares|ads|adss|adrs|units|engineers|employees|workers|staff|people|jobs|customers|"
    r"users|subscribers|members|accounts|households|homes|vehicles|cars|phones|devices|meters|tonnes|tons|barrels|"
    r"ounces|passengers|visitors|downloads|copies|stores|branches|outlets|seats|aircraft|planes)\b",
    re.I,
)
_TICKER_AROUND = re.compile(r"\(\s*$|^\.[A-Z]{1,2}\b|^\s*\)")
_DIGIT_WORDS = re.compile(
    r"\b(?:triple|double|single|high single|low single|mid single)[- ]digit(?: percent(?:age)?(?: rates?)?)?", re.I
)
_MULTIPLES = re.compile(
    r"\b(?:(?P<qual>more than |nearly |almost )?(?P<verb>doubl(?:ed|ing)|tripl(?:ed|ing)|quadrupl(?:ed|ing))\b"
    r"|(?P<adv>more than |nearly |almost )(?P<adj>double|triple|quadruple)(?![\w-]))",
    re.I,
)
_MULTIPLE_VALUE = {"doubl": 2.0, "tripl": 3.0, "quadru": 4.0}
_SPLIT = re.compile(rf"\b(?P<n>\d+|{'|'.join(WORDS)})-for-(?:one|1)\b", re.I)  # "a four-for-one stock split"
# Shares of a whole in words, read as a percent: "two thirds of the stock", "more than half its sales",
# "cut by nearly half." A third or a quarter needs its count ("a third of", not "the third of March"),
# and a half of the year is a period, not a share.
_SHARE = (
    r"(?:a|one|two|three)[\s-](?:thirds?|quarters?)|(?:a|one)[\s-]half"
    r"|(?<!first )(?<!second )(?<!back )(?<!front )(?<!latter )(?<!other )(?<!the )half"  # not "the second half of"
)
_SHARE_QUAL = (
    r"more than|over|above|at least|nearly|almost|about|roughly|around|approximately|some|close to|just over|"
    r"just under|less than|under|fewer than|up to"
)
_SHARES = re.compile(
    rf"\b(?:(?P<qual>{_SHARE_QUAL})\s+)?(?P<share>{_SHARE})(?=\s+(?:of|its|their)\b)"
    rf"|\b(?P<qual2>{_SHARE_QUAL})\s+(?P<share2>{_SHARE})(?=\s*[.,;:]|\s*$)",
    re.I,
)
_SHARE_COUNT = {"a": 1, "one": 1, "two": 2, "three": 3}
_SHARE_PART = {"half": 1 / 2, "third": 1 / 3, "quarter": 1 / 4}


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
    return {k: m.group(p + k) for k in ("sign", "pre", "num", "scale", "suf", "sub", "unit")}


def _plausible(sentence: str, m: re.Match[str], a: dict[str, str | None], b: dict[str, str | None]) -> bool:
    """Not a year, a day of the month, an ordinal, a clock time, a duration or a ticker code."""
    num = a["num"] or ""
    own_marker = any(a[k] for k in ("pre", "scale", "suf", "sub", "unit"))
    has_marker = own_marker or any(b[k] for k in ("pre", "scale", "suf", "sub", "unit"))
    before, after = sentence[: m.start("anum")], sentence[m.end() :]
    if not own_marker and re.fullmatch(r"(?:19|20)\d\d", num):
        return False  # a year
    if re.match(
        r"^\s?(?:GMT|BST|CET|EST|EDT|ET|JST|a\.m\.|p\.m\.|am\b|pm\b)|^-(?:member|strong|page|point|year|day|for-)",
        sentence[m.end("anum") :],
    ):
        return False  # a clock time, "24-member", the "2" of a "2-for-1" split (read as a multiple)
    if re.search(r"[\d%a-z)]\s*\(\s*$", sentence[: m.start()]) and re.match(r"^\s*\)", after):
        return False  # a conversion beside the figure: "£138m ($259.8m)" is one figure
    if _DATE_AFTER.match(sentence[m.end("anum") :]) and not has_marker:
        return False
    if has_marker:
        return True
    if num.lower() in PART_WORDS:
        return False  # "half a dozen", "half a century"
    if num.lower() in WORDS:
        # A number word is a figure only when a noun follows: "six Airbus", "eight analysts".
        return bool(re.match(r"^\s+[a-z]", after, re.I)) and not re.match(r"^\s+(?:of|or|and|to|in)\b", after, re.I)
    value = number(num)
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
        return None  # "16-1178": a bare number pair is a code, not a figure
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
    factor = scale(s["scale"])
    ccy = prefix_currency(s["pre"]) or suffix_currency(s["suf"])
    if s["sub"]:
        factor *= SUBUNIT_FACTOR
        ccy = ccy or subunit_currency(s["sub"])
    unit = _unit_of(s["unit"])
    if unit is not None and unit != "multiple":
        return unit, factor, None
    if unit == "multiple" and ccy is None:
        return "multiple", factor, None
    if ccy is None and s["scale"] and not _COUNTED.match(sentence[end:]):
        # "a 102.9 mln dlr loss and 10.3 mln": a scaled amount beside money is money, unless it counts
        # things ("12k engineers", "5 lakh smart meters").
        ccy = _sentence_currency(sentence)
    if ccy is None and unit is None and "/" in (s["num"] or ""):
        # Wire copy quotes share prices in fractions of a dollar: "closed at 72-5/8".
        ccy = _sentence_currency(sentence) or "USD"
    if ccy is None:
        return "count", factor, None
    after = sentence[end:]
    per_share = bool(_PER_SHARE_AFTER.match(after)) or bool(s["sub"])
    if not per_share and not s["scale"] and number(s["num"] or "0") * factor < 10_000:
        per_share = not re.match(
            r"^\s*(?:a|per|each)\s+(?:month|year|week|day|hour|person|head|tonne|ton|barrel|ounce)\b", after, re.I
        )
    return ("currency_per_share" if per_share else "currency"), factor, ccy


def _sentence_currency(sentence: str) -> str | None:
    for m in _FIGURE.finditer(sentence):
        code = prefix_currency(m.group("apre")) or suffix_currency(m.group("asuf"))
        if code:
            return code
    return None


def _lead(m: re.Match[str], a: dict[str, str | None]) -> int:
    """Where an amount begins: its sign, else its currency, else its number."""
    return m.start("asign") if a["sign"] else m.start("apre") if a["pre"] else m.start("anum")


def _sign(side: dict[str, str | None]) -> float:
    return -1.0 if side["sign"] else 1.0


def _single(sentence: str, index: int, m: re.Match[str], a: dict[str, str | None], end: int) -> Figure:
    unit, factor, ccy = _classify(sentence, end, a)
    start = m.start("qual") if m.group("qual") and _qualifier(m.group("qual")) != "exact" else _lead(m, a)
    return Figure(
        sentence=index, start=start, end=end, as_written=sentence[start:end],
        value=round(_sign(a) * number(a["num"] or "0") * factor, 6), value_high=None,
        qualifier=_qualifier(m.group("qual")), unit=unit, currency=ccy,
    )  # fmt: skip


def _range(sentence: str, index: int, m: re.Match[str], a: dict[str, str | None], b: dict[str, str | None]) -> Figure:
    unit, factor_b, ccy = _classify(sentence, m.end(), b, a)
    _, factor_a, _ = _classify(sentence, m.end(), a, b)
    start = m.start("between") if m.group("between") else _lead(m, a)
    # "$1.2-1.4 billion", "Rs 13,500-14,000 crore": a first side without a scale word shares the second's.
    low = _sign(a) * number(a["num"] or "0") * (factor_b if a["scale"] is None and b["scale"] else factor_a)
    high = _sign(b) * number(b["num"] or "0") * factor_b
    return Figure(
        sentence=index, start=start, end=m.end(), as_written=sentence[start : m.end()],
        value=round(low, 6), value_high=round(high, 6), qualifier="range", unit=unit, currency=ccy,
    )  # fmt: skip


def _digit_words(m: re.Match[str]) -> tuple[float | None, Qualifier]:
    return None, "more_than"  # "triple-digit percentage rate": above a bound, no number


def _multiple(m: re.Match[str]) -> tuple[float | None, Qualifier]:
    word = (m["verb"] or m["adj"]).lower()
    value = next(v for k, v in _MULTIPLE_VALUE.items() if word.startswith(k))
    return value, _qualifier((m["qual"] or m["adv"] or "").strip())


def _split(m: re.Match[str]) -> tuple[float | None, Qualifier]:
    return number(m["n"]), "exact"


def _share(m: re.Match[str]) -> tuple[float | None, Qualifier]:
    *count, part = re.split(r"[\s-]", (m["share"] or m["share2"]).lower())
    share = _SHARE_COUNT[count[0]] if count else 1
    return round(100 * share * _SHARE_PART[part.rstrip("s")], 2), _qualifier((m["qual"] or m["qual2"] or "").strip())


# Figures written in words: (pattern, unit, reading of a match as value and qualifier).
_WORD_FIGURES: list[tuple[re.Pattern[str], Unit, Callable[[re.Match[str]], tuple[float | None, Qualifier]]]] = [
    (_DIGIT_WORDS, "percent", _digit_words), (_MULTIPLES, "multiple", _multiple), (_SPLIT, "multiple", _split),
    (_SHARES, "percent", _share),
]  # fmt: skip


def figures_in(sentence: str, index: int = 0) -> list[Figure]:
    """Every figure in one sentence, left to right."""
    found: list[Figure] = []
    shares = [m.span() for m in _SHARES.finditer(sentence)]  # "two thirds" is one figure, not "two"
    taken: list[tuple[int, int]] = []
    for m in _FIGURE.finditer(sentence):
        fig = _build(sentence, index, m)
        if fig is not None and any(s <= fig.start < e for s, e in shares):
            continue
        if fig is not None:
            found.append(fig)
            taken.append((fig.start, fig.end))
        bare_pair = not any(m.group(p + k) for p in "ab" for k in ("pre", "scale", "suf", "sub", "unit"))
        if m.group("bnum") is not None and not bare_pair and (fig is None or fig.qualifier != "range"):
            # The second amount of "5% to $10 billion" is a figure of its own.
            start = next(m.start("b" + k) for k in ("sign", "pre", "num") if m.group("b" + k))
            for sub in _FIGURE.finditer(sentence, start, m.end()):
                f2 = _build(sentence, index, sub)
                if f2 is not None and not any(s <= f2.start < e for s, e in taken):
                    found.append(f2)
                    taken.append((f2.start, f2.end))
                break
    for pattern, unit, read in _WORD_FIGURES:
        for w in pattern.finditer(sentence):
            value, qual = read(w)
            found.append(Figure(index, w.start(), w.end(), w.group(0), value, None, qual, unit, None))
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
