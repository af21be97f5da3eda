"""The desk's measures, in headless Chromium against a desk on loopback:

- paste to a reviewable draft: the seed article pasted in the inbox until its review page lists the
  brief's items (the embedded model with --live; else replayed from the browser test's cassette);
- page load of a reviewed brief with 30 figures (the gold brief of reutersnews-0021, every item
  marked): the median of 20 loads, from navigation to the load event;
- a full review of the seed brief from the keyboard, each item decided as the gold label of the seed
  article says (accepted; its kind or qualifier corrected first where gold differs; rejected where gold
  has no such item: a figure matches as the eval matches them, a risk or catalyst by its quote): the keys, clicks and seconds it takes, and whether every item was in view when
  acted on (its box inside the window and the brief's list);
- a screenshot of the review page while more copies of the seed are drafting (their stage, progress
  and time left in the bar) with the list filtered to what is left to check (--screenshot PATH).

    python -m tools.desk_bench [--live] --out evals/bench [--screenshot docs/desk-review.png]
"""

from __future__ import annotations

import argparse
import asyncio
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
from summarizer.schema import Catalyst, Metric, Risk  # noqa: E402
from summarizer.text import close, normalize_ws  # noqa: E402
from tests.desk.server import DeskServer  # noqa: E402
from tests.desk.test_browser import CHROMIUM, CHROMIUM_ARGS, in_view  # noqa: E402

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

    # The same answers may be replayed for the copies drafted behind the screenshot.
    replay = vcr.VCR(record_mode="none", match_on=["method", "path", "body"], decode_compressed_response=True)
    return "http://127.0.0.1:8000/v1", replay.use_cassette(str(CASSETTE), allow_playback_repeats=True)


