"""PDF input: plans printed to PDF read like their text, bad PDFs refused in one line.

The PDFs are made at test time with reportlab's built-in CID font STSong-Light (not
embedded, UniGB-UCS2-H), the samples wrapped at 35 characters a line, a running header on
top of each page and a page number "— N —" at its foot, like a printed 实施方案.  The
traditional-script sample is drawn as it is: STSong-Light's encoding covers its
characters, so text extraction returns every one of them (checked below) and no opencc
conversion is needed before drawing -- only a viewer without the font would show gaps.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from govparse.build import parse_file
from govparse.errors import InputError
from govparse.normalize import normalize_lines
from govparse.pdf import ENCRYPTED, NO_TEXT, UNDECODABLE, cite, line_label, read_pdf
from govparse.read import read_bytes, read_source

pytest.importorskip("reportlab")

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTH = 35  # characters per printed line
LINES_PER_PAGE = 38
HEADER = "XX市人民政府办公室文件"
PDF_SAMPLES = [
    "baoding-city-fengqiao-experience.txt",
    "anon-town-three-governance-integration.txt",
    "jinzhong-city-sanzhi-sanling-traditional.txt",
    "zhangwu-county-five-threes-report.txt",
]


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """The printed lines of a text: each paragraph cut every ``width`` characters."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        if line:
            out.append(line)
    return out


def pdf_bytes(lines: list[str], *, per_page: int = LINES_PER_PAGE, header: str | None = HEADER,
              footer: bool = True, **canvas_args) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, **canvas_args)
    width, height = A4
    for page, start in enumerate(range(0, len(lines), per_page), 1):
        c.setFont(FONT, 12)
        if header:
            c.drawCentredString(width / 2, height - 40, header)
        y = height - 70
        for line in lines[start:start + per_page]:
            c.drawString(50, y, line)
            y -= 18
        if footer:
            c.drawCentredString(width / 2, 30, f"— {page} —")
        c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """Each sample as a PDF, made once per module: {name: (pdf path, drawn lines)}."""
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for name in PDF_SAMPLES:
        lines = wrap((SAMPLES / name).read_text(encoding="utf-8"))
        path = folder / (Path(name).stem + ".pdf")
        path.write_bytes(pdf_bytes(lines))
        out[name] = (path, lines)
    return out


def digest(plan) -> dict:
    """What must not change between a plan's text and its PDF (line numbers do)."""
    doc = plan.document
    return {
        "document": (doc.title, doc.issuers, doc.region, doc.level, doc.date, doc.base_year),
        "measures": [(m.id, m.heading) for m in plan.measures],
        "units": [(m.id, [(u.name, u.role) for u in m.units]) for m in plan.measures],
        "deadlines": [(d.text, d.date) for d in plan.deadlines],
        "targets": [(t.value, t.unit) for t in plan.targets],
    }


# ---------------------------------------------------------------------------------------------
# A printed plan reads like its text


@pytest.mark.parametrize("name", PDF_SAMPLES, ids=lambda n: n.split("-")[0] + "-" + n.split("-")[1])
def test_pdf_gives_the_same_plan_as_the_text(printed, sample_plans, name):
    path, _ = printed[name]
    got = digest(parse_file(path))
    want = digest(sample_plans[name])
    assert got["measures"] == want["measures"]
    assert got["units"] == want["units"]
    assert got["deadlines"] == want["deadlines"]
    assert got["targets"] == want["targets"]
    assert got["document"] == want["document"]
    assert want["measures"] and want["deadlines"]  # the comparison compares something


@pytest.mark.parametrize("name", PDF_SAMPLES, ids=lambda n: n.split("-")[0] + "-" + n.split("-")[1])
def test_every_drawn_character_comes_back(printed, name):
    """Reading order and text: the lines of the PDF are the lines drawn (plus header and
    page number per page), traditional characters of the CID font included."""
    path, lines = printed[name]
    src = read_source(path)
    body = [ln for ln in src.lines if ln != HEADER and not (ln.startswith("—") and ln.endswith("—"))]
    assert body == [ln.strip() for ln in lines]
    assert src.format == "pdf" and src.encoding is None
    assert src.origins == list(range(1, len(src.lines) + 1))


