"""The desk's JSON API over real HTTP on loopback; the model is an in-process fake (test doubles) so
each test checks the desk's own logic: validation, history, conflicts, restarts, bad input."""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest

from summarizer.desk.store import Conflict
from summarizer.evaluation.dataset import load_dataset

from ..conftest import GOOD_DRAFT, SEED
from ..scripted_server import FakeModel, Reply, ScriptedServer
from .server import DeskServer

SEED_FILE = SEED.read_text(encoding="utf-8")


@pytest.fixture
def model():
    with FakeModel([], default=Reply(GOOD_DRAFT)) as fake:
        yield fake


@pytest.fixture
def desk(model, tmp_path):
    """A desk whose roots are the test's folder (its data folder and the folders tests make beside it)."""
    with DeskServer(tmp_path / "desk", roots=(tmp_path,), base_url=model.base_url, model="m", strategy="single") as d:
        yield d


def drafted(desk: DeskServer, text: str = SEED_FILE) -> dict:
    r = desk.http.post("/api/articles", json={"text": text})
    assert r.status_code == 200, r.text
    state = desk.wait(r.json()["id"])
    assert state["status"] == "ready", state["reason"]
    return state


def edit(desk: DeskServer, state: dict, **change) -> httpx.Response:
    return desk.http.post(f"/api/articles/{state['id']}/edits", json={"version": state["version"], **change})


def test_a_pasted_article_is_drafted_with_its_header_and_history(desk):
    state = drafted(desk)
    assert state["title"].startswith("Alibaba") and state["published"] == "2026-01-04"
    assert state["brief"] == state["draft"] and state["marks"]["metrics"] == ["pending"]
    assert state["changes"]["metrics"] == {
        "kept": 1, "removed": 0, "added": 0, "kind_changed": 0, "period_changed": 0, "renamed": 0
    }  # fmt: skip
    actions = [h["action"] for h in desk.http.get(f"/api/articles/{state['id']}/history").json()]
    assert actions == ["added", "drafted"]


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        ("metrics/0/value", 35, "does not match the figure as written"),
        ("metrics/0/evidence", "Alibaba is great.", "read from the article by code"),
        ("metrics/0/kind", "rumour", "metrics.0.kind"),
        ("catalysts/0/window_start", "2026-03-01", "window_start is after window_end"),
        ("catalysts/0/window_start", None, "set both window_start and window_end, or neither"),
        ("catalysts/0/date_text", "in March", "does not appear in its evidence"),
        ("risks/0/evidence", "Cloud growth is doomed.", "not verbatim in the article"),
        ("stance", "bullish", "stance"),
        ("thesis", "word " * 61, "at most 60"),
        ("metrics/5/kind", "target", "no item 5"),
        ("metrics/0/colour", "red", "no field 'colour'"),
    ],
)
def test_an_edit_the_rules_refuse_is_not_saved_and_says_why_in_one_line(desk, path, value, says):
    state = drafted(desk)
    r = edit(desk, state, op="set", path=path, value=value, editor="Ada")
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert says in detail and "\n" not in detail
    after = desk.http.get(f"/api/articles/{state['id']}").json()
    assert after["version"] == state["version"] and after["brief"] == state["brief"]


def test_an_edit_is_saved_with_its_history_and_counted_against_the_draft(desk):
    state = drafted(desk)
    r = edit(desk, state, op="set", path="metrics/0/kind", value="estimate", editor="Ada")
    assert r.status_code == 200, r.text
    state = r.json()
    r = edit(desk, state, op="mark", path="risks/0", value="rejected", editor="Bo")
    state = r.json()
    assert state["brief"]["metrics"][0]["kind"] == "estimate" and state["brief"]["risks"] == []
    assert state["draft"]["metrics"][0]["kind"] == "reported"  # the model's draft is kept as drafted
    assert state["marks"] == {"metrics": ["edited"], "risks": ["rejected"], "catalysts": ["pending"]}
    assert state["changes"]["metrics"]["kind_changed"] == 1 and state["changes"]["risks"]["removed"] == 1
    history = desk.http.get(f"/api/articles/{state['id']}/history").json()
    assert [(h["editor"], h["action"], h["detail"].get("to")) for h in history[2:]] == [
        ("Ada", "set", "estimate"), ("Bo", "mark", "rejected")
    ]  # fmt: skip
    assert history[2]["detail"]["from"] == "reported"


