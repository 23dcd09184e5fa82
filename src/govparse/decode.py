"""Turn the bytes of a text file into text, or refuse them with a one-line reason.

This module's one job is decoding: byte-order marks, UTF-8, UTF-16 without a mark, GB18030 /
Big5 told apart by how Chinese the result looks, charset-normalizer as the last resort -- and
refusing bytes that are not text at all (a known binary format by its magic number, NUL bytes,
text full of control characters).  The readers of .txt (:mod:`govparse.read`) and .html
(:mod:`govparse.html_text`) decode with it; the binary sniffing and the line-break pattern
live here too because every reader needs them and this module imports none of the others.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re

from govparse.errors import InputError

_UNDECODABLE = "cannot decode text: not UTF-8, UTF-16, GB18030 or Big5"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode the bytes of a text file; return ``(text, encoding name)``.

    Order: byte-order mark, binary sniffing, strict UTF-8, UTF-16 without BOM (recognised by
    its NUL pattern), then GB18030 / Big5 / charset-normalizer's guess, each decoded strictly
    and kept only if the result looks like Chinese text.  Never decodes lossily.
    """
    found = _decode_bom(data)
    if found is None:
        _refuse_binary(data, name)
        if b"\x00" in data:
            found = _decode_utf16_without_bom(data)
            if found is None:
                raise InputError(name, "binary data, not a text plan (it contains NUL bytes)")
        else:
            try:
                found = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                found = _decode_legacy(data, name)
    _refuse_control_characters(found[0], name)
    return found


# ---------------------------------------------------------------------------------------------
# Line breaks (the .txt, .docx and .html readers all split on these)

# Line breaks: \r\n, \r, \n and the Unicode line/paragraph separators.  (Not str.splitlines,
# which also splits on \v, \f, \x1c-\x1e and \x85.)  A plain alternation: linear time.
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")


# ---------------------------------------------------------------------------------------------
# Binary sniffing

_DOCX_KIND = "a Word .docx file"
_OLE2_KIND = "an old Office file (.doc/.xls/.wps) or a password-protected document"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLE2_KIND),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "a program (ELF executable)"),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


def _binary_kind(data: bytes) -> str | None:
    """What the magic number at the start of ``data`` says it is, or None."""
    if data.startswith(_ZIP_MAGIC):
        return _zip_kind(data) or "a ZIP archive"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "a WebP image"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _zip_kind(data: bytes) -> str | None:
    """For a ZIP file, which office format it holds (from its member names); else None."""
    if not data.startswith(_ZIP_MAGIC):
        return None
    import zipfile  # only for zip data: keeps start-up light

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(80)  # bounded: the member could be a bomb
    except Exception:  # zipfile raises many types on damaged data; a sniff must not fail
        return None
    if any(_is_docx_main_part(n) for n in names):
        return _DOCX_KIND
    if "xl/workbook.xml" in names:
        return "an Excel .xlsx spreadsheet"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint .pptx file"
    if "OFD.xml" in names:
        return "an OFD document"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "an OpenDocument file"
    return None


_DOCX_MAIN_PART = re.compile(r"word/document\d*\.xml")


def _is_docx_main_part(member: str) -> bool:
    # Word writes word/document.xml; a few generators write word/document2.xml.
    return _DOCX_MAIN_PART.fullmatch(member) is not None


def _refuse_binary(data: bytes, name: str) -> None:
    kind = _binary_kind(data)
    if kind is not None:
        raise InputError(name, f"binary data, not a text plan (looks like {kind})")


# C0 controls other than tab, line feed, vertical tab, form feed (pdftotext puts \f between
# pages), carriage return, and Ctrl-Z (old DOS end-of-file marker); plus DEL.
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F))
_CONTROL_SAMPLE = 1_000_000


def _refuse_control_characters(text: str, name: str) -> None:
    """Decoded text with more than 1 % control characters is binary data that happened to decode."""
    sample = text[:_CONTROL_SAMPLE]
    controls = sum(sample.count(char) for char in _CONTROL_CHARS)
    if controls and controls * 100 > len(sample):
        raise InputError(name, "binary data, not a text plan (it is full of control characters)")


# ---------------------------------------------------------------------------------------------
# Text decoding

# UTF-32 before UTF-16: the UTF-32-LE mark FF FE 00 00 starts with the UTF-16-LE mark FF FE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    """Decode by byte-order mark (the codecs named here drop the mark); None without one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                continue  # e.g. UTF-16-LE text starting with U+0000 looks like a UTF-32 mark
    return None


