"""The event a forward-looking sentence announces, read from its clause by code.

Finance English names what lies ahead in a few set ways, and each gives the event as a short phrase:

| rule | the sentence says | the event |
|---|---|---|
| `reports` | "X is scheduled to report its third-quarter results on May 2" | "third-quarter results" |
| `subject-to` | "The sale is subject to approval by regulators" | "approval by regulators" |
| `noun-of` | "... will come with the release of annual results in March" | "release of annual results" |
| `will-verb` | "The bank plans to close 40 branches by June" | "close 40 branches" |

The date phrase is taken out first (a reading that ends nearest where it stood wins), the phrase
stops at the end of its clause (a comma, a semicolon,
"which", "and the", "but", "after", "as") and is at most `MAX_WORDS` words. None when no rule reads
one (or the reading starts with a word no name starts with: "this", "is"...): the model's event
stands.
"""

from __future__ import annotations

import re

from ..text import normalize_ws

MAX_WORDS = 10
_NOT_FIRST = {"this", "next", "last", "that", "these", "those", "it", "they", "is", "are", "was", "were", "be"}
_REPORT_VERBS = r"report|release|announce|publish|post|unveil|present"
_AHEAD = (
    r"(?:will|shall|is|are|was|were|has|have)?\s*(?:scheduled|slated|set|due|expected|poised|planning|planned|"
    r"plans?|intends?|intended|aims?|aimed|expects?|hopes?|going|likely|seeking|seeks?|wants?|agreed|agrees)\s+to"
)
_OBJECT = r"(?P<obj>[^,;:.()\"“”]+)"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reports", re.compile(rf"\b(?:{_AHEAD}|will)\s+(?:{_REPORT_VERBS})\s+{_OBJECT}", re.I)),
    ("subject-to", re.compile(rf"\bsubject to\s+{_OBJECT}", re.I)),
    (
        "noun-of",
        re.compile(
            r"\b(?P<obj>(?:release|launch|completion|closing|approval|publication|debut|opening|start|listing|"
            r"outcome|conclusion|result|results|vote|ruling|decision|hearing|review|expiry|expiration|signing)"
            r"\s+(?:of|on|by|from)\s+[^,;:.()\"“”]+)",
            re.I,
        ),
    ),
    ("will-verb", re.compile(rf"\b(?:{_AHEAD}|will)\s+(?P<obj>[a-z][^,;:.()\"“”]+)", re.I)),
)
_CLAUSE_END = re.compile(
    r"\s+(?:which|who|that would|and the|and its|and a|but|after|as|while|because|when|where|"
    r"according|said|says|analysts)\b.*$",
    re.I,
)
_LEADING = re.compile(r"^(?:its|their|the|his|her|a|an|be|to)\s+", re.I)
_TRAILING = re.compile(r"\s+(?:on|in|by|at|for|from|of|to|the|a|an|and|or|with|this|next|last)$", re.I)


def event_phrase(sentence: str, date_text: str | None = None) -> tuple[str, str] | None:
    """(the event, the rule that read it) for a sentence announcing something ahead; None when none
    of the rules reads one. Of several readings, the one nearest the date phrase (else the first rule
    that reads one) wins."""
    text = normalize_ws(sentence)
    at = None
    if date_text:
        where = re.search(rf"(?<![\w-]){re.escape(normalize_ws(date_text))}(?![\w-])", text)
        if where is not None:
            at = where.start()
            text = text[: where.start()] + " , " + text[where.end() :]
    found = []
    for rank, (name, pattern) in enumerate(_RULES):
        for m in pattern.finditer(text):
            phrase = _tidy(m.group("obj"))
            words = phrase.split()
            if words and len(words) >= (1 if name == "reports" else 2) and words[0].lower() not in _NOT_FIRST:
                found.append((abs(m.end("obj") - at) if at is not None else 0, rank, phrase, name))
    if not found:
        return None
    _, _, phrase, name = min(found)
    return phrase, name


def _tidy(phrase: str) -> str:
    p = _CLAUSE_END.sub("", normalize_ws(phrase))
    words = p.split()[:MAX_WORDS]
    p = " ".join(words)
    for _ in range(3):
        p = _LEADING.sub("", _TRAILING.sub("", p)).strip(" -–—")
    return p


def sentence_like(event: str, evidence: str) -> bool:
    """An "event" that is a sentence rather than a name: longer than any name code reads
    (`MAX_WORDS`), or five words or more ending in a full stop, or the whole of its evidence sentence."""
    e = normalize_ws(event).strip()
    words = len(e.split())
    return (
        words > MAX_WORDS or (words >= 5 and e.endswith(".")) or e.rstrip(".").lower() == evidence.rstrip(".").lower()
    )
