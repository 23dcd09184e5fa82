"""`govparse check`: the plan linter.

On the clean samples the checker must make exactly the findings listed in
``ACCEPTED`` (each one reviewed by hand: a real slip of the drafter, or a
leftover of an anonymized template) and nothing else.  Planted faults, made at
test time from the sample texts, must each be reported with the right code on
the right line.
"""
from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli
from typer.testing import CliRunner

from govparse import lexicon
from govparse.check import SEVERITIES, Finding, check_path, failed, group_members, persons_in_unit_lists, placeholders
from govparse.cli import app
from govparse.normalize import Line

BAODING = SAMPLES / "baoding-city-fengqiao-experience.txt"
JINZHONG = SAMPLES / "jinzhong-city-sanzhi-sanling-traditional.txt"
CITY = SAMPLES / "anon-city-civil-affairs-social-governance.txt"
TOWN = SAMPLES / "anon-town-three-governance-integration.txt"
ZHANGWU = SAMPLES / "zhangwu-county-five-threes-report.txt"

# Every finding the checker makes on the clean samples: (line, code, measure).
# Reviewed one by one; the reason is beside each group.
ACCEPTED = {
    CITY.name: [
        # the anonymized template still has its placeholders (平安xx, x市委政法委员会, xxx%)
        (1, "placeholder", None),
        (3, "placeholder", None),
        (5, "placeholder", None),
        (17, "placeholder", "四.(二).2"),
        (22, "placeholder", "四.(三).2"),
        (27, "placeholder", "四.(四).4"),
        (30, "placeholder", "四.(四).5.(2)"),
        (32, "placeholder", "四.(四).6.(1)"),
        (33, "placeholder", "四.(四).6.(2)"),
        (36, "placeholder", "四.(五).1"),
        # tasks (四、工作任务) that name no unit at all to lead them
        (13, "no-lead-unit", "四.(一).1"),
        (14, "no-lead-unit", "四.(一).2"),
        (21, "no-lead-unit", "四.(三).1"),
        (22, "no-lead-unit", "四.(三).2"),
        (24, "no-lead-unit", "四.(四).1"),
        (25, "no-lead-unit", "四.(四).2"),
        (26, "no-lead-unit", "四.(四).3"),
        (29, "no-lead-unit", "四.(四).5.(1)"),
        (30, "no-lead-unit", "四.(四).5.(2)"),
        (32, "no-lead-unit", "四.(四).6.(1)"),
        (33, "no-lead-unit", "四.(四).6.(2)"),
        (34, "no-lead-unit", "四.(四).6.(3)"),
        # targets with no time limit anywhere in their task
        (17, "target-no-deadline", "四.(二).2"),  # 每个村(社区)设立一个警务室
        (17, "target-no-deadline", "四.(二).2"),  # xxx%覆盖
        (27, "target-no-deadline", "四.(四).4"),
        (33, "target-no-deadline", "四.(四).6.(2)"),
        # "年内" with no year anywhere in the plan
        (30, "unresolved-deadline", "四.(四).5.(2)"),
        # "3坚持扫黑除恶常态", "5充分发挥社会组织作用", "2积极推进一证通办": no 、 or . after the number
        (18, "numbering-no-separator", "四.(二).3"),
        (28, "numbering-no-separator", None),
        (37, "numbering-no-separator", "四.(五).2"),
    ],
    TOWN.name: [
        # "和谐"X奠定", "成立X镇", "具有X特色", "1.X镇"三治融合"…创建标准"
        (6, "placeholder", None),
        (43, "placeholder", "四.(一)"),
        (45, "placeholder", "四.(三)"),
        (47, "placeholder", None),
        (18, "target-no-deadline", "二.(一).2"),  # 每村至少设立3-5个党员示范岗
        (34, "target-no-deadline", "二.(四).1"),  # 宪法宣传达标率达100
        (34, "target-no-deadline", "二.(四).1"),  # 农村室外阵地面积不少于300平方米
        # 第三阶段 starts 2019-10-01, 第二阶段 runs to 10月底
        (41, "phase-overlap", None),
        # 派出所 is a 成员单位 of the leading group and leads no task
        (43, "group-member-leads-nothing", None),
    ],
    BAODING.name: [
        # 一、总体要求 is followed by 三、基本原则
        (9, "numbering-skip", None),
        # 四、主要任务 (一)-(五): the main text names no lead (the attached list does)
        (17, "no-lead-unit", "四.(一)"),
        (18, "no-lead-unit", "四.(二)"),
        (19, "no-lead-unit", "四.(三)"),
        (20, "no-lead-unit", "四.(四)"),
        (21, "no-lead-unit", "四.(五)"),
        # "15." among 1、 … 16、
        (46, "numbering-mixed-separator", "附件.15"),
        # 各县、市、区党委/政府 in item 16, 各县市区党委/政府 everywhere else
        (47, "unit-spelling", "附件.16"),
        (47, "unit-spelling", "附件.16"),
    ],
    JINZHONG.name: [
        # 2.開展“三零”企事業單位創建達標活動。 has no 牽頭單位 line
        (107, "no-lead-unit", "工作措施.(二).2"),
    ],
    ZHANGWU.name: [
        # "今年完成的142项任务" in a report with no date
        (7, "unresolved-deadline", "一.三是"),
    ],
}


