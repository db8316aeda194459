"""Jinja2 templates with the helpers every page needs (user, CSRF token, number format)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import escape

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from taizhang.ledger.excel import STATUS_LABELS as LEDGER_STATUS_LABELS
from taizhang.web.deps import csrf_token, optional_user

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

# the 台账's own words (ledger.excel), except that a page says who has not reported yet
STATUS_LABELS = {**LEDGER_STATUS_LABELS, "no_data": "未报送"}
REVIEW_LABELS = {"unreviewed": "待审核", "confirmed": "已确认", "edited": "已修改", "rejected": "已驳回"}
COMPARATOR_SIGNS = {"gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈", "eq": "=", "range": "~"}
ROLE_LABELS = {"admin": "管理员", "supervisor": "督查人员", "reporter": "填报人"}


def number(value: float | Decimal | None) -> str:
    """12000.0 → '12,000'; 5.5 → '5.5'; None → '—'."""
    if value is None:
        return "—"
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


HIDDEN_DETAILS = frozenset({"evidence_path", "created_at", "updated_at", "id"})


def audit_details(details: object) -> str:
    """An audit row's details as short readable text; server paths and timestamps left out.

    >>> audit_details({"changes": {"review_state": ["unreviewed", "confirmed"]}, "reason": "review: confirm"})
    'review_state: unreviewed → confirmed；reason: review: confirm'
    """
    if not isinstance(details, dict):
        return str(details)
    parts: list[str] = []
    for key, value in details.items():
        if key in HIDDEN_DETAILS or value in (None, "", [], {}):
            continue
        if key == "changes" and isinstance(value, dict):
            parts.extend(f"{k}: {_short(v[0])} → {_short(v[1])}" if isinstance(v, list) and len(v) == 2
                         else f"{k}: {_short(v)}" for k, v in value.items())
        else:
            parts.append(f"{key}: {_short(value)}")
    return "；".join(parts)


def _short(value: object) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


TEMPLATES.env.filters.update(number=number, percent=percent, audit_details=audit_details)
TEMPLATES.env.globals.update(
    STATUS_LABELS=STATUS_LABELS, REVIEW_LABELS=REVIEW_LABELS,
    COMPARATOR_SIGNS=COMPARATOR_SIGNS, ROLE_LABELS=ROLE_LABELS,
)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    settings = request.app.state.settings
    user = None if settings.public else optional_user(request)
    base = {
        "settings": settings,
        "user": user,
        "public": settings.public,
        "csrf_token": csrf_token(request) if not settings.public else "",
        "flash": request.session.pop("flash", None) if "session" in request.scope else None,
    }
    return TEMPLATES.TemplateResponse(request, name, {**base, **context},
                                      status_code=status_code, headers=headers)


# Markers that stand for the viewer in a page rendered once for many viewers (render_shared):
# letters and digits only, so that HTML escaping leaves them as they are.
_MARK = secrets.token_hex(8)
USER_MARK = f"tzuser{_MARK}"
CSRF_MARK = f"tzcsrf{_MARK}"


def render_shared(request: Request, name: str, context: dict[str, Any]) -> str | None:
    """The page as every viewer with this request's role and unit sees it, the viewer's name
    and CSRF token left as markers for `personalise`; None when the page must be rendered for
    this request alone (a flash message is waiting).

    A template rendered this way may use `user.username` (filled in later), `user.role`,
    `user.is_reviewer` and the user's unit, nothing else of the request.
    """
    settings = request.app.state.settings
    if "session" in request.scope and request.session.get("flash"):
        return None
    user = None if settings.public else optional_user(request)
    stand_in = None if user is None else replace(user, id=0, username=USER_MARK)
    base = {"settings": settings, "user": stand_in, "public": settings.public,
            "csrf_token": "" if settings.public else CSRF_MARK, "flash": None,
            "request": request}
    return TEMPLATES.get_template(name).render({**base, **context})


def personalise(request: Request, page: str) -> HTMLResponse:
    """A page from `render_shared` with this viewer's name and CSRF token."""
    settings = request.app.state.settings
    if not settings.public:
        user = optional_user(request)
        page = page.replace(USER_MARK, escape(user.username) if user else "")
        page = page.replace(CSRF_MARK, escape(csrf_token(request)))
    return HTMLResponse(page)


def render_error(request: Request, status: int, detail: str,
                 headers: dict[str, str] | None = None) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "detail": detail}, status, headers)


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message
