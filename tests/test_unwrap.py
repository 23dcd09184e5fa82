"""Text that came out of a PDF: wrapped lines joined, page numbers and running headers
dropped -- and text that did not (the samples) left exactly as it is.  Also the
conventions such text brings from Taiwan and Hong Kong: ROC years, full-width tildes."""
from __future__ import annotations

import re
import time

import pytest
from conftest import SAMPLE_FILES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govparse import lexicon
from govparse.build import parse_text
from govparse.extract.deadlines import find_deadlines, resolve, uses_roc_years
from govparse.extract.targets import find_targets
from govparse.normalize import Line, fold_width, normalize_lines
from govparse.read import read_bytes, read_source
from govparse.unwrap import find_furniture, looks_wrapped, repair, split_furniture, unwrap

FULL = "为深入贯彻党的十九大精神和习近平总书记关于坚持发展新时代枫桥经验的重要"  # 35 characters, no punctuation
assert len(FULL) == 35


def texts(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines]


def numbered(*texts: str) -> list[Line]:
    return [Line(t, i) for i, t in enumerate(texts, 1)]


# ---------------------------------------------------------------------------------------------
# Page furniture: the data file


def test_furniture_patterns_compile_and_match_their_examples():
    data = lexicon.load("page_furniture")
    for group in ("page_numbers", "weak_page_numbers"):
        for rule in data[group]:
            re.compile(rule["pattern"])
            assert set(rule) == {"name", "pattern"}, rule
    for line in ["— 3 —", "- 3 -", "–3–", "第3页", "第 3 页", "第 3 页 共 20 页", "共20页 第3页", "Page 3",
                 "page 3 of 20", "·3·"]:
        assert find_furniture(numbered(fold_width(line))) == {0}, line
    for line in ["3", "3/20", "[3]"]:  # weak: not alone in a text
        assert find_furniture(numbered(line)) == set(), line


# ---------------------------------------------------------------------------------------------
# unwrap: one case per rule