def findings_of(path) -> list[Finding]:
    return [f for _, fs in check_path(path) for f in fs]


def ordered(items) -> list[tuple]:
    return sorted(items, key=lambda k: (k[0] or 0, k[1], k[2] or ""))


def keys(findings) -> list[tuple]:
    return ordered((f.line, f.code, f.measure) for f in findings)


def variant(tmp_path: Path, sample: Path, edits: dict[int, tuple[str, str]], name: str | None = None) -> Path:
    """A copy of ``sample`` with ``old`` replaced by ``new`` on the given (1-based) lines."""
    lines = sample.read_text(encoding="utf-8").split("\n")
    for number, (old, new) in edits.items():
        assert old in lines[number - 1], (number, old, lines[number - 1][:60])
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    out = tmp_path / (name or sample.name)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def codes_at(findings, line: int) -> set[str]:
    return {f.code for f in findings if f.line == line}


# ---------------------------------------------------------------------------------------------
# clean samples: exactly the accepted findings


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_clean_samples_make_exactly_the_accepted_findings(name):
    got = findings_of(SAMPLES / name)
    assert keys(got) == ordered(ACCEPTED[name])


def test_every_sample_is_listed():
    assert sorted(p.name for p in SAMPLES.glob("*.txt")) == sorted(ACCEPTED)


def test_severities_of_the_accepted_findings():
    got = findings_of(BAODING)
    sev = {f.code: f.severity for f in got}
    assert sev["no-lead-unit"] == "error"
    assert sev["numbering-skip"] == sev["numbering-mixed-separator"] == sev["unit-spelling"] == "warning"
    town = {f.code: f.severity for f in findings_of(TOWN)}
    assert town["group-member-leads-nothing"] == "info"
    assert town["placeholder"] == "error"


def test_messages_quote_the_document():
    got = findings_of(CITY)
    sep = [f for f in got if f.code == "numbering-no-separator" and f.line == 18][0]
    assert "“3”" in sep.message and "3." in sep.message
    ph = [f for f in got if f.code == "placeholder" and f.line == 1][0]
    assert "“xx”" in ph.message and "“x市”" in ph.message
    spell = [f for f in findings_of(BAODING) if f.code == "unit-spelling"]
    assert {"各县、市、区党委" in f.message and "各县市区党委" in f.message for f in spell} >= {True}
    assert all("第32行" in f.message for f in spell)


# ---------------------------------------------------------------------------------------------
# planted faults


