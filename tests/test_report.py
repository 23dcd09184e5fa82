"""`govparse report`: a self-contained, printable HTML page of a plan.

Structure is checked on every sample (every measure heading is on the page, all
document text escaped, a CSP meta tag, no network resource, no script); where
chromium is installed, a headless browser renders the page and shows every
heading.  ``GOVPARSE_SCREENSHOT=1`` also refreshes docs/report.png from the
baoding report.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, SAMPLE_FILES, SAMPLES, run_cli
from typer.testing import CliRunner

from govparse.build import parse_text
from govparse.check import check_path, check_plan
from govparse.cli import app
from govparse.writers.report_html import report_page

BAODING = SAMPLES / "baoding-city-fengqiao-experience.txt"
SCREENSHOT = ROOT / "docs" / "report.png"
MAX_SCREENSHOT_BYTES = 300_000

EVIL = ("某市<b>工作</b>方案\n一、主要任务\n"
        "1.推进<script>alert(1)</script>工作。2030年底前完成。(牵头单位:市委\"><img src=x onerror=alert(2)>政法委)\n"
        "2.开展“排查”&整治 https://evil.example/x.png 。(牵头单位:市公安局)\n")


def page_of(path) -> str:
    return report_page(check_path(path))


def text_of(page: str) -> str:
    """The text a reader sees: tags cut (each at a boundary), entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "\x00", page))


def tags_of(page: str) -> list[str]:
    return re.findall(r"<[^>]*>", page)


def no_network_refs(page: str) -> None:
    """No tag loads anything (no src/href/… to a URL, no script, no handler), no CSS url()
    or @import; URLs in the document text stay text."""
    for tag in tags_of(page):
        assert not re.match(r"<\s*(?:script|iframe|object|embed|link|base|form|img|video|audio)\b", tag, re.I), tag
        for name, value in re.findall(r"""\s([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", tag):
            assert not name.lower().startswith("on"), tag
            if name.lower() in ("src", "href", "action", "poster", "data", "srcset", "background"):
                assert "//" not in value and not re.match(r"""["']?\s*[a-z]+:""", value, re.I), tag
    for css in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S | re.I):
        assert not re.search(r"url\s*\(", css, re.I) and "@import" not in css


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_page_structure(sample):
    ((plan, findings),) = check_path(sample)
    page = report_page([(plan, findings)])
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert re.search(r"<meta[^>]+http-equiv=[\"']?Content-Security-Policy", page, re.I)
    no_network_refs(page)
    text = text_of(page)
    for m in plan.measures:
        assert m.heading in text, m.id
    for s in ("目录", "责任矩阵", "时间表", "目标", "检查结果"):
        assert f">{s}</h2>" in page
    for f in findings:
        assert f.message in text
    for t in plan.targets:
        assert t.text in text


def test_matrix_marks_lead_and_support():
    ((plan, findings),) = check_path(BAODING)
    page = report_page([(plan, findings)])
    matrix = page.split('class="rmatrix"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr id=[^>]*>(.*?)</tr>", matrix, re.S)
    assert len(rows) == len(plan.measures)
    for m, row in zip(plan.measures, rows):
        assert row.count("●") == len({u.name for u in m.units if u.role == "lead"})
        assert row.count("○") == len({u.name for u in m.units if u.role != "lead"} -
                                     {u.name for u in m.units if u.role == "lead"})
    # the five tasks of the main text name no lead
    assert matrix.count('class="nolead"') == 5


def test_timeline_is_sorted_and_has_phases():
    page = page_of(SAMPLES / "anon-town-three-governance-integration.txt")
    gantt = page.split('class="gantt"', 1)[1].split("</table>", 1)[0]
    dates = re.findall(r'<td class="n">(\d{4}-\d\d-\d\d)', gantt)
    assert dates == sorted(dates) and len(dates) >= 10
    assert gantt.count('<tr class="phase">') == 3


def test_document_text_is_escaped():
    plan = parse_text(EVIL)
    page = report_page([(plan, check_plan(plan))])
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;工作&lt;/b&gt;" in page
    no_network_refs(page)  # a URL or a handler in the text stays text
    text = text_of(page)
    for s in ("推进<script>alert(1)</script>工作", "某市<b>工作</b>方案", "开展“排查”&整治",
              "https://evil.example/x.png", '"><img src=x onerror=alert(2)>'):
        assert s in text, s


def test_english_labels():
    page = report_page(check_path(BAODING, lang="en"), lang="en")
    assert ">Responsibility matrix</h2>" in page and "names no lead unit" in page


# ---------------------------------------------------------------------------------------------
# the command


def test_report_to_stdout_and_to_a_file(tmp_path):
    r = CliRunner().invoke(app, ["report", str(BAODING)])
    assert r.exit_code == 0, r.stderr
    assert "强化综治基础建设" in r.stdout and "Content-Security-Policy" in r.stdout
    out = tmp_path / "plan.html"
    r = run_cli("report", str(BAODING), "-o", str(out))
    assert r.returncode == 0 and r.stdout == b""
    assert out.read_text(encoding="utf-8") == page_of(BAODING)


def test_report_of_extract_yaml(tmp_path):
    y = tmp_path / "b.yaml"
    y.write_bytes(run_cli("extract", str(BAODING)).stdout)
    r = run_cli("report", str(y))
    assert r.returncode == 0
    assert "强化综治基础建设" in r.stdout.decode("utf-8")


def test_report_errors():
    r = run_cli("report", str(BAODING), "--lang", "de")
    assert r.returncode == 2 and r.stderr.startswith(b"govparse: error: --lang")
    r = run_cli("report", "no-such-plan.txt")
    assert r.returncode == 1 and r.stderr.startswith(b"govparse: error:")
    r = run_cli("report", str(BAODING), "-o", str(BAODING))
    assert r.returncode == 1 and b"input" in r.stderr


# ---------------------------------------------------------------------------------------------
# a real browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args],
        capture_output=True, timeout=180, cwd=tmp_path)


@needs_chromium
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_browser_shows_every_measure_heading(sample, tmp_path):
    ((plan, findings),) = check_path(sample)
    page = tmp_path / "plan.html"
    page.write_text(report_page([(plan, findings)]), encoding="utf-8")
    r = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    dom = r.stdout.decode("utf-8")
    assert "<article" in dom
    text = text_of(dom)
    for m in plan.measures:
        assert m.heading in text, m.id


@needs_chromium
def test_browser_screenshot(tmp_path):
    page = tmp_path / "baoding.html"
    page.write_text(page_of(BAODING), encoding="utf-8")
    png = tmp_path / "report.png"
    r = chromium(tmp_path, f"--screenshot={png}", "--window-size=1200,2000", "--hide-scrollbars", page.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    if os.environ.get("GOVPARSE_SCREENSHOT"):
        save_screenshot(png, SCREENSHOT)


def save_screenshot(src, dest) -> None:
    """Copy a screenshot to docs/, as a 256-colour PNG when Pillow is there (a third of the size)."""
    try:
        from PIL import Image
    except ImportError:
        shutil.copyfile(src, dest)
        return
    with Image.open(src) as im:
        im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(dest, optimize=True)


def test_docs_screenshot_is_small():
    if not SCREENSHOT.exists():
        pytest.skip("docs/report.png not made yet (GOVPARSE_SCREENSHOT=1 with chromium)")
    data = SCREENSHOT.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) <= MAX_SCREENSHOT_BYTES
