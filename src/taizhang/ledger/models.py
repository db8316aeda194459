"""The ledger's tables (SQLAlchemy 2 typed declarative).

These are storage models only; API shapes live elsewhere (web) and the extractor's value object
is `taizhang.types.Target`. The schema is created and upgraded by the Alembic migrations in
`taizhang/ledger/migrations` -- never by `create_all` outside tests.

Stable names other stages rely on: `Base`, `Document`, `Unit`, `UnitAlias`, `Target`,
`TargetRevision`, `ProgressReport`, `ProposedResult`, `User`, `ApiToken`, `AuditLog` and the
enums `ReviewState`, `UnitLevel`, `Role`. The office's tables (tasks, submissions, evidence
files, reminders) are in `office_models.py`, imported at the end of this module.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"
    CONFIRMED = "confirmed"
    EDITED = "edited"  # a person changed a field; restatements no longer overwrite it
    REJECTED = "rejected"  # not a target; kept (with its history) but left out of tracking


class UnitLevel(StrEnum):
    NATION = "nation"
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"
    COUNTY = "county"
    ZONE = "zone"  # 经开区, 高新区, 新区: functional zones beside districts
    DEPARTMENT = "department"  # 市发改委, 县住建局: added by hand, never from the gazetteer


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"  # the supervision office: reviews, sees everything
    REPORTER = "reporter"  # a unit's clerk: reports progress for his unit


def utcnow() -> datetime:
    return datetime.now(UTC)


class Amount(TypeDecorator[Decimal]):
    """Exact-enough numbers: NUMERIC on PostgreSQL, REAL on SQLite, always `Decimal` out.

    SQLite has no decimal type; storing a float and reading it back through `repr` keeps the
    15-17 significant digits targets need (1.2万亿 = 1200000000000) and gives the same
    `Decimal` on both back ends, which the "same results on SQLite and PostgreSQL" bar needs.
    """

    impl = Numeric(30, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(30, 6, asdecimal=False))
        return dialect.type_descriptor(Numeric(30, 6))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return float(value)
        return Decimal(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return tidy_decimal(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def tidy_decimal(value: Decimal) -> Decimal:
    """`Decimal('1200.000000')` → `Decimal('1200')`, `Decimal('5.500')` → `Decimal('5.5')`."""
    value = value.normalize()
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        value = value.quantize(Decimal(1))
    return value


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC on every back end and returned timezone-aware."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stamp: datetime = value
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Document(Base):
    """One ingested text; `content_hash` (sha256 of the text) makes ingest idempotent."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)  # path or URL it was read from
    date: Mapped[date | None] = mapped_column(Date)  # the reference date of the text
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # who issued it (the user's choice, else the sidecar's region or issuer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)

    targets: Mapped[list[Target]] = relationship(back_populates="document")
    issuer: Mapped[Unit | None] = relationship()


class Unit(Base):
    """A responsible unit (责任单位); `name` is the short name (无锡市 → 无锡)."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    full_name: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(16))  # a UnitLevel value, None if unknown
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)  # adcode

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )


class UnitAlias(Base):
    """Another name of a unit (full name, old name, 经开区 for 经济开发区…); unique overall."""

    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text, unique=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class UnitProposal(Base):
    """A subject that is no known unit, waiting for a reviewer: accept it as a unit, map it to
    one (an alias), or reject it (its targets stay with their documents' units)."""

    __tablename__ = "unit_proposals"
    # One pending proposal per name, even when ingests propose it at the same moment (the loser
    # of the insert finds the winner's); decided ones stay as history, any number per name.
    __table_args__ = (
        Index("uq_unit_proposals_pending_name", "name", unique=True,
              sqlite_where=sql_text("state = 'pending'"),
              postgresql_where=sql_text("state = 'pending'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # accepted mapped rejected
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # suggested parent
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))  # the decision
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    parent: Mapped[Unit | None] = relationship(foreign_keys=[parent_id])
    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])


