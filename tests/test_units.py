"""Responsible units: list splitting, labelled lists and prose roles."""
from __future__ import annotations

import pytest

from govparse.extract.units import is_unit, label_units, prose_units, split_units


@pytest.mark.parametrize("text, units", [
    ("市民政局、市农业农村局、市委政法委等", ["市民政局", "市农业农村局", "市委政法委"]),
    ("各县(区、市)党委、政府", ["各县(区、市)党委", "各县(区、市)政府"]),
    ("各县市区党委、政府,各县市区人民法院", ["各县市区党委", "各县市区政府", "各县市区人民法院"]),
    ("各县、市、区党委、政府", ["各县、市、区党委", "各县、市、区政府"]),
    ("各村、社区", ["各村", "各社区"]),
    ("市直政法各部门、市发展改革委、市委网信办、市民政局等部门", ["市直政法各部门", "市发展改革委", "市委网信办", "市民政局"]),
    ("市公安局;市司法局,市信访局", ["市公安局", "市司法局", "市信访局"]),
    ("镇党委书记华学会、镇维稳办", ["镇维稳办"]),   # a person's post is no unit
])
def test_split_units(text, units):
    assert split_units(text) == units


def _roles(found):
    return [(u.name, u.role, u.label) for u in found]


def test_label_lines():
    assert _roles(label_units("牵头单位:市委组织部")) == [("市委组织部", "lead", "牵头单位")]
    assert _roles(label_units("配合单位:市民政局、市农业农村局、市委政法委等")) == [
        ("市民政局", "support", "配合单位"), ("市农业农村局", "support", "配合单位"), ("市委政法委", "support", "配合单位")]


def test_labels_in_brackets_after_a_task():
    found = label_units("2019年底前全部实体化。(牵头单位:市委政法委;责任单位:市民政局等部门,各县市区党委、政府)")
    assert _roles(found) == [("市委政法委", "lead", "牵头单位"), ("市民政局", "support", "责任单位"),
                             ("各县市区党委", "support", "责任单位"), ("各县市区政府", "support", "责任单位")]


def test_bare_responsible_list_leads():
    # a 责任单位 list with no 牵头单位 beside it names who is responsible: they lead
    assert _roles(label_units("责任单位:县司法局、县信访局")) == [
        ("县司法局", "lead", "责任单位"), ("县信访局", "lead", "责任单位")]


def test_person_labels_are_skipped():
    found = label_units("责任领导:张三;牵头单位:县应急管理局;完成时限:2020年底前")
    assert _roles(found) == [("县应急管理局", "lead", "牵头单位")]


@pytest.mark.parametrize("text, expected", [
    ("由县公安局牵头,县委网信办、县财政局配合", [("县公安局", "lead"), ("县委网信办", "support"), ("县财政局", "support")]),
    ("由县委政法委成立以三位副书记为组长的督导组", [("县委政法委", "lead")]),
    ("在各乡镇建立,乡镇党委、村党组织牵头,乡镇副书记主抓", [("乡镇党委", "lead"), ("村党组织", "lead")]),
    ("配合公安部门深化社区警务战略", [("公安部门", "lead")]),
    ("配合组织部门,建设完善社区物业党建机制", [("组织部门", "lead")]),
    ("配合县委组织部推动网格党建", [("县委组织部", "lead")]),
    ("配合司法部门大力开展法制示范村建设", [("司法部门", "lead")]),
    ("各级党委政法委牵头抓总,加强组织协调", [("各级党委政法委", "lead")]),
    ("市民政局会同市财政局制定办法", [("市财政局", "support")]),
    ("县教育局负责校园安全隐患排查", [("县教育局", "lead")]),
    ("各乡镇(街道)负责辖区内矛盾纠纷排查", [("各乡镇(街道)", "lead")]),
    ("建立综治中心负责的日常检查制度", []),
    ("完善县级领导包乡负责机制", []),
    ("主要负责同志亲自抓", []),
    ("县委宣传部要牵头做好宣传工作", [("县委宣传部", "lead")]),
    ("由县民政局会同县财政局制定具体办法", [("县民政局", "lead"), ("县财政局", "support")]),
    ("县公安局为牵头单位,县司法局为配合单位", [("县公安局", "lead"), ("县司法局", "support")]),
    # beside a unit that leads (牵头), one that is only 负责 carries the work out
    ("(市司法局牵头,各县区政府负责)", [("市司法局", "lead"), ("各县区政府", "support")]),
    ("由县委宣传部牵头,各乡镇负责具体实施", [("县委宣传部", "lead"), ("各乡镇", "support")]),
    ("县委政法委负责,各乡镇配合", [("县委政法委", "lead"), ("各乡镇", "support")]),
])
def test_prose_roles(text, expected):
    assert [(u.name, u.role) for u in prose_units(text)] == expected


