"""The desk's measures, in headless Chromium against a desk on loopback:

- paste to a reviewable draft: the seed article pasted in the inbox until its review page lists the
  brief's items (the embedded model with --live; else replayed from the browser test's cassette);
- page load of a reviewed brief with 30 figures (the gold brief of reutersnews-0021, every item
  marked): the median of 20 loads, from navigation to the load event;
- keystrokes of a full review of the seed brief: every item accepted from the keyboard.

    python -m tools.desk_bench [--live] --out evals/bench
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import read_article  # noqa: E402
from summarizer.desk.review import fresh_marks  # noqa: E402
from summarizer.evaluation.dataset import load_gold  # noqa: E402
from summarizer.model.local import MODEL_NAME  # noqa: E402
from tests.desk.server import DeskServer  # noqa: E402
from tests.desk.test_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SEED = ROOT / "evals" / "gold" / "articles" / "alibaba-2026-01-04.txt"
CASSETTE = (
    ROOT / "tests" / "desk" / "cassettes" / "test_browser"
    / "test_an_editor_drafts_checks_corrects_and_publishes_the_seed_brief.yaml"
)  # fmt: skip
LONG = "reutersnews-0021"


def _endpoint(live: bool) -> tuple[str, Any]:
    if live:
        from summarizer.model.local import shared_server

        return shared_server().base_url, contextlib.nullcontext()
    import vcr

    replay = vcr.VCR(record_mode="none", match_on=["method", "path", "body"], decode_compressed_response=True)
    return "http://127.0.0.1:8000/v1", replay.use_cassette(str(CASSETTE))


def paste_to_draft(page: Any, desk: DeskServer) -> float:
    page.goto(desk.url + "/")
    page.fill("#paste textarea", SEED.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    page.click("#paste button[type=submit]")
    page.wait_for_selector("#articles tbody tr.status-ready a", timeout=900_000)
    page.click("#articles tbody tr a")
    page.wait_for_selector("#items .item")
    return time.perf_counter() - t0


def keystrokes_to_review(page: Any) -> dict[str, int]:
    keys = 0
    items = page.locator("#items .item").count()
    page.keyboard.press("j")
    keys += 1
    while page.locator("#items .item.mark-pending").count():
        before = page.locator("#items .item.mark-pending").count()
        page.keyboard.press("a")
        keys += 1
        page.wait_for_function(f"document.querySelectorAll('#items .item.mark-pending').length < {before}")
    return {"items": items, "keystrokes": keys}


def page_load(page: Any, desk: DeskServer) -> dict[str, Any]:
    case = ROOT / "evals" / "gold"
    article = read_article(case / "articles" / f"{LONG}.txt")
    gold = load_gold(case / "labels" / f"{LONG}.yaml", article).model_dump(mode="json")
    store = desk.app.state.store
    aid = store.add(article.text, title=article.title, published=str(article.published), source=LONG, editor="bench")
    marks = fresh_marks(gold)
    marks["metrics"] = ["accepted"] * len(gold["metrics"])
    store.drafted(aid, gold, marks, {})
    times = []
    for _ in range(20):
        page.goto(f"{desk.url}/articles/{aid}")
        times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
    return {"figures": len(gold["metrics"]), "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1), "loads": len(times)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--live", action="store_true", help="draft with the embedded model (else the cassette)")
    parser.add_argument("--out", default="evals/bench")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base_url, cassette = _endpoint(args.live)
    with cassette, tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        with DeskServer(Path(tmp), base_url=base_url, model=MODEL_NAME) as desk:
            result = {
                "model": "embedded (live)" if args.live else "embedded (replayed from the cassette)",
                "paste_to_draft_s": round(paste_to_draft(page, desk), 1),
                "full_review": keystrokes_to_review(page),
                "page_load": page_load(page, desk),
            }
        browser.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "desk-live.json" if args.live else "desk-replay.json"
    (out / name).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
