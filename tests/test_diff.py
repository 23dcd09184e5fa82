"""`govparse diff` and govparse.compare.diff_plans: measures aligned by content.

The main case is a "neighbouring county" version of the Baoding plan written here
with known edits: one measure dropped, one target raised (90% -> 95%), one lead unit
swapped, two items reordered, every 市 bureau renamed to the 县 one and 保定市 to
某县.  diff must report exactly those edits and nothing else.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
import yaml
from conftest import SAMPLE_FILES, SAMPLES, run_cli

from govparse.build import parse_file, parse_text
from govparse.compare import align, diff_plans, measure_string, normalizer
from govparse.similarity import (
    features,
    level_free,
    similarity,
    sketch_similarity,
    sketch_text,
    verbatim_grams,
    verbatim_text,
)
from govparse.writers.html import CSP, diff_page, esc, page

BAODING = SAMPLES / "baoding-city-fengqiao-experience.txt"
JINZHONG = SAMPLES / "jinzhong-city-sanzhi-sanling-traditional.txt"

DROPPED = "推进派驻检察室建设"
RAISED = "推进“一乡(镇)一法庭”建设"
SWAPPED = "深化网格化服务管理"
REORDERED = ("不断完善社会治安防控体系", "彻底整治基层社会乱象")


def _lines(path=BAODING) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _find(lines: list[str], prefix: str) -> int:
    hits = [i for i, ln in enumerate(lines) if ln.startswith(prefix)]
    assert len(hits) == 1, prefix
    return hits[0]


def county_version(lines: list[str], plan) -> str:
    """Every 市 bureau of ``plan`` renamed to the 县 one (市公安局 -> 县公安局, 市委依法治市办公室
    -> 县委依法治县办公室), and 保定市 -> 某县."""
    text = "\n".join(lines)
    names = {u.name for m in plan.measures for u in m.units if u.name.startswith("市")}
    renames = {n: "县" + n[1:].replace("依法治市", "依法治县") for n in names}
    for old in sorted(renames, key=len, reverse=True):
        text = text.replace(old, renames[old])
    assert "市公安局" not in text and "县公安局" in text and "县委政法委" in text
    return text.replace("保定市", "某县")


def neighbour_text() -> str:
    lines = _lines()
    del lines[_find(lines, f"3、{DROPPED}")]
    i = _find(lines, f"2、{RAISED}")
    assert "覆盖率达到90%" in lines[i]
    lines[i] = lines[i].replace("覆盖率达到90%", "覆盖率达到95%")
    i = _find(lines, f"5、{SWAPPED}")
    assert "牵头单位:市委政法委;" in lines[i] and "市司法局" not in lines[i]
    lines[i] = lines[i].replace("牵头单位:市委政法委;", "牵头单位:市司法局;")
    i, j = _find(lines, f"12、{REORDERED[0]}"), _find(lines, f"13、{REORDERED[1]}")
    lines[i], lines[j] = "12、" + lines[j][3:], "13、" + lines[i][3:]
    return county_version(lines, parse_file(BAODING))


@pytest.fixture(scope="module")
def baoding():
    return parse_file(BAODING)


@pytest.fixture(scope="module")
def neighbour_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("neighbour") / "county.txt"
    path.write_text(neighbour_text(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def neighbour(neighbour_file):
    return parse_file(neighbour_file)


@pytest.fixture(scope="module")
def result(baoding, neighbour):
    return diff_plans(baoding, neighbour)


def _changes(res: dict) -> list[tuple[str, dict, dict]]:
    return [(m["a"]["heading"], m, c) for m in res["matched"] for c in m["changes"]]


def check_neighbour_diff(res: dict, baoding, neighbour) -> None:
    """Exactly the edits made by neighbour_text, nothing else."""
    assert [m["heading"] for m in res["only_a"]] == [DROPPED]
    assert res["only_b"] == []
    assert len(res["matched"]) == len(baoding.measures) - 1 == len(neighbour.measures)
    changes = _changes(res)
    assert sorted((h, c["field"]) for h, _m, c in changes) == sorted([(RAISED, "targets"), (SWAPPED, "lead")])
    (target,) = [c for _h, _m, c in changes if c["field"] == "targets"]
    assert target["a"]["value"] == 90 and target["b"]["value"] == 95
    assert target["a"]["unit"] == target["b"]["unit"] == "%"
    assert target["a"]["metric"] == target["b"]["metric"]
    assert target["direction"] == "raised"
    (lead,) = [c for _h, _m, c in changes if c["field"] == "lead"]
    assert lead["a"] == ["市委政法委"] and lead["b"] == ["县司法局"]
    assert lead["removed"] == ["市委政法委"] and lead["added"] == ["县司法局"]
    # the reordered items are matched to each other, whatever their numbers
    pairs = {m["a"]["heading"]: (m["a"]["id"], m["b"]["id"]) for m in res["matched"]}
    a12, b12 = pairs[REORDERED[0]]
    a13, b13 = pairs[REORDERED[1]]
    assert (a12, a13) == (b13, b12) == ("附件.12", "附件.13")
    for m in res["matched"]:
        assert m["a"]["heading"] == m["b"]["heading"]
        assert 0.5 <= m["similarity"] <= 1.0
    s = res["summary"]
    assert (s["matched"], s["only_a"], s["only_b"], s["changed"]) == (24, 1, 0, 2)
    assert (s["targets_raised"], s["targets_lowered"], s["targets_changed"]) == (1, 0, 1)
    assert (s["lead_changed"], s["support_changed"], s["deadlines_changed"], s["text_changed"]) == (1, 0, 0, 0)
    assert s["kept_share"] == round(24 / 25, 3)
    assert s["moved"] == 1
    assert "lower value is the more ambitious" in s["targets_note"]


def test_library_reports_exactly_the_edits(result, baoding, neighbour):
    check_neighbour_diff(result, baoding, neighbour)


def test_cli_json_reports_exactly_the_edits(neighbour_file, baoding, neighbour):
    proc = run_cli("diff", str(BAODING), str(neighbour_file), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    res = json.loads(proc.stdout)
    assert set(res) == {"a", "b", "summary", "matched", "only_a", "only_b"}
    assert set(res["matched"][0]) == {"a", "b", "similarity", "changes"}
    assert set(res["matched"][0]["a"]) == {"id", "heading", "text"}
    assert set(res["only_a"][0]) == {"id", "heading", "text"}
    check_neighbour_diff(res, baoding, neighbour)


def test_cli_default_is_json_when_piped_and_yaml_works(neighbour_file):
    proc = run_cli("diff", str(BAODING), str(neighbour_file))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["only_a"] == 1
    proc = run_cli("diff", str(BAODING), str(neighbour_file), "-f", "yaml")
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(proc.stdout)["summary"]["lead_changed"] == 1


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_a_plan_diffed_with_itself_has_no_changes(path):
    plan = parse_file(path)
    res = diff_plans(plan, plan)
    assert res["only_a"] == [] and res["only_b"] == []
    assert [m["changes"] for m in res["matched"]] == [[] for _ in plan.measures]
    assert [(m["a"]["id"], m["b"]["id"]) for m in res["matched"]] == [(m.id, m.id) for m in plan.measures]
    assert res["summary"]["changed"] == 0 and res["summary"]["kept_share"] == 1.0
    assert res["summary"]["verbatim_a_in_b"] == 1.0


def test_renaming_script_and_reordering_change_nothing(tmp_path):
    """Jinzhong in traditional script vs a simplified 县 version with measures reordered."""
    from govparse.normalize import detect_and_convert

    plan = parse_file(JINZHONG)
    lines = detect_and_convert(_lines(JINZHONG))[0]
    # swap the blocks (item line, 牵头 and 配合 lines) of 工作措施 (三) 4 and 5, renumbered
    i4, i5, i6 = (_find(lines, p) for p in ("4.开展公共安全集中整治行动", "5.开展安全生产专项治理行动",
                                            "6.开展“平安利剑”专项行动"))
    four, five = lines[i4:i5], lines[i5:i6]
    lines[i4:i6] = ["4." + five[0][2:], *five[1:], "5." + four[0][2:], *four[1:]]
    # and the first and last of the 工作要求
    a, b = _find(lines, "1.加强组织领导"), _find(lines, "4.严格督导考核")
    lines[a], lines[b] = "1." + lines[b][2:], "4." + lines[a][2:]
    other = parse_text(county_version(lines, plan).replace("晋中市", "某县"), "county.txt")
    assert len(other.measures) == len(plan.measures)
    assert any(u.name.startswith("县") for m in other.measures for u in m.units)
    res = diff_plans(plan, other)
    assert res["only_a"] == [] and res["only_b"] == []
    assert [c for m in res["matched"] for c in m["changes"]] == []
    assert all(m["a"]["heading"] == m["b"]["heading"] for m in res["matched"])
    assert res["summary"]["moved"] == 3  # 4|5 swapped: 1; 1..4 -> 4,2,3,1: 2


def test_deadline_and_support_changes(tmp_path, baoding):
    lines = _lines()
    i = _find(lines, "1、推进县、乡综治中心建设")
    lines[i] = lines[i].replace("2019年底前", "2020年6月底前").replace("市民政局等部门", "市民政局、市财政局等部门")
    i = _find(lines, "13、彻底整治基层社会乱象")
    lines[i] = lines[i].replace("2019年6月底前", "2019年3月底前")
    other = parse_text("\n".join(lines), "other.txt")
    res = diff_plans(baoding, other)
    changes = sorted((h, c["field"], c.get("direction")) for h, _m, c in _changes(res))
    assert changes == [("彻底整治基层社会乱象", "deadlines", "earlier"),
                       ("推进县、乡综治中心建设", "deadlines", "later"),
                       ("推进县、乡综治中心建设", "support", None)]
    support = [c for _h, _m, c in _changes(res) if c["field"] == "support"][0]
    assert support["added"] == ["市财政局"] and support["removed"] == []
    dl = [c for h, _m, c in _changes(res) if h == "推进县、乡综治中心建设" and c["field"] == "deadlines"][0]
    assert dl["a"] == ["2019-12-31"] and dl["b"] == ["2020-06-30"]
    s = res["summary"]
    assert (s["deadlines_earlier"], s["deadlines_later"], s["support_changed"]) == (1, 1, 1)


def test_rewritten_measure_reports_a_text_change(baoding):
    lines = _lines()
    i = _find(lines, "11、全力做好应急处置工作")
    lines[i] = (lines[i].replace("紧盯“人、事、物、地、网”等关键要素,", "")
                .replace("建立重大风险常态摸排、动态监管、及时化解、应急处置机制", "健全风险防控机制")
                .replace("第一时间对责任链上的每个环节进行倒查问责", "严格问责"))
    res = diff_plans(baoding, parse_text("\n".join(lines), "other.txt"))
    assert res["only_a"] == res["only_b"] == []
    changes = [(h, c["field"]) for h, _m, c in _changes(res)]
    assert changes == [("全力做好应急处置工作", "text")]
    change = _changes(res)[0][2]
    assert 0.5 < change["similarity"] < 0.9 and "健全风险防控机制" in change["b"]


def test_threshold_decides_what_is_matched(baoding, neighbour):
    strict = diff_plans(baoding, neighbour, threshold=1.0)
    only_a = {m["heading"] for m in strict["only_a"]}
    assert DROPPED in only_a and SWAPPED in only_a  # the swapped lead makes it less than identical
    assert {m["heading"] for m in strict["only_b"]} == only_a - {DROPPED}
    with pytest.raises(ValueError):
        diff_plans(baoding, neighbour, threshold=0)


def test_aliases_file_is_used(tmp_path, neighbour_file):
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("委政法委: [县司法局, 市司法局]\n", encoding="utf-8")
    proc = run_cli("diff", str(BAODING), str(neighbour_file), "-f", "json", "--aliases", str(aliases))
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["summary"]["lead_changed"] == 0 and res["summary"]["changed"] == 1


def test_yaml_of_extract_diffs_like_its_source(tmp_path):
    proc = run_cli("extract", str(BAODING))
    assert proc.returncode == 0
    y = tmp_path / "baoding.yaml"
    y.write_bytes(proc.stdout)
    proc = run_cli("diff", str(y), str(BAODING), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["summary"]["changed"] == 0 and res["only_a"] == res["only_b"] == []


# ---------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize("args, code, message", [
    (["diff", "nonexistent.txt", str(BAODING)], 1, b"nonexistent.txt"),
    (["diff", str(BAODING), str(BAODING), "--format", "xml"], 2, b"--format"),
    (["diff", str(BAODING), str(BAODING), "--threshold", "0"], 2, b"--threshold"),
    (["diff", str(BAODING), str(BAODING), "--threshold", "1.5"], 2, b"--threshold"),
    (["diff", "-", "-"], 2, b"standard input"),
    (["diff", str(BAODING), str(BAODING), "--aliases", "missing.yaml"], 1, b"missing.yaml"),
])
def test_cli_errors_are_one_line(args, code, message):
    proc = run_cli(*args, input=b"")
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.startswith(b"govparse: error: ") and message in proc.stderr
    assert proc.stderr.count(b"\n") == 1
    assert proc.stdout == b""


def test_cli_refuses_to_overwrite_an_input(tmp_path):
    a = tmp_path / "a.txt"
    a.write_bytes(BAODING.read_bytes())
    proc = run_cli("diff", str(a), str(BAODING), "-f", "json", "-o", str(a))
    assert proc.returncode == 1 and b"input" in proc.stderr
    assert a.read_bytes() == BAODING.read_bytes()


def test_cli_table_to_a_file(tmp_path, neighbour_file):
    out = tmp_path / "diff.txt"
    proc = run_cli("diff", str(BAODING), str(neighbour_file), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert DROPPED in text and "县司法局" in text and "\x1b[" not in text


def test_stdin_plan(neighbour_file):
    proc = run_cli("diff", str(BAODING), "-", "-f", "json", input=neighbour_file.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["only_a"] == 1


# ---------------------------------------------------------------------------------------------
# similarity


def test_normalization_sees_through_levels_places_and_units(baoding):
    n = normalizer(baoding)
    a = n.content("全市各级要加强市公安局与保定市司法局的协作,平安保定建设考核达到90%。")
    b = normalizer(parse_text("某县方案\n一、任务\n1.工作。(牵头单位:县公安局;配合单位:县司法局)", "x.txt"),
                   places=["保定市"]).content("全县各级要加强县公安局与某县司法局的协作,平安保定建设考核达到95%。")
    assert similarity(features(a), features(b)) > 0.85
    assert level_free("市场监管和城乡社区,市民政局、市政府") == "市场监管和城乡社区,#民政局、#政府"


def test_align_is_one_to_one_and_best_first():
    f = [features(t) for t in ("加强组织领导,压实工作责任。", "加强宣传引导,营造良好氛围。", "严格督导考核。")]
    g = [features(t) for t in ("严格督导考核。", "加强组织领导,压实工作责任。", "加强组织领导,压实责任。")]
    pairs = align(f, g, 0.5)
    assert [(i, j) for i, j, _s in pairs] == [(0, 1), (2, 0)]
    assert pairs[0][2] == 1.0


def test_sketch_estimates_similarity(baoding, neighbour):
    na, nb = normalizer(baoding), normalizer(neighbour)
    ta = [na.content(measure_string(m)) for m in baoding.measures]
    tb = [nb.content(measure_string(m)) for m in neighbour.measures]
    errors = []
    for x in ta[::3]:
        for y in tb[::2]:
            exact = similarity(features(x), features(y))
            sa, sb = sketch_text(x), sketch_text(y)
            est = sketch_similarity(int.from_bytes(sa, "little"), int.from_bytes(sb, "little"))
            errors.append(abs(est - exact))
    assert sum(errors) / len(errors) < 0.03
    assert max(errors) < 0.15


def test_verbatim_text_folds_numerals():
    assert verbatim_text("2019年底前,三个100%。") == "0年底前0个0"
    assert verbatim_grams("一二三四五六七八九", 8) and len(verbatim_grams("abcdefghij", 8)) == 3


# ---------------------------------------------------------------------------------------------
# HTML

EVIL = """某县推进平安建设工作实施方案
一、主要任务
1.<script>alert(1)</script>开展矛盾纠纷排查。2019年底前完成。(牵头单位:县公安局;配合单位:县司法局)
2.建设综治中心<img src=x onerror=alert(1)>。访问 https://evil.example/x.js 与 "引号" '单引号' &amp; 。(牵头单位:县司法局)
3.推进法治宣传。覆盖率达到90%以上。(牵头单位:县委宣传部)
"""


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def check_safe_page(text: str) -> None:
    assert text.startswith("<!DOCTYPE html>")
    assert f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">' in text
    assert "default-src 'none'" in CSP and "script" not in CSP
    assert "<script" not in text.lower()
    assert "<img" not in text.lower()
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"']?\s*(https?:)?//", text)
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "link", "base", "form", "a"), tag
        for name, _value in attrs:
            assert not name.startswith("on") and name not in ("src", "href", "srcset", "action"), (tag, name)
    # what a page shows as text of the document, never as markup
    assert not re.search(r"https?://(?!evil\.example)", text)


def test_html_escapes_everything_and_loads_nothing():
    evil = parse_text(EVIL, "evil<b>.txt")
    other = parse_text(EVIL.replace("90%", "95%").replace("县司法局)\n3", "县财政局)\n3"), "other.txt")
    res = diff_plans(evil, other)
    html_text = diff_page(res, [m.id for m in evil.measures], [m.id for m in other.measures])
    check_safe_page(html_text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_text
    assert "&quot;引号&quot;" in html_text and "&#x27;单引号&#x27;" in html_text and "&amp;amp;" in html_text
    assert "evil&lt;b&gt;.txt" in html_text


def test_page_helper():
    text = page("<标题>", "<p>正文</p>")
    check_safe_page(text)
    assert "<title>&lt;标题&gt;</title>" in text and "@media print" in text
    assert esc("<a href='x'>&\"") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&quot;"
    assert esc(None) == ""


def test_cli_html_page(tmp_path, neighbour_file, neighbour):
    out = tmp_path / "diff.html"
    proc = run_cli("diff", str(BAODING), str(neighbour_file), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    check_safe_page(text)
    for m in neighbour.measures:
        assert esc(m.heading) in text
    assert "仅在 A" in text and esc(DROPPED) in text
    assert "9<del>0</del>%" in text and "9<ins>5</ins>%" in text  # 90% -> 95% marked in the texts
    # rows in A's order: the dropped measure between its neighbours
    assert text.index(esc("推进“一乡(镇)一法庭”建设")) < text.index(DROPPED) < text.index("推进基础建设集约化")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium installed")
def test_html_renders_in_a_headless_browser(tmp_path, neighbour_file, baoding, neighbour):
    out = tmp_path / "diff.html"
    evil_a, evil_b = tmp_path / "evil-a.txt", tmp_path / "evil-b.txt"
    evil_a.write_text(EVIL, encoding="utf-8")
    evil_b.write_text(EVIL.replace("90%", "95%"), encoding="utf-8")
    for a, b, plans in ((BAODING, neighbour_file, (baoding, neighbour)),
                        (evil_a, evil_b, (parse_file(evil_a), parse_file(evil_b)))):
        proc = run_cli("diff", str(a), str(b), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'chromium'}", "--dump-dom", out.resolve().as_uri()],
            capture_output=True, timeout=120).stdout.decode("utf-8")
        assert "<table" in dom and "<script" not in dom.lower() and "<img" not in dom.lower()
        for plan in plans:
            for m in plan.measures:
                assert html.escape(m.heading, quote=False) in dom, m.heading
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
