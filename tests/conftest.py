from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "evals" / "gold" / "articles" / "alibaba-2026-01-04.txt"


@pytest.fixture
def seed_text() -> str:
    from summarizer import read_article

    return read_article(SEED).text


GOOD_METRIC: dict[str, Any] = {
    "name": "cloud division revenue growth, year over year",
    "value": 34,
    "value_high": None,
    "qualifier": "exact",
    "unit": "percent",
    "currency": None,
    "period": "latest quarter",
    "kind": "reported",
    "as_written": "34%",
    "evidence": "The company's cloud computing division reported a striking 34% year-over-year revenue "
    "increase in its latest quarter.",
}

GOOD_BRIEF: dict[str, Any] = {
    "company": {"name": "Alibaba Group", "ticker": "BABA", "isin": "US01609W1027"},
    "published": "2026-01-04",
    "thesis": "Alibaba is being re-rated as an AI-infrastructure company: cloud revenue grew 34%.",
    "stance": "positive",
    "metrics": [GOOD_METRIC],
    "risks": [
        {
            "description": "Cloud growth may prove unsustainable.",
            "category": "execution",
            "evidence": "This report must demonstrate whether the cloud division's high growth is sustainable.",
        }
    ],
    "catalysts": [
        {
            "event": "quarterly results",
            "date_text": "in February",
            "window_start": "2026-02-01",
            "window_end": "2026-02-28",
            "evidence": "The next critical test for the company's narrative will come with the release of "
            "quarterly results in February.",
        }
    ],
}


@pytest.fixture
def good_brief() -> dict[str, Any]:
    return copy.deepcopy(GOOD_BRIEF)


def as_draft(brief: dict[str, Any]) -> dict[str, Any]:
    """A brief as the model answers it: each quote replaced by its seed-article sentence number."""
    from summarizer import read_article
    from summarizer.finding.sentences import split_sentences

    sentences = split_sentences(read_article(SEED).text)
    draft = copy.deepcopy(brief)
    for group in ("metrics", "risks", "catalysts"):
        for item in draft[group]:
            evidence = item.pop("evidence")
            item["sentence"] = sentences.index(evidence) + 1 if evidence in sentences else 999
    return draft


GOOD_DRAFT = as_draft(GOOD_BRIEF)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Cassettes of the real embedded model (pytest-recording): requests match on method, path and
    body, so a changed prompt or schema fails with "can't overwrite existing cassette"."""
    return {
        "match_on": ["method", "path", "body"],
        "filter_headers": ["authorization", "x-api-key", "api-key"],
        "decode_compressed_response": True,
    }


@pytest.fixture
def endpoint(record_mode: str) -> str:
    """The embedded server when recording (`make record`); a loopback address vcrpy answers for when
    replaying."""
    if record_mode in ("none", None):
        return "http://127.0.0.1:8000/v1"
    from summarizer.model.local import shared_server

    return shared_server().base_url
