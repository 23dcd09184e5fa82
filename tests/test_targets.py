"""Targets: one row per phrase, as real plans write them."""
from __future__ import annotations

import pytest

from govparse.extract.targets import find_targets


@pytest.mark.parametrize("text, metric, op, value, unit", [
    ("调解成功率达到90%以上,信访积案妥善化解", "调解成功率", ">=", 90, "%"),
    ("出租房屋登记备案率达到100%", "出租房屋登记备案率", ">=", 100, "%"),
    ("挂牌率达到总户数20%以上", "挂牌率", ">=", 20, "%"),
    ("行业部门联网监控数量要在2018年基础上增加70%", "行业部门联网监控数量", "+", 70, "%"),
    ("村社区党组织书记年度累计参加培训不少于4天", "参加培训", ">=", 4, "天"),
    ("至少培育3-5人党性强、素质高的致富带头人", "致富带头人", "range", [3, 5], "人"),
    ("每村(社区)至少设立3-5个党员示范岗", "党员示范岗", "range", [3, 5], "个"),
    ("全镇建成3个十星级平安村", "平安村", "=", 3, "个"),
    ("创建成信用村5个", "信用村", "=", 5, "个"),
    ("县级文明村占比达到65以上", "县级文明村占比", ">=", 65, None),
    ("农村室外阵地面积不少于300平方米", "农村室外阵地面积", ">=", 300, "平方米"),
    ("每个村(社区)设立一个警务室", "警务室", "=", 1, "个"),
    ("各县(市、区)在2019年底前至少建成一个高标准的乡镇联合调解中心", "乡镇联合调解中心", ">=", 1, "个"),
    ("群众安全感达到百分之九十以上", "群众安全感", ">=", 90, "%"),
    ("命案发案数控制在3起以内", "命案发案数", "<=", 3, "起"),
    ("年内新增视频监控点位2000个", "视频监控点位", "+", 2000, "个"),
    ("全面启用200个村(居)民评理说事点", "评理说事点", "=", 200, "个"),
    ("新增就业岗位两万个", "就业岗位", "+", 20000, "个"),
    ("贫困发生率降至2%以下", "贫困发生率", "<=", 2, "%"),
    ("全县刑事案件发案率下降10%", "刑事案件发案率", "-", 10, "%"),
    ("群众满意度比上年提高5个百分点", "群众满意度", "+", 5, "个百分点"),
    ("投入资金500万元", "资金", "=", 500, "万元"),
    ("培训网格员1.2万人次", "网格员", "=", 12000, "人次"),
    ("群众安全感和满意度均达到95%以上", "群众安全感和满意度", ">=", 95, "%"),
    # a share that opens the line (a table cell, a wrapped line): nothing stands before it
    ("90%以上的村(社区)建成标准化综治中心", "综治中心", ">=", 90, "%"),
    ("每个村配备调解员二至三名", "调解员", "range", [2, 3], "名"),   # a Chinese-numeral count closing its clause
    ("办案周期缩短至30天以内", "办案周期", "<=", 30, "天"),
    ("投诉量减少至10件以下", "投诉量", "<=", 10, "件"),
    ("覆盖面扩大到90%以上", "覆盖面", ">=", 90, "%"),
    # a duration after a comparison word is the target's value
    ("审批时限压缩至5个工作日以内", "审批时限", "<=", 5, "工作日"),
    ("办结时限缩短2个工作日", "办结时限", "-", 2, "工作日"),
    ("用时控制在48个小时以内", "用时", "<=", 48, "小时"),
])
def test_target(text, metric, op, value, unit):
    found = find_targets(text)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    t = found[0]
    assert metric in t.metric + t.text
    assert (t.op, t.value, t.unit) == (op, value, unit)


@pytest.mark.parametrize("text, unit", [
    ("实现“一社区(村)一警(辅警)”xxx%覆盖", "%"),
    ("提高志愿者注册比例,力争达到常住人口的xx%以上", "%"),
])
def test_placeholder_target_has_no_value(text, unit):
    (t,) = find_targets(text)
    assert t.value is None and t.placeholder and t.unit == unit


def test_enumerated_targets_each_keep_their_metric():
    found = find_targets("力争2020年前建成50个省级、200个市级民主法治示范村(社区)")
    assert [(t.value, t.unit) for t in found] == [(50, "个"), (200, "个")]
    assert "省级" in found[0].text and "市级" in found[1].text


def test_percent_items_in_brackets():
    found = find_targets("严格落实寄递物流行业“三个100%”(100%收寄验视、100%实名收寄、100%过机安检)要求")
    assert [t.metric for t in found] == ["收寄验视", "实名收寄", "过机安检"]


def test_previous_clause_names_the_metric():
    (t,) = find_targets("提高志愿者注册比例,力争达到常住人口的xx%以上")
    assert "志愿者注册比例" in t.metric


@pytest.mark.parametrize("text", [
    "目前已排查化解矛盾纠纷951起",                      # a statistic of the past
    "深入挖掘230个人民调解委员会和1134名人民调解员的潜力",  # a scope, not a commitment
    "坚持“六个第一时间”",                                # a name in quotes
    "每季度召开专题会议不少于一次",                      # a frequency
    "每3个月公开一次村级财务状况",
    "深入学习贯彻党的十九大和十九届四中全会精神",
    "开展为期三个月的专项督导整改",                      # a duration
    "每个县(市、区)都要打造一支治安志愿者队伍",          # "一支" = a team
    "考取985、211大学、参加各类竞赛前10名等学生",
    "为xx经济社会发展奠定坚实基层基础",                  # a hidden place name
    "确定一个重点乡镇彰武镇进行全域治理",
    "县委、县政府主要领导已5次组织召开县委书记办公会",
    "利用三个月时间开展集中整治",                     # a duration with no comparison word
    "在两个工作日内办结",
])
def test_not_targets(text):
    assert find_targets(text) == []


def test_target_cites_its_line():
    (t,) = find_targets("社会资源联网率达到90%以上", line=35)
    assert t.line == 35


@pytest.mark.parametrize("text, expected", [
    # a list of counts after one commitment verb, each noun before its count
    ("力争年内建成县级中心1个、乡镇分中心12个", [("县级中心", 1), ("乡镇分中心", 12)]),
    ("建成县级中心1个、乡镇分中心12个、村级工作站200个。", [("县级中心", 1), ("乡镇分中心", 12), ("村级工作站", 200)]),
    ("培育示范村5个和示范社区3个", [("示范村", 5), ("示范社区", 3)]),
    # statistics, not commitments, stay out
    ("发挥2987名网格员、1200名调解员作用", []),
    ("已建成中心3个、分中心12个", []),
])
def test_lists_of_counts(text, expected):
    found = find_targets(text)
    assert [(t.metric, t.value) for t in found] == expected
    for t in found:  # each target's text is its own item, not the rest of the list
        assert t.text.count("个") == 1
