"""Text helpers every part shares: whitespace-insensitive matching, value agreement, atomic files."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_WS = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Collapse every run of whitespace to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def contains_verbatim(haystack: str, needle: str) -> bool:
    """True when `needle` occurs in `haystack`, ignoring differences in whitespace only."""
    n = normalize_ws(needle)
    return bool(n) and n in normalize_ws(haystack)


def similarity(a: str, b: str) -> float:
    """Token-set similarity in 0..1, ignoring case and punctuation."""
    from rapidfuzz import fuzz, utils

    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100.0


def close(a: float, b: float, rel: float = 0.005) -> bool:
    """Values agree within `rel` relative tolerance (0.5% by default)."""
    if a == b:
        return True
    return abs(a - b) <= rel * max(abs(a), abs(b))


def write_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, fsync'd, then a rename."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
