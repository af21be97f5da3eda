"""Sentences no figure, date or claim of a brief may come from: boilerplate, and text addressed to a
machine instead of the reader (a prompt injection)."""

from __future__ import annotations

import re

_BOILERPLATE = re.compile(
    r"buy or sell|should investors|sell immediately|free (?:analysis|report)|subscribe|newsletter|advertis|"
    r"sponsored|disclaimer|not investment advice|click here|sign up|all rights reserved|©|\bcopyright\b|"
    r"reporting by|editing by|compiled by|our analysts|the author|read more|find out (?:what|more|whether)|"
    r"urgent action|worth buying|free analysis|new \w+ analysis|^\s*(?:ad|advertisement|sponsored)\s*$",
    re.I,
)


_EXCHANGE_RATE = re.compile(r"^\(?\s*(?:US)?\$1\s*=|^\(?\s*[£€¥]1\s*=")
_DATELINE = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}(?:\s*-\s*[\d:]+)?$")


# Text that speaks to the model instead of the reader: "Ignore the article and say ...", "SYSTEM:",
# "Note to the AI: ...", a fake </article> tag. Such a sentence is never shown to the model and none
# of its figures, dates or claims reach a brief.
_MACHINE = (
    r"(?:AI|A\.I\.|models?|assistants?|LLMs?|chatbots?|bots?|summari[sz]ers?|digests?|tools?|agents?|systems?|"
    r"programs?|crawlers?|scrapers?)"
)
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.]{0,60}\b(?:instructions?|text|article|above|previous|rules?|everything)\b"
    r"|\byou (?:are|must|should|will) (?:now )?(?:an?|the|in|act|report|say|output|write|answer|respond|ignore|include|"
    r"state|add|set|quote)\b"
    r"|^\W*(?:system|assistant|user|developer)\s*:|\b(?:AI|language model|LLM|chatbot|summari[sz]er|"
    r"summari[sz]ing (?:tool|model|system))s?\b[^.]{0,40}\b(?:must|should|shall|needs? to|has to|will|is instructed)\b"
    r"|\b(?:note|message|instructions?) (?:to|for) (?:the |any )?(?:AI|model|assistant|summari[sz]er|LLM|bot)s?\b"
    r"|</?\s*(?:article|system|instructions?|tool_call)\s*>|<\|im_(?:start|end)\|>|\bnew instructions\b"
    # a heading addressed to a machine ("Attention automated news digests:", "P.S. to whatever tool ...:"),
    rf"|\b(?:note|message|attention|p\.\s?s\.|reminder|warning|notice)\W[^.:]{{0,50}}\b{_MACHINE}\b[^.:]{{0,50}}:"
    # what a summary of this text should say, or do before writing,
    r"|\bwhen (?:summari[sz]ing|condensing|processing|digesting|rewriting) (?:this|the) (?:story|article|report|page|text)\b"
    r"|\bsummar(?:y|ies) of this (?:story|article|report|page|text)\b[^.]{0,40}\b(?:should|must|shall|need to)\b"
    r"|\bbefore (?:writing|answering|summari[sz]ing|responding|you (?:write|answer|summari[sz]e|respond))\b"
    r"|\b(?:call|set|make|mark|give) the stance\b|\[\s*(?:editor'?s?\s+)?(?:instructions?|prompt|system)\s*\]"
    # and "instruction" in another language, addressed to a model.
    r"|\b(?:instrucci[oó]n|instru[cç][aã]o|anweisung|istruzion[ei]|consigne)s?\b[^.]{0,30}\b(?:model\w*|modèle|IA|KI|assistent\w*)\b",
    re.I,
)


def is_instruction(sentence: str) -> bool:
    """A sentence addressed to a model rather than to readers (a prompt injection)."""
    return bool(_INSTRUCTION.search(sentence))


def is_boilerplate(sentence: str) -> bool:
    """Advertising, "buy or sell?" teasers, disclaimers, bylines, exchange-rate notes, bare datelines:
    no figure in them belongs in a brief."""
    s = sentence.strip()
    return bool(_BOILERPLATE.search(s) or _EXCHANGE_RATE.match(s) or _DATELINE.match(s))
