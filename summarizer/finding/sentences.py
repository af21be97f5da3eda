"""Sentences as written: paragraphs split on blank lines, sentences by pysbd."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

_local = threading.local()


def _segmenter() -> Any:
    """One pysbd segmenter per thread: a segmenter keeps the text it works on, so sharing one across
    threads mixes up concurrent articles' sentences."""
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        import pysbd

        seg = _local.segmenter = pysbd.Segmenter(language="en", clean=False, char_span=False)
    return seg


_PARAGRAPH = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[list[str]]:
    """The sentences of each paragraph of `text`, as written (whitespace at the ends stripped)."""
    return [list(p) for p in _split_paragraphs(text)]


@lru_cache(maxsize=128)
def _split_paragraphs(text: str) -> tuple[tuple[str, ...], ...]:
    # Cached: a brief splits its article more than once (candidates, prompt, checks), and pysbd is slow.
    out: list[tuple[str, ...]] = []
    for paragraph in _PARAGRAPH.split(text):
        sentences = [s.strip() for s in _segmenter().segment(paragraph)] if paragraph.strip() else []
        if any(sentences):
            out.append(tuple(s for s in sentences if s))
    return tuple(out)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, as written (whitespace at the ends stripped), paragraph breaks respected."""
    return [s for paragraph in split_paragraphs(text) for s in paragraph]
