"""The web app and JSON API over a Storyline store (``storyline serve --db PATH``).

Pages are rendered on the server with autoescaping Jinja2 templates; the only script is
``/static/app.js`` (the add-reports page). The API lives under ``/api``; its OpenAPI description is
``/openapi.json`` and ``/docs`` renders it as a page that needs no network.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import StorylineError
from ..store import Store
from .data import MAX_LIMIT, StoreView, StoryFilters
from .guard import TOKEN_COOKIE, Guard
from .jobs import JobRunner, check_upload
from .render import Span, environment, highlight

__all__ = ["Settings", "create_app", "is_loopback"]

STATIC = Path(__file__).parent / "static"
PAGE_LIMIT = 100
_DAY = r"^(\d{4}-\d{2}-\d{2})?$"


# Parameters shared by the API and the pages.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=100_000_000, description="Items to skip.")]
Words = Annotated[str | None, Query(max_length=200, description="Words to find (matched literally).")]
Day = Annotated[str | None, Query(pattern=_DAY, description="A day, YYYY-MM-DD.")]
Source = Annotated[str | None, Query(max_length=300, description="Exact source name.")]
Key = Annotated[str, PathParam(max_length=200)]


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Settings:
    db: str
    host: str = "127.0.0.1"
    token: str | None = None
    max_upload_bytes: int = 20_000_000
    uploads: Path | None = None  # default: <db>.uploads next to the store

    @property
    def upload_folder(self) -> Path:
        return self.uploads or Path(self.db).with_name(Path(self.db).name + ".uploads")


class _App(FastAPI):
    """FastAPI with :class:`Guard` outside everything, error pages included."""

    guard_options: dict[str, Any]

    def build_middleware_stack(self) -> Any:
        return Guard(super().build_middleware_stack(), **self.guard_options)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def create_app(settings: Settings) -> FastAPI:
    """The app over the store at ``settings.db`` (opened now, so a bad path fails before serving)."""
    if not is_loopback(settings.host) and not settings.token:
        raise StorylineError(
            f"refusing to serve on {settings.host} without a token: pass --token (or set STORYLINE_TOKEN),"
            " or bind to 127.0.0.1"
        )
    store = Store(settings.db)
    view = StoreView(store)
    env = environment()

    def stories_of(prefix: str) -> list[dict[str, Any]]:
        rows = store.query(
            "SELECT DISTINCT s.story_key, s.title, s.n_articles FROM articles a"
            " JOIN story_index_articles ia ON ia.article_id = a.id JOIN story_index s ON s.story_key = ia.story_key"
            " WHERE starts_with(a.origin, ?) ORDER BY s.n_articles DESC, s.story_key",
            [prefix],
        )
        return [{"story_key": r[0], "title": r[1], "n_articles": r[2]} for r in rows]

    jobs = JobRunner(
        str(Path(settings.db)), settings.upload_folder, max_file_bytes=settings.max_upload_bytes,
        after=view.refresh, stories_of=stories_of,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.close()
        store.close()

    app = _App(
        lifespan=lifespan,
        title="Storyline",
        summary="Stories, articles, entities and claims of a Storyline store; add reports.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.guard_options = {
        "token": settings.token,
        "loopback_only": is_loopback(settings.host),
        "max_body_bytes": settings.max_upload_bytes + 1_000_000,
    }
    app.state.store, app.state.view, app.state.jobs = store, view, jobs
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    def page(name: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=code)

    # --- errors ---------------------------------------------------------------

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for error in exc.errors():
            where = ".".join(str(x) for x in error.get("loc", ())[1:]) or "request"
            parts.append(f"invalid {where} {error.get('input')!r}: {error.get('msg')}")
        message = "; ".join(parts) or "invalid request"
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=422)
        return page("error.html", 422, status=422, message=message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=exc.status_code, headers=exc.headers)
        return page("error.html", exc.status_code, status=exc.status_code, message=message)

    @app.exception_handler(StorylineError)
    async def _store_error(request: Request, exc: StorylineError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        return page("error.html", 503, status=503, message=str(exc))

    def filters(q: str | None, date_from: str | None, date_to: str | None, source: str | None, conflicts: bool) -> StoryFilters:
        return StoryFilters(
            q=(q or "").strip() or None, date_from=date_from or None, date_to=date_to or None,
            source=source or None, has_conflicts=conflicts,
        )

    # --- API ------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"], summary="List stories (search, filter, paginate)")
    def api_stories(
        q: Words = None, date_from: Day = None, date_to: Day = None, source: Source = None,
        has_conflicts: bool = False, limit: Limit = 50, offset: Offset = 0,
    ) -> dict[str, Any]:
        return view.stories(filters(q, date_from, date_to, source, has_conflicts), limit, offset)

    @app.get("/api/stories/{story_key}", tags=["stories"], summary="One story: summary, claims, timeline, entities, provenance")
    def api_story(story_key: Key) -> dict[str, Any]:
        story = view.story(story_key)
        if story is None:
            raise HTTPException(404, f"no story {story_key!r}")
        return story

    @app.get("/api/sources", tags=["stories"], summary="Sources and how many stories each has")
    def api_sources(limit: Limit = 50) -> dict[str, Any]:
        return {"items": [{"source": s, "stories": n} for s, n in view.sources(limit)]}

    @app.get("/api/articles", tags=["articles"], summary="List articles (without their text)")
    def api_articles(
        story: Annotated[str | None, Query(max_length=200, description="Story key.")] = None,
        source: Source = None, q: Words = None, limit: Limit = 50, offset: Offset = 0,
    ) -> dict[str, Any]:
        return view.articles(story=story, source=source, q=(q or "").strip() or None, limit=limit, offset=offset)

    @app.get("/api/articles/{article_id:path}", tags=["articles"], summary="One article: text, mentions, dates, claim values")
    def api_article(article_id: str) -> dict[str, Any]:
        article = view.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return article

    @app.get("/api/entities", tags=["entities"], summary="Entities of every story, with aliases")
    def api_entities(
        q: Words = None,
        type: Annotated[str | None, Query(max_length=20, description="PERSON, ORG, GPE, ...")] = None,
        story: Annotated[str | None, Query(max_length=200)] = None,
        limit: Limit = 50, offset: Offset = 0,
    ) -> dict[str, Any]:
        return view.entities(q=(q or "").strip() or None, type=type, story=story, limit=limit, offset=offset)

    @app.get("/api/claims", tags=["claims"], summary="Claims (figures) of every story with their values")
    def api_claims(
        status: Annotated[str | None, Query(pattern="^(conflict|updated|agreed|single_source)$")] = None,
        kind: Annotated[str | None, Query(max_length=20)] = None,
        story: Annotated[str | None, Query(max_length=200)] = None,
        limit: Limit = 50, offset: Offset = 0,
    ) -> dict[str, Any]:
        return view.claims(status=status, kind=kind, story=story, limit=limit, offset=offset)

    @app.post(
        "/api/jobs", tags=["ingestion"], status_code=202,
        summary="Add reports: upload files and/or paste text (needs the X-Storyline-CSRF header)",
    )
    async def api_create_job(
        files: Annotated[list[UploadFile], File(description="txt, html, json, jsonl, warc, warc.gz")] = [],  # noqa: B006
        text: Annotated[str, Form(max_length=2_000_000)] = "",
        title: Annotated[str, Form(max_length=500)] = "",
        source: Annotated[str, Form(max_length=300)] = "",
        url: Annotated[str, Form(max_length=2000)] = "",
        published_at: Annotated[str, Form(max_length=40)] = "",
    ) -> dict[str, Any]:
        accepted: list[tuple[str, bytes]] = []
        problems: list[str] = []
        for upload in files:
            if not upload.filename and not upload.size:
                continue
            data = await upload.read(settings.max_upload_bytes + 1)
            name, reason = check_upload(upload.filename, data, settings.max_upload_bytes)
            if reason:
                problems.append(reason)
            else:
                accepted.append((name, data))
        pasted = []
        if text.strip():
            item = {"text": text}
            for key, value in (("title", title), ("source", source), ("url", url), ("published_at", published_at)):
                if value.strip():
                    item[key] = value.strip()
            pasted.append(item)
        if problems:
            status = 413 if any("-byte limit" in p for p in problems) else 400
            raise HTTPException(status, "; ".join(problems))
        if not accepted and not pasted:
            raise HTTPException(400, "nothing to add: choose files or paste the text of a report")
        job = jobs.submit(accepted, pasted)
        return {**job.to_dict(), "status_url": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs", tags=["ingestion"], summary="Recent ingestion jobs")
    def api_jobs(limit: Limit = 20) -> dict[str, Any]:
        return {"items": [j.to_dict() for j in jobs.recent(limit)]}

    @app.get("/api/jobs/{job_id}", tags=["ingestion"], summary="Progress of one ingestion job")
    def api_job(job_id: Annotated[str, PathParam(pattern="^[0-9a-f]{16}$")]) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return job.to_dict()

    # --- pages ----------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request, q: Words = None, date_from: Day = None, date_to: Day = None,
        source: Source = None, conflicts: bool = False,
        limit: Annotated[int, Query(ge=1, le=PAGE_LIMIT)] = 25, offset: Offset = 0,
    ) -> HTMLResponse:
        chosen = filters(q, date_from, date_to, source, conflicts)
        result = view.stories(chosen, limit, offset)
        params = {"q": chosen.q, "date_from": chosen.date_from, "date_to": chosen.date_to,
                  "source": chosen.source, "conflicts": "1" if conflicts else None, "limit": limit}
        return page("stories.html", result=result, f=chosen, params=params, sources=view.sources(),
                    articles=store.article_count())

    @app.get("/stories/{story_key}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_key: Key) -> HTMLResponse:
        story = view.story(story_key)
        if story is None:
            raise HTTPException(404, f"no story {story_key!r} (it may have been merged: search for it on the story list)")
        articles = {a["id"]: a for a in story["articles"]}
        claims = sorted(story["story"]["claims"], key=lambda c: (c["status"] != "conflict", c["status"] != "updated"))
        entity_names = {e["id"]: e["name"] for e in story["story"]["entities"]}
        return page("story.html", s=story, story=story["story"], articles=articles, claims=claims,
                    entity_names=entity_names)

    @app.get("/stories/{story_key}/report.html", response_class=HTMLResponse, include_in_schema=False)
    def story_report(story_key: Key) -> Response:
        try:
            from ..html_report import content_security_policy, render_html
        except ImportError:
            raise HTTPException(404, "the self-contained HTML report is not part of this version") from None
        report = view.report(story_key)
        if report is None:
            raise HTTPException(404, f"no story {story_key!r}")
        return HTMLResponse(
            render_html(report),
            headers={
                "content-security-policy": content_security_policy(),
                "content-disposition": f'inline; filename="story-{story_key[:16]}.html"',
            },
        )

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        article_id: str,
        hl: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$")] = None,
        cite: Annotated[str | None, Query(pattern=r"^(summary|timeline)-\d{1,6}$")] = None,
        claim: Annotated[str | None, Query(max_length=50)] = None,
    ) -> HTMLResponse:
        article = view.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        spans = [
            Span(m["start"], m["end"], f"m-mention m-{m['label']}", f"{m['label']}: {m.get('entity') or m['text']}")
            for m in article["mentions"]
        ]
        spans += [Span(d["start"], d["end"], "m-date", f"date: {d['value'] or d['text']}") for d in article["dates"]]
        spans += [
            Span(v["start"], v["end"], f"m-claim m-{v['status']}", f"{v['status']}: {v['description']}")
            for v in article["claim_values"]
        ]
        target = None
        if hl:
            a, b = (int(x) for x in hl.split("-"))
            target = (a, b)
        elif cite and article["story_key"]:
            target = view.cited_sentence(article, article["story_key"], cite)
        if target:
            spans.append(Span(target[0], target[1], "m-target", "cited here", target=True))
        return page("article.html", a=article, text=highlight(article["text"], spans), target=target,
                    claim=claim, cite=cite)

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page() -> HTMLResponse:
        return page("add.html", max_mb=round(settings.max_upload_bytes / 1_000_000, 1), recent=jobs.recent(10))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        spec = app.openapi()
        operations = []
        for path, methods in spec.get("paths", {}).items():
            for method, op in methods.items():
                params = [
                    {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                     "description": p.get("description") or p.get("schema", {}).get("description", ""),
                     "schema": _schema_text(p.get("schema", {}))}
                    for p in op.get("parameters", [])
                ]
                operations.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                                   "tag": (op.get("tags") or [""])[0], "params": params,
                                   "body": "requestBody" in op})
        return page("docs.html", operations=operations, version=spec.get("info", {}).get("version"))

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page() -> HTMLResponse:
        return page("login.html", needed=bool(settings.token), failed=False)

    @app.post("/login", include_in_schema=False)
    def login(token: Annotated[str, Form(max_length=500)] = "") -> Response:
        expected = (settings.token or "").encode()
        if not settings.token or not hmac.compare_digest(token.encode("utf-8", "surrogatepass"), expected):
            return page("login.html", 401, needed=bool(settings.token), failed=True)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    return app


def _schema_text(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_schema_text(s) for s in schema["anyOf"])
    text = schema.get("type", "")
    limits = []
    for key, label in (("minimum", "\u2265"), ("maximum", "\u2264"), ("maxLength", "max length ")):
        if key in schema:
            limits.append(f"{label}{schema[key]}")
    if "pattern" in schema:
        limits.append(f"pattern {schema['pattern']}")
    if "default" in schema:
        limits.append(f"default {schema['default']}")
    return text + (f" ({', '.join(limits)})" if limits else "")
