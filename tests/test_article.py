from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from summarizer import BinaryInputError, EmptyInputError, UndecodableInputError, parse_article, read_article
from summarizer.article import decode_input
from summarizer.text import close, contains_verbatim


def test_close_is_half_a_percent_relative():
    assert close(100, 100.5)
    assert not close(100, 100.6)
    assert close(0, 0)


def test_contains_verbatim_ignores_whitespace_only():
    assert contains_verbatim("a  b\n c", "a b c")
    assert not contains_verbatim("a b c", "a b d")
    assert not contains_verbatim("Alibaba’s", "Alibaba's")  # quotes are characters, not whitespace
    assert not contains_verbatim("anything", "   ")


def test_parse_article_reads_the_header():
    a = parse_article("title: T\npublished: 2026-01-04\nsource: s\norigin: o\n\nBody line.\n")
    assert (a.title, a.published, a.source, a.text) == ("T", date(2026, 1, 4), "s", "Body line.")
    assert parse_article("title: T\npublished: unknown\n\nB").published is None


def test_parse_article_without_header_takes_everything():
    raw = "Revenue: up 5% in the quarter.\nMore text."
    assert parse_article(raw).text == raw


def test_decode_input_refuses_bad_input_with_typed_errors():
    with pytest.raises(EmptyInputError):
        decode_input(b" \n\t ")
    with pytest.raises(BinaryInputError):
        decode_input(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(UndecodableInputError, match="not valid UTF-8"):
        decode_input("Umsatz stieg um 5 Prozent für".encode("latin-1"))
    assert decode_input("\ufeffText".encode()) == "Text"


def test_an_html_page_is_reduced_to_its_article_with_title_and_date():
    from summarizer.article import looks_like_html, plain_text

    page = (Path(__file__).parent / "fixtures" / "alibaba-page.html").read_text()
    a = read_article(Path(__file__).parent / "fixtures" / "alibaba-page.html")
    assert looks_like_html(page) and a.published is not None and a.published.isoformat() == "2026-01-04"
    assert a.title and a.title.startswith("Alibaba")
    assert "34% year-over-year revenue increase" in a.text and "closing at $155.74 per share" in a.text
    for chrome in ("Sign in", "Advertisement", "Copyright 2026", "Careers", "dataLayer", "display:flex"):
        assert chrome not in a.text
    assert plain_text(page) == a.text
    plain = "Revenue rose 5% <as the CEO put it> in the quarter."  # a stray angle bracket is not HTML
    assert not looks_like_html(plain) and plain_text(plain) == plain
