"""Hostile documents: nothing a plan file contains may run, leak or escape its output folder.

A folder of attacks is made at test time and run through extract, export
(csv/xlsx/ics), report and diff; each attack is neutralized and asserted, and no
file appears outside the output folder.
"""
from __future__ import annotations

import csv
import io
import os
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, run_cli

HOSTILE_PLAN = """关于推进基层治理的实施方案
一、主要任务
1.=HYPERLINK("http://evil.example/x","点击")推进综治中心建设。2019年底前完成。(牵头单位:市委政法委;配合单位:@SUM(A1:A2)、市公安局)
2.<script>alert(1)</script>完善调解机制<img src=x onerror=alert(2)>,<a href="javascript:alert(3)">详情</a>。2020年6月底前完成。(牵头单位:市司法局)
3.-2+3加强督导;检查,通报\\转办。2020年底前完成。(牵头单位:+市信访局)
2019年5月28日
"""


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def _error_line(proc) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture()
def attack(tmp_path):
    box = tmp_path / "box"
    box.mkdir()
    (box / "plan.txt").write_text(HOSTILE_PLAN, encoding="utf-8")
    return box


def test_extract_keeps_attacks_as_text(attack):
    proc = run_cli("extract", str(attack / "plan.txt"))
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(proc.stdout)
    headings = [m["heading"] for m in data["measures"]]
    assert headings[0].startswith('=HYPERLINK("http://evil.example/x","点击")')
    assert "<script>alert(1)</script>" in headings[1]


