"""The desk in a real browser: headless Chromium (Debian's `chromium`, driven by Playwright) against a
desk served on loopback, its model answers replayed from a cassette recorded from the embedded model
(`make record` records it again; the review tests work on copies of one desk that drafted the seed
article from that same cassette).

Screenshots of the review page are kept in tests/artifacts/.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import vcr

from summarizer.evaluation.dataset import load_dataset
from summarizer.model.local import MODEL_NAME

from ..conftest import ROOT, SEED
from .server import DeskServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SEED_CASSETTE = (
    Path(__file__).parent / "cassettes" / "test_browser"
    / "test_an_editor_drafts_checks_corrects_and_publishes_the_seed_brief.yaml"
)  # fmt: skip
ARTIFACTS = ROOT / "tests" / "artifacts"
# What Chromium needs to start quietly as root on a machine with no network beyond loopback.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip

playwright = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (apt-get install -y chromium)", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.vcr
def test_an_editor_drafts_checks_corrects_and_publishes_the_seed_brief(browser, endpoint, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with DeskServer(tmp_path / "desk", base_url=endpoint, model=MODEL_NAME) as desk:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        page.goto(desk.url + "/")
        page.fill("#editor", "Ada")
        page.dispatch_event("#editor", "change")

        # Paste the seed article (its header gives the title and date) and wait for the draft.
        page.fill("#paste textarea", SEED.read_text(encoding="utf-8"))
        page.click("#paste button[type=submit]")
        row = page.locator("#articles tbody tr").first
        playwright.expect(row.locator(".state")).to_contain_text("ready", timeout=600_000)
        row.locator("a").click()
        page.wait_for_selector("#items .item")
        page.screenshot(path=str(ARTIFACTS / "desk-review.png"), full_page=False)

        # A flagged figure says which of its fields to check, with each one's confidence, and marks them.
        flagged = page.locator("#items .item.metrics.review").first
        chips = flagged.locator(".field-flag").all_inner_texts()
        assert chips and all(re.fullmatch(r"(figure|name|kind|period)\? \d+%", c) for c in chips), chips
        assert flagged.locator(".doubt").count() == len(chips)
        assert "figure?" not in chips  # the figure itself is trusted: only the fields in doubt are asked

        # Click a figure in the article: its item is selected and its sentence is marked.
        figure = page.locator("mark.figure").first
        written = figure.inner_text()
        figure.click()
        current = page.locator("#items .item.current")
        playwright.expect(current).to_have_count(1)
        playwright.expect(current.locator("code")).to_have_text(written)
        marked = " ".join(page.locator("mark.current").all_inner_texts())
        assert written in marked and len(marked) > len(written) + 20, "the figure's whole sentence is marked"
        key = current.get_attribute("data-key")
        assert key and key.startswith("metrics/")

        # Change that figure's kind; reject the first risk with the keyboard.
        kind = current.locator("select").first
        new_kind = "estimate" if kind.input_value() != "estimate" else "guidance"
        kind.select_option(new_kind)
        playwright.expect(page.locator("#status")).to_have_text("saved")
        risk = page.locator("#items .item.risks").first
        risk_key = risk.get_attribute("data-key")
        risk_text = risk.locator("input").first.input_value()
        risk.locator(".badge").click()
        page.keyboard.press("x")
        playwright.expect(page.locator(f'.item[data-key="{risk_key}"]')).to_have_class(re.compile("mark-rejected"))
        page.screenshot(path=str(ARTIFACTS / "desk-review-edited.png"))

        # Both changes survive a reload.
        page.reload()
        playwright.expect(page.locator(f'.item[data-key="{key}"] select').first).to_have_value(new_kind)
        playwright.expect(page.locator(f'.item[data-key="{risk_key}"]')).to_have_class(re.compile("mark-rejected"))

        # Export Markdown: the corrected kind is in, the rejected risk is out.
        with page.expect_download() as dl:
            page.click("text=Markdown")
        markdown = Path(dl.value.path()).read_text(encoding="utf-8")
        assert f"| {new_kind} |" in markdown
        risks = markdown.split("## Risks", 1)[1] if "## Risks" in markdown else ""
        assert not any(line.startswith(f"- {risk_text} ") for line in risks.splitlines()), risks
        # Published as the editor approved it: no confidences, no review list (the draft has both).
        assert "% sure" not in markdown and "Check first" not in markdown

        # Save as gold: the eval's own loader validates the folder the desk wrote.
        page.click("#gold")
        playwright.expect(page.locator("#status")).to_contain_text("saved as gold")
        aid = page.locator("#desk-main").get_attribute("data-article-id")
        cases = load_dataset(tmp_path / "desk" / "gold")
        assert [c.id for c in cases] == [aid]
        gold = cases[0].gold
        label = (tmp_path / "desk" / "gold" / "labels" / f"{aid}.yaml").read_text(encoding="utf-8")
        assert "confidence" not in label and "review" not in label
        assert gold is not None and new_kind in {m.kind for m in gold.metrics}
        assert risk_text not in {r.description for r in gold.risks}
        page.close()


def test_in_the_browser_a_selection_becomes_a_figure_a_conflict_is_explained_and_hostile_text_stays_text(
    browser, tmp_path
):
    """The page's own logic against an in-process fake model (its answers are test doubles)."""
    from ..conftest import GOOD_DRAFT
    from ..scripted_server import FakeModel, Reply

    with (
        FakeModel([], default=Reply(GOOD_DRAFT)) as fake,
        DeskServer(tmp_path / "desk", base_url=fake.base_url, model="m", strategy="single") as desk,
    ):
        hostile = "<script>window.ran = 1; alert('x')</script><img src=x onerror=\"window.ran = 2\">\n\n"
        aid = desk.http.post("/api/articles", json={"text": hostile + SEED.read_text(encoding="utf-8")}).json()["id"]
        desk.wait(aid)
        dialogs: list[str] = []
        page, other = (browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(2))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(f"{desk.url}/articles/{aid}")
        other.goto(f"{desk.url}/articles/{aid}")
        assert "<script>window.ran" in page.locator("#article-text").inner_text()
        assert page.evaluate("window.ran") is None and not dialogs

        # Select "$155.74" in the article: code reads it, the editor names it.
        select_words(page, "$155.74")
        playwright.expect(page.locator("#add-figure")).to_be_visible()
        page.fill("#add-figure input[name=name]", "closing share price")
        page.press("#add-figure input[name=name]", "Enter")  # Enter submits the form
        playwright.expect(page.locator("#status")).to_have_text("figure added")
        added = page.locator(".item.mark-added")
        playwright.expect(added.locator("code")).to_have_text("$155.74")
        playwright.expect(added.locator(".figure")).to_have_text("155.74 USD/share")

        # The other page still shows the old version: its save is refused with the reason, and kept in the field.
        name = other.locator('.item[data-key="metrics/0"] input').first
        name.fill("cloud revenue growth")
        name.press("Enter")
        playwright.expect(other.locator("#status")).to_contain_text("Not saved: this brief was changed by editor")
        assert name.input_value() == "cloud revenue growth"

        page.keyboard.press("?")
        playwright.expect(page.locator("#help")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "desk-shortcuts.png"))


