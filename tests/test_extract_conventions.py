"""Whole plans written in conventions the samples do not show: a county's task-division
notice (印发通知, parenthesised lists, prose roles, a space-aligned task table, phases),
a city action plan in full-width punctuation ((牵头) marks, 按职责分工负责, time fields),
and a .docx whose task table is a real Word table."""
from __future__ import annotations

from pathlib import Path

import pytest

from govparse import parse_file

FIXTURES = Path(__file__).parent / "fixtures"


def _units(m):
    return [(u.name, u.role) for u in m.units]


@pytest.fixture(scope="module")
def county():
    return parse_file(FIXTURES / "county-task-division.txt")


def test_notice_metadata(county):
    d = county.document
    assert d.title == "清苑县2020年社会治理重点任务分工方案"       # the plan's title, not the notice's
    assert (d.region, d.level, d.date, d.base_year) == ("清苑县", "县", "2020-03-15", 2020)
    assert d.issuers == ["清苑县人民政府办公室"]
    assert d.doc_number == "清政办〔2020〕12号"


def test_county_units(county):
    by_id = {m.id: m for m in county.measures}
    assert _units(by_id["二.(一)"]) == [("县委政法委", "lead"), ("县财政局", "support"), ("县民政局", "support"),
                                        ("各乡镇", "support")]
    assert _units(by_id["二.(二)"]) == [("县公安局", "lead"), ("县委网信办", "support"), ("县财政局", "support")]
    assert _units(by_id["二.(三).1"]) == [("县司法局", "lead"), ("县信访局", "lead")]    # a bare 责任单位 list
    assert _units(by_id["二.(四).(1)"]) == [("县委组织部", "lead")]                     # 配合县委组织部推动…
    assert _units(by_id["四.1"]) == [("县委政法委", "lead"), ("县司法局", "support"), ("县信访局", "support")]


def test_county_deadlines_resolve_against_the_issue_year(county):
    got = {(d.text, d.date, d.kind) for d in county.deadlines}
    for expected in [("6月底前", "2020-06-30", "by"), ("年内", "2020-12-31", "by"), ("一季度", "2020-03-31", "by"),
                     ("上半年", "2020-06-30", "by"), ("明年6月底前", "2021-06-30", "by"),
                     ("2020年9月底前", "2020-09-30", "by"), ("长期坚持", None, "ongoing")]:
        assert expected in got
    assert not any(d.text == "2020年" for d in county.deadlines)     # the year in the title is no limit


def test_county_phases(county):
    assert [(p.name, p.start, p.end) for p in county.phases] == [
        ("动员部署阶段", "2020-03-15", "2020-03-31"), ("组织实施阶段", "2020-04-01", "2020-11-30"),
        ("总结验收阶段", "2020-12-01", "2020-12-31")]


def test_county_targets(county):
    got = {(t.value, t.unit, t.op) for t in county.targets}
    assert {(95, "%", ">="), (90, "%", ">="), (3, "起", "<="), (15, "个", "="), (2000, "个", "+"), (100, "%", ">="),
            (2, "名", ">=")} <= got
    (placeholder,) = [t for t in county.targets if t.placeholder]
    assert placeholder.unit == "个" and "平安村" in placeholder.metric
    assert any(w.code == "placeholder-target" for w in county.warnings)


def test_full_width_action_plan():
    plan = parse_file(FIXTURES / "city-action-plan-fullwidth.txt")
    by_id = {m.id: m for m in plan.measures}
    assert plan.document.region is None and plan.document.level == "市"          # ××市 hides the place
    assert _units(by_id["二.(一).1"]) == [("市委组织部", "lead"), ("市委编办", "support"), ("市民政局", "support")]
    assert _units(by_id["二.(一).2"]) == [("市委组织部", "lead"), ("市民政局", "support"), ("各县(市、区)", "support")]
    assert [(d.text, d.kind) for d in by_id["二.(二).4"].deadlines] == [("持续推进", "ongoing")]
    assert _units(by_id["附件.1"]) == [("市民政局", "lead"), ("市人社局", "support"), ("市财政局", "support")]
    assert [(t.value, t.unit) for t in plan.targets if t.line == 4] == [(100, "%"), (30, "平方米"), (60, "%")]


