"""Numbers as the article prints them: the tables of number tokens, number words, scale words,
currencies and subunits, and the reading of one amount's parts into a value.

The figure finder (`figures.py`) builds its patterns from these tables, and the brief's number check
(`Metric` in `schema.py`) reads a written figure with the same scale table, so code and check agree
on what "Rs 3,400 crore" or "$1.2-1.4 billion" is.
"""

from __future__ import annotations

import re

# A number as printed: "1,234.5", "34", ".5", and Indian grouping "1,20,000" (lakh, crore).
NUMBER = r"\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d+)?(?![\d,])|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
# A wire-copy mixed fraction: "72-5/8", "3-1/2", "4 1/2" (halves to sixty-fourths).
FRACTION = r"\d+[-\s]\d{1,2}/(?:2|4|8|16|32|64)(?![\d/])"
_FRACTION_PARTS = re.compile(r"(\d+)[-\s](\d+)/(\d+)")

# Whole numbers in words; "twenty-five" is a tens word and a ones word.
WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "one hundred": 100,
}  # fmt: skip
# Parts of one in words, read only before a scale or unit word: "half a million", "half a percent".
# Shares of a whole ("two thirds of the stock") are read by the finder as a percent.
PART_WORDS = {"half a": 0.5}
_ALL_WORDS: dict[str, float] = WORDS | PART_WORDS
_TENS = {w: v for w, v in WORDS.items() if 20 <= v < 100}
ONES = {"one": 1} | {w: v for w, v in WORDS.items() if v < 10}
# A tens word is tried before the single words, so "twenty-five" is not read as "twenty" alone.
WORD = rf"(?:{'|'.join(_TENS)})[\s-](?:{'|'.join(ONES)})\b|" + "|".join(sorted(_ALL_WORDS, key=len, reverse=True))

# Currency written before the number, and its ISO code.
PREFIX_CCY = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "a$": "AUD", "aud": "AUD", "c$": "CAD", "cad": "CAD",
    "hk$": "HKD", "hkd": "HKD", "nz$": "NZD", "s$": "SGD", "nt$": "TWD", "r$": "BRL", "€": "EUR", "eur": "EUR",
    "£": "GBP", "gbp": "GBP", "¥": "JPY", "jpy": "JPY", "rmb": "CNY", "cny": "CNY", "rs": "INR", "rs.": "INR",
    "inr": "INR", "₹": "INR", "chf": "CHF", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "krw": "KRW", "₩": "KRW",
}  # fmt: skip
PREFIX = (
    r"US\$|U\.S\.\s?\$|A\$|C\$|HK\$|NZ\$|S\$|NT\$|R\$|\$|€|£|¥|₹|₩|Rs\.?"
    r"|(?:USD|AUD|CAD|HKD|EUR|GBP|JPY|RMB|CNY|INR|CHF|SEK|NOK|DKK|KRW)\b"
)
# Currency written after the number (and scale), and its ISO code.
SUFFIX_CCY = [
    (r"u\.?s\.? dollars?|dollars?|dlrs?", "USD"), (r"euros?|eur\b", "EUR"), (r"pounds? sterling|pounds?|stg", "GBP"),
    (r"yen", "JPY"), (r"yuan|renminbi", "CNY"), (r"rupees?", "INR"), (r"swiss francs?|francs?", "CHF"),
    (r"won", "KRW"), (r"crowns|kronor|kroner", "SEK"), (r"reais|reals?", "BRL"), (r"rand", "ZAR"),
]  # fmt: skip
SUFFIX = "|".join(p for p, _ in SUFFIX_CCY)
# A hundredth of the currency: cents (USD unless the currency says otherwise) and pence (GBP).
SUBUNIT = r"cents?|cts?|pence|p(?![a-z])"
SUBUNIT_FACTOR = 0.01
_SUBUNIT_CCY = [(r"p.*", "GBP"), (r"c.*", "USD")]
# Scale words, the longer before the shorter they start with ("lakh crore" before "lakh").
SCALE_FACTORS = [
    (r"trillion|trln|tn", 1e12), (r"lakh[\s-]crores?", 1e12), (r"billions?|bln|bn|b(?![a-z])", 1e9),
    (r"millions?|mln|mn|m(?![a-z])", 1e6), (r"crores?", 1e7), (r"lakhs?", 1e5), (r"thousand|k(?![a-z])", 1e3),
]  # fmt: skip
SCALE = "|".join(p for p, _ in SCALE_FACTORS)
# Words and signs that make a figure negative as written: "negative 3.5 percent", "minus 2", "-0.4%".
SIGN = r"negative\s|minus\s|[-−](?=\.?\d|[$€£¥₹₩])"


def _lookup(table: list[tuple[str, str]], word: str | None) -> str | None:
    if not word:
        return None
    return next((code for pattern, code in table if re.fullmatch(pattern, word, re.I)), None)


def number(text: str) -> float:
    """The value of one number token: digits, a mixed fraction or number words."""
    t = text.lower().strip()
    if t in _ALL_WORDS:
        return float(_ALL_WORDS[t])
    tens, _, ones = t.replace("-", " ").partition(" ")
    if tens in _TENS and ones in ONES:
        return float(_TENS[tens] + ONES[ones])
    if parts := _FRACTION_PARTS.fullmatch(t):
        whole, num, den = (int(g) for g in parts.groups())
        return whole + num / den
    return float(t.replace(",", ""))


def scale(word: str | None) -> float:
    """The factor of a scale word ("billion" 1e9, "crore" 1e7); 1 without one."""
    if not word:
        return 1.0
    return next((f for pattern, f in SCALE_FACTORS if re.fullmatch(pattern, word.rstrip("."), re.I)), 1.0)


def prefix_currency(word: str | None) -> str | None:
    """The ISO code of a currency written before the number ("$", "Rs.", "CHF")."""
    return PREFIX_CCY.get((word or "").lower().replace(" ", ""))


def suffix_currency(word: str | None) -> str | None:
    """The ISO code of a currency written after the number ("dlrs", "Swiss francs")."""
    return _lookup(SUFFIX_CCY, word)


def subunit_currency(word: str) -> str:
    """The currency a subunit belongs to when nothing else names one: cents USD, pence GBP."""
    return _lookup(_SUBUNIT_CCY, word) or "USD"


_NUMBER = re.compile(rf"(?<![\w.])({NUMBER})")
_SCALE_AFTER = re.compile(rf"^[\s+-]*(?:(?P<scale>{SCALE})|(?P<sub>{SUBUNIT}))\b", re.I)


def numbers_in(text: str) -> list[float]:
    """Every number printed in `text`, as written (no scale applied)."""
    return [float(m.group(1).replace(",", "")) for m in _NUMBER.finditer(text)]


def scaled_numbers_in(text: str) -> list[float]:
    """Every number in `text` with the scale word or subunit that follows it applied.

    "$50 billion" gives 50e9, "2.28 million" 2.28e6, "Rs 3,400 crore" 3.4e10, "12 cts" 0.12, "34%" 34.
    """
    out = []
    for m in _NUMBER.finditer(text):
        n = float(m.group(1).replace(",", ""))
        rest = text[m.end() :]
        if after := _SCALE_AFTER.match(rest):
            n *= scale(after["scale"]) if after["scale"] else SUBUNIT_FACTOR
        elif rest[:1].isalpha():
            continue  # "30s", "4th": not a figure as written
        out.append(n)
    return out
