"""Login and logout (absent in public mode: there are no users there)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from taizhang.ledger.models import User
from taizhang.web.auth import SESSION_USER_KEY
from taizhang.web.deps import CSRF_SESSION_KEY, SessionDep, check_csrf
from taizhang.web.security import new_csrf_token, same_token, verify_password
from taizhang.web.templating import render

router = APIRouter(include_in_schema=False)


def _local(next_url: str | None) -> str:
    """Only redirect to a path on this site (no open redirect to //evil.example)."""
    if next_url and next_url.startswith("/") and not next_url.startswith("//"):
        return next_url
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", {"next": _local(next), "error": None})


@router.post("/login")
def login(request: Request, session: SessionDep,
          username: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=1000)],
          csrf: Annotated[str, Form(alias="csrf_token")] = "",
          next: Annotated[str, Form()] = "/") -> object:
    if not same_token(request.session.get(CSRF_SESSION_KEY), csrf):
        raise HTTPException(403, "CSRF 校验失败 (CSRF token missing or wrong): reload the login page")
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return render(request, "login.html", {"next": _local(next),
                                              "error": "用户名或密码错误 (wrong user name or password)"},
                      status_code=401)
    request.session.clear()  # a fresh session: no fixation of a pre-login cookie
    request.session[SESSION_USER_KEY] = user.id
    request.session[CSRF_SESSION_KEY] = new_csrf_token()
    dest = _local(next)
    if dest == "/" and user.role == "reporter":
        dest = "/my"  # a reporter lands on 我的任务: his unit's open items and what is due
    return RedirectResponse(dest, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