class Target(Base):
    """A tracked target: the extractor's fields (current statement) plus review and baseline.

    The value fields hold the latest statement; every statement, the first included, is also a
    `TargetRevision`, so restated values and deadlines stay visible.
    """

    __tablename__ = "targets"
    __table_args__ = (
        Index("ix_targets_unit_indicator_key", "unit_id", "indicator_key"),
        Index("ix_targets_unit_deadline", "unit_id", "deadline", "id"),  # a unit's page
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    subject: Mapped[str | None] = mapped_column(Text)  # as printed
    indicator: Mapped[str] = mapped_column(Text)
    # `keys.indicator_key(indicator)`: restatements match on (unit_id, indicator_key).
    indicator_key: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[Decimal] = mapped_column(Amount)
    value_max: Mapped[Decimal | None] = mapped_column(Amount)
    unit: Mapped[str] = mapped_column(String(40))  # measurement unit: 亿元, %, 家…
    comparator: Mapped[str] = mapped_column(String(8))  # taizhang.types.Comparator value
    kind: Mapped[str] = mapped_column(String(16))  # taizhang.types.Kind value
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    recurring: Mapped[str | None] = mapped_column(String(40))
    strength: Mapped[str] = mapped_column(String(8), default="hard")
    commitment: Mapped[str | None] = mapped_column(String(40))
    qualifier: Mapped[str | None] = mapped_column(Text)
    value_text: Mapped[str] = mapped_column(Text, default="")
    value_start: Mapped[int] = mapped_column(Integer, default=0)
    value_end: Mapped[int] = mapped_column(Integer, default=0)
    quote: Mapped[str] = mapped_column(Text, default="")
    quote_start: Mapped[int] = mapped_column(Integer, default=0)
    quote_end: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    review_state: Mapped[str] = mapped_column(
        String(16), default=ReviewState.UNREVIEWED.value, index=True
    )
    baseline_value: Mapped[Decimal | None] = mapped_column(Amount)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    report_cycle: Mapped[str | None] = mapped_column(String(16))  # office_models.Cycle value
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # 销号 by a supervisor
    closed_by: Mapped[str | None] = mapped_column(String(100))
    close_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship(back_populates="targets")
    responsible: Mapped[Unit | None] = relationship()
    revisions: Mapped[list[TargetRevision]] = relationship(
        back_populates="target", order_by="TargetRevision.id", cascade="all, delete-orphan"
    )
    progress: Mapped[list[ProgressReport]] = relationship(
        back_populates="target",
        order_by="(ProgressReport.as_of, ProgressReport.id)",
        cascade="all, delete-orphan",
    )


class TargetRevision(Base):
    """One document's statement of a target (the first statement included)."""

    __tablename__ = "target_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    value: Mapped[Decimal] = mapped_column(Amount)
    value_max: Mapped[Decimal | None] = mapped_column(Amount)
    comparator: Mapped[str] = mapped_column(String(8))
    deadline: Mapped[date | None] = mapped_column(Date)
    quote: Mapped[str] = mapped_column(Text, default="")
    quote_start: Mapped[int] = mapped_column(Integer, default=0)
    quote_end: Mapped[int] = mapped_column(Integer, default=0)
    stated_on: Mapped[date | None] = mapped_column(Date)  # the stating document's date
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    target: Mapped[Target] = relationship(back_populates="revisions")
    document: Mapped[Document] = relationship()


class ProgressReport(Base):
    """A reported value of a target as of a date (cumulative or level, as the target reads)."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    as_of: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Amount)
    note: Mapped[str | None] = mapped_column(Text)
    evidence_path: Mapped[str | None] = mapped_column(Text)  # where the file is stored
    evidence_name: Mapped[str | None] = mapped_column(Text)  # its original name
    reporter: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    target: Mapped[Target] = relationship(back_populates="progress")


# A target's reports newest first (ties: the later record): tracking reads the latest report of
# every target through it without sorting.
Index(
    "ix_progress_reports_latest",
    ProgressReport.target_id,
    ProgressReport.as_of.desc(),
    ProgressReport.id.desc(),
)


class ProposedResult(Base):
    """A result a later document reports for a target (promise versus delivery), proposed by
    `taizhang results propose`; a supervisor confirms it (it becomes a progress report whose
    note quotes the document) or rejects it."""

    __tablename__ = "proposed_results"
    __table_args__ = (
        UniqueConstraint("target_id", "document_id", "value_start", name="uq_proposed_results_statement"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    value: Mapped[Decimal] = mapped_column(Amount)
    unit: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    indicator: Mapped[str] = mapped_column(Text, default="")  # as the document prints it
    value_start: Mapped[int] = mapped_column(Integer, default=0)
    value_end: Mapped[int] = mapped_column(Integer, default=0)
    quote: Mapped[str] = mapped_column(Text, default="")
    quote_start: Mapped[int] = mapped_column(Integer, default=0)
    quote_end: Mapped[int] = mapped_column(Integer, default=0)
    verdict: Mapped[str] = mapped_column(String(16))  # met | not_met | unclear
    state: Mapped[str] = mapped_column(String(16), default="proposed")  # proposed | confirmed | rejected
    progress_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    target: Mapped[Target] = relationship()
    document: Mapped[Document] = relationship()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16), default=Role.REPORTER.value)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    email: Mapped[str | None] = mapped_column(String(200))  # where 催办 notices go
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class ApiToken(Base):
    """An API token; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # none: until revoked
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class LoginSession(Base):
    """A browser login, held on the server: the cookie carries a random id whose hash is the
    key, so logout, a password change or disabling the user ends it at once, in every worker."""

    __tablename__ = "login_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LoginThrottle(Base):
    """Failed logins of one account (`user:NAME`) or one client address (`addr:IP`) within a
    window, and until when further attempts are refused (kept in the ledger: every worker
    sees the same count)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditLog(Base):
    """Append-only record of every change (the ORM refuses to update or delete rows)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100), default="system")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# The office's tables register on the same metadata (they refer to the classes above).
from taizhang.ledger import office_models as _office_models  # noqa: E402, F401
