"""HTML: the article's text without menus, sidebars and footers, in the declared encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from taizhang.read import ReadError, read_document

NAV = "".join(f'<li><a href="/c{i}">栏目导航{i}</a></li>' for i in range(12))
SIDEBAR = "".join(
    f'<li><a href="/n{i}">关于印发2024年第{i}批重点项目计划的通知，请认真贯彻执行</a></li>'
    for i in range(20)
)
FOOTER = "版权所有 无锡市人民政府办公室 苏ICP备05012345号 网站地图 联系我们"


def page(body: str, charset: str = "utf-8", title: str = "锚定目标 乘势而上_无锡市人民政府") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}</title><script>var menu = "不要这段脚本";</script>
<style>p {{ color: red }}</style></head>
<body><div class="top"><ul class="menu">{NAV}</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/x">政务动态</a></div>
<div class="main"><div class="left">{body}<div class="share">分享到：微信 微博</div></div>
<div class="right"><h3>相关新闻</h3><ul>{SIDEBAR}</ul></div></div>
<div class="footer"><p>{FOOTER}</p></div></body></html>"""


def article(paragraphs: list[str]) -> str:
    return (
        '<h1>锚定目标 乘势而上</h1><div class="info">发布时间：2024-06-28</div>'
        '<div class="TRS_Editor">' + "".join(f"<p>　　{p}</p>" for p in paragraphs) + "</div>"
    )


def write(tmp_path: Path, markup: str, codec: str = "utf-8", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(markup.encode(codec))
    return path


def test_main_text_without_boilerplate(tmp_path: Path, sentences: list[str]) -> None:
    doc = read_document(write(tmp_path, page(article(sentences[:6]))))
    assert doc.format == "html"
    lines = doc.text.split("\n")
    assert lines[0] == "锚定目标 乘势而上"  # the headline, outside the article block, comes first
    assert lines[-6:] == sentences[:6]  # one line per paragraph, indentation stripped
    for junk in (
        "栏目导航",
        "相关新闻",
        "批重点项目计划",
        "版权所有",
        "不要这段脚本",
        "color",
        "当前位置",
    ):
        assert junk not in doc.text


def test_declared_gbk_charset(tmp_path: Path, sentences: list[str]) -> None:
    doc = read_document(write(tmp_path, page(article(sentences[:4]), "gb2312"), "gbk"))
    assert doc.encoding == "gb18030"  # GB2312 labels routinely hide GBK characters
    assert sentences[3] in doc.text


def test_wrong_declared_charset_falls_back_to_detection(
    tmp_path: Path, sentences: list[str]
) -> None:
    doc = read_document(write(tmp_path, page(article(sentences[:4]), "utf-8"), "gb18030"))
    assert doc.encoding == "gb18030"
    assert sentences[0] in doc.text


def test_table_rows_become_tab_separated_lines(tmp_path: Path) -> None:
    body = (
        "<div id='zoom'>各区人民政府：<br>现将2024年主要预期目标印发给你们，请认真贯彻执行。<br>"
        "<table><tr><th>指标</th><th>目标</th></tr>"
        "<tr><td>地区生产总值增长</td><td>5%左右</td></tr>"
        "<tr><td>城镇新增就业</td><td><span>4.5</span>万人以上</td></tr></table>"
        "<p>无锡市人民政府</p><p>2024年1月5日</p></div>"
    )
    doc = read_document(write(tmp_path, page(body)))
    assert (
        "各区人民政府：\n现将2024年主要预期目标印发给你们，请认真贯彻执行。\n指标\t目标\n"
        in doc.text
    )
    assert (
        "地区生产总值增长\t5%左右\n城镇新增就业\t4.5万人以上\n无锡市人民政府\n2024年1月5日"
        in doc.text
    )
    assert "批重点项目计划" not in doc.text


def test_html_without_suffix_is_sniffed(tmp_path: Path, sentences: list[str]) -> None:
    doc = read_document(write(tmp_path, page(article(sentences[:3])), name="download"))
    assert doc.format == "html"
    assert sentences[2] in doc.text


def test_source_line_breaks_inside_a_paragraph_are_spaces(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "<html><body><p>全年新增\n  就业4.5万人</p></body></html>"))
    assert doc.text == "全年新增 就业4.5万人"


@pytest.mark.parametrize(
    "markup", ["", "   \n", "<html><head><title>空</title></head><body> </body></html>"]
)
def test_empty_html(tmp_path: Path, markup: str) -> None:
    with pytest.raises(ReadError, match="empty"):
        read_document(write(tmp_path, markup))
