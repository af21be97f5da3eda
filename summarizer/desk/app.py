"""The desk's web app: the inbox and review pages, and the JSON API under /api/ they are built on."""

from __future__ import annotations

import asyncio
import copy
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..article import decode_input, parse_article
from ..errors import InputError, SummarizerError
from ..evaluation.dataset import DatasetError
from ..schema import Brief, Kind, Qualifier, RiskCategory, Stance
from . import publish, review
from .drafting import Drafter
from .store import Conflict, NotFound, Row, Store, now

log = logging.getLogger("summarizer")

MAX_BYTES = 2 * 1024 * 1024  # one article; a long earnings call is about 100 kB
MAX_FILES = 50  # articles queued at once, by upload or folder
TYPES = (".txt", ".html", ".htm")
STATIC = Path(__file__).with_name("static")
# Host headers the desk answers on loopback; a page on another name (DNS rebinding) is refused.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
EVENTS_SECONDS = 20.0  # one event stream's life; the browser reconnects on its own


class Paste(BaseModel):
    text: str = Field(description="The article: plain text (optionally with a title/published header) or HTML.")
    published: date | None = Field(None, description="Its publication date; relative dates resolve against it.")
    title: str | None = None
    editor: str = "editor"


class Folder(BaseModel):
    path: str = Field(description="A folder inside the desk's roots; every .txt and .html in it is queued.")
    editor: str = "editor"


class Redraft(BaseModel):
    version: int | None = Field(None, description="The article's version seen (a newer one is a conflict).")
    editor: str = "editor"


class Edit(BaseModel):
    version: int = Field(description="The brief's version the edit was made on (a newer one is a conflict).")
    editor: str = Field("editor", description="Who made it, for the history.")
    op: Literal["set", "mark", "add_metric"]
    path: str | None = Field(None, description='"thesis", "stance", "metrics/3/kind", or an item for mark.')
    value: Any = Field(None, description="The field's new value; for mark: pending, accepted or rejected.")
    start: int | None = Field(None, description="add_metric: the selection's first character in the article.")
    end: int | None = Field(None, description="add_metric: one past its last character.")
    name: str | None = Field(None, description="add_metric: what the figure measures.")
    kind: str = "reported"
    period: str | None = None


class Approval(BaseModel):
    version: int
    editor: str = "editor"
    approved: bool = True


class GoldRequest(BaseModel):
    editor: str = "editor"
    directory: str | None = Field(
        None, description="A dataset folder inside the desk's roots (default: the desk's gold/ folder)."
    )
    case_id: str | None = Field(None, description="The case's file name (default: the article's id).")


def _article_text(raw: bytes, name: str) -> str:
    """An article's bytes as text: refused when larger than MAX_BYTES, binary, not UTF-8 or empty."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1024} kB")
    return decode_input(raw, name=name)


def progress(started: str | None, expected: float | None, status: str) -> dict[str, Any] | None:
    """How far a draft is: seconds since it began and, when this desk has drafted before, the seconds
    left and the share done (an estimate: never 100% before the draft is in)."""
    if status != "drafting" or not started:
        return None
    elapsed = max(0.0, (datetime.now(UTC) - datetime.fromisoformat(started)).total_seconds())
    if not expected:
        return {"elapsed": round(elapsed), "left": None, "done": None}
    return {"elapsed": round(elapsed), "left": round(max(expected - elapsed, 0.0)),
            "done": round(min(elapsed / expected, 0.95), 2)}  # fmt: skip


def _state(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id, "title": row.title, "published": row.published, "source": row.source, "origin": row.origin,
        "status": row.status, "stage": row.stage, "reason": row.reason,
        "progress": progress(row.started, row.expected, row.status), "version": row.version,
        "approved": row.approved, "brief": None, "marks": row.marks, "draft": row.draft, "changes": None,
    }  # fmt: skip
    if row.brief is not None and row.marks is not None:
        data["brief"] = review.published_brief(row.brief, row.marks)
        data["changes"] = _changes(row.draft, data["brief"])
    return data


def _changes(draft: dict[str, Any] | None, published: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return publish.changes(Brief.model_validate(draft), Brief.model_validate(published))
    except Exception:  # a brief saved by an older desk that no longer validates: show it, count nothing
        return None


def _published(row: Row) -> date | None:
    return date.fromisoformat(row.published) if row.published else None


def _final(row: Row) -> Brief:
    """The brief as published and as gold: rejected items out, no confidence or review flag, every rule met."""
    if row.brief is None or row.marks is None:
        raise InputError(f"article {row.id} has no brief yet (it is {row.status})")
    brief = review.without_decisions(review.published_brief(row.brief, row.marks))
    final = review.validate(brief, row.text, _published(row))
    review.check_windows(brief, _published(row) or final.published)
    return final


def _inside(roots: Sequence[Path], given: str, what: str) -> Path:
    """`given` resolved (symlinks followed), refused unless it lies inside one of the desk's roots."""
    path = Path(given).expanduser().resolve()
    if not any(path.is_relative_to(r) for r in roots):
        allowed = ", ".join(str(r) for r in roots)
        raise InputError(f"{given}: {what} must be inside the desk's roots ({allowed}); start it with --root")
    return path


