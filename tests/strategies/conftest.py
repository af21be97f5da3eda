"""Fixtures shared by the strategies' tests."""

from __future__ import annotations

from datetime import date

import pytest

from summarizer.finding import find


@pytest.fixture
def found(seed_text):
    """What code finds in the seed article."""
    return find(seed_text, date(2026, 1, 4))