# ---- the review loop, on the seed brief drafted from the recorded answers -------------------------


@pytest.fixture(scope="module")
def seed_desk(browser, tmp_path_factory, record_mode, vcr_config) -> tuple[Path, str]:
    """A desk data folder holding the seed article drafted once, pasted in the inbox as the first test
    does: its answers replayed from that test's cassette (the embedded model's when recording). Each
    test below works on its own copy."""
    data = tmp_path_factory.mktemp("seed") / "desk"
    if record_mode in ("none", None):
        answers: Any = vcr.VCR(record_mode="none", **vcr_config).use_cassette(str(SEED_CASSETTE))
        base_url = "http://127.0.0.1:8000/v1"
    else:
        from summarizer.model.local import shared_server

        answers, base_url = contextlib.nullcontext(), shared_server().base_url
    # Only the browser talks to the desk here: the replay answers the desk's requests to the model.
    with answers, DeskServer(data, base_url=base_url, model=MODEL_NAME) as desk:
        page = browser.new_page()
        page.goto(desk.url + "/")
        page.fill("#paste textarea", SEED.read_text(encoding="utf-8"))
        page.click("#paste button[type=submit]")
        row = page.locator("#articles tbody tr").first
        playwright.expect(row.locator(".state")).to_contain_text("ready", timeout=900_000)
        aid = row.get_attribute("data-id")
        page.close()
    assert aid
    return data, aid


@contextlib.contextmanager
def review(browser, seed_desk, tmp_path, *, height: int = 800):
    """The review page of a copy of the drafted seed desk: (page, desk, article id)."""
    data, aid = seed_desk
    shutil.copytree(data, tmp_path / "desk")
    with DeskServer(tmp_path / "desk", roots=(tmp_path,), base_url="http://127.0.0.1:9/v1", model="m") as desk:
        page = browser.new_page(viewport={"width": 1400, "height": height})
        page.set_default_timeout(15_000)
        page.goto(f"{desk.url}/articles/{aid}")
        page.wait_for_selector("#items .item")
        try:
            yield page, desk, aid
        finally:
            page.close()