def _guard(app: FastAPI, token: str | None, hosts: Sequence[str]) -> None:
    """Every request must name an allowed Host (no DNS rebinding) and, with a token, carry it
    (`Authorization: Bearer`, or once as `?token=` in the browser, kept in a cookie)."""
    if token:

        @app.middleware("http")
        async def require_token(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            given = request.query_params.get("token") or request.cookies.get("desk_token") or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = auth[7:]
            if not hmac.compare_digest(given.encode(), token.encode()):
                return PlainTextResponse("a token is required: open the address the desk printed at start", 401)
            if "token" in request.query_params:
                response = RedirectResponse(request.url.path)
                response.set_cookie("desk_token", token, httponly=True, samesite="strict")
                return response
            return await call_next(request)

    # Added last, so it runs first: a foreign Host is refused before anything else is looked at.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(dict.fromkeys([*LOOPBACK_HOSTS, *hosts])))


def create_app(
    data: str | Path, *, token: str | None = None, concurrency: int = 1, options: dict[str, Any] | None = None,
    roots: Sequence[str | Path] = (), hosts: Sequence[str] = (),
) -> FastAPI:  # fmt: skip
    """The desk over the data folder `data` (its database and gold/ folder).

    Folders are read and gold cases written only inside `roots` (default: `data`). Requests must name
    a loopback Host or one of `hosts`. With `token`, every request must carry it (`Authorization:
    Bearer`, or once as `?token=` in the browser, kept in a cookie)."""
    root = Path(data)
    store = Store(root / "desk.sqlite3")
    allowed = [Path(r).expanduser().resolve() for r in (roots or [root])]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.drafter = Drafter(store, concurrency=concurrency, options=options)
        resumed = await app.state.drafter.resume()
        if resumed:
            log.info("%d article(s) queued again", resumed)
        yield
        await app.state.drafter.stop()

    app = FastAPI(
        title="summarizer desk",
        description="Draft, check and publish briefs of financial news articles.",
        lifespan=lifespan,
    )
    app.state.store = store
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _guard(app, token, hosts)
    _handlers(app)
    _article_routes(app, store, allowed)
    _review_routes(app, store, root, allowed)
    _page_routes(app, store)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(SummarizerError)
    async def refused(request: Request, exc: SummarizerError) -> JSONResponse:
        status = {Conflict: 409, NotFound: 404, review.EditError: 422}.get(type(exc), 400)
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=status)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s", request.method, request.url.path)
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); nothing was changed"}, 500)


