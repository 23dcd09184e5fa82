"""Every output of every command survives any plan: random mixes of plan conventions
through check, report, the calendar, the responsibility rows and diff."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govparse import parse_text
from govparse.check import check_plan
from govparse.compare import diff_plans
from govparse.errors import GovparseError
from govparse.responsibility import measure_rows, unit_rows
from govparse.writers.ics import write_ics
from govparse.writers.report_html import report_page
from govparse.writers.table import write_csv, write_markdown, write_xlsx

_PIECES = st.sampled_from([
    "一、", "二、", "(一)", "(二)", "1.", "2、", "3", "(1)", "①", "一是", "二是", "第一阶段:", "附件:", "──",
    "主要任务", "工作措施", "基本情况", "牵头单位:", "配合单位:", "责任单位:", "由", "牵头", "配合", "负责",
    "市委政法委", "县公安局", "各县(市、区)党委、政府", "各村、社区", "2019年底前", "6月底前", "年内", "明年",
    "2019年6月15日至6月底", "为期三年", "完成时限:长期坚持", "达到", "不少于", "90%", "xx%", "3-5个", "下降",
    "=SUM(A1)", "<script>", "。", ",", ";", "(", ")", "“", "\n", "\t", "  ", "2019年5月28日", "X镇", "【】"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=80), st.lists(_PIECES, min_size=1, max_size=80))
def test_every_output_survives_random_plans(a_pieces, b_pieces):
    try:
        a, b = parse_text("".join(a_pieces), "a.txt"), parse_text("".join(b_pieces), "b.txt")
    except GovparseError:
        return
    findings = check_plan(a)
    assert all(f.severity in ("error", "warning", "info") for f in findings)
    page = report_page([(a, findings)])
    assert page.startswith("<!") and "<script" not in page.lower()
    write_ics([a, b])
    for rows in (measure_rows([a, b], "zh"), unit_rows([a], "en")):
        headers, body = rows
        write_csv(headers, body)
        write_markdown(headers, body)
    write_xlsx([("全部", *measure_rows([a], "zh"))])
    result = diff_plans(a, b)
    assert set(result) >= {"summary", "matched", "only_a", "only_b"}