def in_view(page, selector: str) -> bool:
    """The element's whole box lies in the window and in the brief's scrolled list."""
    return page.evaluate(
        """(sel) => {
            const el = document.querySelector(sel);
            if (!el) return false;
            const box = el.getBoundingClientRect(), list = document.querySelector('.brief').getBoundingClientRect();
            const top = Math.max(list.top, 0), bottom = Math.min(list.bottom, innerHeight);
            return box.height > 0 && box.top >= top - 1 && box.bottom <= bottom + 1;
        }""",
        selector,
    )


def test_ten_accepts_in_a_row_keep_the_item_in_view_and_in_focus(browser, seed_desk, tmp_path):
    with review(browser, seed_desk, tmp_path, height=700) as (page, desk, aid):
        page.keyboard.press("j")
        order = page.eval_on_selector_all("#items .item", "els => els.map((e) => e.dataset.key)")
        assert len(order) >= 11
        for i in range(10):
            key = order[i]
            item = f'#items .item[data-key="{key}"]'
            playwright.expect(page.locator(item)).to_have_class(re.compile(r"\bcurrent\b"))
            assert in_view(page, item), f"accept {i + 1}: {key} is off-screen when accepted"
            page.keyboard.press("a")
            playwright.expect(page.locator(item)).to_have_class(re.compile("mark-accepted"))
            playwright.expect(page.locator("#status")).to_have_text("accepted")
            following = f'#items .item[data-key="{order[i + 1]}"]'
            playwright.expect(page.locator(following)).to_have_class(re.compile(r"\bcurrent\b"))
            assert in_view(page, following), f"after accept {i + 1}: the next item is off-screen"
            assert page.evaluate("document.activeElement.dataset.key") == order[i + 1]
        marks = desk.http.get(f"/api/articles/{aid}").json()["marks"]
        assert sum(m == "accepted" for group in marks.values() for m in group) == 10
        # What is left to check: the filter hides the accepted items, the counts say how many remain.
        page.select_option("#filter", "left")
        playwright.expect(page.locator("#items .item:visible")).to_have_count(len(order) - 10)
        playwright.expect(page.locator("#counts")).to_contain_text(f"{len(order) - 10} of {len(order)} left to check")
        page.screenshot(path=str(ARTIFACTS / "desk-review-filter.png"))


def test_accepts_typed_faster_than_the_desk_saves_are_each_saved_in_turn(browser, seed_desk, tmp_path):
    with review(browser, seed_desk, tmp_path) as (page, desk, aid):
        order = page.eval_on_selector_all("#items .item", "els => els.map((e) => e.dataset.key)")
        page.keyboard.press("j")
        for _ in range(5):
            page.keyboard.press("a")  # no waiting: each save goes on the version the one before made
        for key in order[:5]:
            playwright.expect(page.locator(f'#items .item[data-key="{key}"]')).to_have_class(
                re.compile("mark-accepted")
            )
        playwright.expect(page.locator(f'#items .item[data-key="{order[5]}"]')).to_have_class(
            re.compile(r"\bcurrent\b")
        )
        assert in_view(page, f'#items .item[data-key="{order[5]}"]')
        history = desk.http.get(f"/api/articles/{aid}/history").json()
        assert [h["detail"]["path"] for h in history if h["action"] == "mark"] == order[:5]
        assert "error" not in (page.locator("#status").get_attribute("class") or "")