def _article_routes(app: FastAPI, store: Store, allowed: list[Path]) -> None:
    """Articles in (pasted, uploaded, a folder), their status and drafting progress."""

    def queue(text: str, *, title: str | None, published: date | None, source: str, editor: str) -> str:
        """Keep the article with its header (title, date, source, origin) and draft it soon."""
        article = parse_article(text)
        when = published or article.published
        aid = store.add(article.text.strip("\n"), title=title or article.title, source=article.source or source,
                        origin=article.origin, editor=editor, published=when.isoformat() if when else None)  # fmt: skip
        app.state.drafter.submit(aid)
        return aid

    @app.get("/api/articles", tags=["articles"])
    def list_articles() -> list[dict[str, Any]]:
        """Every article on the desk with its status."""
        return store.all()

    @app.post("/api/articles", tags=["articles"])
    def add_article(paste: Paste) -> dict[str, str]:
        """Queue one pasted article for drafting; answers its id."""
        text = _article_text(paste.text.encode(), "the pasted text")
        return {"id": queue(text, title=paste.title, published=paste.published, source="pasted", editor=paste.editor)}

    @app.post("/api/uploads", tags=["articles"])
    async def upload(files: Annotated[list[UploadFile], File(description="Up to 50 .txt or .html files")]) -> dict[str, Any]:  # fmt: skip
        """Queue uploaded .txt/.html articles; answers their ids. Every file is checked before any is queued."""
        if len(files) > MAX_FILES:
            raise InputError(f"{len(files)} files: at most {MAX_FILES} at once")
        texts = []
        for f in files:
            name = f.filename or "upload"
            if not name.lower().endswith(TYPES):
                raise InputError(f"{name}: only .txt and .html articles can be uploaded")
            texts.append((name, _article_text(await f.read(MAX_BYTES + 1), name)))

        def add_all() -> list[str]:
            return [queue(t, title=None, published=None, source=name, editor="upload") for name, t in texts]

        ids = await run_in_threadpool(add_all)  # the database off the event loop
        return {"id": ids[0] if ids else None, "ids": ids}

    @app.post("/api/folders", tags=["articles"])
    def add_folder(folder: Folder) -> dict[str, list[str]]:
        """Queue every .txt and .html article of a folder inside the desk's roots (at most 50)."""
        p = _inside(allowed, folder.path, "a folder to read")
        if not p.is_dir():
            raise InputError(f"{folder.path} is not a folder")
        paths = sorted(x for x in p.iterdir() if x.suffix.lower() in TYPES and x.is_file())
        if not paths:
            raise InputError(f"{folder.path} has no .txt or .html articles")
        if len(paths) > MAX_FILES:
            raise InputError(f"{folder.path} has {len(paths)} articles: at most {MAX_FILES} at once")
        texts = []
        for x in paths:  # every file is checked before any is queued, as for uploads
            _inside(allowed, str(x), "an article")  # a link out of the roots is refused
            with x.open("rb") as fh:
                texts.append((x, _article_text(fh.read(MAX_BYTES + 1), str(x))))
        return {"ids": [queue(t, title=None, published=None, source=str(x), editor=folder.editor) for x, t in texts]}

    @app.get("/api/articles/{aid}", tags=["articles"])
    def get_article(aid: str) -> dict[str, Any]:
        """Status (queued, drafting, ready, failed with the reason), the current brief, the model's draft,
        each item's mark, and what the editor changed against the draft."""
        return _state(store.get(aid))

    @app.post("/api/articles/{aid}/redraft", tags=["articles"])
    def redraft(aid: str, r: Redraft | None = None) -> dict[str, Any]:
        """Draft a failed article again (checked and queued in one transaction; with `version`, refused
        when the article changed since)."""
        store.requeue(aid, version=r.version if r else None, editor=r.editor if r else "editor")
        app.state.drafter.submit(aid)
        return _state(store.get(aid))

    @app.get("/api/events", tags=["articles"])
    async def events(request: Request, article: str | None = None) -> StreamingResponse:
        """Server-sent events: the article list (or one `article`'s status) with each draft's stage,
        seconds elapsed and estimated seconds left, sent whenever it changes."""

        def snapshot() -> Any:
            rows: list[dict[str, Any]]
            if article:
                row = store.get(article)
                rows = [{"id": row.id, "status": row.status, "stage": row.stage, "reason": row.reason,
                         "version": row.version, "started": row.started, "expected": row.expected}]  # fmt: skip
            else:
                rows = store.all()
            for a in rows:
                a["progress"] = progress(a.pop("started"), a.pop("expected"), a["status"])
            return rows[0] if article else rows

        if article:
            await asyncio.to_thread(store.get, article)  # no such article: 404 before the stream starts

        async def stream() -> AsyncIterator[str]:
            yield "retry: 500\n\n"
            last, loop = None, asyncio.get_running_loop()
            end = loop.time() + EVENTS_SECONDS
            while loop.time() < end and not await request.is_disconnected():
                body = json.dumps(await asyncio.to_thread(snapshot))
                if body != last:
                    yield f"data: {body}\n\n"
                    last = body
                await asyncio.sleep(0.5)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def _review_routes(app: FastAPI, store: Store, root: Path, allowed: list[Path]) -> None:
    """Edits, approval, history, exports and gold."""

    @app.post("/api/articles/{aid}/edits", tags=["review"])
    def edit(aid: str, e: Edit) -> dict[str, Any]:
        """One edit, validated by the brief's rules before it is saved: set a field, mark an item
        (accepted, rejected, pending), or add a figure from a selection of the article."""
        row = store.get(aid)
        if row.brief is None or row.marks is None:
            raise InputError(f"article {aid} has no brief to edit yet (it is {row.status})")
        brief, marks = copy.deepcopy(row.brief), copy.deepcopy(row.marks)
        detail: dict[str, Any] = {"op": e.op, "path": e.path}
        published = _published(row)
        touched: list[str] = []
        if e.op == "set":
            if e.path is None:
                raise review.EditError("set needs a path")
            before = _value_at(brief, e.path)
            review.set_field(brief, marks, e.path, e.value)
            detail |= {"from": before, "to": e.value}
            touched = review.touched(e.path, e.value)
        elif e.op == "mark":
            review.set_mark(marks, e.path or "", str(e.value))
            detail["to"] = e.value
        else:
            if e.start is None or e.end is None or not (e.name or "").strip():
                raise review.EditError("add_metric needs the selection (start, end) and a name")
            metric = review.figure_at(row.text, e.start, e.end)
            metric |= {"name": (e.name or "").strip(), "kind": e.kind, "period": e.period}
            review.already_a_metric(brief, marks, metric)
            brief["metrics"].append(metric)
            marks["metrics"].append("added")
            touched = [f"metrics/{len(brief['metrics']) - 1}"]
            detail |= {"path": touched[0], "to": metric}
        review.validate(review.published_brief(brief, marks), row.text, published)
        review.check_rules(brief, row.text, published or _date(brief.get("published")), row.title, touched)
        if row.approved:
            detail["withdrew_approval"] = row.approved  # an approved brief that changes is approved no more
        store.save(aid, version=e.version, editor=e.editor, action=e.op, detail=detail, brief=brief, marks=marks)
        return _state(store.get(aid)) | {"withdrew_approval": bool(row.approved)}

    @app.post("/api/articles/{aid}/approve", tags=["review"])
    def approve(aid: str, a: Approval) -> dict[str, Any]:
        """Approve the brief for publishing (or withdraw the approval); it must pass every rule."""
        row = store.get(aid)
        when = None
        if a.approved:
            _final(row)
            when = now()
        store.save(aid, version=a.version, editor=a.editor, action="approve" if a.approved else "unapprove",
                   detail={}, approved=when)  # fmt: skip
        return _state(store.get(aid))

    @app.get("/api/articles/{aid}/history", tags=["review"])
    def history(aid: str) -> list[dict[str, Any]]:
        """Every change to the article: what, when and by whom."""
        store.get(aid)
        return store.history(aid)

    @app.get("/api/articles/{aid}/export.{fmt}", tags=["publish"])
    def export(aid: str, fmt: Literal["md", "json", "html"]) -> Response:
        """The brief (rejected items left out) as Markdown, JSON, or a self-contained HTML page with the
        article and its highlights."""
        row = store.get(aid)
        brief = _final(row)
        name = f"brief-{aid}.{fmt}"
        headers = {"Content-Disposition": f'inline; filename="{name}"'}
        if fmt == "md":
            return PlainTextResponse(publish.markdown(brief), headers=headers, media_type="text/markdown")
        if fmt == "json":
            body = json.dumps(publish.publishable(brief), indent=2, ensure_ascii=False)
            return Response(body, headers=headers, media_type="application/json")
        return HTMLResponse(publish.page_html(brief, row.text, title=row.title), headers=headers)

    @app.post("/api/articles/{aid}/gold", tags=["publish"])
    def save_gold(aid: str, g: GoldRequest) -> dict[str, str]:
        """Write the article and the corrected brief as a gold case (articles/<id>.txt, labels/<id>.yaml),
        checked by the eval's gold loader, so `summarizer eval --dataset DIR` scores against it."""
        row = store.get(aid)
        brief = _final(row)
        case_id = g.case_id or aid
        if not case_id.replace("-", "").replace("_", "").isalnum():
            raise InputError(f"{case_id!r}: a case id is letters, digits, - and _")
        directory = _inside(allowed, g.directory, "a gold folder") if g.directory else root / "gold"
        try:
            a, lbl = publish.write_gold(directory, case_id, row.text, brief, title=row.title,
                                        published=_published(row), source=row.source, origin=row.origin)  # fmt: skip
        except DatasetError as exc:
            raise InputError(f"the gold case does not validate: {exc}") from None
        store.save(aid, version=row.version, editor=g.editor, action="gold", detail={"label": str(lbl)},
                   approved=row.approved)  # fmt: skip
        return {"article": str(a), "label": str(lbl), "dataset": str(directory)}


