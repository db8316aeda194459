"""The application factory: `create_app(settings)` builds the FastAPI app over one ledger.

Nothing happens at import. The lifespan opens the ledger (creating an empty one, refusing an
outdated schema with a hint) and disposes of the engine at shutdown. In public mode the write
routers are simply not mounted, so write routes do not exist at all.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine, event
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from taizhang import __version__
from taizhang.errors import LedgerError, NotFound, ReadError
from taizhang.ledger import make_sessionmaker, open_ledger, read_only
from taizhang.read.dates import DateNeeded
from taizhang.web.auth import authenticate, touch_token
from taizhang.web.deps import LoginRequired, close_request_session, request_session
from taizhang.web.fast_overview import CachedOverview, limiter, reader
from taizhang.web.guard import WriteGuard
from taizhang.web.overview import OverviewCache, VersionedCache
from taizhang.web.settings import WebSettings
from taizhang.web.templating import render_error

HERE = Path(__file__).parent

API_DESCRIPTION = """
JSON API of the taizhang ledger (台账): documents, responsible units, targets with their
revisions and progress reports, schedule status (序时进度), the league table of units and
conflicting statements, plus the Excel export.

Authentication: a session cookie (browser; writes then need the `X-CSRF-Token` header or a
`csrf_token` form field) or `Authorization: Bearer <token>` (`taizhang token create USER`).
Every write answers 401 to anonymous requests before reading the body. In public mode
(`taizhang serve --public`) only reads exist and only confirmed targets are shown.
"""


def create_app(settings: WebSettings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the app; pass `engine` to serve an already-open ledger (tests, benchmarks)."""
    settings = settings or WebSettings()  # type: ignore[call-arg]  # values come from the environment

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = engine is None
        eng = open_ledger(settings.db) if engine is None else engine
        tune_engine(eng)
        app.state.engine = eng
        app.state.sessionmaker = make_sessionmaker(eng)
        app.state.read_sessionmaker = make_sessionmaker(reading_engine(eng))
        app.state.fast_reader = reader(eng)
        app.state.fast_limiter = limiter()
        try:
            yield
        finally:
            if app.state.fast_reader is not read_only(eng):
                app.state.fast_reader.dispose()
            if own:
                eng.dispose()

    app = FastAPI(
        title="taizhang 台账 API",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        **NO_TELEMETRY,
        docs_url=None,  # served below from the package: Swagger UI from a CDN left /docs blank
        redoc_url=None,
        openapi_tags=[
            {"name": "documents", "description": "Ingested texts and their extracted targets"},
            {"name": "units", "description": "Responsible units (责任单位), a hierarchy"},
            {"name": "targets", "description": "Targets, revisions, review and progress"},
            {"name": "tracking", "description": "Status, league table and conflicts"},
            {"name": "export", "description": "The Excel 台账"},
        ],
    )
    app.state.settings = settings
    app.state.overview_cache = OverviewCache(settings.overview_cache_seconds)
    app.state.counts = VersionedCache(3600.0)
    _install_middleware(app, settings)
    _install_handlers(app)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _include_routers(app, settings)

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        """The API documentation, Swagger UI vendored in static/vendor/swagger-ui (no CDN),
        started from a static script (the Content-Security-Policy forbids inline ones)."""
        return HTMLResponse(SWAGGER_PAGE.format(title=escape(f"{app.title} · API")))

    return app


# FastAPI's native OpenTelemetry hooks (0.160 and later) asked on every request whether a
# provider is configured, reading the environment each time: a tenth of a cached page's cost.
# taizhang exports no traces or metrics; the hooks are off where FastAPI has them.
NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters else {})


SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>
"""


def reading_engine(engine: Engine) -> Engine:
    """The engine of GET requests' sessions: `read_only` (on SQLite a plain BEGIN beside the
    writer), on PostgreSQL in autocommit. A transaction gave a request's reads nothing there
    (under READ COMMITTED every statement reads its own snapshot anyway), but cost two round
    trips, BEGIN and the ROLLBACK when the connection went back to the pool. A streamed query
    opens a transaction of its own for its server-side cursor (`track.status.stream_rows`)."""
    reading = read_only(engine)
    if engine.dialect.name == "postgresql":
        reading = reading.execution_options(isolation_level="AUTOCOMMIT")
    return reading


def tune_engine(engine: Engine) -> None:
    """PostgreSQL: no JIT for this app's connections.

    Track's status query is one large expression; PostgreSQL's JIT took minutes (and gigabytes,
    in a compile step that ignores cancel requests) for 100,000 targets, where the query runs
    in about a second without it. The SET is committed so that the pool's rollback on
    check-in does not undo it.
    """
    if engine.dialect.name != "postgresql" or event.contains(engine, "connect", _no_jit):
        return
    event.listen(engine, "connect", _no_jit)
    engine.dispose()  # connections opened before the listener would keep JIT on


def _no_jit(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


def _install_middleware(app: FastAPI, settings: WebSettings) -> None:
    """Plain ASGI middleware only: Starlette's `@app.middleware("http")` (BaseHTTPMiddleware)
    runs every request through an extra task and memory streams, which cost more than the
    rest of a small page."""
    # Added first = innermost: the guard needs the session that SessionMiddleware decodes.
    # No cache clearing after writes: every write is audited, and the overview's cache checks
    # the audit log's newest id (web/overview.py), which also sees other workers' and the CLI's.
    app.add_middleware(WriteGuard, authenticate=_authenticate, max_body=settings.max_upload_bytes,
                       trusted_origins=settings.trusted_origins.split(","))
    # inside the session middleware (it reads the decoded cookie, and the cookie is refreshed
    # as on every page), outside the guard (it answers GET only)
    app.add_middleware(CachedOverview)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie="taizhang_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeaders)


def _authenticate(scope: Scope) -> Any:
    """The write guard's login check, in the request's own database session."""
    return authenticate(scope, request_session(scope))


# Scripts, styles, fonts and images come from this site only (the app vendors ECharts and
# Swagger UI and has no inline scripts). Style attributes stay allowed (progress bars' widths,
# ECharts' tooltips); <style> elements and inline scripts do not.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Adds the security headers to every HTTP response (unless a route set them), closes
    a database session a request left open (one the write guard opened for a refused write),
    then notes when the request's API token was used (`auth.touch_token`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            close_request_session(scope)
            if "touch_token" in scope.get("state", {}):
                await anyio.to_thread.run_sync(touch_token, scope)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": "请先登录 (login required)"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(ReadError)
    async def unreadable(request: Request, exc: ReadError) -> Response:
        return _error(request, 422, f"无法读取文件 (cannot read the document): {exc.reason}")

    @app.exception_handler(LedgerError)
    async def refused(request: Request, exc: LedgerError) -> Response:
        return _error(request, 400, str(exc))

    @app.exception_handler(DateNeeded)
    async def date_needed(request: Request, exc: DateNeeded) -> Response:
        return _error(request, 422, "请填写文件日期 (the document needs a date): 全年、年底前等"
                      "时限都从文件日期算起，文件本身和元数据里都没有日期。" f" {exc}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            lines = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
            return render_error(request, 422, "表单内容有误 (invalid form): " + "; ".join(lines))
        return JSONResponse({"detail": _plain(exc.errors())}, status_code=422)


def _plain(errors: object) -> object:
    """Validation errors without the raw input echo of bytes (which JSON cannot encode)."""
    if isinstance(errors, (list, tuple)):
        return [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in errors]
    return str(errors)


def _error(request: Request, status: int, detail: str,
           headers: Mapping[str, str] | None = None) -> Response:
    if _wants_html(request):
        return render_error(request, status, detail, dict(headers or {}))
    return JSONResponse({"detail": detail}, status_code=status, headers=dict(headers or {}))


def _include_routers(app: FastAPI, settings: WebSettings) -> None:
    from taizhang.web.routers import api, pages

    for router in api.read_routers() + pages.read_routers():
        app.include_router(router)
    if not settings.public:
        for router in api.write_routers() + pages.write_routers():
            app.include_router(router)