def test_a_refused_edit_is_shown_beside_its_field_and_esc_puts_back_the_saved_value(browser, seed_desk, tmp_path):
    with review(browser, seed_desk, tmp_path, height=700) as (page, desk, aid):
        catalyst = page.locator("#items .item.catalysts").first
        catalyst.locator(".badge").click()
        start = catalyst.locator("input[name=window_start]")
        saved = start.input_value()
        start.fill("2025-12-01")  # before the article's date (2026-01-04)
        refusal = catalyst.locator(".refusal")
        playwright.expect(refusal).to_contain_text("a catalyst is a future event")
        playwright.expect(start).to_have_value("2025-12-01")  # the typed value stays, marked unsaved
        playwright.expect(catalyst.locator("[data-whole].unsaved")).to_have_count(1)
        assert in_view(page, f'#items .item[data-key="{catalyst.get_attribute("data-key")}"] .refusal')
        state = desk.http.get(f"/api/articles/{aid}").json()
        key = catalyst.get_attribute("data-key")
        assert state["brief"]["catalysts"][int(key.split("/")[1])]["window_start"] == saved
        start.press("Escape")
        playwright.expect(start).to_have_value(saved)
        playwright.expect(catalyst.locator(".refusal")).to_have_count(0)

        # A thesis over 60 words: the reason beside the box, the words kept for the editor to cut.
        thesis = page.locator("textarea[data-path=thesis]")
        thesis.fill("word " * 61)
        thesis.blur()
        playwright.expect(page.locator("#top .refusal")).to_contain_text("at most 60")
        playwright.expect(thesis).to_have_class(re.compile("unsaved"))
        page.screenshot(path=str(ARTIFACTS / "desk-refusal.png"))

        # The company's ISIN: one the article prints is saved, one it does not is refused beside its box.
        isin = page.locator("input[data-path='company.isin']")
        isin.fill("US1234567890")
        isin.press("Enter")
        playwright.expect(page.locator("#company .refusal")).to_contain_text("is not printed in the article")
        isin.fill("US01609W1027")
        isin.press("Enter")
        playwright.expect(page.locator("#company .refusal")).to_have_count(0)
        wait_for(lambda: desk.http.get(f"/api/articles/{aid}").json()["brief"]["company"]["isin"] == "US01609W1027")


@pytest.mark.parametrize(("group", "field"), [("metrics", "kind"), ("risks", "category")])
def test_a_list_changed_two_steps_by_keyboard_is_saved_and_keeps_the_focus(browser, seed_desk, tmp_path, group, field):
    with review(browser, seed_desk, tmp_path) as (page, desk, aid):
        item = page.locator(f"#items .item.{group}").first
        key = item.get_attribute("data-key")
        item.locator(".badge").click()
        chooser = item.locator(f"select[data-path$='/{field}']")
        options = chooser.locator("option").all_inner_texts()
        at = options.index(chooser.input_value())
        step, want = ("ArrowDown", options[at + 2]) if at + 2 < len(options) else ("ArrowUp", options[at - 2])
        page.keyboard.press("e")  # the item's first field
        while page.evaluate("document.activeElement.dataset.path") != f"{key}/{field}":
            page.keyboard.press("Tab")
        page.keyboard.press(step)
        page.keyboard.press(step)
        playwright.expect(page.locator("#status")).to_have_text("saved")
        index = int(key.split("/")[1])
        wait_for(lambda: desk.http.get(f"/api/articles/{aid}").json()["brief"][group][index][field] == want)
        playwright.expect(chooser).to_have_value(want)
        assert page.evaluate("document.activeElement.dataset.path") == f"{key}/{field}"
        playwright.expect(page.locator(f'#items .item[data-key="{key}"]')).to_have_class(re.compile(r"\bcurrent\b"))
        playwright.expect(page.locator(f'#items .item[data-key="{key}"] .state')).to_have_text("edited")
        assert in_view(page, f'#items .item[data-key="{key}"]')
        history = desk.http.get(f"/api/articles/{aid}/history").json()
        assert [h["detail"]["to"] for h in history if h["action"] == "set"][-1] == want


def test_an_edit_after_approval_says_it_withdrew_the_approval(browser, seed_desk, tmp_path):
    with review(browser, seed_desk, tmp_path) as (page, desk, aid):
        page.fill("#editor", "Ada")
        page.dispatch_event("#editor", "change")
        page.click("#approve")
        playwright.expect(page.locator("#status")).to_have_text("approved for publishing")
        playwright.expect(page.locator("#approval")).to_contain_text("Approved by Ada at")
        item = page.locator("#items .item.metrics").first
        name = item.locator("input[data-path$='/name']")
        name.fill("qwen model downloads")
        name.press("Enter")
        playwright.expect(page.locator("#status")).to_have_text(
            "saved; this withdrew the approval: approve again when done"
        )
        playwright.expect(page.locator("#approval")).to_contain_text("Not approved: Ada's edit at")
        playwright.expect(page.locator("#approve")).to_have_text("Approve")
        assert desk.http.get(f"/api/articles/{aid}").json()["approved"] is None
        playwright.expect(name).to_be_focused()  # the editor goes on where they were