def test_two_editors_saving_the_same_version_get_one_save_and_one_conflict(desk):
    state = drafted(desk)

    def save(i: int) -> httpx.Response:
        return edit(desk, state, op="set", path="metrics/0/name", value=f"name by editor {i}", editor=f"E{i}")

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(save, range(8)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * 7
    winner = next(i for i, r in enumerate(answers) if r.status_code == 200)
    loser = next(r for r in answers if r.status_code == 409)
    assert f"changed by E{winner}" in loser.json()["detail"] and "reload" in loser.json()["detail"]
    final = desk.http.get(f"/api/articles/{state['id']}").json()
    assert final["brief"]["metrics"][0]["name"] == f"name by editor {winner}"
    assert final["version"] == state["version"] + 1


def test_a_figure_selected_in_the_article_is_read_by_code_and_named_by_the_editor(desk):
    state = drafted(desk)
    text = desk.app.state.store.get(state["id"]).text
    start = text.index("$155.74")
    r = edit(desk, state, op="add_metric", start=start + 2, end=start + 5, name="closing share price", kind="market")
    assert r.status_code == 200, r.text
    added = r.json()["brief"]["metrics"][-1]
    assert (added["value"], added["unit"], added["currency"], added["as_written"]) == (
        155.74, "currency_per_share", "USD", "$155.74"
    )  # fmt: skip
    assert added["evidence"] == "On Friday, Alibaba's equity surged 6.39%, closing at $155.74 per share."
    assert r.json()["marks"]["metrics"][-1] == "added" and r.json()["changes"]["metrics"]["added"] == 1

    words = text.index("Market Performance")
    r = edit(desk, r.json(), op="add_metric", start=words, end=words + 18, name="x")
    assert r.status_code == 422 and "no figure code can read" in r.json()["detail"]


def test_exports_leave_rejected_items_out_and_approval_needs_a_valid_brief(desk):
    state = drafted(desk)
    state = edit(desk, state, op="mark", path="risks/0", value="rejected").json()
    md = desk.http.get(f"/api/articles/{state['id']}/export.md").text
    js = desk.http.get(f"/api/articles/{state['id']}/export.json").json()
    html = desk.http.get(f"/api/articles/{state['id']}/export.html").text
    assert md.startswith("# Alibaba Group") and "Cloud growth may prove unsustainable" not in md
    assert js["risks"] == [] and js["metrics"][0]["as_written"] == "34%"
    assert "<mark" in html and "<script" not in html and "http" not in html.split("<body>")[0].lower()
    r = desk.http.post(f"/api/articles/{state['id']}/approve", json={"version": state["version"], "editor": "Ada"})
    assert r.status_code == 200 and r.json()["approved"]


def test_save_as_gold_writes_a_case_the_eval_loads(desk, tmp_path):
    state = drafted(desk)
    edit(desk, state, op="set", path="metrics/0/kind", value="estimate")
    r = desk.http.post(f"/api/articles/{state['id']}/gold", json={"directory": str(tmp_path / "mine"), "case_id": "c1"})
    assert r.status_code == 200, r.text
    (case,) = load_dataset(tmp_path / "mine")
    assert case.id == "c1" and case.gold is not None and case.gold.metrics[0].kind == "estimate"
    assert case.article.published is not None and case.article.published.isoformat() == "2026-01-04"
    assert case.article.text == desk.app.state.store.get(state["id"]).text
    bad = desk.http.post(f"/api/articles/{state['id']}/gold", json={"case_id": "../../etc"})
    assert bad.status_code == 400


HOSTILE = (
    "<script>alert('desk')</script> Acme <b>Corp</b> shares rose 5% to $12 on Monday. <!-- hidden -->\n\n"
    "Acme Corp said revenue grew 10%."
)


def test_hostile_article_text_is_shown_as_text(desk):
    r = desk.http.post("/api/articles", json={"text": HOSTILE, "published": "2026-01-05"})
    aid = r.json()["id"]
    desk.wait(aid)
    page = desk.http.get(f"/articles/{aid}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;desk&#39;)&lt;/script&gt;" in page
    assert "<!-- hidden -->" not in page and "&lt;!-- hidden --&gt;" in page
    assert "<b>Corp</b>" not in page


def test_uploads_are_checked_before_any_is_queued(desk):
    good = ("files", ("a.txt", SEED_FILE.encode(), "text/plain"))
    cases = [
        ([good, ("files", ("b.pdf", b"%PDF-1.7", "application/pdf"))], "only .txt and .html"),
        ([good, ("files", ("c.txt", b"\x00\x01binary" * 10, "text/plain"))], "binary file"),
        ([("files", ("d.txt", b"x" * (2 * 1024 * 1024 + 1), "text/plain"))], "larger than 2048 kB"),
        ([("files", ("e.txt", "caf\xe9".encode("latin-1"), "text/plain"))], "not valid UTF-8"),
    ]
    for files, says in cases:
        r = desk.http.post("/api/uploads", files=files)
        assert r.status_code == 400 and says in r.json()["detail"], r.text
        assert "\n" not in r.json()["detail"] and "Traceback" not in r.text
    assert desk.http.get("/api/articles").json() == []
    r = desk.http.post(
        "/api/uploads", files=[good, ("files", ("f.html", b"<html><body><p>x</p></body></html>", "text/html"))]
    )
    assert r.status_code == 200 and len(r.json()["ids"]) == 2
    failed = desk.wait(r.json()["ids"][1])
    assert failed["status"] == "failed" and "does not look like a financial news article" in failed["reason"]


def test_a_failed_article_keeps_its_reason_and_can_be_drafted_again(desk):
    r = desk.http.post("/api/articles", json={"text": "Nothing here but weather: it was sunny all day."})
    state = desk.wait(r.json()["id"])
    assert state["status"] == "failed" and state["reason"].startswith("NotAnArticleError:")
    again = desk.http.post(f"/api/articles/{state['id']}/redraft")
    assert again.status_code == 200 and desk.wait(state["id"])["status"] == "failed"


def test_a_folder_is_queued_whole(desk, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(SEED_FILE)
    (folder / "notes.md").write_text("not an article")
    r = desk.http.post("/api/folders", json={"path": str(folder)})
    assert r.status_code == 200 and len(r.json()["ids"]) == 1
    assert desk.http.post("/api/folders", json={"path": str(tmp_path / "none")}).status_code == 400


def test_a_token_is_required_when_one_is_set(model, tmp_path):
    with DeskServer(tmp_path / "d", token="s3cret", base_url=model.base_url, model="m", strategy="single") as d:
        assert d.http.get("/api/articles").status_code == 401
        assert d.http.get("/api/articles", headers={"Authorization": "Bearer nope"}).status_code == 401
        assert d.http.get("/api/articles", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        first = d.http.get("/?token=s3cret")
        assert first.status_code == 307 and "desk_token" in first.headers["set-cookie"]
        assert d.http.get("/").status_code == 200  # the cookie


def test_the_api_is_documented(desk):
    spec = desk.http.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{aid}", "/api/articles/{aid}/edits", "/api/uploads",
                 "/api/articles/{aid}/export.{fmt}", "/api/articles/{aid}/gold", "/api/articles/{aid}/approve"):  # fmt: skip
        assert path in spec["paths"], path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_killed_mid_draft_loses_nothing(tmp_path):
    """Kill -9 a desk while one article is drafting and another waits; on restart both are drafted."""
    data, port = tmp_path / "desk", _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    with ScriptedServer([], default=Reply(GOOD_DRAFT, delay=60)) as slow:
        proc = subprocess.Popen(
            [sys.executable, "-m", "summarizer.cli", "-q", "desk", "--data", str(data), "--port", str(port),
             "--base-url", slow.base_url, "--model", "m", "--strategy", "single", "--no-token"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
            for _ in range(200):
                try:
                    http.get("/api/articles")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            ids = [http.post("/api/articles", json={"text": SEED_FILE}).json()["id"] for _ in range(2)]
            deadline = time.monotonic() + 20
            while http.get(f"/api/articles/{ids[0]}").json()["stage"] != "asking the model about 10 figures":
                assert time.monotonic() < deadline, "the first article never reached the model"
                time.sleep(0.05)
            assert http.get(f"/api/articles/{ids[1]}").json()["status"] == "queued"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
    with (
        FakeModel([], default=Reply(copy.deepcopy(GOOD_DRAFT))) as fast,
        DeskServer(data, base_url=fast.base_url, model="m", strategy="single") as desk,
    ):
        for aid in ids:
            state = desk.wait(aid)
            assert state["status"] == "ready" and state["brief"]["company"]["name"] == "Alibaba Group"
        assert len(desk.http.get("/api/articles").json()) == 2


def test_the_review_page_marks_every_item_in_its_article(desk):
    state = drafted(desk)
    page = desk.http.get(f"/articles/{state['id']}").text
    assert page.count('data-items="metrics/0') >= 2  # the figure and the rest of its sentence
    assert 'class="figure' in page and 'class="date' in page and 'class="risk"' in page
    assert page.count('class="item ') == 3


def test_the_desk_command_refuses_a_busy_port_in_one_line(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "summarizer.cli", "desk", "--data", str(tmp_path), "--port", str(port)],
            capture_output=True, timeout=60,
        )  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode != 0 and "Traceback" not in err
    assert f"port {port} is in use" in err.splitlines()[-1]


def test_the_html_export_of_the_cli(tmp_path, monkeypatch):
    from summarizer.cli import main

    with ScriptedServer([Reply(GOOD_DRAFT)]) as srv:
        monkeypatch.setenv("OPENAI_BASE_URL", srv.base_url)
        monkeypatch.setenv("SUMMARIZER_MODEL", "m")
        out = tmp_path / "brief.html"
        assert main(["-q", "brief", "--strategy", "single", "--html", str(out), str(SEED)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count("<mark") >= 3 and 'href="#at-' in page and "<script" not in page


def test_a_period_window_is_set_whole_and_needs_a_period(desk):
    state = drafted(desk)
    window = {"period_start": "2025-10-01", "period_end": "2025-12-31"}
    r = edit(desk, state, op="set", path="metrics/0", value=window)
    assert r.status_code == 200, r.text
    m = r.json()["brief"]["metrics"][0]
    assert (m["period"], m["period_start"], m["period_end"]) == ("latest quarter", "2025-10-01", "2025-12-31")
    r = edit(desk, r.json(), op="set", path="metrics/0", value={"period": None})
    assert r.status_code == 422 and "null when period is null" in r.json()["detail"]
    r = edit(desk, state, op="set", path="metrics/0", value={"period_start": "2025-10-01"})
    assert r.status_code == 409  # made on the old version: the window above was saved since


def test_a_folder_holding_an_oversized_article_is_refused_whole(desk, tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED_FILE)
    (folder / "b.txt").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    r = desk.http.post("/api/folders", json={"path": str(folder)})
    assert r.status_code == 400 and "b.txt: larger than 2048 kB" in r.json()["detail"]
    assert desk.http.get("/api/articles").json() == []


# ---- the spec's rules, one by one, on edits -------------------------------------------------------

YEAR_2025 = "appreciated more than 70% in 2025"


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        pytest.param(
            "company.name", "Tencent Holdings", "is not named in the article", id="company name: the article's"
        ),
        pytest.param("company.ticker", "baba", "is not a ticker", id="ticker: as listed"),
        pytest.param(
            "company.isin", "US1234567890", "is not printed in the article", id="isin: printed in the article"
        ),
        pytest.param("published", "2026-13-01", "published", id="published: an ISO date"),
        pytest.param("thesis", "word " * 61, "at most 60", id="thesis: at most 60 words"),
        pytest.param("thesis", "Cloud grew. AI grew. Shares rose.", "one or two sentences", id="thesis: 1-2 sentences"),
        pytest.param(
            "thesis",
            "Alibaba's AI Pivot Captivates Investors and Fuels a Rally",
            "not its headline",
            id="thesis: not the headline",
        ),
        pytest.param(
            "thesis",
            "Cloud revenue grew 45%.",
            "45 is not a figure of the article",
            id="rule 1: only what the article says",
        ),
        pytest.param("stance", "bullish", "stance", id="stance: from its list"),
        pytest.param("metrics/0/name", "Cloud Growth", "lowercase", id="metric name: lowercase"),
        pytest.param("metrics/0/name", "the " * 13, "short", id="metric name: short"),
        pytest.param("metrics/0/value", 3.4, "does not match the figure as written", id="value: scaled as written"),
        pytest.param("metrics/0/value", -34, "as negative", id="rule 8: magnitudes as written"),
        pytest.param(
            "metrics/0",
            {"value_high": 40},
            "value_high is set exactly when qualifier is 'range'",
            id="value_high: only a range's",
        ),
        pytest.param("metrics/0/qualifier", "approximately", "says approximately", id="qualifier: the article's words"),
        pytest.param("metrics/0/unit", "count", "read from the article by code", id="unit: read by code"),
        pytest.param("metrics/0/currency", "USD", "read from the article by code", id="currency: read by code"),
        pytest.param(
            "metrics/0",
            {"period_start": "2025-10-01"},
            "set both period_start and period_end",
            id="period window: whole",
        ),
        pytest.param(
            "metrics/0",
            {"period_start": "2025-12-31", "period_end": "2025-10-01"},
            "period_start is after",
            id="period window: ordered",
        ),
        pytest.param("metrics/0/kind", "rumour", "metrics.0.kind", id="kind: from its list"),
        pytest.param("metrics/0/as_written", "35%", "does not appear in its evidence", id="as_written: in the quote"),
        pytest.param(
            "metrics/0/evidence",
            "Alibaba is great.",
            "read from the article by code",
            id="rule 2: a figure's quote is the article's",
        ),
        pytest.param(
            "risks/0/evidence", "Cloud growth is doomed.", "not verbatim in the article", id="rule 2: quotes verbatim"
        ),
        pytest.param(
            "risks/0/description", "Growth slows. Costs rise.", "one short sentence", id="risk: one short sentence"
        ),
        pytest.param("risks/0/category", "weather", "risks.0.category", id="risk category: from its list"),
        pytest.param("catalysts/0/event", "", "event", id="catalyst: an event"),
        pytest.param(
            "catalysts/0/date_text", "in March", "does not appear in its evidence", id="catalyst timing: as written"
        ),
        pytest.param(
            "catalysts/0", {"window_start": None}, "set both window_start and window_end", id="catalyst window: whole"
        ),
        pytest.param(
            "catalysts/0",
            {"window_start": "2026-03-01"},
            "window_start is after window_end",
            id="catalyst window: ordered",
        ),
        pytest.param(
            "catalysts/0",
            {"window_start": "2025-12-01"},
            "a catalyst is a future event",
            id="catalyst window: after the article's date",
        ),
        pytest.param(
            "catalysts/0", {"date_text": None}, "no timing is written", id="catalyst window: only with timing"
        ),
    ],
)
def test_the_specs_rules_one_by_one_refuse_an_edit_and_say_which(desk, path, value, says):
    state = drafted(desk)
    r = edit(desk, state, op="set", path=path, value=value, editor="Ada")
    assert r.status_code == 422, r.text
    assert says in r.json()["detail"] and "\n" not in r.json()["detail"]
    after = desk.http.get(f"/api/articles/{state['id']}").json()
    assert after["version"] == state["version"] and after["brief"] == state["brief"]


@pytest.mark.parametrize(
    ("words", "says"),
    [
        pytest.param("34%", "one metric per figure", id="rule 4: one metric per figure"),
        pytest.param("2025", "not metrics", id="rule 5: years are not metrics"),
    ],
)
def test_the_specs_rules_on_an_added_figure(desk, words, says):
    state = drafted(desk)
    text = desk.app.state.store.get(state["id"]).text
    start = text.index(words, text.index(YEAR_2025) if words == "2025" else 0)
    r = edit(desk, state, op="add_metric", start=start, end=start + len(words), name="x")
    assert r.status_code == 422 and says in r.json()["detail"], r.text


def test_readings_the_article_supports_are_corrected(desk):
    state = drafted(desk)
    company = {"company.ticker": "BABA", "company.isin": "US01609W1027"}
    for path, value in company.items():
        r = edit(desk, state, op="set", path=path, value=value)
        assert r.status_code == 200, r.text
        state = r.json()
    assert (state["brief"]["company"]["ticker"], state["brief"]["company"]["isin"]) == ("BABA", "US01609W1027")
    r = edit(desk, state, op="set", path="metrics/0/name", value="cloud division revenue growth")
    assert r.status_code == 200 and r.json()["marks"]["metrics"] == ["edited"]


# ---- safe by default ------------------------------------------------------------------------------


def test_a_folder_outside_the_roots_is_refused(model, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.txt").write_text(SEED_FILE)
    (tmp_path / "desk").mkdir()
    link = tmp_path / "desk" / "link"
    link.symlink_to(outside)
    with DeskServer(tmp_path / "desk", base_url=model.base_url, model="m", strategy="single") as d:  # roots: data
        for path in (outside, link, tmp_path / "desk" / ".." / "elsewhere"):
            r = d.http.post("/api/folders", json={"path": str(path)})
            assert r.status_code == 400 and "must be inside the desk's roots" in r.json()["detail"], r.text
        r = d.http.post("/api/articles", json={"text": SEED_FILE})
        state = d.wait(r.json()["id"])
        gold = d.http.post(f"/api/articles/{state['id']}/gold", json={"directory": str(outside)})
        assert gold.status_code == 400 and "must be inside the desk's roots" in gold.json()["detail"]
        assert not (outside / "labels").exists()
        assert len(d.http.get("/api/articles").json()) == 1


def test_a_folder_of_more_than_50_articles_is_refused(desk, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(51):
        (folder / f"{i}.txt").write_text(SEED_FILE)
    r = desk.http.post("/api/folders", json={"path": str(folder)})
    assert r.status_code == 400 and "51 articles: at most 50" in r.json()["detail"]
    assert desk.http.get("/api/articles").json() == []


def test_a_request_naming_a_foreign_host_is_refused(desk):
    for host in ("evil.example", "evil.example:80", "127.0.0.1.nip.io"):
        r = desk.http.get("/api/articles", headers={"Host": host})
        assert r.status_code == 400, host
        r = desk.http.post("/api/folders", json={"path": "/"}, headers={"Host": host})
        assert r.status_code == 400 and "Invalid host header" in r.text
    assert desk.http.get("/api/articles", headers={"Host": "localhost:8765"}).status_code == 200


def test_the_desk_command_prints_an_address_with_a_token_on_loopback(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "summarizer.cli",
            "desk",
            "--data",
            str(tmp_path),
            "--port",
            str(port),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        address = line.split("desk on ", 1)[1].split(" ", 1)[0]
        assert address.startswith(f"http://127.0.0.1:{port}/?token=")
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        for _ in range(200):
            try:
                answer = http.get("/api/articles")
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert answer.status_code == 401
        token = address.split("token=")[1]
        assert http.get("/api/articles", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)


def test_redraft_and_a_finished_draft_respect_the_version(desk):
    r = desk.http.post("/api/articles", json={"text": "Nothing here but weather: it was sunny all day."})
    state = desk.wait(r.json()["id"])
    stale = state["version"] - 1
    refused = desk.http.post(f"/api/articles/{state['id']}/redraft", json={"version": stale})
    assert refused.status_code == 409 and "changed since" in refused.json()["detail"]
    ok = desk.http.post(f"/api/articles/{state['id']}/redraft", json={"version": state["version"]})
    assert ok.status_code == 200
    again = desk.http.post(f"/api/articles/{state['id']}/redraft", json={"version": state["version"]})
    assert again.status_code == 409  # queued by the first: checked and set in one transaction

    store = desk.app.state.store
    done = drafted(desk)
    with pytest.raises(Conflict, match="changed while it was drafted"):
        store.drafted(done["id"], done["brief"], done["marks"], {}, version=done["version"] - 1)
    assert store.get(done["id"]).version == done["version"]


# ---- approval, header, flags, progress --------------------------------------------------------------


def test_an_edit_after_approval_withdraws_it_and_says_so(desk):
    state = drafted(desk)
    r = desk.http.post(f"/api/articles/{state['id']}/approve", json={"version": state["version"], "editor": "Ada"})
    assert r.status_code == 200 and r.json()["approved"]
    page = desk.http.get(f"/articles/{state['id']}").text
    assert "Approved by Ada at" in page and "is-approved" in page
    r = edit(desk, r.json(), op="set", path="metrics/0/name", value="cloud revenue growth", editor="Bo")
    assert r.status_code == 200 and r.json()["withdrew_approval"] and r.json()["approved"] is None
    page = desk.http.get(f"/articles/{state['id']}").text
    assert "Not approved: Bo&#39;s edit at" in page and "withdrew the approval" in page
    history = desk.http.get(f"/api/articles/{state['id']}/history").json()
    assert history[-1]["detail"]["withdrew_approval"]


def test_published_briefs_and_gold_carry_no_confidence_or_review_and_keep_the_header(desk, tmp_path):
    state = drafted(desk)
    assert (state["source"], state["origin"]) == ("boerse-global.de", SEED_FILE.split("origin: ")[1].splitlines()[0])
    md = desk.http.get(f"/api/articles/{state['id']}/export.md").text
    js = desk.http.get(f"/api/articles/{state['id']}/export.json").text
    html = desk.http.get(f"/api/articles/{state['id']}/export.html").text
    r = desk.http.post(f"/api/articles/{state['id']}/gold", json={"directory": str(tmp_path / "g"), "case_id": "c"})
    assert r.status_code == 200, r.text
    label = (tmp_path / "g" / "labels" / "c.yaml").read_text()
    for published in (md, js, html, label):
        assert "confidence" not in published and "review" not in published.lower().replace("reviewed", "")
        assert "Check first" not in published and "% sure" not in published
    article = (tmp_path / "g" / "articles" / "c.txt").read_text()
    assert "source: boerse-global.de\n" in article and "origin: boerse-global.de, 2026-01-04" in article


def test_drafting_progress_is_streamed_with_its_stage_and_time_left(tmp_path):
    """The second draft on a desk is estimated from the first: the event stream says its stage, the
    seconds so far and the seconds left."""
    with (
        ScriptedServer([], default=Reply(GOOD_DRAFT, delay=1.5)) as slow,
        DeskServer(tmp_path / "desk", base_url=slow.base_url, model="m", strategy="single") as desk,
    ):
        first = drafted(desk)
        assert first["progress"] is None
        aid = desk.http.post("/api/articles", json={"text": SEED_FILE}).json()["id"]
        seen = []
        with desk.http.stream("GET", "/api/events", params={"article": aid}) as events:
            for line in events.iter_lines():
                if line.startswith("data: "):
                    seen.append(json.loads(line[6:]))
                    if seen[-1]["status"] in ("ready", "failed"):
                        break
        drafting = [e for e in seen if e["status"] == "drafting" and e["progress"]]
        assert drafting and seen[-1]["status"] == "ready"
        asking = [e for e in drafting if e["stage"].startswith("asking the model about")]
        assert asking and asking[0]["progress"]["left"] is not None and asking[0]["progress"]["done"] < 1
        lefts = [e["progress"]["left"] for e in asking]
        assert lefts == sorted(lefts, reverse=True)  # counting down
