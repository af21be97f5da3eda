"""The desk's web app: the inbox and review pages, and the JSON API under /api/ they are built on."""

from __future__ import annotations

import copy
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from fastapi import FastAPI, File, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from ..article import decode_input, parse_article
from ..errors import InputError, SummarizerError
from ..evaluation.dataset import DatasetError
from ..schema import Brief, Kind, RiskCategory, Stance
from . import publish, review
from .drafting import Drafter
from .store import Conflict, NotFound, Row, Store, now

log = logging.getLogger("summarizer")

MAX_BYTES = 2 * 1024 * 1024  # one article; a long earnings call is about 100 kB
MAX_FILES = 50
TYPES = (".txt", ".html", ".htm")
STATIC = Path(__file__).with_name("static")


class Paste(BaseModel):
    text: str = Field(description="The article: plain text (optionally with a title/published header) or HTML.")
    published: date | None = Field(None, description="Its publication date; relative dates resolve against it.")
    title: str | None = None
    editor: str = "editor"


class Folder(BaseModel):
    path: str = Field(description="A folder on the desk's machine; every .txt and .html in it is queued.")
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
    directory: str | None = Field(None, description="A dataset folder (default: the desk's gold/ folder).")
    case_id: str | None = Field(None, description="The case's file name (default: the article's id).")


def _article_text(raw: bytes, name: str) -> str:
    """An article's bytes as text: refused when larger than MAX_BYTES, binary, not UTF-8 or empty."""
    if len(raw) > MAX_BYTES:
        raise InputError(f"{name}: larger than {MAX_BYTES // 1024} kB")
    return decode_input(raw, name=name)