def test_a_drag_across_highlights_selects_no_other_item(browser, seed_desk, tmp_path):
    with review(browser, seed_desk, tmp_path) as (page, _desk, _aid):
        marks = page.locator("mark[data-items]")
        first = marks.first
        first.click()
        chosen = page.locator("#items .item.current").get_attribute("data-key")
        other = next(m for m in marks.all() if m.get_attribute("data-items").split(" ")[0] != chosen and m.is_visible())
        a, b = first.bounding_box(), other.bounding_box()
        page.mouse.move(b["x"] + 2, b["y"] + b["height"] / 2)
        page.mouse.down()
        page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2, steps=8)
        page.mouse.up()
        playwright.expect(page.locator("#add-figure")).to_be_visible()  # the drag selected words to add
        assert page.locator("#items .item.current").get_attribute("data-key") == chosen


def test_an_editor_corrects_a_figures_qualifier_on_the_articles_words(browser, seed_desk, tmp_path):
    with review(browser, seed_desk, tmp_path) as (page, desk, aid):
        item = page.locator("#items .item.metrics", has=page.locator("code", has_text=re.compile("^600 million$")))
        key = item.get_attribute("data-key")
        item.locator(".badge").click()
        reading = item.locator("[data-whole][data-kind=reading]")
        reading.locator("select[name=qualifier]").select_option("less_than")  # "surpassed" says no such thing
        playwright.expect(item.locator(".refusal")).to_contain_text("says less than")
        reading.locator("select[name=qualifier]").select_option("more_than")
        playwright.expect(page.locator("#status")).to_have_text("saved")
        playwright.expect(item.locator(".refusal")).to_have_count(0)
        metric = desk.http.get(f"/api/articles/{aid}").json()["brief"]["metrics"][int(key.split("/")[1])]
        assert metric["qualifier"] == "more_than" and metric["value"] == 600_000_000


def select_words(page, words: str) -> None:
    """Select `words` in the article as a mouse would, and let go."""
    page.evaluate(
        """(words) => {
            const el = [...document.querySelectorAll('#article-text [data-start]')]
                .find((e) => e.textContent.includes(words));
            const node = el.firstChild, at = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + words.length);
            getSelection().removeAllRanges(); getSelection().addRange(range);
            el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        words,
    )


def test_a_selected_range_is_added_with_enter_and_its_reading_corrected(browser, tmp_path):
    """'flat to up 2 percent' is read as exactly 2: the editor adds it from the keyboard and corrects it
    to the range 0 to 2, which the article's words allow; 0 to 5 they do not."""
    from ..conftest import GOOD_DRAFT
    from ..scripted_server import FakeModel, Reply

    outlook = "\n\nAlibaba expects its cloud margin to be flat to up 2 percent in the coming year.\n"
    with (
        FakeModel([], default=Reply(GOOD_DRAFT)) as fake,
        DeskServer(tmp_path / "desk", base_url=fake.base_url, model="m", strategy="single") as desk,
    ):
        aid = desk.http.post("/api/articles", json={"text": SEED.read_text(encoding="utf-8") + outlook}).json()["id"]
        desk.wait(aid)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(f"{desk.url}/articles/{aid}")
        select_words(page, "flat to up 2 percent")
        playwright.expect(page.locator("#add-figure input[name=name]")).to_be_focused()
        page.keyboard.type("cloud margin outlook")
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")  # reported → guidance
        page.keyboard.press("Enter")
        playwright.expect(page.locator("#status")).to_have_text("figure added")
        added = page.locator(".item.mark-added")
        playwright.expect(added.locator("code")).to_have_text("flat to up 2 percent")
        playwright.expect(added).to_have_class(re.compile(r"\bcurrent\b"))
        reading = added.locator("[data-kind=reading]")
        reading.locator("select[name=qualifier]").select_option("range")
        playwright.expect(added.locator(".refusal")).to_contain_text("a range needs its upper end")
        reading.locator("input[name=value_high]").fill("5")
        reading.locator("input[name=value]").fill("0")
        reading.locator("input[name=value]").press("Enter")
        playwright.expect(added.locator(".refusal")).to_contain_text("value_high 5 does not match")
        reading.locator("input[name=value_high]").fill("2")
        reading.locator("input[name=value_high]").press("Enter")
        playwright.expect(page.locator("#status")).to_have_text("saved")
        playwright.expect(added.locator(".refusal")).to_have_count(0)
        metric = desk.http.get(f"/api/articles/{aid}").json()["brief"]["metrics"][-1]
        assert (metric["qualifier"], metric["value"], metric["value_high"], metric["kind"]) == (
            "range", 0, 2, "guidance"
        )  # fmt: skip
        page.screenshot(path=str(ARTIFACTS / "desk-range.png"))
        page.close()


def wait_for(check, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the change never reached the desk"
        time.sleep(0.05)
