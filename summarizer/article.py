"""Articles as the summarizer reads them: files, stdin bytes and HTML pages to text with a header."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import BinaryInputError, EmptyInputError, UndecodableInputError


@dataclass(frozen=True)
class Article:
    """An article as the summarizer reads it: the text, and what its header says."""

    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    origin: str | None = None


_HEADER_KEYS = ("title", "published", "source", "origin")


_HTML = re.compile(
    r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b)|<(?:p|div|article|section|span|br|a)\b[^>]*>", re.I
)


def looks_like_html(text: str) -> bool:
    """An HTML page rather than plain text: a document tag, or several block tags."""
    head = text[:8192]
    return bool(_HTML.match(head)) or len(_HTML.findall(head)) >= 3


def html_to_article(html: str) -> Article:
    """The article in an HTML page, with navigation, ads and footers removed (trafilatura), its
    title and date from the page's metadata when it has them."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise EmptyInputError("the HTML page has no article text that could be extracted")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = date.fromisoformat(str(meta.date)[:10])
        except ValueError:
            published = None
    body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())  # one paragraph per block
    return Article(text=body, title=meta.title if meta is not None else None, published=published)


def plain_text(text: str) -> str:
    """The text to summarize: an HTML page is reduced to its article, plain text passes through."""
    return html_to_article(text).text if looks_like_html(text) else text


def parse_article(raw: str) -> Article:
    """Split the optional `key: value` header block (title/published/source/origin) from the body.

    Files without such a header are taken whole as the body; an HTML page is reduced to its article.
    """
    if looks_like_html(raw):
        return html_to_article(raw)
    lines = raw.splitlines()
    header: dict[str, str] = {}
    i = 0
    while i < len(lines) and ":" in lines[i]:
        key, _, value = lines[i].partition(":")
        if key.strip() not in _HEADER_KEYS:
            break
        header[key.strip()] = value.strip()
        i += 1
    if "title" not in header:
        return Article(text=raw)
    body = "\n".join(lines[i:]).strip("\n")
    published = None
    if header.get("published", "unknown") not in ("", "unknown"):
        published = date.fromisoformat(header["published"])
    return Article(
        text=body,
        title=header.get("title"),
        published=published,
        source=header.get("source"),
        origin=header.get("origin"),
    )


def decode_input(data: bytes, *, name: str = "input") -> str:
    """Bytes to text, refusing binary, undecodable and empty input with typed errors."""
    if b"\x00" in data[:8192]:
        raise BinaryInputError(f"{name} looks like a binary file (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UndecodableInputError(
            f"{name} is not valid UTF-8 (byte {exc.start}): convert it to UTF-8 first"
        ) from None
    if not text.strip():
        raise EmptyInputError(f"{name} is empty or whitespace only: there is no article to summarize")
    return text


def read_article(path: str | Path) -> Article:
    """Read an article file (UTF-8, optional header block) with clear errors for bad input."""
    p = Path(path)
    return parse_article(decode_input(p.read_bytes(), name=str(p)))
