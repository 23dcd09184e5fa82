"""Tests for govparse.read: a plan in any supported encoding or format gives the same lines.

Every variant (encodings, .docx, .html, front matter) is built at test time from the real
plans in samples/, so the expected lines always come from the same source text.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govparse.errors import InputError
from govparse.read import MAX_INPUT_BYTES, SourceText, decode_text, read_bytes, read_source

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))
TRADITIONAL = SAMPLES_DIR / "jinzhong-city-sanzhi-sanling-traditional.txt"
SIMPLIFIED = SAMPLES_DIR / "baoding-city-fengqiao-experience.txt"
SIMPLIFIED_SAMPLES = [path for path in SAMPLES if path != TRADITIONAL]

TABLE_HEADER = ["任务", "牵头单位", "配合单位", "完成时限"]
TABLE_ROW = ["开展矛盾纠纷排查化解", "县委政法委", "县公安局、县司法局", "2021年6月底前"]


# ---------------------------------------------------------------------------------------------
# helpers


def sample_text(path: Path) -> str:
    """The sample exactly as stored (no newline translation)."""
    return path.read_bytes().decode("utf-8")


def expected_lines(text: str) -> list[str]:
    """Lines of a text that uses only "\\n" (see test_samples_use_only_newlines)."""
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines


def collapse(line: str) -> str:
    return " ".join(line.split())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def reason_of(excinfo: pytest.ExceptionInfo[InputError]) -> str:
    return excinfo.value.reason


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_of_lines(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    return docx_bytes(document)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_like_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
            "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><worksheet/>',
        }
    )


def html_page(lines: list[str], charset: str = "utf-8", layout: bool = False) -> tuple[str, list[str], list[int]]:
    """A page with one <p> per sample line plus head, script, style, nav and footer noise.

    ``layout``: the paragraphs sit in a layout table (content column and an empty side cell),
    as on many government sites.

    Returns the page source, the lines the reader should give and their source line numbers.
    """
    page = [
        "<!DOCTYPE html>",
        "<html>",
        "<head>",
        f'<meta charset="{charset}">',
        "<title>页面标题</title>",
        "<style>p { color: red; }</style>",
        "<script>alert(1); if (a < b) { document.write('<p>x</p>'); }</script>",
        "</head>",
        "<body>",
        '<nav><a href="/">首页</a> 菜单</nav>',
    ]
    if layout:
        page += ['<table width="100%">', "<tr>", '<td width="10"></td>', "<td>"]
    expected: list[str] = []
    origins: list[int] = []
    for line in lines:
        page.append(f"<p>{html.escape(line)}</p>")
        if collapse(line):
            expected.append(collapse(line))
            origins.append(len(page))  # 1-based number of the source line just added
    if layout:
        page += ["</td>", "</tr>", "</table>"]
    page += ["<footer>版权所有 网站地图</footer>", "</body>", "</html>"]
    return "\n".join(page) + "\n", expected, origins


def big5_safe(text: str) -> str:
    """The text with the (few, if any) characters Big5 lacks replaced by one it has."""
    missing = set()
    for char in set(text):
        try:
            char.encode("big5")
        except UnicodeEncodeError:
            missing.add(char)
    return "".join("口" if char in missing else char for char in text)


# ---------------------------------------------------------------------------------------------
# .txt in every encoding

ENCODINGS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gb18030", "gb18030"),
    ("utf-16", "utf-16"),  # Python's utf-16 codec writes a byte-order mark
]


def test_samples_use_only_newlines() -> None:
    """The oracle expected_lines() is only valid for text broken by "\\n" alone."""
    assert len(SAMPLES) == 5 and TRADITIONAL in SAMPLES
    for path in SAMPLES:
        text = sample_text(path)
        assert text.strip()
        assert not any(char in text for char in "\r\u2028\u2029")


@pytest.mark.parametrize("encoding, reported", ENCODINGS, ids=[e for e, _ in ENCODINGS])
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_txt_encodings_give_identical_lines(tmp_path: Path, sample: Path, encoding: str, reported: str) -> None:
    text = sample_text(sample)
    data = text.encode(encoding)
    path = write(tmp_path, "plan.txt", data)

    source = read_source(path)

    assert isinstance(source, SourceText)
    assert source.lines == expected_lines(text)
    assert source.origins == list(range(1, len(source.lines) + 1))
    assert source.encoding == reported
    assert source.format == "txt"
    assert source.path == str(path)
    assert source.hints == {}
    assert source.size == len(data)
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_traditional_sample_in_big5(tmp_path: Path) -> None:
    text = big5_safe(sample_text(TRADITIONAL))
    path = write(tmp_path, "plan.txt", text.encode("big5", errors="strict"))

    source = read_source(path)

    assert source.encoding == "big5"
    assert source.lines == expected_lines(text)
    assert source.origins == list(range(1, len(source.lines) + 1))
    assert "晉中市深入開展“三治三零”創建 推進基層治理現代化工作實施方案" in source.lines


@pytest.mark.parametrize("sample", SIMPLIFIED_SAMPLES, ids=[p.stem for p in SIMPLIFIED_SAMPLES])
def test_simplified_sample_in_gbk(tmp_path: Path, sample: Path) -> None:
    text = sample_text(sample)
    source = read_source(write(tmp_path, "plan.txt", text.encode("gbk")))
    assert source.encoding == "gb18030"  # GB18030 is a superset of GBK
    assert source.lines == expected_lines(text)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(tmp_path: Path, encoding: str) -> None:
    text = sample_text(SIMPLIFIED)
    source = read_source(write(tmp_path, "plan.txt", text.encode(encoding)))
    assert source.encoding == encoding
    assert source.lines == expected_lines(text)


def test_short_gb_and_big5_texts_are_told_apart() -> None:
    # These GBK byte strings are also valid Big5 (and the Big5 ones valid GB18030); the decoding
    # with more common characters must win.
    for phrase in ["加强基层社会治理", "一、指导思想", "牵头单位：县委政法委"]:
        assert decode_text(phrase.encode("gbk"), "x.txt") == (phrase, "gb18030")
    for phrase in ["推進基層治理現代化", "晉中市", "為深入貫徹落實黨的十九屆四中全會精神"]:
        assert decode_text(phrase.encode("big5"), "x.txt") == (phrase, "big5")


def test_line_endings_are_all_line_breaks() -> None:
    data = "第一行\r\n第二行\r第三行\n第四行\u2028第五行\u2029第六行\n".encode()
    source = read_bytes(data, "x.txt")
    assert source.lines == ["第一行", "第二行", "第三行", "第四行", "第五行", "第六行"]
    assert source.origins == [1, 2, 3, 4, 5, 6]


def test_only_the_last_line_break_is_dropped() -> None:
    assert read_bytes("甲\n\n".encode(), "x.txt").lines == ["甲", ""]
    assert read_bytes("甲\r\n".encode(), "x.txt").lines == ["甲"]
    assert read_bytes("甲".encode(), "x.txt").lines == ["甲"]


def test_text_is_not_normalised() -> None:
    text = "　　一、總體要求（ＡＢＣ）\t１２３\x0c"
    assert read_bytes(text.encode(), "x.txt").lines == [text]


# ---------------------------------------------------------------------------------------------
# .docx


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_docx_paragraphs_give_the_sample_lines(tmp_path: Path, sample: Path) -> None:
    lines = expected_lines(sample_text(sample))
    path = write(tmp_path, "plan.docx", docx_of_lines(lines))

    source = read_source(path)

    assert source.format == "docx"
    assert source.encoding is None
    assert source.lines == lines
    assert source.origins == list(range(1, len(lines) + 1))  # empty paragraphs count as blocks


def test_docx_table_row_is_one_tab_joined_line(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("表1 重点任务分工")
    table = document.add_table(rows=2, cols=4)
    for row, texts in zip(table.rows, [TABLE_HEADER, TABLE_ROW], strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    document.add_paragraph("各单位要按时完成。")

    source = read_source(write(tmp_path, "plan.docx", docx_bytes(document)))

    assert source.lines == [
        "表1 重点任务分工",
        "任务\t牵头单位\t配合单位\t完成时限",
        "开展矛盾纠纷排查化解\t县委政法委\t县公安局、县司法局\t2021年6月底前",
        "各单位要按时完成。",
    ]
    assert source.origins == [1, 2, 3, 4]


def test_docx_merged_cells_appear_once_and_cell_breaks_become_spaces() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "牵头单位"
    table.cell(0, 2).text = "完成时限"
    table.cell(1, 0).text = "县委"
    table.cell(1, 0).add_paragraph("政法委")
    table.cell(1, 1).text = "县公安局"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "年底前"
    table.cell(2, 0).text = "县司法局"
    table.cell(2, 1).text = "各乡镇"

    source = read_bytes(docx_bytes(document), "plan.docx")

    assert source.lines == [
        "牵头单位\t完成时限",  # horizontally merged: once
        "县委 政法委\t县公安局\t年底前",
        "县司法局\t各乡镇\t年底前",  # vertically merged: python-docx gives the top cell's text
    ]
    assert source.origins == [1, 2, 3]


def test_docx_soft_line_break_gives_lines_of_the_same_block() -> None:
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    run = document.add_paragraph().add_run("（一）指导思想")
    run.add_break()
    run.add_text("（二）基本原则")
    source = read_bytes(docx_bytes(document), "plan.docx")
    assert source.lines == ["一、总体要求", "（一）指导思想", "（二）基本原则"]
    assert source.origins == [1, 2, 2]


def test_docx_renamed_txt_is_read_as_docx(tmp_path: Path) -> None:
    lines = expected_lines(sample_text(SIMPLIFIED))
    source = read_source(write(tmp_path, "plan.txt", docx_of_lines(lines)))
    assert source.format == "docx"
    assert source.lines == lines


# ---------------------------------------------------------------------------------------------
# .html


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_html_gives_the_sample_lines_with_source_line_origins(tmp_path: Path, sample: Path) -> None:
    page, expected, origins = html_page(expected_lines(sample_text(sample)))
    path = write(tmp_path, "plan.html", page.encode("utf-8"))

    source = read_source(path)

    assert source.format == "html"
    assert source.encoding == "utf-8"
    assert source.lines == expected
    assert source.origins == origins
    page_lines = page.split("\n")
    for line, origin in zip(source.lines, source.origins, strict=True):
        source_line = html.unescape(page_lines[origin - 1])
        assert collapse(source_line.removeprefix("<p>").removesuffix("</p>")) == line
    assert not any("alert" in line or "color" in line for line in source.lines)
    assert not any("菜单" in line or "版权所有" in line or "页面标题" in line for line in source.lines)
    assert source.hints == {"title": "页面标题"}


@pytest.mark.parametrize("sample", [SIMPLIFIED, TRADITIONAL], ids=["simplified", "traditional"])
def test_html_layout_table_keeps_paragraphs_as_lines(sample: Path) -> None:
    page, expected, origins = html_page(expected_lines(sample_text(sample)), layout=True)
    source = read_bytes(page.encode(), "plan.html")
    assert source.lines == expected
    assert source.origins == origins


def test_html_data_table_inside_a_layout_table() -> None:
    page = (
        "<table><tr><td>\n"
        "<p>一、总体要求</p>\n"
        "<table border=1><tr><td>任务</td><td>牵头单位</td></tr>\n"
        "<tr><td>排查化解</td><td>县司法局</td></tr></table>\n"
        "<p>二、保障措施</p>\n"
        "</td></tr></table>\n"
    )
    source = read_bytes(page.encode(), "plan.html")
    assert source.lines == ["一、总体要求", "任务\t牵头单位", "排查化解\t县司法局", "二、保障措施"]
    assert source.origins == [2, 3, 4, 5]


def test_html_declared_gbk_encoded_gb18030(tmp_path: Path) -> None:
    page, expected, origins = html_page(expected_lines(sample_text(SIMPLIFIED)), charset="gbk")
    source = read_source(write(tmp_path, "plan.htm", page.encode("gb18030")))
    assert source.encoding == "gb18030"
    assert source.lines == expected
    assert source.origins == origins


def test_html_http_equiv_charset_big5(tmp_path: Path) -> None:
    text = big5_safe(sample_text(TRADITIONAL))
    page, expected, _ = html_page(expected_lines(text))
    page = page.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=big5">')
    source = read_source(write(tmp_path, "plan.html", big5_safe(page).encode("big5")))
    assert source.encoding == "big5"
    assert source.lines == expected


def test_html_wrong_charset_label_falls_back_to_detection() -> None:
    page, expected, _ = html_page(expected_lines(sample_text(SIMPLIFIED)), charset="gb2312")
    source = read_bytes(page.encode("utf-8"), "plan.html")  # labelled gb2312, really UTF-8
    assert source.encoding == "utf-8"
    assert source.lines == expected


def test_html_table_rows_breaks_and_entities() -> None:
    page = (
        "<html><body>\n"
        "<table>\n"
        "<tr><th>任务</th><th>牵头单位</th></tr>\n"
        "<tr><td><p>排查</p><p>化解</p></td>\n"
        "<td>县&nbsp;司法局</td></tr>\n"
        "</table>\n"
        "<p>第一行<br>第二行<br/>\n"
        "&lt;关于&gt;　通知 &amp; 附件</p>\n"
        "<div>\n\n   迟到的文字</div>\n"
        "</body></html>\n"
    )
    source = read_bytes(page.encode(), "page.html")
    assert source.lines == [
        "任务\t牵头单位",
        "排查 化解\t县 司法局",
        "第一行",
        "第二行",
        "<关于> 通知 & 附件",
        "迟到的文字",
    ]
    assert source.origins == [3, 4, 7, 7, 8, 11]


def test_html_form_wrapping_the_whole_page_is_kept() -> None:
    # ASP.NET pages wrap the whole body in one <form>; a search form elsewhere is dropped.
    wrapped = '<html><body><form id="form1"><div>一、总体要求</div><div>二、重点任务</div></form></body></html>'
    assert read_bytes(wrapped.encode(), "a.html").lines == ["一、总体要求", "二、重点任务"]
    search = '<html><body><form><input name="q">搜索</form><p>一、总体要求：加强基层治理</p></body></html>'
    assert read_bytes(search.encode(), "a.html").lines == ["一、总体要求：加强基层治理"]


def test_html_article_title_meta_is_the_title_hint() -> None:
    page = (
        "<html><head><title>关于印发方案的通知_保定市人民政府</title>"
        '<meta name="ArticleTitle" content="关于印发方案的通知"><meta name="PubDate" content="2019-07-29 08:35">'
        "</head><body><p>正文</p></body></html>"
    )
    assert read_bytes(page.encode(), "a.html").hints == {"title": "关于印发方案的通知", "date": "2019-07-29 08:35"}


def test_html_without_text_is_empty() -> None:
    with pytest.raises(InputError) as excinfo:
        read_bytes(b"<html><head><title>t</title></head><body><script>x()</script></body></html>", "a.html")
    assert "empty file" in reason_of(excinfo)


# ---------------------------------------------------------------------------------------------
# YAML front matter

FRONT_MATTER = "---\n标题: X\n发布日期: 2020-01-02\n发文单位: [甲, 乙]\n---\n"


@pytest.mark.parametrize("sample", [SIMPLIFIED, TRADITIONAL], ids=["simplified", "traditional"])
def test_front_matter_becomes_hints_and_origins_keep_file_lines(tmp_path: Path, sample: Path) -> None:
    text = sample_text(sample)
    source = read_source(write(tmp_path, "plan.txt", (FRONT_MATTER + text).encode("utf-8")))

    assert source.hints == {"title": "X", "date": "2020-01-02", "issuers": "甲、乙"}
    assert source.lines == expected_lines(text)
    assert source.origins == list(range(6, 6 + len(source.lines)))  # the block is 5 lines


def test_front_matter_doc_number_and_english_keys() -> None:
    text = "---\ntitle: 实施方案\ndate: 2021-03-01\nissuers: 县委办公室\n文号: 彰政办发〔2021〕3号\n---\n正文\n"
    source = read_bytes(text.encode("gb18030"), "x.txt")
    assert source.hints == {
        "title": "实施方案",
        "date": "2021-03-01",
        "issuers": "县委办公室",
        "doc_number": "彰政办发〔2021〕3号",
    }
    assert source.lines == ["正文"]
    assert source.origins == [7]


@pytest.mark.parametrize(
    "text",
    [
        "---\n标题: [未闭合\n---\n正文\n",  # not YAML
        "---\n这是一段用横线隔开的导语\n---\n正文\n",  # YAML, but a string, not a mapping
        "---\n标题: X\n正文\n",  # never closed
    ],
    ids=["invalid-yaml", "not-a-mapping", "unclosed"],
)
def test_block_that_is_not_front_matter_stays_text(text: str) -> None:
    source = read_bytes(text.encode(), "x.txt")
    assert source.hints == {}
    assert source.lines == expected_lines(text)


# ---------------------------------------------------------------------------------------------
# stdin and sniffing


def test_stdin_txt_docx_and_html() -> None:
    text = sample_text(TRADITIONAL)
    source = read_source("-", stdin=io.BytesIO(text.encode("big5")))
    assert (source.path, source.format, source.lines) == ("-", "txt", expected_lines(text))

    lines = expected_lines(sample_text(SIMPLIFIED))
    source = read_source("-", stdin=io.BytesIO(docx_of_lines(lines)))
    assert (source.format, source.lines) == ("docx", lines)

    page, expected, origins = html_page(lines)
    source = read_source("-", stdin=io.BytesIO(page.encode()))
    assert (source.format, source.lines, source.origins) == ("html", expected, origins)


def test_text_starting_with_angle_bracket_is_not_html() -> None:
    source = read_bytes("<关于印发方案的通知>\n正文\n".encode(), "-")
    assert source.format == "txt"
    assert source.lines == ["<关于印发方案的通知>", "正文"]


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    text = sample_text(SIMPLIFIED)
    assert read_source(write(tmp_path, "plan.md", text.encode())).format == "txt"
    page, expected, _ = html_page(expected_lines(text))
    source = read_source(write(tmp_path, "content_123.aspx", page.encode()))
    assert (source.format, source.lines) == ("html", expected)


# ---------------------------------------------------------------------------------------------
# bad input


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as excinfo:
        read_source(path)
    assert "no such file" in reason_of(excinfo)
    assert excinfo.value.path == str(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        read_source(tmp_path)
    assert "is a directory" in reason_of(excinfo)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.txt", "正文".encode())
    path.chmod(0)
    with pytest.raises(InputError) as excinfo:
        read_source(path)
    assert "permission denied" in reason_of(excinfo)


@pytest.mark.parametrize(
    "data",
    [b"", b" \n\t\r\n", " \n\u3000\u3000\n".encode("utf-8"), " \n\u3000\n".encode("utf-16")],
    ids=["zero-bytes", "ascii-whitespace", "full-width-spaces", "utf16-whitespace"],
)
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "plan.txt", data))
    assert "empty file" in reason_of(excinfo)


def test_random_bytes_are_binary(tmp_path: Path) -> None:
    data = random.Random(0).randbytes(4096)
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "plan.txt", data))
    assert "binary data" in reason_of(excinfo)


def test_pdf_named_txt(tmp_path: Path) -> None:
    data = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "plan.txt", data))
    assert reason_of(excinfo) == "binary data, not a text plan (looks like a PDF file)"


def test_xlsx_named_txt(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "plan.txt", xlsx_like_bytes()))
    assert "binary data" in reason_of(excinfo)
    assert "spreadsheet" in reason_of(excinfo)


def test_control_characters_are_binary() -> None:
    with pytest.raises(InputError) as excinfo:
        read_bytes(bytes(range(1, 9)) * 100 + "正文".encode(), "x.txt")
    assert "binary data" in reason_of(excinfo)


@pytest.mark.parametrize(
    "data",
    [b"\x81\x30\xff\xfe" * 1000, "ｱｲｳｴｵｶｷｸｹｺ、ﾃｽﾄ".encode("shift_jis") * 200],
    ids=["invalid-everywhere", "shift-jis-katakana"],
)
def test_text_in_no_supported_encoding(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "plan.txt", data))
    assert reason_of(excinfo) == "cannot decode text: not UTF-8, UTF-16, GB18030 or Big5"
    with pytest.raises(InputError):
        decode_text(data, "plan.txt")


def test_truncated_utf8_is_not_silently_repaired() -> None:
    data = ("为深入贯彻落实党的十九大精神" * 50).encode()[:-1]  # cut inside the last character
    with pytest.raises(InputError) as excinfo:
        read_bytes(data, "x.txt")
    assert "cannot decode text" in reason_of(excinfo)


@pytest.fixture(scope="module")
def real_docx() -> bytes:
    return docx_of_lines(expected_lines(sample_text(SIMPLIFIED)))


def broken_document_xml(real: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(real)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = data[: len(data) // 2]  # cut mid-element: not well-formed XML
            target.writestr(member, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda real: random.Random(0).randbytes(20_000), "not a valid .docx file"),
        (lambda real: real[: len(real) // 2], "not a valid .docx file"),
        (lambda real: zip_bytes({"readme.txt": b"hello"}), "no word/document.xml"),
        (broken_document_xml, "not a valid .docx file"),
        (lambda real: xlsx_like_bytes(), "spreadsheet"),
        (lambda real: b"%PDF-1.4\n" + bytes(100), "PDF"),
        (lambda real: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ".doc"),
    ],
    ids=[
        "random-bytes",
        "truncated",
        "zip-without-document",
        "broken-xml",
        "xlsx-renamed",
        "pdf-renamed",
        "old-doc-renamed",
    ],
)
def test_corrupt_docx(tmp_path: Path, real_docx: bytes, make: Callable[[bytes], bytes], words: str) -> None:
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "plan.docx", make(real_docx)))
    assert "not a valid .docx file" in reason_of(excinfo)
    assert words in reason_of(excinfo)


def test_zip_bomb_docx_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(400):  # 400 MB of zeros, a few MB compressed
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024

    started = time.perf_counter()
    with pytest.raises(InputError) as excinfo:
        read_source(path)
    assert time.perf_counter() - started < 3
    assert "refused" in reason_of(excinfo)
    assert "400 MB" in reason_of(excinfo)
    assert "zip bomb" in reason_of(excinfo)


def test_docx_with_a_highly_compressed_member_is_refused() -> None:
    data = zip_bytes({"word/document.xml": b"<w:document/>", "word/media/padding.bin": bytes(50 * 1024 * 1024)})
    with pytest.raises(InputError) as excinfo:
        read_bytes(data, "plan.docx")
    assert "zip bomb" in reason_of(excinfo)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_three_megabyte_single_line_is_fast(tmp_path: Path, encoding: str) -> None:
    unit = "为深入贯彻落实党的十九届四中全会精神，推进市域社会治理现代化。"
    text = unit * (3 * 1024 * 1024 // len(unit.encode(encoding)) + 1)
    path = write(tmp_path, "one-line.txt", text.encode(encoding))
    assert path.stat().st_size >= 3 * 1024 * 1024

    started = time.perf_counter()
    source = read_source(path)
    assert time.perf_counter() - started < 2
    assert source.lines == [text]
    assert source.encoding == encoding


def test_three_megabyte_single_line_html_is_fast() -> None:
    page = "<html><body><p>" + "为深入贯彻落实 a < b &amp; 党的精神" * 120_000 + "</p></body></html>"
    started = time.perf_counter()
    source = read_bytes(page.encode(), "page.html")
    assert time.perf_counter() - started < 2
    assert len(source.lines) == 1


def test_larger_than_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "plan.txt", "正文".encode() * 1000)
    with pytest.raises(InputError) as excinfo:
        read_source(path, max_bytes=1000)
    assert "larger than" in reason_of(excinfo)
    with pytest.raises(InputError) as excinfo:
        read_source(write(tmp_path, "big.txt", b"a" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
    assert reason_of(excinfo) == "file is larger than the 1 MB limit"
    assert MAX_INPUT_BYTES == 200 * 1024 * 1024


def test_stdin_larger_than_the_limit() -> None:
    with pytest.raises(InputError) as excinfo:
        read_source("-", stdin=io.BytesIO(b"a" * 5000), max_bytes=4096)
    assert "larger than" in reason_of(excinfo)
    assert excinfo.value.path == "-"


@pytest.mark.parametrize(
    "name, reason",
    [
        ("plan.ofd", "OFD input is not supported yet; extract its text first"),
        ("plan.doc", "old Word .doc format is not supported; save it as .docx"),
        ("plan.xlsx", "spreadsheets are not plan documents"),
        ("PLAN.XLS", "spreadsheets are not plan documents"),
    ],
)
def test_unsupported_suffix(tmp_path: Path, name: str, reason: str) -> None:
    path = write(tmp_path, name, "一、总体要求".encode())
    with pytest.raises(InputError) as excinfo:
        read_source(path)
    assert reason_of(excinfo) == reason
    with pytest.raises(InputError) as excinfo:
        read_bytes(path.read_bytes(), name)
    assert reason_of(excinfo) == reason


def test_unknown_format_argument() -> None:
    with pytest.raises(InputError) as excinfo:
        read_bytes("正文".encode(), "x.txt", fmt="pdf")
    assert "unknown format" in reason_of(excinfo)


def test_explicit_format_overrides_the_suffix() -> None:
    source = read_bytes("<p>正文</p>".encode(), "x.txt", fmt="html")
    assert (source.format, source.lines) == ("html", ["正文"])


# ---------------------------------------------------------------------------------------------
# property: any UTF-8 text round-trips (or is refused for a stated reason)


def normalised(text: str) -> str:
    text = text.removeprefix("\ufeff")  # a leading U+FEFF is read as a UTF-8 byte-order mark
    for brk in ("\r\n", "\r", "\u2028", "\u2029"):
        text = text.replace(brk, "\n")
    return text.removesuffix("\n")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_utf8_text_round_trips(text: str) -> None:
    assume(not text.lstrip("\ufeff").startswith("---"))  # front matter is tested above
    try:
        source = read_bytes(text.encode("utf-8"), "x.txt")
    except InputError as exc:
        assert exc.reason.startswith(("empty file", "binary data")), exc.reason
        return
    assert source.origins == list(range(1, len(source.lines) + 1))
    if "\x00" in text and source.encoding != "utf-8":
        # NULs in alternating positions are how UTF-16 without a byte-order mark looks:
        # reading such bytes as UTF-16 is the intended outcome.
        assert source.encoding in ("utf-16-le", "utf-16-be")
        return
    assert source.encoding in ("utf-8", "utf-8-sig")
    assert "\n".join(source.lines) == normalised(text)
