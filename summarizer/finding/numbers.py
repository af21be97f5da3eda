"""Numbers as the article prints them."""

from __future__ import annotations

import re

# A number as printed: "1,234.5", "34", ".5"; scale words follow it.
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)")
_SCALES: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"^[\s+-]*(?:trillion|trln|tn)\b", re.I), 1e12),
    (re.compile(r"^[\s+-]*(?:billion|billions|bln|bn|b)\b", re.I), 1e9),
    (re.compile(r"^[\s+-]*(?:million|millions|mln|mn|m)\b", re.I), 1e6),
    (re.compile(r"^[\s+-]*(?:thousand|k)\b", re.I), 1e3),
    (re.compile(r"^[\s+-]*(?:cents?|cts|ct|pence|p)\b", re.I), 0.01),
]


def numbers_in(text: str) -> list[float]:
    """Every number printed in `text`, as written (no scale applied)."""
    return [float(m.group(1).replace(",", "")) for m in _NUMBER.finditer(text)]


def scaled_numbers_in(text: str) -> list[float]:
    """Every number in `text` with the scale word that follows it applied.

    "$50 billion" gives 50e9, "2.28 million" 2.28e6, "12 cts" 0.12, "34%" 34.
    """
    out = []
    for m in _NUMBER.finditer(text):
        n = float(m.group(1).replace(",", ""))
        rest = text[m.end() :]
        for pattern, factor in _SCALES:
            if pattern.match(rest):
                n *= factor
                break
        else:
            if rest[:1].isalpha():
                continue  # "30s", "4th": not a figure as written
        out.append(n)
    return out
