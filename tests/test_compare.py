"""`govparse compare` and govparse.compare.compare_digests: many plans at once.

A folder of the 5 samples plus 3 county variants of the Baoding plan, each with
edits of its own (measures dropped, 市 bureaus renamed, numbers changed, a measure
of another plan inserted, measures shuffled): each variant's nearest neighbour must
be Baoding with a high share, unrelated samples must come out unrelated.
"""
from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil

import pytest
from conftest import SAMPLE_FILES, SAMPLES, run_cli
from typer.testing import CliRunner

from govparse.build import parse_file
from govparse.cli import app
from govparse.compare import all_pairs, collect_paths, compare_digests, compare_files, digest_plan

BAODING = SAMPLES / "baoding-city-fengqiao-experience.txt"
JINZHONG = SAMPLES / "jinzhong-city-sanzhi-sanling-traditional.txt"


_ITEM = re.compile(r"^(\d{1,2})[、.]")


def _items(lines: list[str]) -> list[int]:
    """Indexes of the lines of Baoding's 责任清单 (1、… 16、) after 附件."""
    start = lines.index("附件:")
    return [i for i, ln in enumerate(lines) if i > start and _ITEM.match(ln)]


def variant(seed: int, drop: list[int]) -> str:
    """A county version of Baoding: attachment items ``drop`` (1-based) left out, the rest
    shuffled and renumbered, 市 bureaus renamed, some numbers changed; seed 2 also takes a
    measure of Jinzhong in."""
    rng = random.Random(seed)
    plan = parse_file(BAODING)
    lines = BAODING.read_text(encoding="utf-8").split("\n")
    idx = _items(lines)
    assert len(idx) == 16
    items = [_ITEM.sub("", lines[i]) for k, i in enumerate(idx) if k + 1 not in drop]
    rng.shuffle(items)
    if seed == 2:
        items.insert(3, "开展“平安利剑”专项行动。严厉打击各类违法犯罪活动。(牵头单位:市公安局;责任单位:市委政法委)")
    items = [f"{k}、{t}" for k, t in enumerate(items, 1)]
    lines[idx[0]:idx[-1] + 1] = items
    text = "\n".join(lines)
    names = {u.name for m in plan.measures for u in m.units if u.name.startswith("市")}
    for old in sorted(names, key=len, reverse=True):
        text = text.replace(old, "县" + old[1:].replace("依法治市", "依法治县"))
    text = text.replace("保定市", f"某{seed}县").replace("覆盖率达到90%", f"覆盖率达到{90 + seed}%")
    return text


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("plans")
    for p in SAMPLE_FILES:
        shutil.copy(p, root / p.name)
    sub = root / "counties"
    sub.mkdir()
    for seed, drop in ((1, [3, 7]), (2, [10]), (3, [5, 12, 14])):
        (sub / f"variant-{seed}.txt").write_text(variant(seed, drop), encoding="utf-8")
    (root / ".hidden.txt").write_text("not a plan", encoding="utf-8")
    (root / "notes.md").write_text("not a plan either", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def result(folder):
    res, errors = compare_files([str(folder)], jobs=1)
    assert errors == []
    return res


def invoke(*args):
    """The CLI in this process (one jieba load for all tests); --jobs 1 unless given."""
    args = [str(a) for a in args]
    if args[0] == "compare" and "--jobs" not in args:
        args += ["--jobs", "1"]
    return CliRunner().invoke(app, args)


def _index(res: dict) -> dict[str, int]:
    return {p["path"].replace("\\", "/").rsplit("/", 1)[-1]: p["index"] for p in res["plans"]}


def test_folder_walk_finds_the_plans(folder):
    paths, errors = collect_paths([str(folder)])
    names = [p.replace("\\", "/").rsplit("/", 1)[-1] for p in paths]
    assert errors == []
    assert sorted(names) == sorted([p.name for p in SAMPLE_FILES] + ["variant-1.txt", "variant-2.txt",
                                                                       "variant-3.txt"])


def test_each_variant_is_nearest_to_its_source(result):
    idx = _index(result)
    b = idx[BAODING.name]
    for seed in (1, 2, 3):
        p = result["plans"][idx[f"variant-{seed}.txt"]]
        near = p["nearest"]
        assert near["plan"] == b, (seed, near)
        assert near["similarity"] >= 0.85
        assert near["found_share"] >= 0.95  # the variant's measures are Baoding's (seed 2: one more)
        assert near["found_share_reverse"] >= 0.85  # Baoding's are in the variant but those dropped
        assert near["verbatim_share"] >= 0.9
    # Baoding itself has a variant as nearest neighbour
    assert result["plans"][b]["nearest"]["plan"] in {idx[f"variant-{s}.txt"] for s in (1, 2, 3)}


def test_unrelated_samples_are_not_similar(result):
    idx = _index(result)
    samples = [idx[p.name] for p in SAMPLE_FILES]
    for i in samples:
        for j in samples:
            if i != j:
                assert result["matrix"][i][j] < 0.1, (i, j)
                assert result["verbatim"][i][j] < 0.1, (i, j)
    for i in samples:
        assert result["matrix"][i][i] == 1.0


def test_matrix_is_symmetric_and_pairs_agree(result):
    n = len(result["plans"])
    m = result["matrix"]
    assert all(m[i][j] == m[j][i] for i in range(n) for j in range(n))
    pairs = list(all_pairs(result))
    assert len(pairs) == n * (n - 1) // 2
    top = result["pairs"][0]
    assert top["similarity"] == max(p["similarity"] for p in pairs)
    assert {top["a"], top["b"]} <= {p["index"] for p in result["plans"]
                                     if "variant" in p["path"] or "baoding" in p["path"]}


def test_common_core_and_unique_measures(result):
    idx = _index(result)
    family = {idx[BAODING.name]} | {idx[f"variant-{s}.txt"] for s in (1, 2, 3)}
    everywhere = [c for c in result["common"] if c["plans"] == 4]
    # Baoding's 25 measures less the 3+1+3 dropped items, each in one variant only
    assert len(everywhere) >= 25 - 7 - 1
    jinzhong, v2 = idx[JINZHONG.name], idx["variant-2.txt"]
    for c in result["common"]:
        plans = {m["plan"] for m in c["members"]}
        assert c["plans"] == len(plans)
        if c["heading"] == "开展“平安利剑”专项行动":
            assert plans == {jinzhong, v2}  # the measure variant 2 took from Jinzhong is found there
        else:
            assert plans <= family, c["heading"]
    assert [c["plans"] for c in result["common"]] == sorted((c["plans"] for c in result["common"]), reverse=True)
    # the other samples share nothing but that: all their other measures are unique
    for p in SAMPLE_FILES:
        if p != BAODING:
            plan = result["plans"][idx[p.name]]
            assert plan["unique_measures"] == plan["measures"] - (p == JINZHONG), p.name
    assert result["plans"][v2]["unique_measures"] == 0
    assert result["found"][v2][jinzhong] == round(1 / result["plans"][v2]["measures"], 3)
    unique = {(u["plan"], u["heading"]) for u in result["unique"]}
    assert (jinzhong, "开展“平安利剑”专项行动") not in unique and (jinzhong, "严格督导考核") in unique


def test_digest_of_a_plan_compares_like_the_file(result):
    digests = [digest_plan(parse_file(BAODING)), digest_plan(parse_file(BAODING))]
    res = compare_digests(digests)
    assert res["matrix"][0][1] == 1.0 and res["verbatim"][0][1] == 1.0
    assert res["plans"][0]["unique_measures"] == 0


def test_cli_json_and_csv(folder):
    proc = run_cli("compare", str(folder), "--format", "json", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""  # no progress bar when stderr is not a terminal
    res = json.loads(proc.stdout)
    assert len(res["plans"]) == 8 and len(res["matrix"]) == 8
    assert set(res) >= {"plans", "matrix", "found", "verbatim", "pairs", "common", "unique", "settings"}
    proc = invoke("compare", folder, "--format", "csv")
    assert proc.exit_code == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert len(rows) == 28
    assert set(rows[0]) == {"plan_a", "plan_b", "similarity", "found_a_in_b", "found_b_in_a",
                            "verbatim_a_in_b", "verbatim_b_in_a", "title_a", "title_b"}
    by_pair = {(r["plan_a"].rsplit("/", 1)[-1], r["plan_b"].rsplit("/", 1)[-1]): r for r in rows}
    assert float(by_pair[(BAODING.name, "variant-1.txt")]["similarity"]) >= 0.85
    assert all(0.0 <= float(r["similarity"]) <= 1.0 for r in rows)


def test_cli_html_and_table(folder, tmp_path):
    from test_diff import check_safe_page

    out = folder / "report.html"
    proc = invoke("compare", folder, "-o", out)
    assert proc.exit_code == 0, proc.stderr
    page = out.read_text(encoding="utf-8")
    check_safe_page(page)
    assert "推进县、乡综治中心建设" in page and "variant-1.txt" in page
    # a page govparse wrote is not read back as a plan
    assert len(collect_paths([str(folder)])[0]) == 8
    out.unlink()
    table = tmp_path / "compare.txt"
    proc = invoke("compare", folder, "-o", table)
    assert proc.exit_code == 0, proc.stderr
    assert "nearest" in table.read_text(encoding="utf-8")


def test_cli_reports_bad_files_and_goes_on(tmp_path):
    for p in SAMPLE_FILES[:2]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "broken.yaml").write_text("schema: [unclosed\n", encoding="utf-8")
    proc = invoke("compare", tmp_path, "-f", "json")
    assert proc.exit_code == 1
    assert proc.stderr.startswith("govparse: error: ") and "broken.yaml" in proc.stderr
    assert len(json.loads(proc.stdout)["plans"]) == 2


@pytest.mark.parametrize("args, code, message", [
    (["compare", str(BAODING)], 2, "at least two plans"),
    (["compare", str(BAODING), "missing-folder"], 1, "missing-folder"),
    (["compare", str(BAODING), str(JINZHONG), "-f", "xml"], 2, "--format"),
    (["compare", str(BAODING), str(JINZHONG), "--jobs", "-1"], 2, "--jobs"),
    (["compare", "-", str(JINZHONG)], 2, "standard input"),
    (["compare", str(BAODING), str(JINZHONG), "--threshold", "2"], 2, "--threshold"),
])
def test_cli_errors(args, code, message):
    proc = invoke(*args)
    assert proc.exit_code == code, proc.stderr
    assert proc.stderr.startswith("govparse: error: ") and message in proc.stderr
    assert proc.stdout == ""


def test_terminal_table_and_progress_bar(result, capsys):
    from govparse.render import count_progress, print_compare

    with count_progress("reading plans") as progress:
        for done in range(1, 4):
            progress(done, 3)
    print_compare(result)
    out = capsys.readouterr().out
    assert "nearest" in out and "measures in most plans" in out and "similarity" in out