CASES = {
    "sentence broken mid-way is joined": (
        ["一、总体要求", FULL, "示精神,制定本方案。"],
        ["一、总体要求", FULL + "示精神,制定本方案。"]),
    "a heading is never joined": (
        [FULL, "(二)加强统筹协调。"],
        [FULL, "(二)加强统筹协调。"]),
    "a numbered heading is never joined": (
        ["1.推进县、乡综治中心建设。", FULL, "2.推进一乡一法庭建设。"],
        ["1.推进县、乡综治中心建设。", FULL, "2.推进一乡一法庭建设。"]),
    "nothing joins after a full stop": (
        [FULL[:34] + "。", "各级各部门要充分认识。"],
        [FULL[:34] + "。", "各级各部门要充分认识。"]),
    "nothing joins before a point": (
        [FULL, "二是加强组织领导。"],
        [FULL, "二是加强组织领导。"]),
    "nothing joins before a role label": (
        [FULL, "牵头单位:市委政法委"],
        [FULL, "牵头单位:市委政法委"]),
    "nothing joins before a bullet": (
        [FULL, "──坚持党建引领。"],
        [FULL, "──坚持党建引领。"]),
    "nothing joins before an attachment": (
        [FULL, "附件:责任清单"],
        [FULL, "附件:责任清单"]),
    "nothing joins before a date line": (
        [FULL, "2019年5月28日"],
        [FULL, "2019年5月28日"]),
    "nothing joins a short title after prose": (
        [FULL[:30] + ",现提出如下意", "保定市实施方案"],
        [FULL[:30] + ",现提出如下意", "保定市实施方案"]),
    "a title as long as the lines is not joined to the text": (
        ["关于坚持发展新时代枫桥经验全面提升基层社会治理水平的实施意见", FULL, "示精神。"],
        ["关于坚持发展新时代枫桥经验全面提升基层社会治理水平的实施意见", FULL + "示精神。"]),
    "a title in phrases apart is not joined to the text": (
        ["彰武县实施“五个三”工程 全面启动平安彰武暨市域社会治理现代化工作", FULL, "示精神。"],
        ["彰武县实施“五个三”工程 全面启动平安彰武暨市域社会治理现代化工作", FULL + "示精神。"]),
    "a wrapped title is joined": (
        ["关于坚持发展新时代枫桥经验全面提升基层社会治理水平的实施", "意见"],
        ["关于坚持发展新时代枫桥经验全面提升基层社会治理水平的实施意见"]),
    "a line ending with an opening bracket goes on": (
        ["推进县、乡综治中心建设。县、乡综治中心要全部实体化运行。(", "牵头单位:市委政法委)"],
        ["推进县、乡综治中心建设。县、乡综治中心要全部实体化运行。(牵头单位:市委政法委)"]),
    "a unit list goes on after a semicolon inside its bracket": (
        ["各县、乡综治中心要全部实体化运行。(牵头单位:市委政法委;", "责任单位:市直政法各部门)"],
        ["各县、乡综治中心要全部实体化运行。(牵头单位:市委政法委;责任单位:市直政法各部门)"]),
    "a role label goes on to its list": (
        ["县、乡综治中心要全部实体化、规范化运行。牵头单位:", "市委政法委"],
        ["县、乡综治中心要全部实体化、规范化运行。牵头单位:市委政法委"]),
    "nothing joins after a closed unit list": (
        ["县、乡综治中心要全部实体化运行。(牵头单位:市委政法委)", "加强统筹协调,各级党委政法委牵头抓总。"],
        ["县、乡综治中心要全部实体化运行。(牵头单位:市委政法委)", "加强统筹协调,各级党委政法委牵头抓总。"]),
    "a line never starts with a comma": (
        [FULL[:34] + "。", ",制定本方案。"],
        [FULL[:34] + "。,制定本方案。"]),
    "a count out of sequence is text, not a heading": (
        ["四、工作要求。", "五、组织保障。", FULL[:34] + "第", "二、三批试点全覆盖。"],
        ["四、工作要求。", "五、组织保障。", FULL[:34] + "第二、三批试点全覆盖。"]),
    "a count in sequence is a heading": (
        ["四、工作要求。", FULL, "五、组织保障。"],
        ["四、工作要求。", FULL, "五、组织保障。"]),
    "a short line ends its paragraph": (
        ["为深入贯彻党的十九大精神", "各级各部门要充分认识"],
        ["为深入贯彻党的十九大精神", "各级各部门要充分认识"]),
    "latin words keep their space": (
        [FULL[:30] + " GDP growth", "rate reached 6%。"],
        [FULL[:30] + " GDP growth rate reached 6%。"]),
}


@pytest.mark.parametrize("given_lines, expected", list(CASES.values()), ids=list(CASES))
def test_unwrap(given_lines, expected):
    assert texts(unwrap(numbered(*given_lines))) == expected


def test_page_number_and_running_header_are_dropped_and_the_page_break_joined():
    lines = ["XX市人民政府办公室文件", "一、总体要求", FULL, FULL, "— 1 —",
             "XX市人民政府办公室文件", "示精神。", "二、主要任务", FULL, "— 2 —",
             "XX市人民政府办公室文件", "完。", "三、工作要求", "加强领导。", "— 3 —"]
    out = unwrap(numbered(*lines))
    assert texts(out) == ["一、总体要求", FULL + FULL + "示精神。", "二、主要任务", FULL + "完。", "三、工作要求", "加强领导。"]
    # across the page break: FULL on lines 3 and 4, page number 5, header 6, the rest on 7
    assert (out[1].origin, out[1].last) == (3, 7)
    assert (out[3].origin, out[3].last) == (9, 12)
    assert (out[0].origin, out[0].last) == (2, None)  # a line that was not joined stays as it was


def test_origins_and_lasts_cover_every_kept_line():
    lines = numbered("一、总体要求", FULL, FULL, "示精神。", "— 1 —", "二、主要任务", FULL, "完。")
    out = unwrap(lines)
    assert [(ln.origin, ln.end) for ln in out] == [(1, 1), (2, 4), (6, 6), (7, 8)]


def test_pdf_page_edges_drop_lone_numbers():
    """With page starts known (a PDF), a lone number at a page's edge is its page number;
    in text, only three or more counting up a page apart are."""
    lines = numbered("一、总体要求", FULL, "完。", "1", "二、主要任务", FULL, "完。", "2")
    assert texts(unwrap(lines, pages=[1, 5])) == ["一、总体要求", FULL + "完。", "二、主要任务", FULL + "完。"]
    assert "1" in texts(unwrap(lines))  # text: two numbers are no sequence
    table = numbered(*[x for i in range(1, 6) for x in (str(i), "推进综治中心建设", "市委政法委")])
    assert find_furniture(table) == set()  # the index column of a table is no page number