def test_pages_and_citations(printed):
    path, lines = printed["baoding-city-fengqiao-experience.txt"]
    src = read_source(path)
    per_page = LINES_PER_PAGE + 2  # header and page number
    n_pages = -(-len(lines) // LINES_PER_PAGE)
    assert src.pages == [1 + k * per_page for k in range(n_pages)]
    plan = parse_file(path)
    assert plan.source.pages == src.pages
    assert plan.to_dict()["source"]["pages"] == src.pages
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    import yaml

    from govparse.writers.structured import to_yaml

    schema = yaml.safe_load(resources.files("govparse").joinpath("data", "plan.schema.json").read_text("utf-8"))
    jsonschema.validate(yaml.safe_load(to_yaml(plan.to_dict())), schema)
    # page numbers and running headers are dropped, and said so
    assert {1, per_page, per_page + 1, 2 * per_page} <= set(plan.source.dropped_lines)
    # every measure cites the line its heading is printed on, as page and line
    for m in plan.measures:
        first = m.lines[0]
        assert m.heading[:6] in src.lines[first - 1] or m.number in src.lines[first - 1], m.id
        page, line = cite(first, src.pages)[1:].split(":")
        assert src.pages[int(page) - 1] + int(line) - 1 == first


@pytest.mark.parametrize(
    "origin, pages, label",
    [(1, [1, 12], "p1:1"), (11, [1, 12], "p1:11"), (12, [1, 12], "p2:1"), (17, [1, 12], "p2:6"),
     (5, [], "5"), (30, [1, 12, 12, 25], "p4:6")],
    ids=["first", "end-of-page-1", "top-of-page-2", "p2", "not-a-pdf", "after-a-blank-page"],
)
def test_cite(origin, pages, label):
    assert cite(origin, pages) == label
    assert line_label(origin, pages) == label


def test_lines_in_reading_order_cells_and_letter_spacing():
    """Drawn bottom-up, a table row right to left, a letter-spaced (justified) line."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    c.setFont(FONT, 12)
    lines = ["一、总体要求", "为深入贯彻党的十九大精神,全面提升基层社会治理水平,现提出", "以下实施意见。", "二、主要任务"]
    for i in reversed(range(len(lines))):
        c.drawString(60, height - 60 - 18 * i, lines[i])
    for x, cell in reversed([(60, "推进综治中心建设"), (260, "市委政法委"), (400, "2019年底前")]):
        c.drawString(x, height - 200, cell)
    text = c.beginText(60, height - 240)
    text.setFont(FONT, 12)
    text.setCharSpace(3)
    text.textLine("加强组织领导,建立健全工作机制。")
    c.drawText(text)
    c.showPage()
    c.save()
    got, origins, pages = read_pdf(buffer.getvalue(), "x.pdf")
    assert got == [*lines, "推进综治中心建设\t市委政法委\t2019年底前", "加强组织领导,建立健全工作机制。"]
    assert (origins, pages) == ([1, 2, 3, 4, 5, 6], [1])


def test_pdf_from_standard_input(printed):
    path, _ = printed["zhangwu-county-five-threes-report.txt"]
    proc = run_cli("extract", "-", input=path.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    assert b'format: "pdf"' in proc.stdout or b"format: pdf" in proc.stdout


def _owner_protected(lines: list[str], font: str) -> bytes:
    from reportlab.lib import pdfencrypt

    buffer = io.BytesIO()
    protection = pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0)
    c = canvas.Canvas(buffer, pagesize=A4, encrypt=protection)
    c.setFont(font, 12)
    for i, line in enumerate(lines):
        c.drawString(50, 700 - 18 * i, line)
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_owner_password_only_is_read():
    """Permissions but no password to open it (common for official PDFs): decrypted and read."""
    lines = ["Implementation plan 2022", "1. Set up the county centre by the end of 2022."]
    assert read_bytes(_owner_protected(lines, "Helvetica"), "plan.pdf").lines == lines


def test_text_without_unicode_is_refused():
    """reportlab leaves the CID font's CIDSystemInfo unencrypted in an encrypted file;
    decrypted, it names no character map, and pdfminer gives "(cid:N)" for every glyph.
    That is refused, not passed on as text (pypdf reads this file: see pdf.py)."""
    data = _owner_protected(["一、总体要求", "为深入贯彻党的十九大精神,制定本方案。"], FONT)
    with pytest.raises(InputError) as excinfo:
        read_bytes(data, "plan.pdf")
    assert excinfo.value.reason == UNDECODABLE


# ---------------------------------------------------------------------------------------------
# Bad PDFs: one line, never a traceback


def _scan() -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(2):
        c.rect(50, 50, 400, 600, fill=1)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _image_scan() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.drawImage(ImageReader(Image.new("L", (60, 80), 200)), 50, 50, 400, 600)
    c.drawCentredString(300, 30, "3")  # a stamped page number is not a text layer
    c.showPage()
    c.save()
    return buffer.getvalue()


def _encrypted() -> bytes:
    return pdf_bytes(["一、总体要求"], encrypt="secret")


def _truncated() -> bytes:
    data = pdf_bytes(wrap((SAMPLES / "baoding-city-fengqiao-experience.txt").read_text(encoding="utf-8")))
    return data[: len(data) // 2]


def _no_pages() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


BAD = {
    "scan.pdf": (_scan, NO_TEXT),
    "image.pdf": (_image_scan, NO_TEXT),
    "locked.pdf": (_encrypted, ENCRYPTED),
    "cut.pdf": (_truncated, "not a valid PDF file: it is truncated (no %%EOF at the end)"),
    "text.pdf": (lambda: "一、总体要求".encode(), "not a valid PDF file: no %PDF header"),
    "empty-pdf.pdf": (_no_pages, "not a valid PDF file: it has no pages"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_pdf_is_refused_in_one_line(tmp_path, name):
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(InputError) as excinfo:
        parse_file(path)
    assert excinfo.value.reason == reason
    assert "\n" not in str(excinfo.value)


def test_bad_pdfs_through_the_cli(tmp_path):
    paths = []
    for name, (make, _) in BAD.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(make())
    for path in paths:
        proc = run_cli("extract", str(path), timeout=60)
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 1, (path.name, err)
        assert "Traceback" not in err
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert lines == [f"govparse: error: {path}: {BAD[path.name][1]}"]
        assert proc.stdout == b""


def test_damaged_pdfs_never_raise_anything_but_input_error():
    """Cut, overwritten and spliced copies of a real PDF: read, or refused in one line."""
    import random

    data = pdf_bytes(wrap((SAMPLES / "zhangwu-county-five-threes-report.txt").read_text(encoding="utf-8")))
    rng = random.Random(7)
    for i in range(60):
        damaged = bytearray(data)
        if i % 3 == 0:
            damaged = damaged[: rng.randrange(len(damaged))] + b"\n%%EOF\n"
        elif i % 3 == 1:
            for _ in range(rng.randint(1, 20)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        else:
            a, b = sorted(rng.randrange(len(damaged)) for _ in range(2))
            damaged = damaged[:a] + damaged[b:] + b"\n%%EOF\n"
        try:
            read_pdf(bytes(damaged), "x.pdf")
        except InputError as exc:
            assert "\n" not in exc.reason and len(exc.reason) < 140
            assert exc.reason.isprintable()


def test_page_limit():
    data = pdf_bytes(["一、总体要求"] * 3, per_page=1)
    with pytest.raises(InputError) as excinfo:
        read_pdf(data, "x.pdf", max_pages=2)
    assert excinfo.value.reason == "PDF has more than 2 pages; split it first"
    assert len(read_pdf(data, "x.pdf", max_pages=3)[2]) == 3


def test_deep_nesting_is_refused(monkeypatch):
    import govparse.pdf as pdf

    def deep(*_args):
        raise RecursionError

    monkeypatch.setattr(pdf, "_read", deep)
    with pytest.raises(InputError) as excinfo:
        read_pdf(pdf_bytes(["一、总体要求"]), "x.pdf")
    assert excinfo.value.reason == "not a valid PDF file: its objects nest too deeply"


def test_pdf_normalizes_like_text(printed):
    """The traditional sample's PDF is converted to simplified like its text."""
    path, _ = printed["jinzhong-city-sanzhi-sanling-traditional.txt"]
    src = read_source(path)
    assert normalize_lines(src.lines, src.origins).script == "traditional"
    assert parse_file(path).source.script == "traditional"


def test_export_cites_page_and_line_for_a_pdf(printed):
    import csv
    import io

    path, _ = printed["baoding-city-fengqiao-experience.txt"]
    proc = run_cli("export", str(path), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    assert rows and all(re.fullmatch(r"baoding-city-fengqiao-experience\.pdf:p\d+:\d+(-p\d+:\d+)?", r["出处"])
                        for r in rows), [r["出处"] for r in rows][:3]
