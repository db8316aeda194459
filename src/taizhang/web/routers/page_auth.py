"""Login and logout (absent in public mode: there are no users there)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from taizhang.ledger.models import User
from taizhang.web import throttle
from taizhang.web.auth import SESSION_ID_KEY, end_session, start_session
from taizhang.web import services
from taizhang.web.deps import (
    CSRF_SESSION_KEY,
    SessionDep,
    SettingsDep,
    ViewerDep,
    WriterDep,
    check_csrf,
)
from taizhang.web.security import new_csrf_token, same_token, verify_password, verify_unknown
from taizhang.web.templating import flash, render
from taizhang.web.users import reset_password

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
def login(request: Request, session: SessionDep, settings: SettingsDep,
          username: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=1000)],
          csrf: Annotated[str, Form(alias="csrf_token")] = "",
          next: Annotated[str, Form()] = "/") -> object:
    """Log in; throttled per account and per address (`web.throttle`). An unknown or disabled
    user costs the same argon2 verification as a wrong password, and gets the same answer."""
    if not same_token(request.session.get(CSRF_SESSION_KEY), csrf):
        raise HTTPException(403, "CSRF 校验失败 (CSRF token missing or wrong): reload the login page")
    account = throttle.account_key(username)
    address = throttle.address_key(request.client.host if request.client else None)
    lock = throttle.locked(session, [account, address])
    if lock is not None:
        return render(request, "login.html", {
            "next": _local(next),
            "error": f"登录失败次数过多，请 {lock.minutes} 分钟后再试，或请管理员解锁 "
                     f"(too many failed logins: try again in {lock.minutes} min, or ask an admin "
                     "to unlock)"}, status_code=429, headers={"Retry-After": str(lock.minutes * 60)})
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        good = verify_unknown(password)  # the same time as a wrong password of a real user
    else:
        good = verify_password(user.password_hash, password)
    if user is None or not user.active or not good:
        throttle.record_failure(session, account, throttle.ACCOUNT_LIMIT)
        throttle.record_failure(session, address, throttle.ADDRESS_LIMIT)
        session.commit()
        return render(request, "login.html", {"next": _local(next),
                                              "error": "用户名或密码错误 (wrong user name or password)"},
                      status_code=401)
    throttle.clear(session, [account])
    sid = start_session(session, user.id, settings.session_max_age)
    session.commit()
    request.session.clear()  # a fresh session: no fixation of a pre-login cookie
    request.session[SESSION_ID_KEY] = sid
    request.session[CSRF_SESSION_KEY] = new_csrf_token()
    dest = _local(next)
    if dest == "/" and user.role == "reporter":
        dest = "/my"  # a reporter lands on 我的任务: his unit's open items and what is due
    return RedirectResponse(dest, status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, user: ViewerDep) -> HTMLResponse:
    """The user's own page: change his password."""
    return render(request, "account.html", {})


@router.post("/account/password")
def change_password(request: Request, session: SessionDep, settings: SettingsDep, user: WriterDep,
                    current: Annotated[str, Form(max_length=1000)],
                    password: Annotated[str, Form(max_length=1000)]) -> RedirectResponse:
    """Change one's own password (the current one is asked again); every other login of the
    user ends, this one goes on in a new session."""
    row = session.get(User, user.id)
    if row is None or not verify_password(row.password_hash, current):
        raise HTTPException(403, "当前密码不正确 (the current password is wrong)")
    services.act_as(session, user)
    reset_password(session, username=row.username, password=password)
    sid = start_session(session, row.id, settings.session_max_age)
    session.commit()
    request.session[SESSION_ID_KEY] = sid
    flash(request, "密码已修改，其他设备上的登录已退出。")
    return RedirectResponse("/account", status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, session: SessionDep) -> RedirectResponse:
    """End the login on the server too: a copy of the cookie is worth nothing afterwards."""
    end_session(session, request.session.get(SESSION_ID_KEY))
    session.commit()
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