def test_removed_lead_unit(tmp_path):
    # 工作措施 (一) 1.: its 牽頭單位 line goes, its 配合單位 stay
    path = variant(tmp_path, JINZHONG, {69: ("牽頭單位:市委組織部", "")})
    got = findings_of(path)
    assert "no-lead-unit" in codes_at(got, 61)
    f = [f for f in got if f.line == 61][0]
    assert f.severity == "error" and f.measure == "工作措施.(一).1"
    assert keys(got) == ordered(ACCEPTED[JINZHONG.name] + [(61, "no-lead-unit", "工作措施.(一).1")])


def test_removed_lead_label_in_baoding_list(tmp_path):
    # the whole (牵头单位:…;责任单位:…) of list item 3 goes
    path = variant(tmp_path, BAODING, {34: ("(牵头单位:市人民检察院;责任单位:各县市区党委、政府,各县市区人民检察院)", "")})
    got = findings_of(path)
    assert (34, "no-lead-unit", "附件.3") in keys(got)


def test_placeholder_percent(tmp_path):
    path = variant(tmp_path, BAODING, {33: ("覆盖率达到90%", "覆盖率达到xx%")})
    got = findings_of(path)
    f = [f for f in got if f.code == "placeholder"]
    assert [(x.line, x.severity, x.measure) for x in f] == [(33, "error", "附件.2")]
    assert "xx%" in f[0].message


@pytest.mark.parametrize("text", ["X市", "XX县", "××镇", "某某单位", "xxx"])
def test_other_placeholders(tmp_path, text):
    path = variant(tmp_path, BAODING, {25: ("积极开展", f"{text}积极开展")})
    assert "placeholder" in codes_at(findings_of(path), 25)


def test_skipped_number(tmp_path):
    # 3、推进派驻检察室建设 becomes 4、: 3 is missing, 4 is there twice
    path = variant(tmp_path, BAODING, {34: ("3、推进派驻", "4、推进派驻")})
    got = findings_of(path)
    skip = [f for f in got if f.code == "numbering-skip" and f.line == 34]
    assert skip and "3" in skip[0].message
    assert "numbering-repeat" in codes_at(got, 35)


def test_skipped_number_traditional(tmp_path):
    path = variant(tmp_path, JINZHONG, {123: ("3.開展", "4.開展")})
    got = findings_of(path)
    assert "numbering-skip" in codes_at(got, 123)
    assert "numbering-repeat" in codes_at(got, 129)


def test_deadline_before_issue_date(tmp_path):
    path = variant(tmp_path, BAODING, {34: ("研究出台检察工作", "2018年底前研究出台检察工作")})
    got = findings_of(path)
    f = [f for f in got if f.code == "deadline-before-issue"]
    assert [(x.line, x.severity, x.measure) for x in f] == [(34, "error", "附件.3")]
    assert "2018-12-31" in f[0].message and "2019-05-28" in f[0].message


def test_unit_in_two_spellings(tmp_path):
    path = variant(tmp_path, BAODING, {45: ("市发展改革委", "市发改委")})
    got = [f for f in findings_of(path) if f.code == "unit-spelling" and f.line == 45]
    assert len(got) == 1 and "市发改委" in got[0].message and "市发展改革委" in got[0].message


def test_person_in_unit_list(tmp_path):
    path = variant(tmp_path, BAODING, {40: ("责任单位:市人大", "责任单位:市司法局局长王建国、市人大")})
    got = findings_of(path)
    f = [f for f in got if f.code == "person-in-unit-list"]
    assert [(x.line, x.severity) for x in f] == [(40, "warning")]
    assert "王建国" in f[0].message


def test_posts_alone_are_not_persons():
    lines = [Line("(牵头单位:镇党委书记;责任单位:县长助理、市公安局)", 1)]
    assert persons_in_unit_lists(lines) == []
    assert persons_in_unit_lists([Line("牵头单位:镇党委书记华学会", 2)]) == [("镇党委书记华学会", 2)]


