"""ASGI middleware that rejects anonymous writes and oversized bodies before any body is read.

FastAPI parses a request body before it runs dependencies, so a dependency cannot keep an
anonymous client from making the server read (and spool) a large upload. This middleware sits
in front of the app: for every non-safe method it authenticates from headers alone (session
cookie or `Authorization: Bearer`) and answers 401 at once when nobody is logged in. It also
answers 413 for a declared `Content-Length` over the limit and stops counting bytes of a
chunked body once it passes the limit.

A write whose `Origin` (or, without one, `Referer`) names another site is refused with 403
before anything else: a second line behind the CSRF token, and the only one for the login form
of a visitor who has no session yet. Requests without either header (scripts, curl) pass on to
the token and CSRF checks.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from html import escape
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Authenticate = Callable[[Scope], Any]


class WriteGuard:
    """Authenticate writes from headers, enforce the body limit, then pass on."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        authenticate: Authenticate,
        max_body: int,
        anonymous_paths: frozenset[str] = frozenset({"/login"}),
        after_write: Callable[[Scope], None] | None = None,
        trusted_origins: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.trusted_hosts = frozenset(_host_of(o) for o in trusted_origins if _host_of(o))
        self.authenticate = authenticate
        self.max_body = max_body
        self.anonymous_paths = anonymous_paths
        self.after_write = after_write

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if not self._same_origin(scope):
            await _reply(send, 403, "跨站请求被拒绝 (cross-origin request refused): the Origin or "
                         "Referer of this write is another site", html=_wants_html(scope))
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await _reply(send, 413, _too_large(self.max_body), html=_wants_html(scope))
            return
        user = await anyio.to_thread.run_sync(self.authenticate, scope)
        scope.setdefault("state", {})["user"] = user
        if user is None and scope["path"] not in self.anonymous_paths:
            await _reply(send, 401, "请先登录 (login required): use the login form or an API token "
                         "as 'Authorization: Bearer tz_…'", headers=[(b"www-authenticate", b"Bearer")],
                         html=_wants_html(scope))
            return
        try:
            await self.app(scope, _limited(receive, self.max_body), send)
        finally:
            if self.after_write is not None:
                self.after_write(scope)

    def _same_origin(self, scope: Scope) -> bool:
        """True unless the browser says the write comes from a page of another site."""
        headers = {name: bytes(value).decode("latin-1") for name, value in scope.get("headers", ())
                   if name in (b"origin", b"referer", b"host")}
        source = headers.get(b"origin") or headers.get(b"referer")
        if source is None:
            return True
        origin_host = _host_of(source)
        if not origin_host:  # "null" (a sandboxed frame, a data: URL) or garbage
            return False
        own = headers.get(b"host", "").lower()
        return origin_host == own or origin_host in self.trusted_hosts


def _host_of(url: str) -> str:
    """`host[:port]` of an origin or URL, lower-case; empty when it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https"):
        return ""
    return parts.netloc.rpartition("@")[2].lower()


def _limited(receive: Receive, limit: int) -> Callable[[], Awaitable[Message]]:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, _too_large(limit))
        return message

    return wrapped


def _too_large(limit: int) -> str:
    return f"上传内容过大 (request body too large): the limit is {limit // (1024 * 1024)} MB ({limit} bytes)"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _wants_html(scope: Scope) -> bool:
    """A browser form post (not the API) gets a small page instead of JSON."""
    if str(scope.get("path", "")).startswith("/api"):
        return False
    return any(name == b"accept" and b"text/html" in value for name, value in scope.get("headers", ()))


async def _reply(send: Send, status: int, detail: str,
                 headers: list[tuple[bytes, bytes]] | None = None, *, html: bool = False) -> None:
    if html:
        page = (f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{status}</title>'
                f'<link rel="stylesheet" href="/static/style.css"><main><h1>出错了（{status}）</h1>'
                f'<div class="flash error">{escape(detail)}</div><p><a href="/">'
                f'回到总览</a> · <a href="/login">登录</a></p></main></html>')
        body, kind = page.encode("utf-8"), b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json; charset=utf-8"
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", kind),
                    (b"content-length", str(len(body)).encode()), *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})