def _state(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": row.id, "title": row.title, "published": row.published, "source": row.source, "status": row.status,
        "stage": row.stage, "reason": row.reason, "version": row.version, "approved": row.approved,
        "brief": None, "marks": row.marks, "draft": row.draft, "changes": None,
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
    if row.brief is None or row.marks is None:
        raise InputError(f"article {row.id} has no brief yet (it is {row.status})")
    return review.validate(review.published_brief(row.brief, row.marks), row.text, _published(row))


def create_app(
    data: str | Path, *, token: str | None = None, concurrency: int = 1, options: dict[str, Any] | None = None
) -> FastAPI:
    """The desk over the data folder `data` (its database and gold/ folder). With `token`, every request
    must carry it (`Authorization: Bearer`, or once as `?token=` in the browser, kept in a cookie)."""
    root = Path(data)
    store = Store(root / "desk.sqlite3")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.drafter = Drafter(store, concurrency=concurrency, options=options)
        resumed = app.state.drafter.resume()
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

    @app.exception_handler(SummarizerError)
    async def refused(request: Request, exc: SummarizerError) -> JSONResponse:
        status = {Conflict: 409, NotFound: 404, review.EditError: 422}.get(type(exc), 400)
        return JSONResponse({"detail": str(exc).splitlines()[0]}, status_code=status)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s", request.method, request.url.path)
        return JSONResponse({"detail": f"internal error ({type(exc).__name__}); nothing was changed"}, 500)

    def queue(text: str, *, title: str | None, published: date | None, source: str | None, editor: str) -> str:
        article = parse_article(text)
        when = published or article.published
        aid = store.add(article.text.strip("\n"), title=title or article.title, source=source, editor=editor,
                        published=when.isoformat() if when else None)  # fmt: skip
        app.state.drafter.submit(aid)
        return aid

    # ---- API ----------------------------------------------------------------------------------

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
        ids = [queue(t, title=None, published=None, source=name, editor="upload") for name, t in texts]
        return {"id": ids[0] if ids else None, "ids": ids}

    @app.post("/api/folders", tags=["articles"])
    def add_folder(folder: Folder) -> dict[str, list[str]]:
        """Queue every .txt and .html article of a folder on the desk's machine."""
        p = Path(folder.path).expanduser()
        if not p.is_dir():
            raise InputError(f"{folder.path} is not a folder")
        paths = sorted(x for x in p.iterdir() if x.suffix.lower() in TYPES and x.is_file())
        if not paths:
            raise InputError(f"{folder.path} has no .txt or .html articles")
        texts = []
        for x in paths:  # every file is checked before any is queued, as for uploads
            with x.open("rb") as fh:
                texts.append((x, _article_text(fh.read(MAX_BYTES + 1), str(x))))
        return {"ids": [queue(t, title=None, published=None, source=str(x), editor=folder.editor) for x, t in texts]}

    @app.get("/api/articles/{aid}", tags=["articles"])
    def get_article(aid: str) -> dict[str, Any]:
        """Status (queued, drafting, ready, failed with the reason), the current brief, the model's draft,
        each item's mark, and what the editor changed against the draft."""
        return _state(store.get(aid))

    @app.post("/api/articles/{aid}/redraft", tags=["articles"])
    def redraft(aid: str) -> dict[str, Any]:
        """Draft a failed article again."""
        row = store.get(aid)
        if row.status != "failed":
            raise InputError(f"article {aid} is {row.status}; only a failed article is drafted again")
        store.set_status(aid, "queued")
        app.state.drafter.submit(aid)
        return _state(store.get(aid))

    @app.post("/api/articles/{aid}/edits", tags=["review"])
    def edit(aid: str, e: Edit) -> dict[str, Any]:
        """One edit, validated by the brief's rules before it is saved: set a field, mark an item
        (accepted, rejected, pending), or add a figure from a selection of the article."""
        row = store.get(aid)
        if row.brief is None or row.marks is None:
            raise InputError(f"article {aid} has no brief to edit yet (it is {row.status})")
        brief, marks = copy.deepcopy(row.brief), copy.deepcopy(row.marks)
        detail: dict[str, Any] = {"op": e.op, "path": e.path}
        if e.op == "set":
            if e.path is None:
                raise review.EditError("set needs a path")
            before = _value_at(brief, e.path)
            review.set_field(brief, marks, e.path, e.value)
            detail |= {"from": before, "to": e.value}
        elif e.op == "mark":
            review.set_mark(marks, e.path or "", str(e.value))
            detail["to"] = e.value
        else:
            if e.start is None or e.end is None or not (e.name or "").strip():
                raise review.EditError("add_metric needs the selection (start, end) and a name")
            metric = review.figure_at(row.text, e.start, e.end)
            metric |= {"name": (e.name or "").strip(), "kind": e.kind, "period": e.period}
            brief["metrics"].append(metric)
            marks["metrics"].append("added")
            detail |= {"path": f"metrics/{len(brief['metrics']) - 1}", "to": metric}
        review.validate(review.published_brief(brief, marks), row.text, _published(row))
        store.save(aid, version=e.version, editor=e.editor, action=e.op, detail=detail, brief=brief, marks=marks)
        return _state(store.get(aid))

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
            return Response(brief.model_dump_json(indent=2), headers=headers, media_type="application/json")
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
        directory = Path(g.directory).expanduser() if g.directory else root / "gold"
        try:
            a, lbl = publish.write_gold(directory, case_id, row.text, brief, title=row.title,
                                        published=_published(row), source=row.source)  # fmt: skip
        except DatasetError as exc:
            raise InputError(f"the gold case does not validate: {exc}") from None
        store.save(aid, version=row.version, editor=g.editor, action="gold", detail={"label": str(lbl)},
                   approved=row.approved)  # fmt: skip
        return {"article": str(a), "label": str(lbl), "dataset": str(directory)}

    # ---- pages --------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def inbox() -> str:
        return publish.templates.get_template("inbox.html").render(articles=store.all())

    @app.get("/articles/{aid}", response_class=HTMLResponse, include_in_schema=False)
    def review_page(aid: str) -> str:
        row = store.get(aid)
        context: dict[str, Any] = {"row": row, "state": _state(row), "items": [], "kinds": _choices(),
                                   "history": store.history(aid)[::-1]}  # fmt: skip
        if row.brief is not None and row.marks is not None:
            shown = review.spans(row.brief, row.text, row.marks)
            context["article"] = publish.article_html(row.text, shown)
            context["items"] = review.items(row.brief, row.text, row.marks)
        else:
            context["article"] = publish.article_html(row.text, [])
        return publish.templates.get_template("review.html").render(**context)

    return app


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
    return {"kind": list(get_args(Kind)), "category": list(get_args(RiskCategory)), "stance": list(get_args(Stance))}