def test_bracket_marks(tmp_path):
    path = variant(tmp_path, BAODING, {25: ("积极开展", "【单位名称】积极开展")})
    got = [f for f in findings_of(path) if f.code == "bracket-mark"]
    assert [(f.line, f.severity) for f in got] == [(25, "warning")]
    # 【牵头单位:…】 is a way of writing a list, not a leftover
    path = variant(tmp_path, BAODING, {34: ("(牵头单位:市人民检察院;", "【牵头单位:市人民检察院】(")},
                   name="b2.txt")
    assert not [f for f in findings_of(path) if f.code == "bracket-mark"]


def test_phase_gap(tmp_path):
    path = variant(tmp_path, TOWN, {40: ("2019年7月1日至10月底", "2019年7月1日至9月10日")})
    got = findings_of(path)
    gap = [f for f in got if f.code == "phase-gap"]
    assert [(f.line, f.severity) for f in gap] == [(41, "warning")]
    assert "20" in gap[0].message  # 9月11日 .. 9月30日: 20 days
    assert "phase-overlap" not in codes_at(got, 41)


def test_missing_separator_and_mixed(tmp_path):
    path = variant(tmp_path, BAODING, {36: ("5、深化", "5深化"), 37: ("6、", "6.")})
    got = findings_of(path)
    assert "numbering-no-separator" in codes_at(got, 36)
    assert "numbering-mixed-separator" in codes_at(got, 37)


def test_unresolved_deadline_without_date(tmp_path):
    # without the 落款 date the plan has no year: "6月底前" cannot resolve
    path = variant(tmp_path, BAODING, {28: ("2019年5月28日", "")})
    text = path.read_text(encoding="utf-8").replace("2019", "今年").replace("2020", "明年")
    path.write_text(text, encoding="utf-8")
    got = findings_of(path)
    assert "unresolved-deadline" in codes_at(got, 37)


def test_group_members_are_read_only_from_explicit_lists():
    lines = [Line("成立领导小组,成员由镇党委其他班子成员组成,镇党政办、派出所为成员单位。", 5),
             Line("成员单位:县公安局、县民政局。", 6),
             Line("对各成员单位进行督导检查", 7)]
    assert group_members(lines) == [("镇党政办", 5), ("派出所", 5), ("县公安局", 6), ("县民政局", 6)]


def test_placeholder_words():
    assert placeholders("建设平安xx、法制xx") == ["xx"]
    assert placeholders("根据《x市委政法委员会") == ["x市"]
    assert placeholders("达到xxx%覆盖,××县、某某镇") == ["xxx%", "××县", "某某镇"]
    # Latin words, X-rays and quantities are no placeholders
    assert placeholders("推进5G、App和X光机建设,3x3篮球,WiFi") == []


# ---------------------------------------------------------------------------------------------
# the message data


def test_every_code_has_severity_and_both_languages_with_the_same_fields():
    data = lexicon.load("check_messages")
    fmt = string.Formatter()
    for code, spec in data.items():
        assert spec["severity"] in SEVERITIES, code
        fields = [{f for _, f, _, _ in fmt.parse(spec[lang]) if f} for lang in ("zh", "en")]
        assert fields[0] == fields[1], code


def test_english_messages(tmp_path):
    got = [f for _, fs in check_path(BAODING, lang="en") for f in fs]
    msgs = {f.code: f.message for f in got}
    assert msgs["no-lead-unit"].startswith("task ") and "names no lead unit" in msgs["no-lead-unit"]
    assert keys(got) == ordered(ACCEPTED[BAODING.name])


# ---------------------------------------------------------------------------------------------
# structured input


def test_yaml_of_extract_is_checked_against_its_source(tmp_path):
    out = run_cli("extract", str(BAODING))
    assert out.returncode == 0
    y = tmp_path / "b.yaml"
    y.write_bytes(out.stdout)
    assert keys(findings_of(y)) == ordered(ACCEPTED[BAODING.name])