def _page_routes(app: FastAPI, store: Store) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def inbox() -> str:
        return publish.templates.get_template("inbox.html").render(articles=store.all())

    @app.get("/articles/{aid}", response_class=HTMLResponse, include_in_schema=False)
    def review_page(aid: str) -> str:
        row = store.get(aid)
        changes = store.history(aid)
        context: dict[str, Any] = {
            "row": row, "state": _state(row), "items": [], "kinds": _choices(), "history": changes[::-1],
            "approval": _approval(row, changes), "stance_decided": any(h["detail"].get("path") == "stance" for h in changes),
        }  # fmt: skip
        if row.brief is not None and row.marks is not None:
            shown = review.spans(row.brief, row.text, row.marks)
            context["article"] = publish.article_html(row.text, shown)
            listed = review.items(row.brief, row.text, row.marks)
            context["items"] = listed
            context["counts"] = {"all": len(listed), "left": sum(r["mark"] == "pending" for r in listed),
                                 "flagged": sum(r["flagged"] for r in listed)}  # fmt: skip
        else:
            context["article"] = publish.article_html(row.text, [])
        return publish.templates.get_template("review.html").render(**context)


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _value_at(brief: dict[str, Any], path: str) -> Any:
    node: Any = brief
    for part in path.replace(".", "/").split("/"):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _choices() -> dict[str, list[str]]:
    return {"kind": list(get_args(Kind)), "category": list(get_args(RiskCategory)), "stance": list(get_args(Stance)),
            "qualifier": list(get_args(Qualifier))}  # fmt: skip


def _approval(row: Row, changes: list[dict[str, Any]]) -> str:
    """The brief's approval as the page states it: who approved it and when, or what withdrew it."""
    for h in reversed(changes):
        if h["action"] == "approve" and row.approved:
            return f"Approved by {h['editor']} at {h['at']}"
        if h["action"] == "unapprove":
            return f"Not approved: {h['editor']} withdrew the approval at {h['at']}"
        if h["detail"].get("withdrew_approval"):
            return f"Not approved: {h['editor']}'s edit at {h['at']} withdrew the approval"
    return "Not approved yet"
