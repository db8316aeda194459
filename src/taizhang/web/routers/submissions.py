"""/api/submissions: 报送 → 审核 for scripts (reports waiting for review; accept; return)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query
from sqlalchemy import select

from taizhang.ledger.office_models import Submission
from taizhang.web import queries, services
from taizhang.web.responses import WRITE_ERRORS
from taizhang.web.deps import IdPath, ReviewerDep, SessionDep, WriterDep
from taizhang.web.schemas import Page, SubmissionPublic

write_router = APIRouter(prefix="/api/submissions", tags=["targets"], responses=WRITE_ERRORS)

State = Annotated[str, Query(pattern="^(submitted|accepted|returned|withdrawn)$",
                             description="submitted (待审核), accepted, returned or withdrawn")]


@write_router.get("", response_model=Page[SubmissionPublic])
def list_submissions(session: SessionDep, user: WriterDep, state: State = "submitted",
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Page[SubmissionPublic]:
    """Reports in one state; a reporter sees his own only."""
    query = select(Submission).where(Submission.state == state).order_by(Submission.id)
    if not user.is_reviewer:
        query = query.where(Submission.submitted_by == user.username)
    rows = list(session.scalars(query.limit(limit)))
    return Page(data=[queries.submission_public(s) for s in rows], count=len(rows))


@write_router.post("/{submission_id}/accept", response_model=SubmissionPublic)
def accept(submission_id: IdPath, session: SessionDep, user: ReviewerDep) -> SubmissionPublic:
    """Accept a report: it becomes the target's progress (or the task's milestone)."""
    sub = services.act_on_submission(session, user=user, submission_id=submission_id, step="accept")
    return queries.submission_public(sub)


@write_router.post("/{submission_id}/return", response_model=SubmissionPublic)
def send_back(submission_id: IdPath, session: SessionDep, user: ReviewerDep,
              reason: Annotated[str, Body(embed=True, min_length=1, max_length=2000)]) -> SubmissionPublic:
    """Return a report to its reporter with the reason (退回原因)."""
    sub = services.act_on_submission(session, user=user, submission_id=submission_id,
                                     step="return", reason=reason)
    return queries.submission_public(sub)


@write_router.post("/{submission_id}/withdraw", response_model=SubmissionPublic)
def withdraw(submission_id: IdPath, session: SessionDep, user: WriterDep) -> SubmissionPublic:
    """The reporter takes his report back before it is accepted."""
    sub = services.act_on_submission(session, user=user, submission_id=submission_id,
                                     step="withdraw")
    return queries.submission_public(sub)