def test_csv_and_xlsx_cells_cannot_run_formulas(attack):
    out = attack / "out"
    out.mkdir()
    before = _tree(attack.parent)
    proc = run_cli("export", str(attack / "plan.txt"), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    cells = [c for row in rows for c in row]
    for c in cells:
        assert not c.startswith(("=", "+", "-", "@", "\t", "\r")), c
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert any("'@SUM(A1:A2)" in c for c in cells)
    proc = run_cli("export", str(attack / "plan.txt"), "-o", str(out / "list.xlsx"))
    assert proc.returncode == 0, proc.stderr
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(out / "list.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    assert _tree(attack.parent) - before == {"box/out/list.xlsx"}


def test_ics_text_cannot_inject_properties(attack, tmp_path):
    # a crafted extract YAML may carry line breaks that no text line can
    proc = run_cli("extract", str(attack / "plan.txt"))
    data = yaml.safe_load(proc.stdout)
    data["measures"][0]["heading"] = "任务\r\nATTENDEE:mailto:evil@example.com\r\nBEGIN:VALARM"
    crafted = tmp_path / "crafted.yaml"
    crafted.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = run_cli("export", str(crafted), "--format", "ics", "-o", str(tmp_path / "d.ics"))
    assert proc.returncode == 0, proc.stderr
    ics = (tmp_path / "d.ics").read_bytes().decode("utf-8")
    lines = ics.split("\r\n")
    assert not any(ln.startswith(("ATTENDEE", "BEGIN:VALARM")) for ln in lines)
    assert "ATTENDEE:mailto" in ics.replace("\r\n ", "")  # kept, as escaped text inside SUMMARY
    icalendar = pytest.importorskip("icalendar")
    cal = icalendar.Calendar.from_ical(ics)
    assert all("ATTENDEE" not in ev for ev in cal.walk("VEVENT"))


class _Tags(HTMLParser):
    """Collects the page's real tags and attributes, and its text."""

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("command", [["report"], ["diff", "SAMPLE", "--format", "html"]])
def test_html_pages_show_attacks_as_text(attack, tmp_path, command):
    args = [c if c != "SAMPLE" else str(SAMPLES / "baoding-city-fengqiao-experience.txt") for c in command]
    args.insert(1, str(attack / "plan.txt"))
    out = tmp_path / "page.html"
    proc = run_cli(*args, "-o", str(out))
    assert proc.returncode in (0, 1), proc.stderr   # report may list findings (exit 1), never crash
    assert "Traceback" not in proc.stderr.decode()
    page = out.read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(page)
    # no element that runs or loads anything, no event handler, no javascript: link
    assert not set(parsed.tags) & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for name, value in parsed.attrs:
        assert not name.lower().startswith("on"), (name, value)
        assert not (value or "").strip().lower().startswith(("javascript:", "http:", "https:", "data:text")), value
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text   # shown as text
    assert 'http-equiv="Content-Security-Policy"' in page or "http-equiv='Content-Security-Policy'" in page


def test_zip_bomb_docx_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(400):
                f.write(chunk)
    proc = run_cli("extract", str(bomb), timeout=30)
    assert proc.returncode == 1
    assert "zip bomb" in _error_line(proc) or "expands" in _error_line(proc)


def test_yaml_with_python_tags_is_rejected_and_nothing_runs(tmp_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'schema: govparse/1\nsource: !!python/object/apply:os.system ["touch {marker}"]\n',
                    encoding="utf-8")
    proc = run_cli("export", str(evil), "--format", "csv")
    assert proc.returncode == 1
    assert str(evil) in _error_line(proc)
    assert not marker.exists()


def test_billion_laughs_yaml_is_refused(tmp_path):
    lol = ["schema: govparse/1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lol.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lol) + "\n", encoding="utf-8")
    proc = run_cli("export", str(path), "--format", "csv", timeout=30)
    assert proc.returncode == 1
    _error_line(proc)


def test_output_names_cannot_escape_the_out_dir(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = ["..evil.txt", "a\x1b[31mred.txt", " space .txt", "计划;rm -rf.txt"]
    for n in names:
        (src / n).write_bytes((SAMPLES / "zhangwu-county-five-threes-report.txt").read_bytes())
    out = tmp_path / "out"
    before = _tree(tmp_path)
    proc = run_cli("extract", *[str(src / n) for n in names], "--out-dir", str(out))
    assert proc.returncode == 0, proc.stderr
    written = _tree(tmp_path) - before
    assert all(w.startswith("out/") or w == "out" for w in written), written
    for p in out.iterdir():
        assert not any(ord(c) < 32 for c in p.name) and "/" not in p.name and not p.name.startswith(".")


def test_a_symlink_in_the_out_dir_is_not_followed(tmp_path):
    victim = tmp_path / "victim.yaml"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "zhangwu-county-five-threes-report.yaml")
    proc = run_cli("extract", str(SAMPLES / "zhangwu-county-five-threes-report.txt"), "--out-dir", str(out))
    assert proc.returncode == 1
    assert "refusing to write outside" in _error_line(proc)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_per_file_time_budget_and_size_limit(tmp_path):
    many = tmp_path / "headings.txt"
    many.write_text("\n".join(f"{i % 9 + 1}.推进工作{i}。" for i in range(60_000)), encoding="utf-8")
    ok = SAMPLES / "zhangwu-county-five-threes-report.txt"
    out = tmp_path / "out"
    proc = run_cli("extract", str(many), str(ok), "--timeout", "0.3", "--out-dir", str(out), "--jobs", "1")
    assert proc.returncode == 1
    assert "took longer than 0.3 s" in _error_line(proc)
    assert [p.name for p in out.iterdir()] == ["zhangwu-county-five-threes-report.yaml"]
    proc = run_cli("extract", str(many), "--max-size", "1")
    assert proc.returncode == 1 and "larger than the 1 MB limit" in _error_line(proc)


def test_an_alarm_swallowed_inside_the_block_still_fails_the_file():
    """The budget's exception may be raised where Python drops it (a finalizer, a GC
    callback) or be caught by a broad except: the file is still over its budget."""
    import time

    from govparse.limits import OverBudget, time_budget

    started = time.perf_counter()
    with pytest.raises(OverBudget, match="0.05 s"):
        with time_budget(0.05):
            try:
                time.sleep(1)  # the alarm interrupts this
            except Exception:
                pass  # swallowed
    assert time.perf_counter() - started < 0.9
    with time_budget(5):  # a block within its budget is left alone
        pass


def test_input_files_know_an_input_however_it_is_spelled_or_linked(tmp_path):
    import os

    from govparse.output import InputFiles

    plan = tmp_path / "plan.txt"
    plan.write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    os.link(plan, tmp_path / "hard.txt")
    (tmp_path / "soft.txt").symlink_to(plan)
    inputs = InputFiles([str(tmp_path / "sub" / ".." / "plan.txt"), "-"])
    for same in ("plan.txt", "hard.txt", "soft.txt", "sub/../plan.txt"):
        assert inputs.holds(tmp_path / same), same
    (tmp_path / "other.txt").write_text("y", encoding="utf-8")
    assert not inputs.holds(tmp_path / "other.txt")
    assert not inputs.holds(tmp_path / "missing.yaml")
