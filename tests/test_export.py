"""`govparse export`: the responsibility list as CSV, XLSX, JSON and Markdown.

Everything is checked on the real samples: the export carries exactly the units that
parse_file found, the human gold assignments are in it, XLSX holds the same rows as
CSV, YAML written by `extract` exports like its source, and no cell can run as a
spreadsheet formula.
"""
from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import re

import openpyxl
import pytest
import yaml
from conftest import ROOT, SAMPLE_FILES, SAMPLE_GOLD, SHARED, run_cli
from typer.testing import CliRunner

from govparse.cli import app
from govparse.planio import MAX_YAML_ALIASES
from govparse.responsibility import MEASURE_HEADERS, leads, measure_rows, supports
from govparse.writers.table import sheet_titles, text_width, write_csv, write_markdown

BAODING = ROOT / "samples" / "baoding-city-fengqiao-experience.txt"
JINZHONG = ROOT / "samples" / "jinzhong-city-sanzhi-sanling-traditional.txt"
TOWN = ROOT / "samples" / "anon-town-three-governance-integration.txt"
BOM = b"\xef\xbb\xbf"
ZH = MEASURE_HEADERS["zh"]

EVIL_PLAN = """某市推进基层治理工作实施方案

一、主要任务
1.=HYPERLINK("http://x","点击")推进工作。(牵头单位:市委政法委)
2.@SUM(1+1)开展排查。2019年底前完成。(牵头单位:市公安局;配合单位:-市司法局)
3.+加强宣传|引导工作。(牵头单位:市委宣传部)
"""


# ---------------------------------------------------------------------------------------------
# helpers


