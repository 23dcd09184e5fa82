"""Document metadata: places and levels, dates, titles."""
from __future__ import annotations

import pytest

from govparse.extract.meta import find_place, find_title, is_date_line, parse_date, vote_level
from govparse.normalize import Line


@pytest.mark.parametrize("text, place", [
    ("保定市莲池区人民政府办公室", ("莲池区", "县")),         # the issuer is the last place of a chain
    ("中共保定市委办公室", ("保定市", "市")),
    ("河北省保定市清苑区委政法委", ("清苑区", "县")),
    ("晋中市深入开展“三治三零”创建", ("晋中市", "市")),
    ("彰武县实施“五个三”工程", ("彰武县", "县")),
    ("晋中市城区社区治理实施方案", ("晋中市", "市")),
    ("广西壮族自治区南宁市人民政府", ("南宁市", "市")),
    ("清苑县东闾乡人民政府", ("东闾乡", "镇")),
    ("关于坚持发展新时代“枫桥经验”的实施意见", None),
    ("全市深入推进市域社会治理现代化", None),
])
def test_find_place(text, place):
    assert find_place(text) == place


@pytest.mark.parametrize("text, date", [
    ("2019年5月28日", "2019-05-28"), ("二〇一九年五月二十八日", "2019-05-28"), ("2021-03-08", "2021-03-08"),
    ("2019年13月1日", None),
])
def test_parse_date(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text, ok", [
    ("2019年5月28日", True), ("(2019年5月28日)", True), ("2021年4月2日印发", True),
    ("二〇一九年五月二十八日", True), ("2019年5月28日召开动员会", False), ("2019年底前", False),
])
def test_date_lines(text, ok):
    assert is_date_line(text) is ok


def _lines(*texts):
    return [Line(t, i) for i, t in enumerate(texts, 1)]


def test_formal_title_wins_over_a_web_title():
    head = _lines("坚持发展新时代“枫桥经验”全面提升基层社会治理水平的实施意见", "中共保定市委办公室",
                  "关于坚持发展新时代“枫桥经验”全面提升基层社会治理水平的实施意见")
    assert find_title(head) == ("关于坚持发展新时代“枫桥经验”全面提升基层社会治理水平的实施意见", 3)


def test_title_of_a_notice_is_the_plan_it_issues():
    head = _lines("关于印发《清苑县2020年社会治理重点任务分工方案》的通知", "各乡镇人民政府:",
                  "清苑县2020年社会治理重点任务分工方案")
    assert find_title(head)[0] == "清苑县2020年社会治理重点任务分工方案"


def test_a_sentence_is_no_title():
    assert find_title(_lines("为积极推动我市市域社会治理现代化试点工作,制定本方案。")) == (None, None)


@pytest.mark.parametrize("text, level", [("全镇村规民约修订率达到100%,镇党委、镇政府决定", "镇"),
                                         ("我市各部门要认真落实,全市统一部署", "市"), ("无", None)])
def test_vote_level(text, level):
    assert vote_level(text) == level


def test_offices_and_date_on_one_signature_line():
    from govparse import parse_text

    plan = parse_text("XX县平安建设实施方案\n一、主要任务\n1.推进综治中心建设,年底前完成。(牵头单位:县委政法委)\n"
                      "清苑县人民政府办公室      2021年3月8日印发\n")
    d = plan.document
    assert (d.date, d.base_year, d.issuers) == ("2021-03-08", 2021, ["清苑县人民政府办公室"])
    assert plan.measures[0].lines == [3, 3]          # the signature is no part of the last measure
    assert is_date_line("清苑县人民政府办公室\t2021年3月8日印发")