def paste_to_draft(page: Any, desk: DeskServer) -> float:
    page.goto(desk.url + "/")
    page.fill("#paste textarea", SEED.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    page.click("#paste button[type=submit]")
    page.wait_for_selector("#articles tbody tr.status-ready a", timeout=900_000)
    page.click("#articles tbody tr a")
    page.wait_for_selector("#items .item")
    return time.perf_counter() - t0


class Editor:
    """Keys and clicks into the page, counted."""

    def __init__(self, page: Any) -> None:
        self.page, self.keys, self.clicks = page, 0, 0
        self.unseen: list[str] = []

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def current(self) -> str:
        return self.page.eval_on_selector("#items .item.current", "el => el.dataset.key")

    def check_in_view(self, key: str) -> None:
        if not in_view(self.page, f'#items .item[data-key="{key}"]'):
            self.unseen.append(key)

    def choose(self, key: str, field: str, want: str) -> None:
        """From the item, Tab to its `field` list and arrow to `want` (each step saved), then Esc."""
        item = f'#items .item[data-key="{key}"]'
        self.press("e")
        while self.page.evaluate("document.activeElement.name || document.activeElement.dataset.path || ''") not in (
            field, f"{key}/{field}"
        ):  # fmt: skip
            self.press("Tab")
        options = self.page.eval_on_selector_all(f"{item} select[data-path$='/{field}'] option, {item} "
                                                 f"select[name={field}] option", "els => els.map((e) => e.value)")  # fmt: skip
        have = self.page.evaluate("document.activeElement.value")
        step = "ArrowDown" if options.index(want) > options.index(have) else "ArrowUp"
        for _ in range(abs(options.index(want) - options.index(have))):
            self.press(step)
        self.page.wait_for_function(
            f"document.querySelector('{item}').dataset.mark === 'edited' && !document.querySelector('{item} .unsaved')"
        )
        self.press("Escape")


def _same(a: str, b: str) -> bool:
    return normalize_ws(a) == normalize_ws(b)


def full_review(page: Any, desk: DeskServer) -> dict[str, Any]:
    """Every item of the seed brief decided from the keyboard as the seed's gold label says."""
    aid = page.eval_on_selector("#desk-main", "el => el.dataset.articleId")
    gold = load_gold(ROOT / "evals" / "gold" / "labels" / f"{SEED.stem}.yaml", read_article(SEED))
    # Through the browser: in this process the replay answers HTTP requests, the desk's own included.
    brief = page.evaluate("(aid) => fetch(`/api/articles/${aid}`).then((r) => r.json())", aid)["brief"]
    order = page.eval_on_selector_all("#items .item", "els => els.map((e) => e.dataset.key)")
    editor, done = Editor(page), {"accepted": 0, "rejected": 0, "kind corrected": 0, "qualifier corrected": 0}
    rejected: list[str] = []
    t0 = time.perf_counter()
    editor.press("j")
    for key in order:
        assert editor.current() == key, f"the review moved to {editor.current()}, not {key}"
        editor.check_in_view(key)
        group, i = key.split("/")
        item = brief[group][int(i)]
        match: Metric | Risk | Catalyst | None
        if group == "metrics":
            # The spec's matching: values within 0.5% and the same unit, here in the same sentence.
            metric = next((m for m in gold.metrics if m.unit == item["unit"] and _same(m.evidence, item["evidence"])
                          and (close(m.value, item["value"]) if m.value is not None and item["value"] is not None
                               else m.value == item["value"] and m.as_written == item["as_written"])), None)  # fmt: skip
            if metric is not None and metric.kind != item["kind"]:
                editor.choose(key, "kind", metric.kind)
                done["kind corrected"] += 1
            if metric is not None and metric.qualifier != item["qualifier"] and metric.qualifier != "range":
                editor.choose(key, "qualifier", metric.qualifier)
                done["qualifier corrected"] += 1
            match = metric
        elif group == "risks":
            match = next((r for r in gold.risks if _same(r.evidence, item["evidence"])), None)
        else:
            match = next((c for c in gold.catalysts if _same(c.evidence, item["evidence"])
                          and str(c.window_start) == str(item["window_start"])), None)  # fmt: skip
        editor.check_in_view(key)
        editor.press("a" if match is not None else "x")
        done["accepted" if match is not None else "rejected"] += 1
        if match is None:
            rejected.append(item.get("as_written") or item.get("description") or item.get("event"))
        want = "mark-accepted" if match is not None else "mark-rejected"
        page.wait_for_function(
            f"document.querySelector('#items .item[data-key=\"{key}\"]').classList.contains('{want}')"
        )
    seconds = time.perf_counter() - t0
    left = page.locator("#items .item.mark-pending").count()
    return {"items": len(order), "decisions": done, "rejected": rejected, "left_pending": left, "keys": editor.keys, "clicks": editor.clicks,
            "seconds": round(seconds, 1), "every_item_in_view_when_acted_on": not editor.unseen,
            "out_of_view": editor.unseen}  # fmt: skip


def pace_replay(seconds: float) -> None:
    """Give each replayed model answer after `seconds`, as a model takes time to answer (vcrpy answers at
    once, which leaves no drafting on screen to show)."""
    import vcr.stubs.httpx_stubs as stubs

    real = stubs._vcr_handle_async_request

    async def paced(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(seconds)
        return await real(*args, **kwargs)

    stubs._vcr_handle_async_request = paced


def progress_screenshot(page: Any, desk: DeskServer, path: Path, copies: int = 4) -> bool:
    """The review page of a fresh copy of the seed brief, three items accepted and the list filtered to
    what is left to check, while more copies draft behind it (their stage, progress and time left in
    the bar); whether a draft's estimate of time left was on screen."""
    post = """(text) => fetch('/api/articles', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                              body: JSON.stringify({text})}).then((r) => r.json())"""
    ids = [page.evaluate(post, SEED.read_text(encoding="utf-8"))["id"] for _ in range(copies)]
    store = desk.app.state.store
    while store.get(ids[0]).status != "ready":
        time.sleep(0.1)
    page.goto(f"{desk.url}/articles/{ids[0]}")
    page.wait_for_selector("#items .item")
    page.keyboard.press("j")
    for _ in range(3):
        before = page.locator("#items .item.mark-accepted").count()
        page.keyboard.press("a")
        page.wait_for_function(f"document.querySelectorAll('#items .item.mark-accepted').length > {before}")
    page.select_option("#filter", "left")
    page.locator("#desk-main").focus()
    try:
        page.wait_for_function(
            "[...document.querySelectorAll('#queue progress')].some((p) => p.value > 0.3)", timeout=120_000
        )
        shown = True
    except Exception:
        shown = False
    page.screenshot(path=str(path))
    page.select_option("#filter", "all")
    return shown


def page_load(page: Any, desk: DeskServer) -> dict[str, Any]:
    case = ROOT / "evals" / "gold"
    article = read_article(case / "articles" / f"{LONG}.txt")
    gold = load_gold(case / "labels" / f"{LONG}.yaml", article).model_dump(mode="json")
    store = desk.app.state.store
    aid = store.add(article.text, title=article.title, published=str(article.published), source=LONG, editor="bench")
    marks = fresh_marks(gold)
    marks["metrics"] = ["accepted"] * len(gold["metrics"])
    store.set_status(aid, "drafting")
    store.drafted(aid, gold, marks, {}, version=store.get(aid).version)
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
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="replayed: write the review page with drafting progress "
        "and the filter (each answer replayed after 0.5 s, as a model takes time)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    base_url, cassette = _endpoint(args.live)
    with cassette, tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        with DeskServer(Path(tmp), base_url=base_url, model=MODEL_NAME) as desk:
            result = {
                "model": "embedded (live)" if args.live else "embedded (replayed from the cassette)",
                "paste_to_draft_s": round(paste_to_draft(page, desk), 1),
                "full_review": full_review(page, desk),
                "viewport": "1400x900",
            }
            if args.screenshot and not args.live:
                pace_replay(0.5)
                result["screenshot_shows_time_left"] = progress_screenshot(page, desk, Path(args.screenshot))
            result["page_load"] = page_load(page, desk)
            page.close()  # its event stream ends with it
        browser.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = "desk-live.json" if args.live else "desk-replay.json"
    (out / name).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
