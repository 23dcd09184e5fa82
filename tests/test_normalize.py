"""Normalization: script, width, debris — and a line map that always points home."""
from __future__ import annotations

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from govparse.normalize import clean_line, fold_width, is_debris, normalize_lines


@pytest.mark.parametrize("raw, folded", [
    ("牵头单位：市委组织部", "牵头单位:市委组织部"),
    ("（一）强化综治基础建设", "(一)强化综治基础建设"),
    ("覆盖率达到９０％以上；", "覆盖率达到90%以上;"),
    ("“一乡一法庭”、。", "“一乡一法庭”、。"),   # Chinese quotes, 、 and 。 stay
    ("ＡＢＣ　def", "ABC def"),
])
def test_fold_width(raw, folded):
    assert fold_width(raw) == folded


@pytest.mark.parametrize("line", [
    "发布时间:2019/7/29 8:35:52 来源:保定市司法局 | 【字体:大 中 小】 打印 | |||",
    "打印本页 | 关闭窗口 | ||||",
    "分享到:",
    "相关文章:",
    "上一篇:2022年机关纪检监察工作要点",
    "下一篇:XX市无偿献血工作方案",
    "来源:网络整理 免责声明:本文仅限学习分享,如产生版权问题,请联系我们及时删除。",
    "||||",
    "返回",
])
def test_debris_lines(line):
    norm = normalize_lines([line], [7])
    assert norm.lines == [] and norm.dropped == [7]


@pytest.mark.parametrize("line", [
    "来源于群众、服务群众",                # 来源 not as a label
    "一、指导思想",
    "返回原籍地进行登记管理",
    "资金来源:县财政预算",
])
def test_plan_lines_are_not_debris(line):
    assert not is_debris(clean_line(line))
    assert normalize_lines([line], [3]).lines[0].origin == 3


def test_trailing_title_bar_is_stripped():
    assert clean_line("坚持发展新时代“枫桥经验”全面提升基层社会治理水平的实施意见 | ||||").endswith("实施意见")


def test_table_cells_become_tabs():
    assert clean_line("1    推进综治中心建设    市委政法委    2019年底前") == "1\t推进综治中心建设\t市委政法委\t2019年底前"
    assert clean_line("晋中市深入开展创建 推进基层治理") == "晋中市深入开展创建 推进基层治理"


@pytest.mark.parametrize("line, cells", [
    ("| 1 | 推进综治中心建设 | 县委政法委 | 2022年6月底前 |", "1\t推进综治中心建设\t县委政法委\t2022年6月底前"),
    ("｜序号｜工作任务｜牵头单位｜", "序号\t工作任务\t牵头单位"),                  # full-width bars
    ("| 2 | 开展专项行动 |  | 年底前 |", "2\t开展专项行动\t \t年底前"),          # an empty cell keeps its place
    ("| 实施意见 |", "| 实施意见"),                      # one cell: no row (the trailing bar goes, as on title bars)
])
def test_bar_separated_table_rows(line, cells):
    assert clean_line(line) == cells


def test_a_markdown_rule_row_is_nothing():
    assert clean_line("|---|:---:|---|") == ""


def _sample_lines(name):
    text = (SAMPLES / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines, list(range(1, len(lines) + 1))


def test_traditional_sample_is_converted():
    norm = normalize_lines(*_sample_lines("jinzhong-city-sanzhi-sanling-traditional.txt"))
    assert norm.script == "traditional"
    assert norm.lines[0].text.startswith("晋中市深入开展")
    assert norm.lines[0].origin == 1


@pytest.mark.parametrize("name", ["baoding-city-fengqiao-experience.txt", "zhangwu-county-five-threes-report.txt"])
def test_simplified_samples_stay(name):
    raw, origins = _sample_lines(name)
    norm = normalize_lines(raw, origins)
    assert norm.script == "simplified"
    for ln in norm.lines:  # unchanged but for width folding and trimming
        assert fold_width(raw[ln.origin - 1]).strip().startswith(ln.text[:5])


def test_debris_of_a_web_page_is_dropped_and_recorded():
    norm = normalize_lines(*_sample_lines("baoding-city-fengqiao-experience.txt"))
    assert norm.dropped == [2, 48, 49, 50, 51]
    assert all("打印" not in ln.text for ln in norm.lines)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=40))
def test_normalize_never_raises_and_keeps_the_line_map(raw):
    origins = list(range(1, len(raw) + 1))
    norm = normalize_lines(raw, origins)
    kept = [ln.origin for ln in norm.lines]
    assert kept == sorted(kept)                                # order preserved
    assert set(kept).isdisjoint(norm.dropped)
    assert set(kept) | set(norm.dropped) <= set(origins)
    for ln in norm.lines:
        assert ln.text and ln.text == ln.text.strip()          # no empty or padded line
        assert "\n" not in ln.text
    assert norm.script in ("simplified", "traditional", "mixed")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("晉中市開展為實現區縣鎮牽頭單位配合一二三、。:()0123456789abc ｜|"), max_size=200))
def test_normalize_of_mixed_scripts_keeps_one_line_per_input_line(s):
    norm = normalize_lines([s, s], [1, 2])
    assert len(norm.lines) + len(norm.dropped) in (0, 2)