_UTF16_SAMPLE = 65536


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark, recognised by NULs in alternating positions.

    ASCII characters, digits and line breaks in UTF-16 have a NUL high byte, so UTF-16-LE text
    has its NULs at odd offsets (UTF-16-BE: even), while binary data has them anywhere.
    """
    if len(data) % 2:
        return None
    sample = data[:_UTF16_SAMPLE]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    needed = max(1, len(sample) // 200)  # NULs in at least 1 % of the 2-byte units
    if odd_nuls >= needed and even_nuls * 4 <= odd_nuls:
        encoding = "utf-16-le"
    elif even_nuls >= needed and odd_nuls * 4 <= even_nuls:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


# The ~600 most common Chinese characters: the top of a general frequency list, plus words of
# government plans (治理, 责任, 牵头单位, 纠纷 ...), plus the traditional forms of all of them.
#
# Why count common characters: GB18030 and Big5 share their byte ranges (lead 0x81-0xFE, trail
# 0x40-0x7E / 0xA1-0xFE), so most Big5 files also decode *without error* as GB18030 and many
# GB2312 files decode as Big5.  Both decodings then consist of CJK ideographs, so "is it CJK"
# cannot tell them apart.  The right decoding is real text, and ~80 % of the characters of a
# real plan are in this set; the wrong one is a scatter over ~20,000 ideographs, mostly rare
# ones (the Big5 bytes of 推進基層治理 read as GB18030 are 崩秈膀糷獀瞶), few of them here.
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方"
    "多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情"
    "明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给"
    "世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太"
    "量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济"
    "车亲极林服快办议往元英士证近失转夫令准布府委室印施案推健善落责单牵配级乡镇街村县省层矛盾纠纷排查网综维稳群众织考核监督宣"
    "障费隐患措标创试示范款项依贯彻深积升构筑這個們來爲國說時會對於過發後裏種經麼學現當沒動還進樣開從實軍無與長機關點業將兩間"
    "問並應戰頭體見產話內給門兒東聲員論處義幾認條氣題爾別變總電數報結務場計資許統區隊決馬書則聽卻達強難權設記類據邊張該規萬覺"
    "術領確傳師觀讓識帶導爭運飛風幹聯組濟車親極辦議證轉準責單牽級鄉鎮縣層糾紛網綜維穩羣衆織監費隱標創試範項貫徹積構築為眾裡臺"
)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_PLAUSIBILITY_SAMPLE = 200_000  # non-ASCII characters looked at
_MIN_CJK_SHARE = 0.9  # of the non-ASCII characters: ideographs, CJK / full-width punctuation
_MIN_COMMON_SHARE = 0.2  # of the ideographs: in _COMMON_HANZI (real plans: ~0.8)
_MIN_IDEOGRAPHS_FOR_COMMON = 50  # below this the common share says little

# Non-ASCII characters at home in Chinese text (the candidates' decodings are judged by them).
_CHINESE_TEXT_RANGES: tuple[tuple[int, int], ...] = (
    (0x2000, 0x206F),  # general punctuation: — ‘ ’ “ ” … ※
    (0x2100, 0x22FF),  # letterlike (℃ №), number forms (Ⅰ Ⅱ), arrows, maths (≤ ≥ ∶)
    (0x2460, 0x27BF),  # enclosed numbers (①), box drawing, shapes (■ ●), symbols (★)
    (0x3000, 0x303F),  # CJK punctuation: 、。《》【】
    (0x3105, 0x312F),  # bopomofo
    (0x3200, 0x33FF),  # enclosed CJK (㈠ ㈡), CJK compatibility (㎡ ㎏)
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE6F),  # CJK compatibility and small forms
    (0xFF00, 0xFF60),  # full-width ASCII: ，（）：；
    (0xFFE0, 0xFFEF),  # full-width signs: ￥
    (0x20000, 0x3134F),  # CJK extensions B-G
)
_LATIN1_IN_CHINESE = frozenset("\u00a0§¨°±·×÷")


def _is_ideograph(code: int) -> bool:
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def _is_chinese_text_char(char: str) -> bool:
    code = ord(char)
    return char in _LATIN1_IN_CHINESE or any(low <= code <= high for low, high in _CHINESE_TEXT_RANGES)


def _chinese_score(text: str) -> int | None:
    """How many common Chinese characters ``text`` has; None if it does not look like Chinese."""
    non_ascii = ideographs = chinese = common = 0
    for match in itertools.islice(_NON_ASCII.finditer(text), _PLAUSIBILITY_SAMPLE):
        char = match.group()
        non_ascii += 1
        if _is_chinese_text_char(char):
            chinese += 1
            if _is_ideograph(ord(char)):
                ideographs += 1
                common += char in _COMMON_HANZI
    if non_ascii == 0 or chinese < _MIN_CJK_SHARE * non_ascii:
        return None
    if ideographs >= _MIN_IDEOGRAPHS_FOR_COMMON and common < _MIN_COMMON_SHARE * ideographs:
        return None
    return common


# Python codec names that GB18030 or Big5 already cover (GB18030 is a superset of GBK/GB2312).
_COVERED = frozenset({"gb18030", "gbk", "gb2312", "big5"})


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    """Not UTF-8: try GB18030 and Big5 (and charset-normalizer's guess if neither fits)."""
    best: tuple[int, str, str] | None = None  # (score, text, encoding)
    for encoding in ("gb18030", "big5"):
        best = _better(best, data, encoding)
    if best is None:
        # Only now: charset-normalizer is slow to import and its guess for Chinese text is
        # one of the two above anyway.
        best = _better(best, data, _charset_normalizer_guess(data))
    if best is None:
        raise InputError(name, _UNDECODABLE)
    return best[1], best[2]


def _better(best: tuple[int, str, str] | None, data: bytes, encoding: str | None) -> tuple[int, str, str] | None:
    """Decode strictly with ``encoding``; keep it if plausible and more Chinese than ``best``."""
    if encoding is None:
        return best
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return best
    score = _chinese_score(text)
    if score is None or (best is not None and score <= best[0]):
        return best
    return score, text, encoding


def _charset_normalizer_guess(data: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.encoding).name
    except LookupError:
        return None
    return None if encoding in _COVERED else encoding
