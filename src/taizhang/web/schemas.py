"""API shapes, kept apart from the ledger's table models (`{data, count}` list envelopes).

Numbers are JSON numbers (the guidelines' vocabulary); spans are `[start, end)` code-point
offsets into the document text. In public mode, notes, evidence and reporters are `null`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

# [start, end) offsets into the document's text. A list of exactly two integers, not a tuple:
# a tuple's schema (`prefixItems`) comes out of FastAPI as an `items` array, which OpenAPI
# tools (schemathesis) reject.
Span = Annotated[list[int], Field(min_length=2, max_length=2)]

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    data: list[T]
    count: int = Field(description="Number of items matching the query (not only this page).")


class UnitPublic(BaseModel):
    id: int
    name: str
    full_name: str | None = None
    level: str | None = None
    parent_id: int | None = None
    aliases: list[str] = []


class DocumentPublic(BaseModel):
    id: int
    title: str | None
    source: str
    date: date | None
    format: str
    content_hash: str
    ingested_at: datetime
    target_count: int = 0


class DocumentDetail(DocumentPublic):
    text: str


class TargetPublic(BaseModel):
    id: int
    document_id: int
    unit_id: int | None
    unit_name: str | None = None
    subject: str | None
    indicator: str
    value: float
    value_max: float | None
    unit: str
    comparator: str
    kind: str
    deadline: date | None
    recurring: str | None
    strength: str
    commitment: str | None
    qualifier: str | None
    value_text: str
    value_span: Span
    quote: str
    quote_span: Span
    flags: list[str]
    review_state: str
    baseline_value: float | None = None
    baseline_date: date | None = None
    display_unit: str = Field("", description="The unit the target is shown and typed in "
                              "(亿元 for 6000亿元); a bare number sent as a report is read in it")
    report_cycle: str | None = None
    closed_at: datetime | None = None


class RevisionPublic(BaseModel):
    id: int
    target_id: int
    document_id: int
    value: float
    value_max: float | None
    comparator: str
    deadline: date | None
    quote: str
    quote_span: Span
    stated_on: date | None


class ProgressPublic(BaseModel):
    id: int
    target_id: int
    as_of: date
    value: float
    note: str | None = None
    reporter: str | None = None
    evidence_name: str | None = None
    evidence_url: str | None = None


class EvidencePublic(BaseModel):
    name: str
    url: str


class SubmissionPublic(BaseModel):
    """A report on its way through 报送 → 审核: `submitted` (待审核), `accepted`, `returned`
    (with `review_note`) or `withdrawn`."""

    id: int
    target_id: int | None = None
    task_id: int | None = None
    milestone_id: int | None = None
    as_of: date
    value: float | None = Field(None, description="In base units (元), as targets store it")
    value_text: str | None = Field(None, description="As typed: 1500亿")
    completed: bool = False
    note: str | None = None
    state: str
    submitted_by: str | None = None
    reviewed_by: str | None = None
    review_note: str | None = None
    report_id: int | None = None
    evidence: list[EvidencePublic] = []


class StatusPublic(BaseModel):
    target_id: int
    unit_id: int | None
    status: str = Field(description="achieved, on_track, behind, seriously_behind, overdue, "
                        "no_data or not_yet_due")
    color: Literal["green", "yellow", "red", "grey"]
    expected_share: float | None = Field(None, description="序时进度: elapsed share of the period")
    actual_share: float | None = Field(None, description="完成率: share of the way reported")
    latest_value: float | None = None
    latest_as_of: date | None = None
    rules_version: str | None = None


class LeagueRow(BaseModel):
    rank: int | None = Field(description="名次; null (shown as —) when nothing of the unit is due yet")
    unit_id: int | None
    unit: str
    score: float | None = Field(description="Accountability index, 0–100")
    targets: int
    components: dict[str, float | None] = {}


class StatementPublic(BaseModel):
    target_id: int
    document_id: int
    document: str
    stated_on: date | None
    unit: str | None
    indicator: str
    value: float
    value_max: float | None
    comparator: str
    deadline: date | None
    quote: str


class ConflictPublic(BaseModel):
    id: str = Field(description="Stable id: the kind and the lowest target id involved")
    kind: str = Field(description="'restated' (a target restated otherwise), 'divergent' (same "
                      "unit, indicator and deadline, different values) or 'duplicated_passage' "
                      "(one passage under two subjects)")
    unit: str | None
    indicator: str
    statements: list[StatementPublic]


class ReviewRequest(BaseModel):
    """Confirm, reject, or edit a target; `changes` only with `edit`."""

    model_config = ConfigDict(extra="forbid")
    action: Literal["confirm", "reject", "edit"]
    changes: dict[str, str | float | None] = Field(
        default_factory=dict,
        description="Fields to change with action=edit: indicator, value, value_max, unit, "
        "comparator, deadline (YYYY-MM-DD), unit_name (the responsible unit).",
    )

    @model_validator(mode="after")
    def _changes_only_with_edit(self) -> ReviewRequest:
        # a validation error of the body, so the 422 has the documented shape ({detail: [...]})
        if self.action != "edit" and self.changes:
            raise ValueError("changes are only allowed with action=edit")
        return self


class ProgressCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: date
    value: float = Field(allow_inf_nan=False)
    note: str | None = Field(None, max_length=4000)


class UploadResult(BaseModel):
    document: DocumentPublic
    created: bool = Field(description="False when the same text was already in the ledger.")
    targets: list[TargetPublic]


class AuditPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    details: dict[str, object]
