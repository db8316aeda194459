"""Layout repair joins broken lines for analysis; every offset maps back to the original."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract.layout import repair

SAMPLE = "加快“一湾一谷一区一港”建设，与高校院所特别是南理\n\n工、江大江阴校区加强产学研合作，全年有效“高企”突破1200家；实施重点焕新升级项目\n\n100个以上。\n\n江阴\n\n勇当发展新质生产力的排头兵"


def test_joins_words_split_by_columns() -> None:
    text, _ = repair(SAMPLE)
    assert "南理工" in text
    assert "实施重点焕新升级项目100个以上" in text


def test_keeps_headings_and_finished_sentences_apart() -> None:
    text, _ = repair(SAMPLE)
    assert "。\n\n江阴\n\n勇当" in text


def test_a_speakers_turn_starts_a_paragraph() -> None:
    """An interview's subheading has a comma and no full stop; the question after it is not
    its continuation, nor is the answer after a question cut by the page."""
    interview = "打头阵，在新质生产力发展上争取更大作为\n\n记者：今年会有哪些具体目标\n\n梁言顺：今年我们将举办活动5000场以上。"
    text, _ = repair(interview)
    assert "作为\n\n记者：" in text
    assert "目标\n\n梁言顺：" in text
    text, _ = repair("今年，全市经济社会发展的主要预期目标\n\n是：地区生产总值增长6%。")
    assert "预期目标是：" in text  # 是： is no speaker


def test_a_two_part_subheading_stands_alone() -> None:
    """A subheading of two parts joined by a comma (a report's 三、…，…; a news page's
    锚定“十五五”，…) is no line of a broken sentence, whatever starts the paragraph under it."""
    report = "三、加大宏观政策实施力度，着力稳企业保就业\n\n保障就业和民生，必须稳住上亿市场主体。"
    assert "保就业\n\n保障" in repair(report)[0]
    news = "锚定“十五五”,生产总值预期目标增长5.5%以上\n贾珉亮在报告中提出今年的主要预期目标是:生产总值增长5.5%以上。"
    assert "以上\n贾珉亮" in repair(news)[0]
    # a line of a column that runs on still joins: long, or with more than one comma
    broken = "勇当发展新质生产力的排头兵，许峰说，江阴将纵深推进“科创江阴”，与高校院所特别是南理\n\n工、江大江阴校区加强产学研合作。"
    assert "南理工" in repair(broken)[0]


def test_spans_map_back_to_the_original() -> None:
    text, omap = repair(SAMPLE)
    i = text.index("100个以上")
    s, e = omap.span_to_original(i, i + len("100个以上"))
    assert SAMPLE[s:e] == "100个以上"
    i = text.index("南理工")
    s, e = omap.span_to_original(i, i + 3)
    assert SAMPLE[s:e] == "南理\n\n工"


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80)


@given(st.lists(st.text(CJK, min_size=1, max_size=30), min_size=1, max_size=8), st.data())
def test_every_character_maps_to_itself(lines: list[str], data: st.DataObject) -> None:
    breaks = [data.draw(st.sampled_from(["\n", "\n\n", "\n \n", "。\n"])) for _ in lines]
    original = "".join(line + brk for line, brk in zip(lines, breaks))
    text, omap = repair(original)
    for i, ch in enumerate(text):
        assert original[omap.to_original(i)] == ch


def test_blanks_inside_a_written_number_are_closed_up_and_spans_still_point_into_the_page() -> None:
    """Pages that space their numbers (建成 1.2 万套, 增长6 . 5%左右, 超过 15 亿元) are read as
    建成1.2万套, 6.5% and 超过15亿元; the quote of a target is still the page's own text. Blanks
    between numbers stay."""
    from datetime import date

    from taizhang.extract import extract_targets
    from taizhang.extract.layout import repair

    assert repair("建成 1.2 万套安置房")[0] == "建成1.2万套安置房"
    assert repair("规模超过 15 亿元")[0] == "规模超过15亿元"
    assert repair("經濟增長6 . 5%左右")[0] == "經濟增長6.5%左右"
    assert repair("数据 2024 3 5")[0] == "数据 2024 3 5"
    text = "今年要建成 1.2 万套安置房，经济增长6 . 5%左右。"
    found = extract_targets(text, date=date(2026, 1, 21))
    assert [(float(t.value), t.unit) for t in found] == [(12000, "套"), (6.5, "%")]
    assert [text[t.value_span.start : t.value_span.end] for t in found] == ["1.2 万套", "6 . 5%左右"]


def test_table_rows_are_never_joined() -> None:
    """A row of a table printed on one line (a tab or " | " between cells) ends where the line
    ends, even without a sentence end: rows are what a 台账 is read by."""
    text = "1 | 新建成婴幼儿照护服务成长驿站7家 | 新建13家婴幼儿成长驿站 | 卫生健康局\n新增婴幼儿照护服务托位500个 | 新增托位600个 | |"
    assert repair(text)[0] == text
    tabbed = "新增城镇就业5000人以上并稳定就业\t已新增城镇就业4100人\t人社局\n开展职业技能培训2000人次以上"
    assert repair(tabbed)[0] == tabbed
