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

from taizhang.ledger.amounts import format_amount, in_scale
from taizhang.ledger.export import STATUS_LABELS as LEDGER_STATUS_LABELS
from taizhang.ledger.reminders import REASONS
from taizhang.ledger.tasks import CYCLE_LABELS
from taizhang.ledger.workflow import STATE_LABELS
from taizhang.web.asof import page_as_of
from taizhang.web.deps import csrf_token, optional_user

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")

# the 台账's own words (ledger.excel), except that a page says who has not reported yet
STATUS_LABELS = {**LEDGER_STATUS_LABELS, "no_data": "未报送"}
REVIEW_LABELS = {"unreviewed": "待审核", "confirmed": "已确认", "edited": "已修改", "rejected": "已驳回"}
COMPARATOR_SIGNS = {"gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈", "eq": "=", "range": "~"}
ROLE_LABELS = {"admin": "管理员", "supervisor": "督查人员", "reporter": "填报人"}
COMPARATOR_NAMES = {"gt": "> 超过", "ge": "≥ 不低于", "le": "≤ 不超过", "lt": "< 低于",
                    "approx": "≈ 左右", "eq": "= 等于", "range": "区间"}


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


HIDDEN_DETAILS = frozenset({"evidence_path", "path", "created_at", "updated_at", "id",
                            "submitted_at", "reviewed_at", "password_hash", "token_hash",
                            "content_hash", "indicator_key", "value_start", "value_end",
                            "quote_start", "quote_end", "rules", "flags", "target_id",
                            "submission_id", "report_id", "task_id",
                            "restated"})  # an ingest entry's [old, new] per target: in the API
FIELD_LABELS = {
    "review_state": "审核", "value": "目标值/完成值", "value_max": "上限", "value_text": "原文数值",
    "indicator": "指标", "unit": "单位", "unit_id": "责任单位", "comparator": "比较",
    "deadline": "完成时限", "as_of": "截至", "note": "备注", "reporter": "填报人",
    "evidence_name": "佐证", "name": "文件", "state": "报送状态", "review_note": "退回原因",
    "reviewed_by": "审核人", "submitted_by": "报送人", "closed_at": "销号时间", "closed_by": "销号人",
    "close_note": "销号说明", "report_cycle": "报送周期", "reason": "原因", "quote": "原文",
    "baseline_value": "基数", "baseline_date": "基数日期", "subject": "原文单位",
    "new_targets": "新目标", "revised_targets": "修订目标", "removed_targets": "删除目标",
    "kept_targets": "保留目标", "date": "日期", "title": "标题", "source": "来源",
    "milestone_id": "节点", "completed": "已完成", "done_on": "完成日期", "size": "大小",
    "uploaded_by": "上传人", "mailed": "已发邮件", "recipients": "收件人", "items": "事项",
}
VALUE_LABELS = {
    "unreviewed": "待审核", "confirmed": "已确认", "edited": "已修改", "rejected": "已驳回",
    "submitted": "待审核", "accepted": "已采纳", "returned": "已退回", "withdrawn": "已撤回",
    "gt": ">", "ge": "≥", "le": "≤", "lt": "<", "approx": "≈", "eq": "=", "range": "区间",
    "monthly": "月报", "quarterly": "季报", "half_yearly": "半年报", "annual": "年报",
    "review: confirm": "审核确认", "review: reject": "审核驳回", "review: edit": "审核修改",
    "报送: submit": "报送", "报送: accept": "采纳", "报送: return": "退回", "报送: correct": "更正",
    "报送: withdraw": "撤回", "报送: close": "销号", True: "是", False: "否",
}
ACTION_LABELS = {"create": "新增", "update": "修改", "delete": "删除", "ingest": "导入",
                 "re-extract": "重新提取", "withdraw": "撤回文件"}
ENTITY_LABELS = {"targets": "目标", "progress_reports": "进展", "submissions": "报送",
                 "evidence_files": "佐证", "documents": "文件", "tasks": "任务", "milestones": "节点",
                 "reminders": "催办", "users": "用户", "units": "单位"}


def audit_details(details: object) -> str:
    """An audit row's details as short readable Chinese; ids, paths and timestamps left out.

    >>> audit_details({"changes": {"review_state": ["unreviewed", "confirmed"]}, "reason": "review: confirm"})
    '审核：待审核 → 已确认；原因：审核确认'
    """
    if not isinstance(details, dict):
        return str(details)
    parts: list[str] = []
    for key, value in details.items():
        if key in HIDDEN_DETAILS or value in (None, "", [], {}):
            continue
        if key == "changes" and isinstance(value, dict):
            parts.extend(f"{_label(k)}：{_short(v[0])} → {_short(v[1])}" if isinstance(v, list) and len(v) == 2
                         else f"{_label(k)}：{_short(v)}" for k, v in value.items()
                         if k not in HIDDEN_DETAILS)
        else:
            parts.append(f"{_label(key)}：{_short(value)}")
    return "；".join(parts)


def _label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def _short(value: object) -> str:
    if isinstance(value, list):
        text = "、".join(_short(v) for v in value[:12]) + ("…" if len(value) > 12 else "")
    else:
        text = "—" if value is None else str(VALUE_LABELS.get(value, value)) if isinstance(
            value, str | bool) else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def scaled(value: object, value_text: str | None = None, unit: str = "") -> str:
    """The bare number in the target's scale (6000 for 6000亿元), as a form field shows it."""
    shown = in_scale(value, value_text, unit)  # type: ignore[arg-type]
    return "" if shown is None else format(shown, "f")


def amount(value: object, value_text: str | None = None, unit: str = "") -> str:
    """A number in the target's own scale: 6000亿元, 1.2万亿元, 1,200家."""
    return format_amount(value, value_text, unit)  # type: ignore[arg-type]


TEMPLATES.env.filters.update(number=number, percent=percent, audit_details=audit_details,
                             amount=amount, scaled=scaled)
TEMPLATES.env.globals.update(
    STATUS_LABELS=STATUS_LABELS, REVIEW_LABELS=REVIEW_LABELS,
    COMPARATOR_SIGNS=COMPARATOR_SIGNS, ROLE_LABELS=ROLE_LABELS, COMPARATOR_NAMES=COMPARATOR_NAMES,
    STATE_LABELS=STATE_LABELS, CYCLE_LABELS=CYCLE_LABELS, ACTION_LABELS=ACTION_LABELS,
    ENTITY_LABELS=ENTITY_LABELS, REASONS=REASONS,
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
        "page_as_of": page_as_of(request, None).isoformat(),
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
            "request": request, "page_as_of": page_as_of(request, None).isoformat()}
    return TEMPLATES.get_template(name).render({**base, **context})


def personalise(request: Request, page: str) -> HTMLResponse:
    """A page from `render_shared` with this viewer's name and CSRF token."""
    settings = request.app.state.settings
    if not settings.public:
        user = optional_user(request)
        page = fill_marks(page, escape(user.username) if user else "",
                          escape(csrf_token(request)))
    return HTMLResponse(page)


def fill_marks(page: str, username: str, csrf: str) -> str:
    """`page` with the viewer's (escaped) name and CSRF token in place of the markers."""
    return page.replace(USER_MARK, username).replace(CSRF_MARK, csrf)


def render_error(request: Request, status: int, detail: str,
                 headers: dict[str, str] | None = None) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "detail": detail}, status, headers)


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message
