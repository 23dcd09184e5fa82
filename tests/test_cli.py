"""The command line as a user meets it: real processes, real files, exact messages."""
from __future__ import annotations

import io
import json
import zipfile

import yaml
from conftest import SAMPLES, run_cli

SAMPLE = SAMPLES / "baoding-city-fengqiao-experience.txt"


def _error_line(proc) -> str:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    return lines[0]


def test_version_and_help():
    v = run_cli("--version")
    assert v.returncode == 0 and v.stdout.decode().startswith("govparse ")
    h = run_cli("--help")
    assert h.returncode == 0
    text = h.stdout.decode()
    for command in ("extract", "show"):
        assert command in text


def test_extract_prints_yaml_that_parses_back():
    proc = run_cli("extract", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    data = yaml.safe_load(proc.stdout)
    assert data["schema"] == "govparse/1"
    assert data["document"]["region"] == "保定市"
    assert any(m["heading"] == "推进县、乡综治中心建设" for m in data["measures"])


def test_extract_json_pipes_to_a_json_reader():
    proc = run_cli("extract", str(SAMPLE), "--format", "json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert data["source"]["encoding"] == "utf-8"
    assert data["measures"][0]["lines"] == [17, 17]


def test_extract_reads_standard_input():
    proc = run_cli("extract", "-", input=SAMPLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(proc.stdout)["source"]["path"] == "-"


def _bad_inputs(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "random.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "report.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    (tmp_path / "sheet.txt").write_bytes(buf.getvalue())
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    (tmp_path / "latin.txt").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x80, 0xA0]) * 300)
    return {
        "missing.txt": "no such file",
        "folder": "is a directory",
        "empty.txt": "empty file",
        "random.txt": "binary",
        "report.txt": "PDF",
        "sheet.txt": "binary",
        "broken.docx": "not a valid .docx",
        "latin.txt": "decode",
    }


def test_each_bad_input_gives_one_line_and_exit_1(tmp_path):
    for name, reason in _bad_inputs(tmp_path).items():
        path = tmp_path / name
        proc = run_cli("extract", str(path), timeout=30)
        assert proc.returncode == 1, (name, proc.stderr)
        line = _error_line(proc)
        assert line.startswith(f"govparse: error: {path}: "), line
        assert reason.lower() in line.lower(), (name, line)
        assert proc.stdout == b""


def test_a_bad_file_does_not_stop_the_others(tmp_path):
    bad = _bad_inputs(tmp_path)
    out = tmp_path / "out"
    args = [str(SAMPLE)] + [str(tmp_path / n) for n in bad] + [str(SAMPLES / "zhangwu-county-five-threes-report.txt")]
    proc = run_cli("extract", *args, "--out-dir", str(out), "--jobs", "2", timeout=120)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "Traceback" not in err and err.count("govparse: error:") == len(bad)
    assert sorted(p.name for p in out.iterdir()) == ["baoding-city-fengqiao-experience.yaml",
                                                      "zhangwu-county-five-threes-report.yaml"]


def test_one_line_of_three_megabytes_is_read_quickly(tmp_path):
    big = tmp_path / "oneline.txt"
    big.write_bytes(("推进综治中心建设,覆盖率达到90%以上,2019年底前完成(牵头单位:市委政法委)" * 80000)[:1_000_000].encode())
    proc = run_cli("extract", str(big), "--format", "json", timeout=60)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert json.loads(proc.stdout)["schema"] == "govparse/1"


def test_out_dir_names_come_from_the_base_name_and_never_replace_an_input(tmp_path):
    src = tmp_path / "plan.yaml.txt"
    src.write_bytes(SAMPLE.read_bytes())
    # the output folder is the input's own folder: plan.yaml.txt -> plan.yaml.yaml, input untouched
    proc = run_cli("extract", str(src), "--out-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert src.read_bytes() == SAMPLE.read_bytes()
    assert (tmp_path / "plan.yaml.yaml").exists()
    # an input whose output name would be itself is refused, and left as it was
    same = tmp_path / "plan.yaml"
    same.write_bytes(SAMPLE.read_bytes())
    proc = run_cli("extract", str(same), "--out-dir", str(tmp_path))
    assert proc.returncode == 1
    assert "refusing to overwrite an input" in _error_line(proc)
    assert same.read_bytes() == SAMPLE.read_bytes()


def test_two_inputs_with_one_base_name_get_two_outputs(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "plan.txt").write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    proc = run_cli("extract", str(tmp_path / "a" / "plan.txt"), str(tmp_path / "b" / "plan.txt"), "--out-dir", str(out))
    assert proc.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["plan-2.yaml", "plan.yaml"]


def test_usage_errors_exit_2():
    assert run_cli("extract").returncode == 2
    assert run_cli("extract", str(SAMPLE), "--format", "xml").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_show_prints_the_tree():
    proc = run_cli("show", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "推进县、乡综治中心建设" in out and "市委政法委" in out


def test_show_lists_measures_outside_any_heading(tmp_path):
    plan = tmp_path / "list.txt"
    plan.write_text("某县2022年基层治理重点工作任务清单\n| 序号 | 工作任务 | 牵头单位 | 责任单位 | 完成时间 |\n"
                    "| 1 | 推进乡镇综治中心规范化建设 | 县委政法委 | 各乡镇 | 2022年6月底前 |\n", encoding="utf-8")
    proc = run_cli("show", str(plan))
    out = proc.stdout.decode()
    assert proc.returncode == 0 and "推进乡镇综治中心规范化建设" in out and "县委政法委" in out and "2022-06-30" in out


def test_parallel_extract_equals_serial(tmp_path):
    files = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
    one, two = tmp_path / "serial", tmp_path / "parallel"
    assert run_cli("extract", *files, "--out-dir", str(one), "--jobs", "1", timeout=120).returncode == 0
    assert run_cli("extract", *files, "--out-dir", str(two), "--jobs", "2", timeout=120).returncode == 0
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == len(files)
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_every_command_has_help_and_is_in_the_readme():
    import typing

    from govparse.cli import app

    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    names, checked = [], []
    for info in app.registered_commands:
        name = info.name or info.callback.__name__
        names.append(name)
        assert (info.callback.__doc__ or "").strip(), f"{name} has no help text"
        assert f"`{name} " in readme or f"govparse {name}" in readme, f"{name} is missing from README"
        hints = typing.get_type_hints(info.callback, include_extras=True)
        for pname, hint in hints.items():
            for m in getattr(hint, "__metadata__", ()):
                assert getattr(m, "help", None), f"{name}: option {pname} has no help"
                checked.append((name, pname))
    assert {"extract", "show", "export", "query", "units", "check", "report", "diff", "compare", "index",
            "stats"} <= set(names)
    assert len(checked) > 40  # the options really were looked at


def test_a_named_command_runs_alone_and_anything_else_gets_the_whole_app():
    """main() hands typer only the command being run (start-up cost); help, --version and a
    misspelt command still see every command."""
    from govparse.cli import _app_for, app

    for info in app.registered_commands:
        name = info.callback.__name__
        one = _app_for([name, "x"])
        assert [i.callback for i in one.registered_commands] == [info.callback]
        assert one.registered_callback is app.registered_callback  # --version still works
    assert len(app.registered_commands) >= 11  # the shared app was not narrowed
    for argv in ([], ["--help"], ["--version"], ["extrac"], ["plan.txt"]):
        assert _app_for(argv) is app
    proc = run_cli("extrac", "plan.txt")
    assert proc.returncode == 2 and b"extract" in proc.stderr  # "Did you mean 'extract'?"
    proc = run_cli("--help")
    assert all(c.encode() in proc.stdout for c in ("extract", "export", "compare", "stats"))


def test_importing_the_cli_changes_nothing_process_wide():
    """Only the console entry point (govparse.entry) tunes the GC; a program that imports
    the CLI or the library keeps the interpreter's settings."""
    import subprocess
    import sys

    code = "import gc; d = gc.get_threshold(); import govparse.cli, govparse.build; print(gc.get_threshold() == d)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "True"
    from govparse.entry import GC_THRESHOLD

    assert GC_THRESHOLD > 700
