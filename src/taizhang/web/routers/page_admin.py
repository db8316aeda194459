"""Running the office: user administration (admins), 催办 and the 督查通报 (supervisors)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from taizhang.ledger.bulletin import bulletin_docx
from taizhang.ledger.models import Unit, User
from taizhang.ledger.reminders import (
    DOCX,
    SmtpSettings,
    late_items,
    notice_docx,
    reminder_log,
    send_reminders,
)
from taizhang.web import services
from taizhang.web.asof import page_as_of
from taizhang.web.auth import Principal
from taizhang.web.deps import IsoDate, IdPath, ReviewerDep, SessionDep, SettingsDep, ViewerDep, WriterDep
from taizhang.web.templating import flash, render
from taizhang.web.users import add_user, list_tokens, reset_password, revoke_token, unlock, update_user

router = APIRouter(include_in_schema=False)


def _admin(user: Principal | None) -> Principal:
    if user is None or user.role != "admin":
        raise HTTPException(403, "只有管理员可以管理用户 (admins only)")
    return user


def _reviewer(user: Principal | None) -> Principal:
    if user is None or not user.is_reviewer:
        raise HTTPException(403, "只有管理员和督查人员可以催办 (admins and supervisors only)")
    return user


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    _admin(viewer)
    users = list(session.scalars(select(User).order_by(User.username)))
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    return render(request, "users.html", {"users": users, "units": units,
                                          "tokens": list_tokens(session)})


@router.post("/admin/users")
def user_add(request: Request, session: SessionDep, user: WriterDep,
             username: Annotated[str, Form(min_length=1, max_length=100)],
             password: Annotated[str, Form(max_length=1000)],
             role: Annotated[str, Form(pattern="^(admin|supervisor|reporter)$")],
             unit: Annotated[str, Form(max_length=100)] = "",
             email: Annotated[str, Form(max_length=200)] = "") -> RedirectResponse:
    _admin(user)
    services.act_as(session, user)
    add_user(session, username=username.strip(), password=password, role=role,
             unit_name=unit.strip() or None, email=email)
    session.commit()
    flash(request, f"已添加用户 {username}。")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}")
def user_change(request: Request, user_id: IdPath, session: SessionDep, user: WriterDep,
                action: Annotated[str, Form(pattern="^(update|disable|enable|password|unlock)$")],
                role: Annotated[str | None, Form(max_length=20)] = None,
                unit: Annotated[str | None, Form(max_length=100)] = None,
                email: Annotated[str | None, Form(max_length=200)] = None,
                password: Annotated[str | None, Form(max_length=1000)] = None) -> RedirectResponse:
    """Change role, unit and e-mail; disable or enable; reset the password; clear a lockout."""
    _admin(user)
    target = session.get(User, user_id)
    if target is None:
        raise HTTPException(404, f"用户 {user_id} 不存在")
    if action == "disable" and target.id == user.id:
        raise HTTPException(409, "不能停用自己的账号 (you cannot disable yourself)")
    services.act_as(session, user)
    if action == "password":
        reset_password(session, username=target.username, password=password or "")
        message = f"已重置 {target.username} 的密码。"
    elif action == "unlock":
        cleared = unlock(session, target.username)
        message = f"已解除 {target.username} 的登录锁定。" if cleared else f"{target.username} 未被锁定。"
    elif action in ("disable", "enable"):
        update_user(session, username=target.username, active=action == "enable")
        message = f"已{'启用' if action == 'enable' else '停用'} {target.username}。"
    else:
        update_user(session, username=target.username, role=role, unit_name=unit, email=email)
        message = f"已更新 {target.username}。"
    session.commit()
    flash(request, message)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/tokens/{token_id}/revoke")
def token_revoke(request: Request, token_id: IdPath, session: SessionDep,
                 user: WriterDep) -> RedirectResponse:
    """Revoke an API token at once (admins)."""
    _admin(user)
    services.act_as(session, user)
    token = revoke_token(session, token_id)
    session.commit()
    flash(request, f"已吊销 {token.user.username} 的令牌 {token.id}。")
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/remind", response_class=HTMLResponse)
def remind_page(request: Request, session: SessionDep, viewer: ViewerDep,
                as_of: IsoDate | None = None) -> HTMLResponse:
    """催办: per unit, 逾期未报, 临期, 滞后 and 逾期 items; send notices; the log."""
    _reviewer(viewer)
    day = page_as_of(request, as_of)
    return render(request, "remind.html", {"due": late_items(session, day), "as_of": day,
                                           "log": reminder_log(session),
                                           "smtp": SmtpSettings.from_env() is not None})


@router.post("/remind")
async def remind_send(request: Request, session: SessionDep, settings: SettingsDep,
                      user: ReviewerDep) -> RedirectResponse:
    form = await request.form()
    ids = [int(v) for v in form.getlist("unit_ids") if isinstance(v, str) and v.isdigit()]
    if not ids:
        raise HTTPException(422, "没有选择单位 (tick at least one unit)")
    services.act_as(session, user)
    day = page_as_of(request, None)
    sent = send_reminders(session, as_of=day, unit_ids=ids, smtp=SmtpSettings.from_env(),
                          office=settings.office)
    session.commit()
    mailed = sum(r.mailed for r, _ in sent)
    flash(request, f"已催办 {len(sent)} 个单位（邮件发出 {mailed} 封），通知可在下方下载。")
    return RedirectResponse("/remind", status_code=303)


@router.get("/remind/{unit_id}.docx")
def remind_notice(request: Request, unit_id: IdPath, session: SessionDep, settings: SettingsDep,
                  viewer: ViewerDep) -> Response:
    """The Word notice of one unit on the 截至 date."""
    _reviewer(viewer)
    day = page_as_of(request, None)
    found = [u for u in late_items(session, day, unit_ids=[unit_id])]
    if not found:
        raise HTTPException(404, "该单位没有需要催办的事项")
    data = notice_docx(found[0], day, office=settings.office)
    return _download(data, f"催办通知-{found[0].unit.name}-{day.isoformat()}.docx")


@router.get("/bulletin.docx")
def bulletin(request: Request, session: SessionDep, settings: SettingsDep, viewer: ViewerDep,
             as_of: IsoDate | None = None) -> Response:
    """The 督查通报 of the 截至 date (Word)."""
    _reviewer(viewer)
    day = page_as_of(request, as_of)
    data = bulletin_docx(session, day, office=settings.office)
    return _download(data, f"督查通报-{day.isoformat()}.docx")


def _download(data: bytes, name: str) -> Response:
    return Response(data, media_type=DOCX, headers={
        "Content-Disposition": f"attachment; filename=\"notice.docx\"; filename*=UTF-8''{quote(name)}"})
