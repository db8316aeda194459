from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from taizhang.errors import ImportFormatError
from taizhang.ledger import make_engine, session_scope
from taizhang.ledger.excel import HEADERS, export_ledger, import_ledger, parse_target_value
from taizhang.ledger.ingest import store_document
from taizhang.ledger.models import Document, ProgressReport, Target, TargetRevision
from taizhang.ledger.office_models import Task
from taizhang.ledger.progress import add_progress
from taizhang.ledger.repository import review_target
from taizhang.ledger.testing import clear_ledger, make_target
from taizhang.types import Comparator, Kind

AS_OF = date(2024, 9, 30)


def fill(session: Session) -> None:
    store_document(
        session,
        text="doc",
        source="wuxi.txt",
        date=date(2024, 1, 1),
        meta={"title": "无锡报道", "region": "江苏省无锡市"},
        targets=[
            make_target("有效高新技术企业数量", "1200", subject="江阴"),
            make_target(
                "城镇调查失业率",
                "5.5",
                subject="江阴",
                comparator=Comparator.LE,
                kind=Kind.SHARE,
                unit="%",
            ),
            make_target(
                "GDP增速",
                "5",
                subject="宜兴",
                comparator=Comparator.RANGE,
                value_max="6",
                unit="%",
                kind=Kind.GROWTH,
            ),
            make_target(
                "新建5G基站",
                "1000",
                subject="宜兴",
                comparator=Comparator.APPROX,
                unit="个",
                deadline=None,
            ),
            make_target("不是目标", "3", subject="宜兴"),
        ],
    )
    review_target(session, target_id=5, reject=True)
    add_progress(session, target_id=1, value="1250", as_of="2024-09-30", note="超额", today=AS_OF)
    add_progress(session, target_id=2, value="5.1", as_of="2024-09-30", today=AS_OF)
    add_progress(session, target_id=3, value="1", as_of="2024-09-30", today=AS_OF)


def test_export_layout(session: Session, tmp_path: Path) -> None:
    fill(session)
    add_progress(session, target_id=4, value="900", as_of="2024-10-31", today=date(2024, 11, 1))
    path = tmp_path / "台账.xlsx"
    assert export_ledger(session, path, as_of=AS_OF) == 4
    book = load_workbook(path)
    assert book.sheetnames == ["台账", "任务", "汇总"]
    sheet = book["台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "目标任务督查台账（截至2024年9月30日）"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:Q1"]
    assert rows[1] == HEADERS and sheet.auto_filter.ref == "A2:Q6" and sheet.freeze_panes == "A3"
    assert [r[:8] for r in rows[2:]] == [
        (1, 1, "江阴", "有效高新技术企业数量", ">", 1200, None, "家"),
        (2, 2, "江阴", "城镇调查失业率", "≤", 5.5, None, "%"),
        (3, 3, "宜兴", "GDP增速", "区间", 5, 6, "%"),
        (4, 4, "宜兴", "新建5G基站", "≈", 1000, None, "个"),
    ]
    assert rows[2][8].date() == date(2024, 12, 31) and sheet["F3"].number_format == "#,##0"
    assert rows[2][10] == "1250家（截至2024-09-30）：超额"
    assert rows[5][10] is None  # reported on 31 October, after the 截至 date: not shown
    assert rows[2][16] == "无锡报道"
    assert sheet["D3"].alignment.wrap_text and sheet["D3"].border.left.style == "thin"
    fills = {row[1].value: row[13].fill.start_color.rgb for row in sheet.iter_rows(min_row=3)}
    statuses = [r[13] for r in rows[2:]]
    assert statuses[0] == "已完成" and fills[1] == "00C6EFCE"
    assert statuses[3] == "暂无数据" and fills[4] == "00000000"
    assert fills[3] in ("00FFC7CE", "00FFEB9C")  # 1 of 5–6 % growth by September: behind
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert [r[:3] for r in summary[2:]] == [("江阴", 2, 0), ("宜兴", 2, 0)]
    assert summary[2][-1] == 1  # 名次


