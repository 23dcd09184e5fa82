"""Deadlines: one row per phrase, as real plans write them."""
from __future__ import annotations

import pytest

from govparse.extract.deadlines import find_deadlines, find_ongoing, resolve


def _one(text: str, base_year: int | None):
    found = find_deadlines(text)
    assert len(found) == 1, [f.text for f in found]
    return resolve(found[0], base_year)


@pytest.mark.parametrize("text, base_year, quoted, date, start, kind", [
    ("2019年底前,县、乡综治中心要全部实体化", 2019, "2019年底前", "2019-12-31", None, "by"),
    ("6月底前,形成各具特色的工作模式", 2019, "6月底前", "2019-06-30", None, "by"),
    ("2020年12月前全部完成县级新时代文明实践中心建设", None, "2020年12月前", "2020-12-31", None, "by"),
    ("到2022年,全市创建达标村达到80%以上", None, "到2022年", "2022-12-31", None, "by"),
    ("力争2020年前建成50个省级示范村", None, "2020年前", "2020-12-31", None, "by"),
    ("力争年内有xx%的乡镇设立社会工作服务站", 2021, "年内", "2021-12-31", None, "by"),
    ("力争年底依法行政考核跻身全省一流", 2019, "年底", "2019-12-31", None, "by"),
    ("到年底,全镇至少增加1个一肩挑村", 2019, "到年底", "2019-12-31", None, "by"),
    ("上半年实现乡镇人民调解委员会全覆盖", 2020, "上半年", "2020-06-30", None, "by"),
    ("一季度完成首轮排查", 2020, "一季度", "2020-03-31", None, "by"),
    ("2020年第三季度完成验收", None, "2020年第三季度", "2020-09-30", None, "by"),
    ("11月底前,全镇建成3个平安村", 2019, "11月底前", "2019-11-30", None, "by"),
    ("明年6月底前,创建平安村", 2020, "明年6月底前", "2021-06-30", None, "by"),
    ("次年3月底前完成验收", 2020, "次年3月底前", "2021-03-31", None, "by"),
    # a holiday on a fixed date: the limit is the day before it
    ("2020年国庆节前完成县级平台建设", None, "2020年国庆节前", "2020-09-30", None, "by"),
    ("国庆节前完成排查", 2020, "国庆节前", "2020-09-30", None, "by"),
    ("2021年元旦前全部整改到位", None, "2021年元旦前", "2020-12-31", None, "by"),
    ("元旦前完成清理", 2020, "元旦前", "2020-12-31", None, "by"),                 # the coming 元旦
    ("力争2020年五一劳动节前建成", None, "2020年五一劳动节前", "2020-04-30", None, "by"),
    # a span that starts with 起
    ("自即日起至2020年12月31日,在全县开展专项整治", None, "2020年12月31日", "2020-12-31", None, "by"),
    ("2019年6月1日起至12月底开展集中排查", None, "2019年6月1日起至12月底", "2019-12-31", "2019-06-01", "range"),
    ("2019年起至2021年,分三年实施", None, "2019年起至2021年", "2021-12-31", "2019-01-01", "range"),
    ("当年年底前完成整改", 2020, "当年年底前", "2020-12-31", None, "by"),
    ("力争到2019年年底建成综合性文化服务中心", None, "到2019年年底", "2019-12-31", None, "by"),
    ("2019年6月底前要再侦破一批现行案件", None, "2019年6月底前", "2019-06-30", None, "by"),
    ("2019年12月31日前完成", None, "2019年12月31日前", "2019-12-31", None, "by"),
    ("9月中旬前完成摸底", 2020, "9月中旬前", "2020-09-20", None, "by"),
    ("宣传发动(2019年6月15日至6月底)", None, "2019年6月15日至6月底", "2019-06-30", "2019-06-15", "range"),
    ("组织实施(2019年7月1日至10月底)", None, "2019年7月1日至10月底", "2019-10-31", "2019-07-01", "range"),
    ("(2020年4月1日-11月30日)全面推进", None, "2020年4月1日-11月30日", "2020-11-30", "2020-04-01", "range"),
    ("2019年6月至12月开展专项行动", None, "2019年6月至12月", "2019-12-31", "2019-06-01", "range"),
    ("2019年至2021年,连续三年开展", None, "2019年至2021年", "2021-12-31", "2019-01-01", "range"),
    ("2019年“一乡一法庭”覆盖率达到90%", None, "2019年", "2019-12-31", None, "by"),
    ("六月底前完成选任工作", 2019, "六月底前", "2019-06-30", None, "by"),
    ("于2021年6月30日完成验收", None, "2021年6月30日", "2021-06-30", None, "by"),
])
def test_deadline_resolves(text, base_year, quoted, date, start, kind):
    d = _one(text, base_year)
    assert (d.text, d.date, d.start, d.kind) == (quoted, date, start, kind)


