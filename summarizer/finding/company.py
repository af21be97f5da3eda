"""Whether a text is about a company at all, and whether it names a given company."""

from __future__ import annotations

import re

# Signs that a text is about a company: a corporate suffix, a ticker, or the words of markets.
_COMPANY = re.compile(
    r"\b(?:Inc|Corp|Corporation|Co|Ltd|Limited|plc|PLC|AG|SA|NV|SE|Group|Holdings|GmbH|LLC)\b\.?"
    r"|\b(?:company|companies|firm|shares?|stock|investors?|revenue|profit|earnings|sales|chief executive|"
    r"CEO|analysts?|market|dividend|acquisition|merger)\b|\((?:NYSE|NASDAQ|Nasdaq|LSE|TSE|HKEX)\s*:",
)

# Words of a company's name that do not tell it apart ("Apple Inc." is named by "Apple").
_NAME_FILLER = frozenset({
    "the", "of", "and", "inc", "corp", "corporation", "co", "company", "companies", "ltd", "limited", "plc", "group",
    "holdings", "holding", "sa", "ag", "nv", "se", "llc", "lp", "na", "spa", "bhd",
})  # fmt: skip
UNNAMED = "(company not named in the text)"


def speaks_of_a_company(text: str) -> bool:
    """A corporate suffix, a ticker or the words of markets appear in `text`."""
    return bool(_COMPANY.search(text))


def names_company(name: str, ticker: str | None, text: str) -> bool:
    """Whether the text names the company: a distinctive word of its name ("Alibaba" for "Alibaba
    Group", "TimeWarner" for "Time Warner"), its initials ("GE") or its ticker without the exchange
    suffix ("MSFT" for "MSFT.O") is printed. A name the model brings from outside the text fails."""
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _NAME_FILLER and len(w) > 1]
    marks = [w for w in words if w[0].isupper() or w[0].isdigit()]
    if len(marks) >= 2:
        marks.append("".join(w[0] for w in marks))
    root = re.split(r"[.\-:]", (ticker or "").strip())[0]
    if len(root) > 1:
        marks.append(root)
    return any(
        re.search(rf"\b{re.escape(m)}(?![A-Za-z])" if m.isupper() else rf"\b{re.escape(m)}", text) for m in marks
    )
