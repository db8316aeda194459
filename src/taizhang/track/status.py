"""The status of every target of the ledger: one SQL query for the facts, one pass in Python.

The query returns, per tracked target, the fields its status depends on and its latest
progress report up to the date; `oracle.Judge` (the one implementation of the rules) turns each
row into a `TargetStatus` as it streams in. Measured on a million targets this is several times
faster than computing the status inside SQL: the rules are a few dozen comparisons, cheap in
Python, while SQLite's and PostgreSQL's expression evaluators paid for every CASE branch.

The latest report comes from the index on `progress_reports(target_id, as_of DESC, id DESC)`,
without sorting: on SQLite one index seek per target; on PostgreSQL one walk over the index
(DISTINCT ON keeps each target's first row), merged with the targets in id order. It is the latest report up to the date; the judge ignores
it for a recurring target when it falls before the target's current year, which is the same as
looking for the latest report inside that year.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from datetime import date
from typing import Any

from sqlalchemy import Float, Integer, Select, and_, case, cast, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.functions import FunctionElement

from taizhang.errors import NotFound
from taizhang.ledger.models import Document, ProgressReport, ReviewState, Target, Unit
from taizhang.ledger.units import find_unit, subtree_ids
from taizhang.track.model import TargetStatus
from taizhang.track.oracle import Judge
from taizhang.track.rules import Rules, load_rules


class _day(FunctionElement[int]):
    """A date column as days since 1970-01-01, an integer computed by the database: the rows
    carry small integers, and judging them needs no date object and no lookup per date (on
    SQLite, where dates are text, a text object per date and a lookup were made per row)."""

    type = Integer()
    inherit_cache = True


@compiles(_day, "sqlite")
def _day_sqlite(element: _day, compiler: SQLCompiler, **kw: Any) -> str:
    # julianday of a date is n + 0.5 exactly (midnight): the difference is a whole number
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


@compiles(_day, "postgresql")
def _day_pg(element: _day, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"({column} - DATE '1970-01-01')"  # date − date is an integer there


FACT_COLUMNS = 17  # the columns of `facts_select` that `Judge.__call__` reads, in its order


def latest_report(as_of: date, *, seek: bool) -> tuple[Any, Any, Any, Any, Any]:
    """(what to join, join condition, value, as_of, has evidence) of each target's latest
    report up to `as_of`, joined to the `targets` table.

    `seek=True` looks it up target by target (SQLite always; a page of targets); otherwise
    PostgreSQL walks the index once for the whole ledger (see the module docstring).
    """
    t, r = Target.__table__, ProgressReport.__table__
    if seek:
        newest = (
            select(r.c.id)
            .where(r.c.target_id == t.c.id, r.c.as_of <= as_of)
            .order_by(r.c.as_of.desc(), r.c.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        latest = r.alias("latest")
        evidence = or_(func.trim(func.coalesce(latest.c.evidence_path, "")) != "",
                       func.trim(func.coalesce(latest.c.evidence_name, "")) != "")
        return (latest, latest.c.id == newest, cast(latest.c.value, Float), latest.c.as_of,
                evidence)
    newest_first = (
        select(
            r.c.target_id,
            cast(r.c.value, Float).label("lv"),
            r.c.as_of.label("lday"),
            or_(func.trim(func.coalesce(r.c.evidence_path, "")) != "",
                func.trim(func.coalesce(r.c.evidence_name, "")) != "").label("evidence"),
        )
        .where(r.c.as_of <= as_of)
        .order_by(r.c.target_id, r.c.as_of.desc(), r.c.id.desc())
    )
    # DISTINCT ON keeps each target's first (newest) row; rows come in target order, ready to
    # be merged with the targets
    found = _distinct_on(newest_first, r.c.target_id).subquery("latest")
    return found, found.c.target_id == t.c.id, found.c.lv, found.c.lday, found.c.evidence


def facts_select(
    as_of: date,
    rules: Rules,
    *,
    dialect: str,
    unit_ids: Sequence[int] | None = None,
    target_ids: Sequence[int] | ClauseElement | None = None,
    review_states: Sequence[str] | None = None,
    tracked_only: bool = True,
    extra: Sequence[Any] = (),
    where: Sequence[Any] = (),
) -> Select[Any]:
    """One row per target, in id order: the arguments of `Judge.__call__` (the first
    `FACT_COLUMNS` columns), then the `extra` columns.

    Tracked targets only (not rejected; soft ones if the rules include them) unless
    `tracked_only=False`; `review_states` limits it to targets in those states; `where` adds
    conditions of the caller's.
    """
    t, d = Target.__table__, Document.__table__
    where = list(where)
    if review_states is not None:
        where.append(t.c.review_state.in_(list(review_states)))
    if tracked_only:
        where.append(t.c.review_state != ReviewState.REJECTED.value)
        if not rules.include_soft:
            where.append(t.c.strength != "soft")
    if unit_ids is not None:
        where.append(t.c.unit_id.in_(list(unit_ids)))
    if target_ids is not None:  # ids, or a query that selects them
        where.append(t.c.id.in_(target_ids if isinstance(target_ids, ClauseElement)
                                else list(target_ids)))
    seek = dialect == "sqlite" or target_ids is not None
    latest, joined, lv, lday, evidence = latest_report(as_of, seek=seek)
    return (
        select(
            t.c.id,
            t.c.comparator,
            t.c.kind,
            t.c.unit,
            t.c.indicator,
            cast(t.c.value, Float),
            cast(t.c.value_max, Float),
            cast(t.c.baseline_value, Float),
            and_(t.c.recurring.is_not(None), t.c.recurring != ""),
            _day(t.c.deadline),
            _day(d.c.date),
            _day(t.c.baseline_date),
            lv,
            _day(lday),
            evidence,
            t.c.unit_id,
            # the subject as printed, for targets without a unit (unit names come from `units`)
            case((t.c.unit_id.is_(None), t.c.subject), else_=None),
            *extra,
        )
        .select_from(t.join(d, d.c.id == t.c.document_id).outerjoin(latest, joined))
        .where(*where)
        .order_by(t.c.id)
    )


def _distinct_on(query: Select[Any], column: Any) -> Select[Any]:
    """PostgreSQL's DISTINCT ON, spelt as the installed SQLAlchemy wants it (2.1: `ext`)."""
    try:
        from sqlalchemy.dialects.postgresql import distinct_on
    except ImportError:  # SQLAlchemy 2.0
        return query.distinct(column)
    return query.ext(distinct_on(column))