@pytest.mark.parametrize("text, quoted", [
    ("利用一年左右时间,健全完善人民调解工作机制", "利用一年左右时间"),
    ("聚集为期三年工作目标", "为期三年"),
    ("开展为期三个月的专项督导整改", "为期三个月"),
    ("三年内基本建成", "三年内"),
])
def test_durations_have_no_date(text, quoted):
    d = _one(text, 2019)
    assert (d.text, d.date, d.kind) == (quoted, None, "duration")


@pytest.mark.parametrize("text", ["年底前完成", "6月底前完成", "今年完成的142项任务"])
def test_relative_deadline_without_base_year_stays_unresolved(text):
    d = _one(text, None)
    assert d.date is None and d.resolved is False


@pytest.mark.parametrize("text", [
    "行业部门联网监控数量要在2018年基础上增加70%",   # a baseline
    "研究制定《保定智慧政法建设2019年规划方案》",     # a year inside a document's name
    "深入学习贯彻党的十九大和十九届四中全会精神",     # ordinals
    "每季度召开专题会议不少于一次",                   # a frequency
    "每年打造1-2个市级示范村",
    "村社区党组织书记年度累计参加培训不少于4天",
    "全年集中学法不少于4次",
    "部署开展人民调解工作规范提升三年行动",           # a campaign's name
    "2019年5月28日",                                   # a date, not a limit
    "于2021年6月30日召开推进会",                       # an event's date
    "2021年是建党100周年",                              # a year as a subject
    "2020年的工作重点",
    "比2018年增长10%",
    "2019年以来,已排查化解矛盾纠纷951起",
    "每年国庆节前开展安全检查",                         # every year: a frequency
    "2021年春节前完成",                                  # a moving holiday: no date to give, and 2021年 alone is none
    "国庆期间加强巡逻防控",
])
def test_not_deadlines(text):
    assert find_deadlines(text) == []


@pytest.mark.parametrize("text, quoted", [
    ("完成时限:长期坚持", "长期坚持"),
    ("开展扫黑除恶专项斗争(持续推进)", "持续推进"),
])
def test_ongoing_only_in_time_fields(text, quoted):
    found = find_ongoing(text)
    assert [f.text for f in found] == [quoted]
    assert resolve(found[0], 2020).kind == "ongoing"


def test_ongoing_words_in_prose_are_no_deadline():
    assert find_ongoing("党内政治生活各项制度常态化、规范化、长效化") == []


def test_several_deadlines_in_one_line_keep_their_order():
    texts = [d.text for d in find_deadlines("2019年底前各县建成队伍,2019年底前市、县两级实现全覆盖,2020年实现全覆盖")]
    assert texts == ["2019年底前", "2019年底前", "2020年"]


# --- the pre-checks that spare compiling and running a pattern on most lines ---------------
# find_deadlines runs a pattern on a line only when a cheap str test finds there something
# the pattern cannot match without.  That must stay a necessary condition whatever the
# patterns and the lexicon become: a line the pre-check turns away has no match.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from govparse import lexicon  # noqa: E402
from govparse.extract import deadlines as _dl  # noqa: E402


def _pieces() -> list[str]:
    d = lexicon.load("deadlines")
    words = [w for key in ("before", "keep_prefix", "duration_prefix", "ongoing") for w in d.get(key, [])]
    return words + ["2019", "2021", "111", "民国", "民國", "6", "15", "30", "一", "六", "十二", "两", "半", "三",
                    "年", "月", "日", "份", "底", "末", "内", "之内", "上旬", "中旬", "下旬", "上半年", "季度", "第",
                    "今年", "明年", "于", "在", "到", "至", "-", "—", "~", "～", "个", "时间", "左右", "完成",
                    "建成", " ", "\u3000", "，", "。", "《", "》", "的", "工作", "国庆节", "元旦", "五一", "春节",
                    "每年", "次年", "起", "即日", "自"]


_ALWAYS = {name: (lambda t: True) for name in _dl._NEEDS}


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_pieces()), max_size=14), st.booleans())
def test_prechecks_never_change_what_is_found(pieces, roc):
    text = "".join(pieces)
    found = [vars(r) for r in find_deadlines(text, roc)]
    saved = dict(_dl._NEEDS)
    _dl._NEEDS.update(_ALWAYS)  # every pattern run on every line
    try:
        unfiltered = [vars(r) for r in find_deadlines(text, roc)]
    finally:
        _dl._NEEDS.update(saved)
    assert found == unfiltered, text
