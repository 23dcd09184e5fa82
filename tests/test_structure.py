"""The heading tree: ordered heading rules, levels set by first appearance."""
from __future__ import annotations

import pytest

from govparse.normalize import Line
from govparse.structure import cn_number, kind_of, match_heading, parse_structure


def _tree(text: str):
    lines = [Line(t, i) for i, t in enumerate(text.strip().splitlines(), 1) if t.strip()]
    return parse_structure(lines)


def _outline(node, depth=0):
    out = []
    for c in node.children:
        out.append(("  " * depth) + (c.number or "·") + c.title[:8])
        out += _outline(c, depth + 1)
    return out


@pytest.mark.parametrize("line, style, number, value, title", [
    ("一、指导思想", "cn", "一、", 1, "指导思想"),
    ("十二、其他", "cn", "十二、", 12, "其他"),
    ("(三)开展风险化解行动", "paren_cn", "(三)", 3, "开展风险化解行动"),
    ("1.充分发挥党建引领作用", "arabic", "1.", 1, "充分发挥党建引领作用"),
    ("15、开展民主法治示范村创建活动", "arabic", "15、", 15, "开展民主法治示范村创建活动"),
    ("(2)加强志愿服务队伍建设", "paren_arabic", "(2)", 2, "加强志愿服务队伍建设"),
    ("②完善工作机制", "circled", "②", 2, "完善工作机制"),
    ("第一阶段:宣传发动", "phase", "第一阶段:", 1, "宣传发动"),
    ("第三条 各部门应当", "article", "第三条", 3, "各部门应当"),
])
def test_heading_styles(line, style, number, value, title):
    assert match_heading(line)[:4] == (style, number, value, title)


@pytest.mark.parametrize("line", [
    "2019年底前,县、乡综治中心要全部实体化",
    "12月底前完成",
    "3个村完成试点",
    "1.5倍以上",
    "一是强化主导作用。",
])
def test_not_headings(line):
    assert match_heading(line) is None or match_heading(line)[4] is False


def test_levels_follow_first_appearance_and_unnumbered_headings():
    root = _tree("""
指导思想
坚持以习近平新时代中国特色社会主义思想为指导。
工作措施
(一)开展强基工程
1.充分发挥党建引领作用。
牵头单位:市委组织部
2.充分发挥德治润化作用。
(二)开展创建达标活动
1.开展创建达标活动。
工作要求
1.加强组织领导。
""")
    assert _outline(root) == [
        "·指导思想", "·工作措施", "  (一)开展强基工程", "    1.充分发挥党建引领", "    2.充分发挥德治润化",
        "  (二)开展创建达标活动", "    1.开展创建达标活动", "·工作要求", "  1.加强组织领导。"]
    assert [c.kind for c in root.children] == ["guiding_ideology", "tasks", "safeguards"]


def test_numbering_typo_is_accepted_only_in_sequence():
    root = _tree("""
一、工作任务
1.落实平安建设领导责任制度。
2.完善基层组织运行机制。
3坚持扫黑除恶常态。
4.强化法制宣传教育。
5充分发挥社会组织作用
""")
    items = root.children[0].children
    assert [c.value for c in items] == [1, 2, 3, 4, 5]
    assert items[2].title.startswith("坚持扫黑除恶常态")


def test_attachment_resets_to_top_level():
    root = _tree("""
一、主要任务
(一)强化综治基础建设。
附件:
关于全面提升基层社会治理水平的责任清单
1、推进县、乡综治中心建设。(牵头单位:市委政法委)
""")
    assert [c.style for c in root.children] == ["cn", "attachment"]
    att = root.children[1]
    assert att.kind == "attachment" and att.children[0].number == "1、"


def test_bullets_and_labelled_headings():
    root = _tree("""
一、指导思想、工作目标、基本原则
指导思想:以习近平新时代中国特色社会主义思想为指导。
基本原则:
──坚持党建引领。注重发挥基层党组织的领导核心作用。
──坚持依靠群众。
""")
    first = root.children[0]
    assert [c.title for c in first.children] == ["指导思想", "基本原则"]
    assert [c.style for c in first.children[1].children] == ["bullet", "bullet"]
    assert first.children[0].body[0].text.startswith("以习近平")


@pytest.mark.parametrize("title, kind", [
    ("主要任务", "tasks"), ("工作措施", "tasks"), ("保障措施", "safeguards"), ("实施步骤", "steps"),
    ("基本原则", "principles"), ("工作目标", "goals"), ("附件", "attachment"), ("创建标准", "standards"),
    ("强化综治基础建设", None),
])
def test_section_kinds(title, kind):
    assert kind_of(title) == kind


@pytest.mark.parametrize("s, v", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("一百零五", 105), ("12", 12)])
def test_cn_number(s, v):
    assert cn_number(s) == v