def test_yaml_without_its_source_checks_the_task_texts(tmp_path):
    src = variant(tmp_path, BAODING, {33: ("覆盖率达到90%", "覆盖率达到xx%")}, name="gone.txt")
    out = run_cli("extract", str(src))
    y = tmp_path / "gone.yaml"
    y.write_bytes(out.stdout)
    src.unlink()
    got = findings_of(y)
    assert "source-text-unavailable" in {f.code for f in got}
    assert (33, "placeholder", "附件.2") in keys(got)
    assert (9, "numbering-skip", None) in keys(got)  # the section tree is in the YAML


# ---------------------------------------------------------------------------------------------
# the command


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_json_output_and_exit_code_one_for_errors():
    r = invoke("check", BAODING, "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert set(data) == {"findings"}
    f = data["findings"][0]
    assert set(f) == {"plan", "line", "severity", "code", "message", "measure"}
    assert ordered((x["line"], x["code"], x["measure"]) for x in data["findings"]) == ordered(ACCEPTED[BAODING.name])


def test_exit_codes_warnings_and_strict(tmp_path):
    # zhangwu has one warning only: clean without --strict, failing with it
    assert invoke("check", ZHANGWU).exit_code == 0
    assert invoke("check", ZHANGWU, "--strict").exit_code == 1


def test_clean_plan_exits_zero_and_says_so(tmp_path):
    plan = tmp_path / "ok.txt"
    plan.write_text("某市工作方案\n一、主要任务\n1.推进工作。2030年底前完成。(牵头单位:市委政法委)\n"
                    "2.开展排查。(牵头单位:市公安局)\n", encoding="utf-8")
    r = invoke("check", plan, "--strict")
    assert r.exit_code == 0, r.stdout
    assert "0 个错误" in r.stdout
    r = invoke("check", plan, "--lang", "en", "-f", "json")
    assert json.loads(r.stdout) == {"findings": []}


def test_table_output_in_a_real_process():
    r = run_cli("check", str(CITY), str(JINZHONG))
    assert r.returncode == 1
    text = r.stdout.decode("utf-8")
    assert "numbering-no-separator" in text and "jinzhong" in text
    assert "错误" in text


def test_usage_errors_and_bad_input(tmp_path):
    r = run_cli("check", str(BAODING), "--format", "xml")
    assert r.returncode == 2 and r.stderr.decode().startswith("govparse: error: --format")
    r = run_cli("check", str(BAODING), "--lang", "fr")
    assert r.returncode == 2
    r = run_cli("check", str(tmp_path / "missing.txt"))
    assert r.returncode == 1 and r.stderr.decode().startswith("govparse: error:")
    assert len(r.stderr.decode().strip().splitlines()) == 1


def test_failed():
    w = Finding("p", 1, "warning", "phase-gap", "m")
    e = Finding("p", 1, "error", "placeholder", "m")
    i = Finding("p", 1, "info", "target-no-deadline", "m")
    assert not failed([w, i]) and failed([w], strict=True) and failed([e]) and not failed([i], strict=True)


def test_numbering_that_continues_across_sections_is_no_skip():
    from govparse import parse_text
    from govparse.check import check_plan

    text = ("一、主要任务\n(一)健全体系\n1.加强建设。(牵头单位:市委组织部)\n2.完善组织。(牵头单位:市民政局)\n"
            "(二)增强能力\n3.提升服务。(牵头单位:市民政局)\n4.推进执法。(牵头单位:市司法局)\n")
    codes = [f.code for f in check_plan(parse_text(text))]
    assert "numbering-skip" not in codes
    skipped = text.replace("3.提升服务", "5.提升服务")
    assert "numbering-skip" in [f.code for f in check_plan(parse_text(skipped))]