@pytest.mark.parametrize("text", [
    "分别由镇党政办、镇社会事务办、镇宣传办、镇维稳办牵头负责",  # distributive
    "领导小组发挥牵头抓总作用",
    "各牵头科室要对各县(区)推动落实情况进行跟踪",
    "登记机关与业务主管单位协调配合",
    "成立由县委书记、县长任组长的领导小组",
    "由党组织自上而下“统”起来",
    "分管领导具体负责",
])
def test_prose_without_a_unit_role(text):
    assert prose_units(text) == []


@pytest.mark.parametrize("name, ok", [
    ("市委政法委", True), ("县公安局", True), ("各县(市、区)", True), ("镇党政办公室", True),
    ("领导小组发挥", False), ("县委书记", False), ("推动工作落实", False), ("政协委员", False),
])
def test_is_unit(name, ok):
    assert is_unit(name) is ok


def test_bracket_role_mark_inside_a_list():
    found = label_units("责任单位:市委组织部(牵头)、市民政局、各县(市、区)")
    assert _roles(found) == [("市委组织部", "lead", "责任单位"), ("市民政局", "support", "责任单位"),
                             ("各县(市、区)", "support", "责任单位")]


def test_lead_with_units_responsible_by_division():
    found = prose_units("(市委组织部牵头,市委编办、市民政局按职责分工负责)")
    assert [(u.name, u.role) for u in found] == [("市委组织部", "lead"), ("市委编办", "support"), ("市民政局", "support")]


@pytest.mark.parametrize("text, units", [
    ("市委宣传部和市文明办", ["市委宣传部", "市文明办"]),
    ("市自然资源和规划局、市文化和旅游局", ["市自然资源和规划局", "市文化和旅游局"]),
    ("市住房和城乡建设局及市城管局", ["市住房和城乡建设局", "市城管局"]),
    ("市人力资源和社会保障局", ["市人力资源和社会保障局"]),
])
def test_conjunctions_split_only_whole_units(text, units):
    assert split_units(text) == units



def test_by_unit_whose_name_starts_with_a_verb():
    assert [(u.name, u.role) for u in prose_units("由县委组织部牵头,县纪委监委配合。")] == [
        ("县委组织部", "lead"), ("县纪委监委", "support")]



def test_role_words_after_units_inside_a_list():
    found = label_units("责任单位:县委组织部牵头,县人社局、县财政局配合")
    assert _roles(found) == [("县委组织部", "lead", "责任单位"), ("县人社局", "support", "责任单位"),
                             ("县财政局", "support", "责任单位")]


# person_re (a post, maybe followed by a personal name) is compiled and run only when
# a cheap test finds a post near the end of the name: the two must always agree.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from govparse import lexicon as _lexicon  # noqa: E402
from govparse.extract import units as _units  # noqa: E402


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_lexicon.load("units")["person_posts"] + ["县", "公安局", "华", "学会", "等", " ",
                                                                          "\n", "a", "、"]), max_size=6))
def test_person_precheck_agrees_with_person_re(pieces):
    name = "".join(pieces)
    assert _units._is_person(name) == (_units._person_re().search(name) is not None), name



@pytest.mark.parametrize("text, expected", [
    # a role word right after a unit inside a list: 牵头 leads; 负责 leads alone, else supports
    ("(责任单位:市民政局牵头,各县区负责)", [("市民政局", "lead"), ("各县区", "support")]),
    ("责任单位:县公安局负责", [("县公安局", "lead")]),
    ("牵头单位:县委政法委;配合单位:县公安局负责", [("县委政法委", "lead"), ("县公安局", "support")]),
    ("责任单位:市委组织部(牵头)、市民政局", [("市委组织部", "lead"), ("市民政局", "support")]),
])
def test_role_words_inside_label_lists(text, expected):
    assert [(u.name, u.role) for u in label_units(text)] == expected


@pytest.mark.parametrize("name", ["各县区", "各县市区", "各乡镇", "各县(市、区)"])
def test_collective_units_of_places(name):
    assert is_unit(name)