def compute_statuses(
    session: Session, as_of: date, *, rules: Rules | None = None, unit: str | None = None
) -> list[TargetStatus]:
    """The status of every tracked target on `as_of`, in id order.

    `unit` limits it to one unit and the units below it (无锡 → 江阴, 宜兴…); `rules` default to
    the shipped ones overridden by TAIZHANG_RULES.
    """
    return list(iter_statuses(session, as_of, rules=rules, unit=unit))


def iter_statuses(
    session: Session,
    as_of: date,
    *,
    rules: Rules | None = None,
    unit: str | None = None,
    unit_ids: Sequence[int] | None = None,
    target_ids: Sequence[int] | None = None,
    review_states: Sequence[str] | None = None,
) -> Iterator[TargetStatus]:
    """Like `compute_statuses`, streaming (memory stays flat for a million targets).

    `unit` is a unit's name (its subtree is included); `unit_ids`, `target_ids` and
    `review_states` filter by ids and review states directly.
    """
    rules = rules or load_rules()
    if unit is not None:
        unit_ids = unit_subtree(session, unit)
    query = facts_select(as_of, rules, dialect=session.get_bind().dialect.name,
                         unit_ids=unit_ids, target_ids=target_ids, review_states=review_states)
    judge = Judge(as_of, rules)
    names = unit_names(session)
    for batch in stream_rows(session, query):
        yield from judge.rows(batch, names)


def iter_judged(
    session: Session, query: Select[Any], as_of: date, rules: Rules
) -> Iterator[tuple[TargetStatus, tuple[Any, ...]]]:
    """(status, extra columns) of each row of a `facts_select(..., extra=…)` query."""
    judge = Judge(as_of, rules)
    names = unit_names(session)
    for batch in stream_rows(session, query):
        statuses = judge.rows([row[:FACT_COLUMNS] for row in batch], names)
        for status, row in zip(statuses, batch, strict=True):
            yield status, tuple(row[FACT_COLUMNS:])


def unit_names(session: Session) -> dict[int | None, str]:
    return {uid: name for uid, name in session.execute(select(Unit.id, Unit.name))}


def stream_rows(session: Session, query: Select[Any], batch: int = 5_000) -> Iterator[list[Any]]:
    """The rows of `query` in batches of plain tuples, straight from the driver's cursor.

    A million status rows through SQLAlchemy's result objects cost 1–1.5 s more than through
    the DBAPI cursor (measured on SQLite and PostgreSQL); on PostgreSQL the cursor is a server
    side one, so that memory stays flat, in binary format (numbers and dates are not parsed
    from text), and the next batch is fetched in a thread while the caller judges this one
    (`_read_ahead`). The query's parameters are rendered inline: they are dates, numbers and
    the ledger's own state names.
    """
    conn = session.connection()
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    dbapi = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        # a server-side cursor lives in a transaction: its own on a connection in autocommit
        # (the web's reading sessions, `web.app.reading_engine`)
        with dbapi.transaction() if dbapi.autocommit else nullcontext():  # type: ignore[union-attr]
            cursor = dbapi.cursor(name="taizhang_rows", binary=True)  # type: ignore[union-attr]
            cursor.itersize = PG_BATCH
            try:
                cursor.execute(sql)
                yield from _read_ahead(lambda: cursor.fetchmany(PG_BATCH))
            finally:
                cursor.close()
        return
    cursor = dbapi.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch):
            yield rows
    finally:
        cursor.close()


PG_BATCH = 20_000  # rows per FETCH: fewer round trips and thread hand-overs; ~5 MB a batch


def _read_ahead(fetch: Callable[[], list[Any]]) -> Iterator[list[Any]]:
    """The batches `fetch` returns (until an empty one), each fetched in a thread while the
    caller works on the one before: PostgreSQL runs the cursor's next FETCH on its own core
    meanwhile (psycopg releases the GIL while it waits for the server). One batch is read
    ahead at most; stopping early stops the thread before the cursor is closed."""
    ahead: queue.Queue[list[Any] | BaseException] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce() -> None:
        try:
            while not stop.is_set():
                rows = fetch()
                ahead.put(rows)
                if not rows:
                    return
        except BaseException as err:  # noqa: BLE001 -- handed to the caller's thread
            ahead.put(err)

    thread = threading.Thread(target=produce, name="taizhang-rows", daemon=True)
    thread.start()
    try:
        while True:
            item = ahead.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a put waiting on a full queue
            try:
                ahead.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()


def unit_subtree(session: Session, unit: str | None) -> list[int] | None:
    """Ids of the unit called `unit` (name, full name or alias) and every unit below it."""
    if unit is None:
        return None
    found = find_unit(session, unit)
    if found is None:
        raise NotFound(f"no unit called {unit!r} in the ledger")
    return subtree_ids(session, found)