def test_docx_task_table(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for text in ["清苑县2021年平安建设重点任务分工方案", "一、工作目标", "到2021年底,群众安全感达到98%以上。", "二、任务分工"]:
        d.add_paragraph(text)
    rows = [["序号", "重点任务", "牵头单位", "责任单位", "完成时限"],
            ["1", "推进县级综治中心规范化建设", "县委政法委", "县财政局、各乡镇", "2021年6月底前"],
            ["2", "开展矛盾纠纷排查化解", "县司法局", "县信访局", "长期坚持"]]
    table = d.add_table(rows=3, cols=5)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    d.add_paragraph("清苑县人民政府办公室")
    d.add_paragraph("2021年3月1日")
    path = tmp_path / "plan.docx"
    d.save(path)
    plan = parse_file(path)
    assert plan.document.date == "2021-03-01" and plan.document.region == "清苑县"
    assert [(m.id, m.heading) for m in plan.measures] == [("二.1", "推进县级综治中心规范化建设"),
                                                          ("二.2", "开展矛盾纠纷排查化解")]
    assert _units(plan.measures[0]) == [("县委政法委", "lead"), ("县财政局", "support"), ("各乡镇", "support")]
    assert [(x.text, x.date) for x in plan.measures[0].deadlines] == [("2021年6月底前", "2021-06-30")]
    assert plan.measures[0].lines == [6, 6]    # the table row is the 6th block of the document


def test_points_with_their_own_unit_lists_and_a_year_in_the_title():
    plan = parse_file(FIXTURES / "county-work-points.txt")
    assert plan.document.base_year == 2021            # "关于2021年…工作要点" names its year
    by_id = {m.id: m for m in plan.measures}
    assert _units(by_id["一.(一).一是"]) == [("县委组织部", "lead"), ("县民政局", "lead")]
    assert _units(by_id["一.(一).二是"]) == [("县民政局", "lead")]
    assert _units(by_id["一.(一).三是"]) == [("县纪委监委", "lead"), ("各乡镇", "support")]
    assert "一.(一)" not in by_id                     # the item's intro names no units of its own
    assert [(d.text, d.date) for d in by_id["一.(一).一是"].deadlines] == [("年底前", "2021-12-31")]


def test_plan_sent_as_a_notices_attachment():
    plan = parse_file(FIXTURES / "plan-sent-as-attachment.txt")
    d = plan.document
    assert d.title == "XX县深化平安建设三年行动方案(试行)"        # 附件1 above it is no section
    assert (d.region, d.level, d.date, d.base_year) == (None, "县", "2021-04-02", 2021)   # "…印发" date line
    assert [(m.id, _units(m)) for m in plan.measures] == [("一.1", [("县委政法委", "lead")])]


def test_saved_web_page_in_gbk_with_a_task_table():
    plan = parse_file(FIXTURES / "district-page-gbk.html")
    d = plan.document
    assert plan.source.encoding == "gb18030" and plan.source.format == "html"
    assert d.title == "莲池区2020年平安建设工作方案"                 # not the site's <title>
    assert (d.region, d.level, d.date) == ("莲池区", "县", "2020-03-01")   # a district counts as 县
    assert [(m.heading, _units(m)) for m in plan.measures] == [
        ("推进区级综治中心规范化建设", [("区委政法委", "lead"), ("区财政局", "support"), ("各街道", "support")]),
        ("开展校园周边环境整治", [("区教育局", "lead"), ("区公安分局", "support")])]
    assert [(x.text, x.kind) for x in plan.measures[1].deadlines] == [("长期坚持", "ongoing")]
    src = (FIXTURES / "district-page-gbk.html").read_bytes().decode("gb18030").split("\n")
    assert "推进区级综治中心规范化建设" in src[plan.measures[0].lines[0] - 1]   # lines cite the page source


def test_points_each_followed_by_their_own_label_lines():
    from govparse import parse_text

    plan = parse_text("一、主要任务\n1.加强队伍建设。\n一是配齐配强专职人员。\n牵头单位:县委组织部\n"
                      "二是加强业务培训。\n牵头单位:县司法局\n配合单位:县人社局\n")
    assert [(m.id, _units(m)) for m in plan.measures] == [
        ("一.1.一是", [("县委组织部", "lead")]), ("一.1.二是", [("县司法局", "lead"), ("县人社局", "support")])]


def test_label_lines_after_the_last_title_point_belong_to_the_item():
    from govparse import parse_text

    plan = parse_text("一、工作措施\n1.充分发挥党建引领作用。\n一是强化主导作用。\n二是落小治理单元。\n"
                      "牵头单位:市委组织部\n配合单位:市民政局\n")
    (m,) = plan.measures
    assert (m.id, _units(m), [p.text for p in m.points]) == (
        "一.1", [("市委组织部", "lead"), ("市民政局", "support")], ["强化主导作用。", "落小治理单元。"])


def _numbered_docx(path):
    """A .docx whose headings are numbered by Word itself (一、 / (一) / 1.), not in the text."""
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    d = docx.Document()
    d.add_paragraph("XX县平安建设实施方案", style="List Number")  # make sure a numbering part exists
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    body = d.element.body
    body.remove(body[0])  # drop the helper paragraph

    def para(text, level=None):
        p = d.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
        return p

    para("XX县平安建设实施方案")
    para("主要任务", 0)
    para("强化基层基础", 1)
    para("推进综治中心建设。(牵头单位:县委政法委;配合单位:县财政局)", 2)
    para("开展矛盾纠纷排查,年底前完成。(牵头单位:县司法局)", 2)
    para("保障措施", 0)
    para("加强组织领导", 1)
    para("2020年3月1日")
    d.save(path)
    assert qn("w:numPr")  # (the import is used)
    return path


def test_docx_with_word_numbering_keeps_its_headings(tmp_path):
    plan = parse_file(_numbered_docx(tmp_path / "numbered.docx"))
    assert [(m.id, m.heading, _units(m)) for m in plan.measures] == [
        ("一.(一).1", "推进综治中心建设", [("县委政法委", "lead"), ("县财政局", "support")]),
        ("一.(一).2", "开展矛盾纠纷排查,年底前完成", [("县司法局", "lead")]),
        ("二.(一)", "加强组织领导", []),
    ]
    assert plan.document.base_year == 2020
    assert [(d.text, d.date) for d in plan.deadlines] == [("年底前", "2020-12-31")]


def test_numbers_in_a_background_section_are_no_targets():
    from govparse import parse_text

    plan = parse_text("XX县社会治理实施方案\n一、基本情况\n全县共有城乡社区120个,网格化覆盖率为85%。\n"
                      "二、主要任务\n1.提升网格化覆盖率达到100%。(牵头单位:县委政法委)\n")
    assert [(t.value, t.unit, t.measure) for t in plan.targets] == [(100, "%", "二.1")]


@pytest.fixture(scope="module")
def joint():
    """A joint county notice (委办 + 政府办 on one header line) with a task-division plan:
    units in a heading's parentheses, in prose (由…牵头,会同…; X负责,Y配合), on their own
    lines after a task, and sub-items (1)(2) under a task."""
    return parse_file(FIXTURES / "county-joint-task-division.txt")


def test_joint_issuers_on_one_header_line(joint):
    d = joint.document
    assert d.issuers == ["中共青山县委办公室", "青山县人民政府办公室"]
    assert (d.title, d.date, d.doc_number) == ("青山县推进市域社会治理现代化试点工作任务分工方案", "2021-03-10",
                                              "青办字〔2021〕15号")


def test_units_a_heading_names_in_prose_are_inherited(joint):
    by_id = {m.id: m for m in joint.measures}
    section = [("县委政法委", "lead"), ("县委组织部", "support"), ("县委编办", "support")]
    assert _units(by_id["二.(一)"]) == section and not any(u.inherited for u in by_id["二.(一)"].units)
    for item in ("二.(一).1", "二.(一).2"):
        assert _units(by_id[item]) == section and all(u.inherited for u in by_id[item].units)
    assert _units(by_id["二.(三).6"]) == [("县委政法委", "lead"), ("各乡镇", "support")]   # X负责,Y配合
    for item in ("二.(三).6.(1)", "二.(三).6.(2)"):                                       # its sub-items
        assert _units(by_id[item]) == _units(by_id["二.(三).6"])
        assert all(u.inherited for u in by_id[item].units)


def test_units_on_their_own_lines_and_in_prose(joint):
    by_id = {m.id: m for m in joint.measures}
    assert _units(by_id["二.(二).3"]) == [("县司法局", "lead"), ("县法院", "support"), ("县信访局", "support"),
                                         ("各乡镇", "support")]
    assert [d.date for d in by_id["二.(二).3"].deadlines] == ["2021-06-30"]
    assert _units(by_id["二.(三).5"]) == [("县民政局", "lead"), ("县委组织部", "support")]   # 由…牵头,会同…
    assert [d.date for d in by_id["二.(三).5"].deadlines] == ["2021-09-30"]
    assert [(t.metric, t.value, t.unit) for t in by_id["二.(二).4"].targets] == [("县级中心", 1, "个"),
                                                                               ("乡镇分中心", 12, "个")]
    assert not any(m.id.startswith("三") for m in joint.measures if m.units)  # 保障措施 name no task units


@pytest.fixture(scope="module")
def action():
    """A city action plan: a template's xx, 一是/二是 points, section-level prose roles,
    第一阶段 phases (one of a single month), and a task table flattened into
    space-aligned lines."""
    return parse_file(FIXTURES / "city-action-plan-points-and-table.txt")


def test_action_plan_targets_and_deadlines(action):
    assert action.document.region is None and action.document.level == "市"   # xx市 hides the place
    assert action.document.base_year == 2020                                     # from the title
    got = [(t.metric, t.op, t.value, t.unit, t.placeholder) for t in action.targets]
    assert ("行政村“雪亮工程”覆盖率", ">=", None, "%", True) in got
    assert ("群众安全感满意度", ">=", 95, "%", False) in got                    # 百分之九十五以上
    assert ("刑事案件发案数", "-", 10, "%", False) in got                        # 下降百分之十
    assert ("视频监控点位", "+", 3000, "个", False) in got                       # 新增…三千个
    assert ("调解员", "range", [2, 3], "名", False) in got                        # 二至三名
    assert any(w.code == "placeholder-target" for w in action.warnings)
    by_text = {d.text: d for d in action.deadlines}
    assert by_text["利用一年左右时间"].date is None and by_text["利用一年左右时间"].kind == "duration"
    assert (by_text["6月底前"].date, by_text["年底前"].date) == ("2020-06-30", "2020-12-31")


def test_action_plan_phases_and_roles(action):
    assert [(p.name, p.start, p.end) for p in action.phases] == [
        ("第一阶段", "2020-03-01", "2020-04-30"), ("第二阶段", "2020-05-01", "2020-11-30"),
        ("第三阶段", "2020-12-01", "2020-12-31")]                                # (2020年12月): the month
    by_id = {m.id: m for m in action.measures}
    assert _units(by_id["二.(一)"]) == [("市司法局", "lead"), ("各县区政府", "support")]  # X牵头,Y负责
    assert _units(by_id["二.(二)"]) == [("市委政法委", "lead"), ("市公安局", "lead")]    # a bare 责任单位 list
    rows = [m for m in action.measures if m.id.startswith("四.")]
    assert [(_units(m), [(d.start, d.date, d.kind) for d in m.deadlines]) for m in rows] == [
        ([("市委政法委", "lead"), ("市民政局", "support"), ("市农业农村局", "support")], [(None, "2020-06-30", "by")]),
        ([("市公安局", "lead"), ("市司法局", "support")], [("2020-06-15", "2020-09-30", "range")]),
        ([("各县区政府", "lead"), ("市财政局", "support")], [(None, None, "ongoing")]),
    ]


def test_a_task_list_written_as_a_bar_table():
    """A 任务清单 copied from a web page or written in Markdown: | cells | between bars."""
    from govparse import parse_text

    plan = parse_text("某县2022年重点工作任务清单\n| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时间 |\n|---|---|---|---|---|\n"
                      "| 1 | 推进综治中心建设 | 县委政法委 | 各乡镇 | 2022年6月底前 |\n"
                      "| 2 | 开展专项行动 | 县司法局 | 县信访局、县公安局 | 2022年3月至12月 |\n")
    assert [(m.heading, _units(m), [(d.start, d.date) for d in m.deadlines]) for m in plan.measures] == [
        ("推进综治中心建设", [("县委政法委", "lead"), ("各乡镇", "support")], [(None, "2022-06-30")]),
        ("开展专项行动", [("县司法局", "lead"), ("县信访局", "support"), ("县公安局", "support")],
         [("2022-03-01", "2022-12-31")]),
    ]
    assert [m.lines for m in plan.measures] == [[4, 4], [5, 5]]  # each row cites its own line


def test_a_gbk_web_page_notice_with_a_table_under_a_task():
    """A saved government web page in GBK: navigation, bread-crumbs and footer dropped,
    the notice's 落款 read, a 创建目标 section that holds no measures, and a task whose
    own sentence (units, deadline) stands above a task table."""
    plan = parse_file(FIXTURES / "district-notice-web-page-gbk.html")
    d = plan.document
    assert (d.title, d.issuers, d.date, d.base_year) == ("某某区“枫桥式”派出所创建工作方案", ["某某区人民政府办公室"],
                                                       "2021-04-10", 2021)
    assert d.region is None and d.level == "县"                 # 某某区: the place is hidden
    assert [s.kind for s in plan.sections] == ["goals", "tasks"]
    by_id = {m.id: m for m in plan.measures}
    assert set(by_id) == {"二.(一)", "二.(一).1"}
    assert _units(by_id["二.(一)"]) == [("区公安分局", "lead"), ("各街道", "support")]
    assert [x.date for x in by_id["二.(一)"].deadlines] == ["2021-09-30"]
    assert _units(by_id["二.(一).1"]) == [("区司法局", "lead"), ("区公安分局", "lead")]
    assert [(t.value, t.unit) for t in plan.targets] == [(50, "%")]