def invoke(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def export_bytes(*args) -> bytes:
    result = invoke("export", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def read_csv(data: bytes, encoding: str = "utf-8-sig") -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def split_units(cell: str) -> list[str]:
    """Split a 牵头单位/配合单位 cell on 、 but not inside brackets: 各县(区、市)党委 is one unit."""
    out, depth, cur = [], 0, ""
    for ch in cell:
        depth += ch in "(（[【"
        depth -= ch in ")）]】"
        if ch == "、" and depth <= 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [u for u in out + [cur] if u]


def xlsx_rows(ws) -> list[list[str]]:
    """Cell values as text; a date as ISO; an empty cell as ''."""
    rows = []
    for row in ws.iter_rows(values_only=True):
        rows.append(["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime)
                     else v.isoformat() if isinstance(v, dt.date) else str(v) for v in row])
    return rows


def gold_score_module():
    spec = importlib.util.spec_from_file_location("gold_score", SHARED / "gold" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def evil(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_text(EVIL_PLAN, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# the export carries exactly what was extracted


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_csv_carries_exactly_the_extracted_units(sample, sample_plans):
    plan = sample_plans[sample.name]
    rows = read_csv(export_bytes(sample, "--format", "csv"))
    assert len(rows) == len(plan.measures)
    for row, m in zip(rows, plan.measures):
        assert row["任务"] == m.heading
        assert row["章节"] == " / ".join(m.section)
        assert row["牵头单位"] == "、".join(leads(m))
        assert row["配合单位"] == "、".join(supports(m))
        # as sets (a name that itself holds 、, like 各县、市、区党委, splits the same on both sides)
        for cell, role in ((row["牵头单位"], True), (row["配合单位"], False)):
            names = {u.name for u in m.units if (u.role == "lead") == role}
            assert set(split_units(cell)) == {part for n in names for part in split_units(n)}
        first, last = min(m.lines), max(m.lines)
        assert row["出处"] == f"{sample.name}:{first}" + ("" if first == last else f"-{last}")


@pytest.mark.parametrize("sample", [JINZHONG, BAODING, TOWN], ids=lambda p: p.stem)
def test_gold_assignments_are_in_the_csv(sample, shared, sample_plans):
    score = gold_score_module()
    gold = yaml.safe_load((shared / "gold" / f"{SAMPLE_GOLD[sample.name]}.yaml").read_text("utf-8"))
    plan = sample_plans[sample.name]
    rows = read_csv(export_bytes(sample))
    assert gold["assignments"]
    for g in gold["assignments"]:
        anchor = score.norm(g["anchor"])
        candidates = [r for r in rows if anchor in score.norm(r["任务"])
                      or anchor in score.norm(plan.measures[int(r["序号"]) - 1].number) + score.norm(r["任务"])]
        assert candidates, f"no row for {g['anchor']}"
        wanted = score.gold_units(g.get("lead"))
        assert any(all(alts & {score.norm_unit(u) for u in split_units(r["牵头单位"])} for alts in wanted)
                   for r in candidates), f"{g['anchor']}: lead {g.get('lead')} not in {[r['牵头单位'] for r in candidates]}"


def test_deadline_target_and_source_cells(sample_plans):
    rows = read_csv(export_bytes(BAODING))
    by_task = {r["任务"]: r for r in rows}
    court = by_task["推进“一乡(镇)一法庭”建设"]
    assert court["完成时限"] == "2020-12-31"  # the latest of 2019年 and 2020年
    assert court["时限原文"] == "2019年、2020年"
    assert court["目标"] == "“一乡一法庭”覆盖率 >= 90%"
    assert court["出处"] == "baoding-city-fengqiao-experience.txt:33"
    assert court["序号"] == str(next(i for i, m in enumerate(sample_plans[BAODING.name].measures, 1)
                                     if m.heading == court["任务"]))
    assert by_task["强化综治基础建设"]["完成时限"] == ""


def test_english_headers():
    rows = read_csv(export_bytes(BAODING, "--lang", "en"))
    assert list(rows[0]) == ["No", "Section", "Task", "Lead", "Support", "Deadline", "Deadline text",
                             "Targets", "Source"]
    rows = read_csv(export_bytes(BAODING, "--lang", "en", "--by", "unit"))
    assert list(rows[0]) == ["Unit", "Role", "Task", "Deadline", "Targets", "Source"]
    assert {r["Role"] for r in rows} == {"lead", "support"}


# ---------------------------------------------------------------------------------------------
# CSV bytes


def test_csv_is_excel_friendly_utf8_with_bom_and_crlf():
    data = export_bytes(BAODING)
    assert data.startswith(BOM)
    assert data.count(b"\r\n") >= 26 and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ZH and len(rows) == 26
    assert all(len(r) == len(ZH) for r in rows)


def test_no_bom_and_gb18030():
    plain = export_bytes(BAODING, "--no-bom")
    assert not plain.startswith(BOM) and BOM + plain == export_bytes(BAODING)
    gb = export_bytes(BAODING, "--encoding", "gb18030")
    assert not gb.startswith(BOM)
    assert gb.decode("gb18030") == plain.decode("utf-8")


def test_write_csv_quotes_minimally():
    data = write_csv(["a", "b"], [["x,y", 'say "hi"'], [1, dt.date(2020, 1, 2)], ["多\n行", None]], bom=False)
    assert data == b'a,b\r\n"x,y","say ""hi"""\r\n1,2020-01-02\r\n"\xe5\xa4\x9a\n\xe8\xa1\x8c",\r\n'


# ---------------------------------------------------------------------------------------------
# XLSX


@pytest.mark.parametrize("by", ["measure", "unit"])
def test_xlsx_has_the_csv_rows_with_real_dates(by, tmp_path):
    out = tmp_path / "list.xlsx"
    result = invoke("export", BAODING, "--by", by, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    wb = openpyxl.load_workbook(out)
    assert len(wb.sheetnames) == 1
    ws = wb.active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert all(c.font.bold for c in ws[1])
    csv_rows = list(csv.reader(io.StringIO(export_bytes(BAODING, "--by", by).decode("utf-8-sig"), newline="")))
    assert xlsx_rows(ws) == csv_rows
    due = csv_rows[0].index("完成时限")
    dates = [r[due].value for r in ws.iter_rows(min_row=2) if r[due].value is not None]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)
    assert all(r[due].number_format == "yyyy-mm-dd" for r in ws.iter_rows(min_row=2) if r[due].value)
    task = ws.cell(1, csv_rows[0].index("任务") + 1).column_letter
    assert ws[f"{task}2"].alignment.wrap_text
    assert 10 < ws.column_dimensions[task].width <= 62


def test_xlsx_of_several_plans_has_a_combined_sheet_first(tmp_path, sample_plans):
    out = tmp_path / "all.xlsx"
    result = invoke("export", *SAMPLE_FILES, BAODING, "-o", out)  # format from the suffix
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "全部" and len(wb.sheetnames) == len(SAMPLE_FILES) + 2
    assert all(len(t) <= 31 and not re.search(r"[\[\]:*?/\\]", t) for t in wb.sheetnames)
    assert len({t.lower() for t in wb.sheetnames}) == len(wb.sheetnames)
    combined = xlsx_rows(wb["全部"])
    assert combined[0] == ["来源"] + ZH
    total = sum(len(p.measures) for p in sample_plans.values()) + len(sample_plans[BAODING.name].measures)
    assert len(combined) == total + 1
    assert {r[0] for r in combined[1:]} == {p.name for p in SAMPLE_FILES}
    # each plan's own sheet is that plan's table
    single = xlsx_rows(wb[wb.sheetnames[1]])
    assert single[0] == ZH and single[1:] == [r[1:] for r in combined[1:] if r[0] == SAMPLE_FILES[0].name]
    assert wb["全部"].freeze_panes == "A2" and wb["全部"].auto_filter.ref


def test_csv_of_several_plans_has_a_source_column():
    rows = read_csv(export_bytes(BAODING, TOWN))
    assert list(rows[0])[0] == "来源"
    assert [r["来源"] for r in rows] == [BAODING.name] * 25 + [TOWN.name] * 24


def test_sheet_titles_are_safe_and_unique():
    titles = sheet_titles(["a[1]:b*c?d/e\\f", "x" * 40, "x" * 40, "X" * 40, "", "'q'"])
    assert titles[0] == "a_1__b_c_d_e_f"
    assert titles[1] == "x" * 31 and titles[2] == "x" * 29 + "-2" and titles[3] == "X" * 29 + "-3"
    assert titles[4] == "Sheet" and titles[5] == "q"


def test_text_width_counts_cjk_twice():
    assert text_width("市委政法委") == 10 and text_width("ab1") == 3 and text_width("（") == 2


# ---------------------------------------------------------------------------------------------
# formula injection


def test_csv_cells_never_start_a_formula(evil):
    rows = read_csv(export_bytes(evil))
    assert rows[0]["任务"] == "'=HYPERLINK(\"http://x\",\"点击\")推进工作"
    assert rows[1]["任务"] == "'@SUM(1+1)开展排查"
    assert rows[1]["配合单位"] == "'-市司法局"
    assert rows[2]["任务"] == "'+加强宣传|引导工作"
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_xlsx_cells_are_strings_not_formulas(evil, tmp_path):
    out = tmp_path / "evil.xlsx"
    assert invoke("export", evil, "-f", "xlsx", "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out).active
    cell = ws["C2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK(")
    for row in ws.iter_rows(min_row=2):
        for c in row:
            if isinstance(c.value, str):
                assert c.data_type == "s" and not c.value.startswith(("=", "+", "-", "@"))
    assert isinstance(ws["F3"].value, dt.datetime) and ws["F3"].data_type == "d"  # dates stay dates


def test_markdown_and_json_keep_text_and_escape_pipes(evil):
    md = export_bytes(evil, "-f", "md").decode("utf-8")
    lines = md.splitlines()
    assert lines[0] == "| " + " | ".join(ZH) + " |"
    assert "=HYPERLINK(\"http://x\",\"点击\")推进工作" in lines[2]
    assert "+加强宣传\\|引导工作" in lines[4]
    assert write_markdown(["a"], [["x\ny|z"]]).splitlines()[2] == "| x<br>y\\|z |"
    rows = json.loads(export_bytes(evil, "-f", "json"))["rows"]
    assert rows[0]["任务"].startswith("=HYPERLINK") and rows[1]["完成时限"] == "2019-12-31"
    assert rows[0]["完成时限"] is None and rows[0]["序号"] == 1


# ---------------------------------------------------------------------------------------------
# a YAML/JSON plan exports like its source


def test_extract_yaml_then_export_equals_export_of_the_text(tmp_path):
    proc = run_cli("extract", str(JINZHONG), str(BAODING), "--out-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for src in (JINZHONG, BAODING):
        assert export_bytes(tmp_path / f"{src.stem}.yaml") == export_bytes(src)
        assert export_bytes(tmp_path / f"{src.stem}.yaml", "--by", "unit") == export_bytes(src, "--by", "unit")


def test_json_of_several_plans_is_read_whole(tmp_path):
    result = invoke("extract", BAODING, TOWN, "--format", "json")
    path = tmp_path / "two.json"
    path.write_text(result.stdout, encoding="utf-8")
    assert export_bytes(path) == export_bytes(BAODING, TOWN)


# ---------------------------------------------------------------------------------------------
# bad input: one line on stderr, the right exit code, nothing written


def assert_one_line_error(result, code: int, *words: str):
    assert result.exit_code == code, (result.stdout, result.stderr)
    err = result.stderr
    assert "Traceback" not in err
    assert err.startswith("govparse: error: ") and err.count("\n") == 1, err
    for w in words:
        assert w in err


def test_unknown_format_is_a_usage_error():
    assert_one_line_error(invoke("export", BAODING, "--format", "xml"), 2, "--format", "xml")
    assert_one_line_error(invoke("export", BAODING, "--by", "bureau"), 2, "--by")
    assert_one_line_error(invoke("export", BAODING, "--encoding", "latin-1"), 2, "--encoding")


def test_xlsx_needs_an_output_file():
    assert_one_line_error(invoke("export", BAODING, "--format", "xlsx"), 2, "--format xlsx needs -o FILE")


def test_yaml_that_is_not_a_plan(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("name: 不是方案\nitems: [1, 2]\n", encoding="utf-8")
    assert_one_line_error(invoke("export", path), 1,
                          f"{path}: not a govparse plan (no 'schema: govparse/1')")
    broken = tmp_path / "broken.yml"
    broken.write_text("schema: govparse/1\nmeasures: [\n", encoding="utf-8")
    assert_one_line_error(invoke("export", broken), 1, str(broken), "not valid YAML")
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "govparse/1", "measures": []}', encoding="utf-8")
    assert_one_line_error(invoke("export", bad), 1, str(bad), "malformed govparse plan")


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ["schema: govparse/1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert_one_line_error(invoke("export", path), 1, str(path), f"more than {MAX_YAML_ALIASES} YAML aliases")


def test_huge_yaml_is_refused(tmp_path, monkeypatch):
    import govparse.planio

    monkeypatch.setattr(govparse.planio, "MAX_PLAN_FILE_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("schema: govparse/1\n" + "#" * 2000 + "\n", encoding="utf-8")
    assert_one_line_error(invoke("export", path), 1, str(path), "too large")


def test_output_over_an_input_is_refused(tmp_path):
    proc = run_cli("extract", str(BAODING), "--out-dir", str(tmp_path))
    assert proc.returncode == 0
    plan = tmp_path / f"{BAODING.stem}.yaml"
    before = plan.read_bytes()
    proc = run_cli("export", str(plan), str(BAODING), "-o", str(plan))
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err and err.count("\n") == 1
    assert err == f"govparse: error: {plan}: refusing to overwrite an input file\n"
    assert plan.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".govparse-")]


def test_missing_input_and_errors_in_a_real_process(tmp_path):
    proc = run_cli("export", str(tmp_path / "nope.txt"))
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert proc.stderr.decode() == f"govparse: error: {tmp_path / 'nope.txt'}: no such file\n"
    proc = run_cli("export", str(BAODING), "--format", "xlsx")
    assert proc.returncode == 2 and proc.stderr == b"govparse: error: --format xlsx needs -o FILE\n"
    assert proc.stdout == b""


def test_export_writes_atomically_to_a_file(tmp_path):
    out = tmp_path / "list.csv"
    assert invoke("export", BAODING, "-o", out).exit_code == 0
    assert out.read_bytes() == export_bytes(BAODING)
    md = tmp_path / "list.md"
    assert invoke("export", BAODING, "-o", md).exit_code == 0  # format from the suffix
    assert md.read_text("utf-8").startswith("| 序号 |")


def test_rows_in_memory_match_the_cli(sample_plans):
    headers, rows = measure_rows([sample_plans[BAODING.name]])
    assert headers == ZH
    assert write_csv(headers, rows) == export_bytes(BAODING)


def test_new_commands_have_help_for_every_option():
    import typer.main

    group = typer.main.get_command(app)
    for name in ("export", "query", "units"):
        command = group.commands[name]
        assert command.help, name
        assert all(getattr(p, "help", None) for p in command.params), name
        assert invoke(name, "--help").exit_code == 0
    assert all(n in invoke("--help").stdout for n in ("export", "query", "units"))
