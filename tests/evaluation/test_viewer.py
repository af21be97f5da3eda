"""The HTML report in a real browser (Debian's headless Chromium driven by Playwright): the committed
grounded baseline run scored against a gold set where one stance was relabeled, compared with the
baseline. Screenshots are kept in tests/artifacts/eval-viewer*.png (docs/eval-viewer*.png are copies)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from summarizer import evaluation as ev

from ..desk.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

playwright = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def page_file(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("viewer")
    gold = tmp / "gold"
    shutil.copytree(ROOT / "evals" / "gold", gold)
    label = gold / "labels" / "bbc-0003.yaml"
    data = yaml.safe_load(label.read_text(encoding="utf-8"))
    data["stance"] = "mixed"  # the model said negative, as gold did
    label.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    html = tmp / "report.html"
    ev.evaluate(
        gold, rescore=ROOT / "evals" / "runs" / "20261203T040452-grounded.run.json", out=tmp / "out",
        baseline=ROOT / "evals" / "baselines" / "grounded.report.json", html=html,
    )  # fmt: skip
    return html


def test_the_viewer_shows_the_verdict_deltas_calibration_and_filters_to_changed_cases(page_file):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto(page_file.as_uri())
        expect = playwright.expect
        expect(page.locator("#verdict")).to_contain_text("eval grounded: passed")
        expect(page.locator("#verdict")).to_contain_text("not significant (cases bbc-0003)")
        row = page.locator('#deltas tr[data-key="stance.accuracy"]')
        expect(row).to_contain_text("↑ higher")
        expect(row).to_contain_text("not significant")
        expect(row).to_contain_text("bbc-0003")
        expect(page.locator("#calibration tr", has_text="stance").first).to_contain_text(
            "0.94"
        )  # 16 of 17 unflagged right
        expect(page.locator("#shown")).to_have_text("33 of 33 cases")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "eval-viewer.png"), full_page=False)

        page.check("#only-changed")
        expect(page.locator("#shown")).to_have_text("1 of 33 cases")
        visible = page.locator("details.case:visible")
        expect(visible).to_have_count(1)
        case = page.locator("#case-bbc-0003")
        expect(case.locator("summary")).to_contain_text("worse: stance")
        case.locator("summary").click()
        expect(case.locator("td.bad", has_text="negative")).to_be_visible()  # the stance, now wrong
        # Figures side by side with their periods; a mismatched field is marked, a missed one says so.
        figures = case.locator("table.figures")
        expect(figures.locator("th", has_text="predicted period")).to_be_visible()
        assert figures.locator("td.bad").count() + figures.locator("td.miss").count() > 0
        expect(case.locator("table.risks tr").first).to_be_visible()
        expect(case.locator("table.catalysts tr").first).to_be_visible()
        page.evaluate("document.getElementById('case-bbc-0003').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / "eval-viewer-case.png"), full_page=False)

        page.uncheck("#only-changed")
        page.check("#only-mismatched")
        shown = int(page.locator("#shown").inner_text().split()[0])
        assert 0 < shown <= 33
        browser.close()
