"""The desk in a real browser: headless Chromium (Debian's `chromium`, driven by Playwright) against a
desk served on loopback, its model answers replayed from a cassette recorded from the embedded model
(`make record` records it again).

Screenshots of the review page are kept in tests/artifacts/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from summarizer.evaluation.dataset import load_dataset
from summarizer.model.local import MODEL_NAME

from ..conftest import ROOT, SEED
from .server import DeskServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
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
        assert risk_text not in markdown

        # Save as gold: the eval's own loader validates the folder the desk wrote.
        page.click("#gold")
        playwright.expect(page.locator("#status")).to_contain_text("saved as gold")
        aid = page.locator("#desk-main").get_attribute("data-article-id")
        cases = load_dataset(tmp_path / "desk" / "gold")
        assert [c.id for c in cases] == [aid]
        gold = cases[0].gold
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
        page.evaluate(
            """() => {
                const el = [...document.querySelectorAll('#article-text [data-start]')]
                    .find((e) => e.textContent.includes('$155.74'));
                const node = el.firstChild, at = node.textContent.indexOf('$155.74');
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + 7);
                getSelection().removeAllRanges(); getSelection().addRange(range);
                el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            }"""
        )
        playwright.expect(page.locator("#add-figure")).to_be_visible()
        page.fill("#add-figure input[name=name]", "closing share price")
        page.click("#add-figure button[type=submit]")
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