def test_amounts_in_their_scale_survive_the_round_trip(session: Session, tmp_path: Path) -> None:
    """Defect: the Excel 目标值 was text in base units (≥ 100,000,000,000)."""
    store_document(session, text="doc", source="a", date=date(2024, 1, 1),
                   meta={"region": "河北省保定市"},
                   targets=[make_target("地区生产总值", "600000000000", unit="元", subject="保定")])
    target = session.scalars(select(Target)).one()
    target.value_text = "6000亿元"
    add_progress(session, target_id=1, value="1500亿", as_of="2024-06-30", today=AS_OF)
    export_ledger(session, tmp_path / "a.xlsx", as_of=AS_OF)
    row = list(load_workbook(tmp_path / "a.xlsx")["台账"].iter_rows(values_only=True))[2]
    assert (row[5], row[7], row[10]) == (6000, "亿元", "1500亿元（截至2024-06-30）")
    other = tmp_path / "b.xlsx"
    export_ledger(session, other, as_of=AS_OF)
    done = import_ledger(session, other, on=date(2024, 10, 1))
    assert done.result.revisions == 1  # the same target, restated: nothing changed
    assert (target.value, target.unit) == (Decimal("600000000000"), "元")


def test_rows_without_a_number_are_tasks(session: Session, tmp_path: Path) -> None:
    """Item 7: an office's own sheet mixes targets and 重点工作任务; 配合单位 are kept."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["保定市2024年重点工作任务台账"])
    sheet.append(["序号", "重点任务", "目标值", "单位", "牵头单位", "配合单位", "责任领导", "完成时限",
                  "节点", "报送周期"])
    sheet.append([1, "新增高企", "200以上", "家", "清苑区", None, None, "2024年底", None, "季报"])
    sheet.append([2, "年底前建成城市大脑", None, None, "保定市", "清苑区、高阳县", "王副市长",
                  "年底前", "3月底前完成立项；6月底前开工", "月报"])
    sheet.append([3, "完成老旧小区改造", None, None, "市住建局", "市财政局", None, "6月底前", None, None])
    book.save(tmp_path / "office.xlsx")
    with pytest.raises(ImportFormatError) as info:
        import_ledger(session, tmp_path / "office.xlsx", on=date(2024, 1, 20))
    assert [n for n, _ in info.value.row_errors] == [5]
    assert "牵头单位 '市住建局' is no unit" in info.value.row_errors[0][1]
    done = import_ledger(session, tmp_path / "office.xlsx", on=date(2024, 1, 20), unit="保定",
                         create_units=True)
    assert (done.result.new_targets, done.tasks_added, done.units_added) == (1, 2, ("市住建局", "市财政局"))
    tasks = list(session.scalars(select(Task).order_by(Task.id)))
    big = tasks[0]
    assert (big.lead.name, [s.unit.name for s in big.support], big.leader) == (  # type: ignore[union-attr]
        "保定", ["清苑", "高阳"], "王副市长")
    assert (big.deadline, big.report_cycle, [m.due for m in big.milestones]) == (
        date(2024, 12, 31), "monthly", [date(2024, 3, 31), date(2024, 6, 30)])
    doc = session.get(Document, done.result.document_id)
    assert doc is not None and doc.text[big.quote_start:big.quote_end].startswith("2\t年底前建成城市大脑")
    assert tasks[1].lead.parent.name == "保定"  # type: ignore[union-attr]


def test_round_trip_into_an_empty_ledger(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        fill(session)
        export_ledger(session, tmp_path / "out.xlsx", as_of=AS_OF)
        before = snapshot(session)
    clear_ledger(engine)
    with session_scope(engine) as session:
        done = import_ledger(session, tmp_path / "out.xlsx", on=date(2024, 10, 8))
        assert (done.result.new_targets, done.progress_added) == (4, 3)
        assert snapshot(session) == before
        doc = session.scalars(select(Document)).one()
        for target in session.scalars(select(Target)):
            assert doc.text[target.quote_start : target.quote_end] == target.quote
        again = import_ledger(session, tmp_path / "out.xlsx", on=date(2024, 10, 8))
        assert again.result.status == "duplicate"


def snapshot(session: Session) -> list[tuple]:
    rows = []
    for t in session.scalars(
        select(Target).where(Target.review_state != "rejected").order_by(Target.id)
    ):
        p = [(r.as_of, r.value, r.note) for r in t.progress]
        rows.append(
            (
                t.responsible.name if t.responsible else None,
                t.indicator,
                t.value,
                t.value_max,
                t.comparator,
                t.unit,
                t.deadline,
                t.quote,
                p,
            )
        )
    return rows


def test_import_finds_columns_by_header_and_reports_bad_rows(
    session: Session, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2024年重点目标任务督查台账"])
    sheet.append(["序号", "牵头单位", "目标任务", "计量单位", "目标值", "时限", "当前进展"])
    sheet.append([1, "江阴市", "新增高企", "家", "200以上", "2024年底", "120（截至2024-06-30）"])
    sheet.append([2, "宜兴市", "技改投资", "亿元", "约150", "长期坚持", "推进中"])
    sheet.append([3, "宜兴市", "", "亿元", "10", None, None])
    sheet.append([4, "宜兴市", "项目数", "个", "若干", None, None])
    book.save(tmp_path / "office.xlsx")
    with pytest.raises(ImportFormatError, match="2 invalid row") as info:
        import_ledger(session, tmp_path / "office.xlsx", on=date(2024, 7, 1))
    assert [n for n, _ in info.value.row_errors] == [5, 6]
    done = import_ledger(session, tmp_path / "office.xlsx", on=date(2024, 7, 1), skip_invalid=True)
    assert done.result.new_targets == 2 and done.progress_added == 1
    first, second = session.scalars(select(Target).order_by(Target.id))
    assert (first.value, first.comparator, first.deadline) == (
        Decimal(200),
        "ge",
        date(2024, 12, 31),
    )
    assert first.responsible is not None and first.responsible.name == "江阴"
    assert (second.comparator, second.deadline, second.qualifier) == (
        "approx",
        None,
        "完成时限：长期坚持",
    )
    report = session.scalars(select(ProgressReport)).one()
    assert (report.value, report.as_of) == (Decimal(120), date(2024, 6, 30))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1200, (Decimal(1200), None, "eq")),
        ("≥1200", (Decimal(1200), None, "ge")),
        (">1200", (Decimal(1200), None, "gt")),
        ("不超过5.5", (Decimal("5.5"), None, "le")),
        ("5左右", (Decimal(5), None, "approx")),
        ("5.5以内", (Decimal("5.5"), None, "le")),
        ("3–5", (Decimal(3), Decimal(5), "range")),
        ("3至5", (Decimal(3), Decimal(5), "range")),
    ],
)
def test_parse_target_value(cell: object, expected: tuple) -> None:
    assert parse_target_value(cell) == expected


def test_make_engine_is_lazy() -> None:
    engine = make_engine("sqlite:///does/not/exist/yet.db")
    engine.dispose()


def test_imported_quotes_are_single_lines_of_the_stored_sheet(
    session: Session, tmp_path: Path
) -> None:
    store_document(
        session,
        text="doc",
        source="a.txt",
        date=date(2024, 1, 1),
        targets=[make_target(quote="实施重点焕新升级项目\n\n100个以上")],
    )
    export_ledger(session, tmp_path / "out.xlsx", as_of=AS_OF)
    done = import_ledger(session, tmp_path / "out.xlsx", on=date(2024, 10, 8))
    assert done.result.revisions == 1
    doc = session.get(Document, done.result.document_id)
    assert doc is not None
    revision = session.scalars(
        select(TargetRevision).where(TargetRevision.document_id == doc.id)
    ).one()
    assert revision.quote == "实施重点焕新升级项目  100个以上"
    assert doc.text[revision.quote_start : revision.quote_end] == revision.quote
