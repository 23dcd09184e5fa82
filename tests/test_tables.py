"""Task tables flattened one cell per line, as text copied out of a PDF or a web table."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govparse import parse_text
from govparse.normalize import Line
from govparse.tables import join_cell_lines

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [["1", "建立矛盾纠纷联调机制", "县司法局", "县公安局、县法院", "2021年6月底前"],
        ["2", "推进综治中心规范化建设", "县委政法委", "各乡镇", "2021年12月底前"]]


def _lines(texts: list[str]) -> list[Line]:
    return [Line(t, i) for i, t in enumerate(texts, 1)]


def test_cells_on_their_own_lines_become_rows():
    texts = ["一、重点任务", *HEADER, *ROWS[0], *ROWS[1], "二、工作要求"]
    out = join_cell_lines(_lines(texts))
    assert [ln.text for ln in out] == ["一、重点任务", "\t".join(HEADER), "\t".join(ROWS[0]), "\t".join(ROWS[1]),
                                       "二、工作要求"]
    assert [(ln.origin, ln.end) for ln in out[1:4]] == [(2, 6), (7, 11), (12, 16)]  # each row cites its lines


def test_a_cell_wrapped_over_two_lines_ends_the_table_instead_of_shifting_cells():
    wrapped = ["1", "建立矛盾纠纷", "联调机制", "县司法局", "县公安局", "2021年6月底前"]
    texts = [*HEADER, *wrapped]
    assert [ln.text for ln in join_cell_lines(_lines(texts))] == texts  # nothing is guessed


def test_a_header_without_a_number_column_is_left_alone():
    texts = ["工作任务", "牵头单位", "配合单位", "推进综治中心建设", "县委政法委", "各乡镇"]
    assert [ln.text for ln in join_cell_lines(_lines(texts))] == texts


def test_a_plan_with_a_flattened_table_gets_one_measure_per_row():
    plan = parse_text("\n".join(["某县平安建设重点任务分解表", "一、重点任务", *HEADER, *ROWS[0], *ROWS[1]]))
    assert [(m.heading, [(u.name, u.role) for u in m.units], m.lines, [d.date for d in m.deadlines])
            for m in plan.measures] == [
        ("建立矛盾纠纷联调机制", [("县司法局", "lead"), ("县公安局", "support"), ("县法院", "support")], [8, 12],
         ["2021-06-30"]),
        ("推进综治中心规范化建设", [("县委政法委", "lead"), ("各乡镇", "support")], [13, 17], ["2021-12-31"]),
    ]


_PIECES = [*HEADER, "1", "2", "3", "县公安局", "推进工作", "2021年底前", "一、任务", "说明。", "\t", "各乡镇"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_joining_keeps_every_line_in_order(texts):
    out = join_cell_lines(_lines(texts))
    assert "\t".join(ln.text for ln in out).split("\t") == "\t".join(texts).split("\t")
    covered = [n for ln in out for n in range(ln.origin, ln.end + 1)]
    assert covered == list(range(1, len(texts) + 1))  # every source line cited once, in order