# ---------------------------------------------------------------------------------------------
# Whole samples


def _sample_lines(path):
    src = read_source(path)
    return normalize_lines(src.lines, src.origins)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_clean_samples_do_not_look_wrapped_and_are_left_alone(path):
    norm = _sample_lines(path)
    assert not looks_wrapped(norm.lines)
    assert repair(norm) is norm


PER_PAGE = 40
HEADER = "XX市人民政府办公室文件"
PAGE_NUMBER_STYLES = {
    "anon-city-civil-affairs-social-governance": lambda n, m: f"{n}/{m}",
    "anon-town-three-governance-integration": lambda n, m: f"- {n} -",
    "baoding-city-fengqiao-experience": lambda n, m: f"— {n} —",
    "jinzhong-city-sanzhi-sanling-traditional": lambda n, m: f"第 {n} 页 共 {m} 页",
    "zhangwu-county-five-threes-report": lambda n, m: str(n),
}


def rewrap(text: str, style, width: int = 35) -> str:
    """The text as a PDF-to-text converter gives it: 35 characters a line, a running header
    at the top of each page and a page number line every 40 lines."""
    content = []
    for line in text.splitlines():
        while len(line) > width:
            content.append(line[:width])
            line = line[width:]
        content.append(line)
    body = PER_PAGE - 2
    pages = -(-len(content) // body)
    out = []
    for page, start in enumerate(range(0, len(content), body), 1):
        out += [HEADER, *content[start:start + body], style(page, pages)]
    return "\n".join(out) + "\n"


def digest(plan) -> dict:
    return {
        "measures": [(m.id, m.heading, [(u.name, u.role) for u in m.units]) for m in plan.measures],
        "deadlines": [(d.text, d.date) for d in plan.deadlines],
        "targets": [(t.value, t.unit) for t in plan.targets],
    }


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_rewrapped_sample_gives_the_same_plan(path, sample_plans):
    wrapped = rewrap(path.read_text(encoding="utf-8"), PAGE_NUMBER_STYLES[path.stem])
    src = read_bytes(wrapped.encode("utf-8"), path.name)
    norm = normalize_lines(src.lines, src.origins)
    assert looks_wrapped(norm.lines)
    from govparse.build import build_plan

    plan = build_plan(src)
    assert digest(plan) == digest(sample_plans[path.name])
    # every page number and every running header went, and nothing else did
    furniture = {i + 1 for i, line in enumerate(wrapped.splitlines())
                 if line == HEADER or (i + 1) % PER_PAGE == 0 or i + 1 == len(wrapped.splitlines())}
    assert furniture <= set(plan.source.dropped_lines)
    assert set(plan.source.dropped_lines) - furniture <= {i + 1 for i, line in enumerate(wrapped.splitlines())
                                                           if i + 1 not in furniture and line.strip()}
    kept = {ln.origin for ln in repair(norm).lines}
    assert not kept & furniture


# ---------------------------------------------------------------------------------------------
# Properties


_WORDS = st.sampled_from(["为深入贯彻", "党的十九大精神", "县、乡综治中心", "2019年底前", "达到90%以上", ",", "。",
                          ";", ":", "(牵头单位:市委政法委)", "(", ")", "“枫桥经验”", "GDP", "rate", " ", "的"])
_LINE = st.one_of(
    st.lists(_WORDS, min_size=1, max_size=12).map("".join),
    st.sampled_from(["一、总体要求", "(二)加强统筹协调。", "1.推进建设。", "二是强化。", "— 3 —", "第 2 页 共 9 页",
                     "3", "XX市人民政府办公室文件", "牵头单位:市委政法委", "附件:", "──坚持。", "2019年5月28日",
                     FULL, FULL[:20]]),
    st.text(min_size=1, max_size=50),
).map(str.strip).filter(bool)


def _rebuild(pieces: list[str]) -> str:
    out = pieces[0]
    for piece in pieces[1:]:
        gap = " " if out[-1:].isascii() and out[-1:].isalpha() and piece[:1].isascii() and piece[:1].isalpha() else ""
        out += gap + piece
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=60), st.booleans())
def test_unwrap_loses_nothing_and_keeps_order(raw, with_pages):
    lines = numbered(*raw)
    pages = [1, len(lines) // 2 + 1] if with_pages and len(lines) > 1 else None
    kept, furniture = split_furniture(lines, pages)
    out = unwrap(lines, pages)
    # every kept line is in exactly one output line, in order, and nothing else is
    covered = []
    for ln in out:
        assert ln.origin <= ln.end
        assert not covered or ln.origin > covered[-1]
        pieces = [k for k in kept if ln.origin <= k.origin <= ln.end]
        assert pieces and pieces[0].origin == ln.origin and pieces[-1].end == ln.end
        assert ln.text == _rebuild([k.text for k in pieces])
        covered += [k.origin for k in pieces]
    assert covered == [k.origin for k in kept]
    # no ASCII letters joined: the output is the kept text, character for character
    assert re.sub(r"(?<=[A-Za-z]) (?=[A-Za-z])", "", "".join(texts(out))) == \
        re.sub(r"(?<=[A-Za-z]) (?=[A-Za-z])", "", "".join(texts(kept)))


def test_a_hundred_thousand_lines_in_a_few_seconds():
    sample = rewrap(SAMPLE_FILES[2].read_text(encoding="utf-8"), lambda n, m: f"— {n} —").splitlines()
    raw = (sample * (100_000 // len(sample) + 1))[:100_000]
    lines = [Line(t, i) for i, t in enumerate(raw, 1) if t.strip()]
    one_paragraph = [Line(FULL, i) for i in range(1, 100_001)]
    started = time.perf_counter()
    assert len(unwrap(lines)) < len(lines) / 2
    assert len(unwrap(one_paragraph)) == 1
    assert time.perf_counter() - started < 15  # about 2 s each on a laptop


# ---------------------------------------------------------------------------------------------
# Taiwan and Hong Kong conventions: ROC years, full-width tildes


@pytest.mark.parametrize(
    "text, roc, expected",
    [
        ("民國111年4月底前完成", False, [("民國111年4月底前", "2022-04-30")]),
        ("於民国112年底前建成", False, [("民国112年底前", "2023-12-31")]),
        ("111年4月底前完成", True, [("111年4月底前", "2022-04-30")]),
        ("111年4月底前完成", False, []),  # a mainland text: 111年 is no year
        ("111年至113年", True, [("111年至113年", "2024-12-31")]),
        ("2022年6月底前", True, [("2022年6月底前", "2022-06-30")]),
    ],
)
def test_roc_years(text, roc, expected):
    got = [(r.text, resolve(r, None).date) for r in find_deadlines(text, roc)]
    assert got == expected


@pytest.mark.parametrize(
    "text, expected",
    [("民國110年計畫,111年4月底前完成", True), ("111年4月底前完成,112年底前全面推開", True),
     ("111年4月底前完成,2022年底前全面推开", False), ("建党100年", False), ("2019年底前", False)],
)
def test_document_uses_roc_years(text, expected):
    assert uses_roc_years(text) is expected


def test_roc_plan_end_to_end():
    plan = parse_text("臺北市社會安全網實施計畫\n一、推動期程\n(一)民國111年4月底前完成盤點。\n"
                      "(二)112年6月底前建置平臺,覆蓋率達到80％～90％。\n")
    assert [(d.text, d.date) for d in plan.deadlines] == [("民国111年4月底前", "2022-04-30"),
                                                          ("112年6月底前", "2023-06-30")]
    assert [(t.op, t.value, t.unit) for t in plan.targets] == [("range", [80, 90], "%")]


@pytest.mark.parametrize(
    "text, value, unit",
    [("光伏装机容量达到40~80GW", [40, 80], "GW"), ("光伏装机容量达到40～80", [40, 80], None),
     ("培训人数达到40～80人", [40, 80], "人"), ("覆盖率达到80%~90%", [80, 90], "%"),
     ("覆盖率达到80％～90％以上", [80, 90], "%"), ("新建3~5个调解中心", [3, 5], "个")],
)
def test_tilde_ranges(text, value, unit):
    got = find_targets(fold_width(text))
    assert [(t.op, t.value, t.unit) for t in got] == [("range", value, unit)]
