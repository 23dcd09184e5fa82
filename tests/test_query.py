"""`govparse query` and `govparse units`, and the filters of govparse.responsibility.

Checked on the real samples (each unit's list in `export --by unit` is what `query --unit`
finds for it) and on a small plan written here whose answers are known.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import yaml
from conftest import ROOT, run_cli
from typer.testing import CliRunner

from govparse.build import parse_text
from govparse.cli import app
from govparse.responsibility import filter_measures, measure_rows, unit_counts, unit_rows

BAODING = ROOT / "samples" / "baoding-city-fengqiao-experience.txt"
JINZHONG = ROOT / "samples" / "jinzhong-city-sanzhi-sanling-traditional.txt"
TOWN = ROOT / "samples" / "anon-town-three-governance-integration.txt"

COUNTY_PLAN = """某县推进平安建设工作实施方案

一、主要任务
1.开展矛盾纠纷排查。2019年底前完成。(牵头单位:县公安局;配合单位:县司法局)
2.建设综治中心。2019年6月底前完成,该项工作已完成。(牵头单位:县司法局)
3.推进法治宣传。2030年底前完成,覆盖率达到90%以上。(牵头单位:县委宣传部;配合单位:市公安局)
4.加强监督检查。(配合单位:县财政局)
"""


def invoke(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def query_json(*args) -> list[dict]:
    result = invoke("query", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["measures"]


def keys(measures: list[dict]) -> list[tuple[str, str]]:
    """(出处, 任务) of measures in query JSON."""
    out = []
    for m in measures:
        name = m["plan"].replace("\\", "/").rsplit("/", 1)[-1]
        a, b = min(m["lines"]), max(m["lines"])
        out.append((f"{name}:{a}" if a == b else f"{name}:{a}-{b}", m["heading"]))
    return out


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    path = tmp_path_factory.mktemp("county") / "county.txt"
    path.write_text(COUNTY_PLAN, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def county_plan():
    return parse_text(COUNTY_PLAN, "county.txt")


def headings(matches) -> list[str]:
    return [m.heading for _, m in matches]


# ---------------------------------------------------------------------------------------------
# each unit's list == query --unit


@pytest.mark.parametrize("sample, unit", [
    (BAODING, "公安局"), (BAODING, "市委政法委"), (BAODING, "市司法局"),
    (JINZHONG, "市委政法委"), (JINZHONG, "市公安局"), (TOWN, "镇维稳办"), (TOWN, "各村"),
])
def test_unit_rows_are_what_query_unit_finds(sample, unit):
    from govparse.canon import unit_matches

    data = CliRunner().invoke(app, ["export", str(sample), "--by", "unit"]).stdout_bytes
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    mine = [r for r in rows if unit_matches(unit, r["单位"])]
    assert mine, unit
    found = keys(query_json(sample, "--unit", unit))
    assert {(r["出处"], r["任务"]) for r in mine} == set(found)
    for role, word in (("lead", "牵头"), ("support", "配合")):
        assert {(r["出处"], r["任务"]) for r in mine if r["角色"] == word} == \
            set(keys(query_json(sample, "--unit", unit, "--role", role)))


def test_query_unit_finds_every_measure_naming_the_unit(sample_plans):
    plans = list(sample_plans.values())
    found = filter_measures(plans, unit="公安局")
    expected = [(p, m) for p in plans for m in p.measures if any("公安局" in u.name for u in m.units)]
    assert {id(m) for _, m in expected} <= {id(m) for _, m in found}
    assert len(expected) >= 15  # 市公安局 in baoding and jinzhong, 公安部门 is not 公安局
    assert all(any("公安" in u.name for u in m.units) for _, m in found)


def test_unit_rows_are_sorted_by_unit_then_deadline(sample_plans):
    from govparse.canon import canonical

    plans = list(sample_plans.values())
    headers, rows = unit_rows(plans)
    assert headers == ["来源", "单位", "角色", "任务", "完成时限", "目标", "出处"]
    sort_keys = [(canonical(r[1]), r[1], r[4] is None, r[4] or dt.date.max) for r in rows]
    assert sort_keys == sorted(sort_keys)
    pairs = sum(len({(u.name, u.role == "lead") for u in m.units}) for p in plans for m in p.measures)
    assert len(rows) == pairs


# ---------------------------------------------------------------------------------------------
# the filters, one at a time and together


def test_role_without_unit(county_plan):
    assert headings(filter_measures([county_plan], role="support")) == ["开展矛盾纠纷排查", "推进法治宣传", "加强监督检查"]
    assert headings(filter_measures([county_plan], role="lead")) == ["开展矛盾纠纷排查", "建设综治中心", "推进法治宣传"]


def test_unit_with_role(county_plan):
    assert headings(filter_measures([county_plan], unit="公安局")) == ["开展矛盾纠纷排查", "推进法治宣传"]
    assert headings(filter_measures([county_plan], unit="公安局", role="lead")) == ["开展矛盾纠纷排查"]
    assert headings(filter_measures([county_plan], unit="公安局", role="support")) == ["推进法治宣传"]


def test_due_dates_are_inclusive(county_plan):
    assert headings(filter_measures([county_plan], due_before="2019-12-31")) == ["开展矛盾纠纷排查", "建设综治中心"]
    assert headings(filter_measures([county_plan], due_before="2019-12-30")) == ["建设综治中心"]
    assert headings(filter_measures([county_plan], due_after="2019-12-31")) == ["开展矛盾纠纷排查", "推进法治宣传"]
    assert headings(filter_measures([county_plan], due_after=dt.date(2020, 1, 1),
                                    due_before=dt.date(2031, 1, 1))) == ["推进法治宣传"]


def test_overdue_skips_measures_said_to_be_done(county_plan):
    # 建设综治中心 is due 2019-06-30 but says 已完成
    assert headings(filter_measures([county_plan], overdue=True, today=dt.date(2025, 1, 1))) == ["开展矛盾纠纷排查"]
    assert headings(filter_measures([county_plan], overdue=True, today=dt.date(2019, 12, 31))) == []
    assert headings(filter_measures([county_plan], overdue=True, today=dt.date(2031, 1, 1))) == \
        ["开展矛盾纠纷排查", "推进法治宣传"]


def test_text_target_section_and_no_lead(county_plan, sample_plans):
    assert headings(filter_measures([county_plan], text="综治")) == ["建设综治中心"]
    assert headings(filter_measures([county_plan], has_target=True)) == ["推进法治宣传"]
    assert headings(filter_measures([county_plan], no_lead=True)) == ["加强监督检查"]
    assert headings(filter_measures([county_plan], section="safeguards")) == []
    baoding = sample_plans[BAODING.name]
    attachment = filter_measures([baoding], section="attachment")
    assert len(attachment) == 16 and all(m.kind == "attachment" for _, m in attachment)
    # the traditional sample is simplified in the plan; a traditional query finds it too
    jinzhong = sample_plans[JINZHONG.name]
    trad = filter_measures([jinzhong], text="網格")
    assert trad and headings(trad) == headings(filter_measures([jinzhong], text="网格"))


def test_filters_combine_with_and(sample_plans):
    plans = list(sample_plans.values())
    both = filter_measures(plans, unit="市委政法委", role="lead", has_target=True, section="attachment")
    assert both and all("市委政法委" in m.leads and m.targets and m.kind == "attachment" for _, m in both)
    lead_ids = {id(m) for _, m in filter_measures(plans, unit="市委政法委", role="lead")}
    target_ids = {id(m) for _, m in filter_measures(plans, has_target=True)}
    assert {id(m) for _, m in both} == {id(m) for _, m in filter_measures(plans, section="attachment")} \
        & lead_ids & target_ids


# ---------------------------------------------------------------------------------------------
# the command


def test_query_json_is_the_plan_measures_with_their_plan(county, county_plan):
    measures = query_json(county, "--unit", "公安局")
    full = {m["id"]: m for m in county_plan.to_dict()["measures"]}
    assert [m["heading"] for m in measures] == ["开展矛盾纠纷排查", "推进法治宣传"]
    for m in measures:
        assert m["plan"] == str(county)
        assert {k: v for k, v in m.items() if k != "plan"} == full[m["id"]]


def test_query_default_is_json_when_not_a_terminal(county):
    result = invoke("query", county, "--no-lead")
    assert result.exit_code == 0
    assert [m["heading"] for m in json.loads(result.stdout)["measures"]] == ["加强监督检查"]


def test_query_yaml_and_csv(county, county_plan):
    result = invoke("query", county, "--has-target", "--format", "yaml")
    assert [m["heading"] for m in yaml.safe_load(result.stdout)["measures"]] == ["推进法治宣传"]
    result = invoke("query", county, "--overdue", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert [r["任务"] for r in rows] == ["开展矛盾纠纷排查"]  # overdue today; the other one is done
    headers, expected = measure_rows([county_plan])
    assert list(rows[0]) == headers and rows[0]["序号"] == "1" and rows[0]["完成时限"] == "2019-12-31"
    assert list(rows[0].values()) == ["" if v is None else str(v) for v in expected[0]]


def test_query_table_for_people(county):
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        app, ["query", str(county), "--format", "table", "--text", "宣传"])
    assert result.exit_code == 0, result.stderr
    assert "推进法治宣传" in result.stdout and "2030-12-31" in result.stdout and "1 measures" in result.stdout
    assert "建设综治中心" not in result.stdout


def test_query_reads_extracted_yaml(tmp_path):
    proc = run_cli("extract", str(BAODING), "--out-dir", str(tmp_path))
    assert proc.returncode == 0
    plan_yaml = tmp_path / f"{BAODING.stem}.yaml"
    assert keys(query_json(plan_yaml, "--unit", "公安局")) == keys(query_json(BAODING, "--unit", "公安局"))


# ---------------------------------------------------------------------------------------------
# units


def test_units_counts_and_order(sample_plans):
    plans = list(sample_plans.values())
    counts = unit_counts(plans)
    order = [(-c["lead"], -c["support"], c["unit"]) for c in counts]
    assert order == sorted(order)
    for c in counts[:10]:
        assert c["lead"] == sum(c["unit"] in m.leads for p in plans for m in p.measures)
        assert c["support"] == sum(c["unit"] in m.supports for p in plans for m in p.measures)
    names = {u.name for p in plans for m in p.measures for u in m.units}
    assert {c["unit"] for c in counts} == names
    assert counts[0]["unit"] == "市委政法委"


def test_units_command_formats(county):
    result = invoke("units", county)
    assert result.exit_code == 0
    units = json.loads(result.stdout)["units"]
    assert [u["unit"] for u in units] == ["县司法局", "县公安局", "县委宣传部", "县财政局", "市公安局"]
    assert units[0] == {"unit": "县司法局", "canonical": units[0]["canonical"], "lead": 1, "support": 1}
    rows = list(csv.reader(io.StringIO(invoke("units", county, "-f", "csv").stdout_bytes.decode("utf-8-sig"))))
    assert rows[0] == ["单位", "规范名称", "牵头", "配合"] and rows[2][0] == "县公安局" and rows[2][2:] == ["1", "0"]
    table = invoke("units", county, "-f", "table")
    assert table.exit_code == 0 and "县财政局" in table.stdout


def test_aliases_file(county, tmp_path):
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("公安机关: [县公安局, 市公安局]\n", encoding="utf-8")
    units = json.loads(invoke("units", county, "--aliases", aliases).stdout)["units"]
    assert {u["unit"]: u["canonical"] for u in units}["市公安局"] == "公安机关"
    assert {u["unit"]: u["canonical"] for u in units}["县公安局"] == "公安机关"
    found = query_json(county, "--unit", "公安机关", "--aliases", aliases)
    assert [m["heading"] for m in found] == ["开展矛盾纠纷排查", "推进法治宣传"]


# ---------------------------------------------------------------------------------------------
# errors


def assert_one_line_error(result, code: int, *words: str):
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("govparse: error: ") and result.stderr.count("\n") == 1, result.stderr
    for w in words:
        assert w in result.stderr


@pytest.mark.parametrize("date", ["2019-13-01", "2019/12/31", "yesterday", "2019-1-1"])
def test_malformed_dates_are_usage_errors(county, date):
    assert_one_line_error(invoke("query", county, "--due-before", date), 2, "--due-before", date)
    assert_one_line_error(invoke("query", county, "--due-after", date), 2, "--due-after", date)


def test_bad_options_are_usage_errors(county):
    assert_one_line_error(invoke("query", county, "--role", "owner"), 2, "--role", "owner")
    assert_one_line_error(invoke("query", county, "--format", "xml"), 2, "--format", "xml")
    assert_one_line_error(invoke("units", county, "--format", "md"), 2, "--format", "md")


def test_bad_inputs_are_data_errors(county, tmp_path):
    assert_one_line_error(invoke("query", tmp_path / "none.yaml"), 1, "none.yaml", "no such file")
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("- just\n- a list\n", encoding="utf-8")
    assert_one_line_error(invoke("units", county, "--aliases", aliases), 1, "aliases.yaml")
    not_plan = tmp_path / "other.json"
    not_plan.write_text('{"rows": []}', encoding="utf-8")
    assert_one_line_error(invoke("query", not_plan), 1, f"{not_plan}: not a govparse plan (no 'schema: govparse/1')")


def test_errors_in_a_real_process(county):
    proc = run_cli("query", str(county), "--due-before", "31.12.2019")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert proc.stderr.decode() == "govparse: error: --due-before: '31.12.2019' is not a date (use YYYY-MM-DD)\n"
