"""How alike two pieces of plan text are, when a county rewrites a city's plan.

A county that adopts a city's 实施方案 renames 市公安局 to 县公安局, 全市 to 全县,
保定 to its own name, changes some numbers and keeps most of the wording.  To see
through that, measure text is normalized before it is compared
(``TextNormalizer``):

* unit names the plan lists are replaced by their canonical key
  (``canon.canonical``: 市委政法委 and 县委政法委员会 are both ``委政法委``), or by
  ``@`` for the *wording* comparison, where units do not count at all;
* the plan's own place name (保定市, and 保定 alone) becomes ``#``;
* a level character (省 市 县 区 镇 乡 旗 州 盟) becomes ``#`` unless it is part
  of an ordinary word (市场, 城市, 社区, 乡村 …: ``ORDINARY_WORDS``);
* runs of digits become ``0`` (numbers are compared as targets and deadlines).

Two normalized texts are compared on two sets (``Features``): the words of
``jieba`` (loaded on first use only: it takes about a second) and the character
bigrams and trigrams.  ``similarity`` is the mean of the two Jaccard indexes:
1.0 for the same text, about 0.1-0.2 for two different measures on the same topic.

For many plans, ``sketch_text`` turns the two sets into a 256-byte signature
(one-permutation MinHash with rotation densification, 8 bits kept per bin) whose
byte-wise agreement estimates the same similarity (``sketch_similarity``, about
±0.03), and whose 4-byte bands index it for locality-sensitive hashing.
``verbatim_grams`` gives the hashed character 8-grams used to measure text copied
word for word.

Hashes are ``zlib.crc32`` (mixed by a multiplication for the sketches): the same in
every process (Python's ``hash`` of a string is not), so worker processes can
sketch plans.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping

from .normalize import fold_width

__all__ = [
    "ORDINARY_WORDS", "TextNormalizer", "Features", "features", "words", "char_grams", "jaccard",
    "similarity", "sketch_text", "sketch_similarity", "band_keys", "verbatim_text", "verbatim_grams",
    "SKETCH_BYTES", "BAND_ROWS",
]

LEVEL_CHARS = "省市县区镇乡旗州盟"
# Words holding a level character that is no level: they are left as they are.
# "市民" is one unless 政 follows (市民政局 is 市 + 民政局).
ORDINARY_WORDS = (
    "市场", "市民", "市容", "市政公用", "市政设施", "市政工程", "市政管理", "市政园林", "市政道路",
    "市域", "超市", "城市", "都市", "集市", "门市", "夜市",
    "县域", "区域", "区块", "区划", "区间", "地区", "社区", "小区", "园区", "景区", "辖区", "片区",
    "山区", "库区", "矿区", "林区", "牧区", "街区", "校区", "开发区", "高新区", "保税区", "自贸区",
    "示范区", "试验区", "实验区", "功能区", "灾区", "老区", "城区", "误区", "盲区", "禁区", "专区",
    "城乡", "乡村", "乡贤", "乡风", "乡愁", "乡土", "家乡", "故乡", "下乡", "返乡", "老乡", "乡亲",
    "城镇", "村镇", "镇定", "坐镇", "重镇", "红旗", "国旗", "党旗", "团旗", "旗帜", "旗舰", "联盟",
    "加盟", "结盟", "盟约", "省力", "省心", "节省", "反省", "省钱",
)
_NOT_ORDINARY_BEFORE = {"市民": "政"}
_LEVEL_CHAR = re.compile("[" + LEVEL_CHARS + "]")
# level character -> (its offset in the word, word) for each ordinary word holding it
_COVERS: dict[str, list[tuple[int, str]]] = {}
for _w in ORDINARY_WORDS:
    for _k, _c in enumerate(_w):
        if _c in LEVEL_CHARS:
            _COVERS.setdefault(_c, []).append((_k, _w))
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NOT_WORD = re.compile(r"[^\w#@]+")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
# numerals, for the verbatim comparison: 2019 and 二〇一九, 90% and 九十 all fold to 0
_NUMERALS = re.compile(r"[0-9〇零一二三四五六七八九十百千万亿两]+")

UNIT_PLACEHOLDER = "@"
PLACE_PLACEHOLDER = "#"


def _ordinary(s: str, i: int) -> bool:
    """Is the level character at ``s[i]`` part of an ordinary word?"""
    for k, w in _COVERS.get(s[i], ()):
        start = i - k
        if start >= 0 and s.startswith(w, start):
            after = _NOT_ORDINARY_BEFORE.get(w)
            if after is None or not s.startswith(after, start + len(w)):
                return True
    return False


def level_free(s: str) -> str:
    """``s`` with every level character outside an ordinary word replaced by ``#``."""
    hits = [m.start() for m in _LEVEL_CHAR.finditer(s)]
    if not hits:
        return s
    chars = list(s)
    for i in hits:
        if not _ordinary(s, i):
            chars[i] = PLACE_PLACEHOLDER
    return "".join(chars)


def place_stems(places: Iterable[str]) -> list[str]:
    """Place names to blank out: 保定市 gives 保定市 and 保定 (a stem of two or more characters)."""
    out: set[str] = set()
    for p in places:
        p = (p or "").strip()
        if len(p) < 2:
            continue
        out.add(p)
        if p[-1] in LEVEL_CHARS and len(p) >= 3:
            out.add(p[:-1])
    return sorted(out, key=len, reverse=True)


class TextNormalizer:
    """Normalizes the text of one plan (or of two plans being compared).

    ``units``: the unit names the plan lists (replaced by canonical keys, longest
    first); ``places``: place names such as the plan's region (blanked).
    """

    def __init__(self, units: Iterable[str] = (), places: Iterable[str] = (),
                 aliases: Mapping[str, str] | None = None):
        names = sorted({u for u in units if u and len(u) >= 2}, key=len, reverse=True)
        self._keys: dict[str, str] = {}
        if names:
            from .canon import canonical

            for n in names:
                self._keys[n] = canonical(n, aliases)
            self._units = re.compile("|".join(re.escape(n) for n in names))
        else:
            self._units = None
        stems = place_stems(places)
        self._places = re.compile("|".join(re.escape(p) for p in stems)) if stems else None

    def _common(self, s: str, unit_repl) -> str:
        if _FULL_WIDTH.search(s):  # plans come width-folded; other text may not
            s = fold_width(s)
        if self._units is not None:
            s = self._units.sub(unit_repl, s)
        if self._places is not None:
            s = self._places.sub(PLACE_PLACEHOLDER, s)
        s = level_free(s)
        return _DIGITS.sub("0", s)

    def content(self, s: str) -> str:
        """Text for aligning measures: units as canonical keys, no places, levels or numbers."""
        return self._common(s, lambda m: "〔" + self._keys[m.group(0)] + "〕")

    def wording(self, s: str) -> str:
        """Text for comparing wording: as ``content`` but with every listed unit as ``@``."""
        return self._common(s, lambda m: UNIT_PLACEHOLDER)


# --------------------------------------------------------------------------- features


@lru_cache(maxsize=1)
def _jieba():
    """jieba's default tokenizer, initialized quietly (about a second, once per process)."""
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


_WORDS: dict[str, tuple[str, ...]] = {}  # jieba's cut of each text block seen in this process
_WORDS_MAX = 500_000


def words(s: str) -> list[str]:
    """The jieba words of ``s`` (no HMM guessing of new words: the same text always cuts
    the same way), without punctuation and spaces.

    jieba cuts each run of Han characters, letters and digits on its own; the cut of
    each run is remembered, as plans repeat their clauses (and copy each other's)."""
    jb = _jieba()
    out: list[str] = []
    cache = _WORDS
    for block in jb.re_han_default.findall(s):
        ws = cache.get(block)
        if ws is None:
            if len(cache) >= _WORDS_MAX:
                cache.clear()
            ws = cache[block] = tuple(x for x in (_NOT_WORD.sub("", w) for w in jb.lcut(block, HMM=False)) if x)
        out.extend(ws)
    return out


def compact(s: str) -> str:
    """Only the word characters of ``s`` (CJK, letters, digits, ``#``, ``@``)."""
    return _NOT_WORD.sub("", s)


def char_grams(s: str, sizes: tuple[int, ...] = (2, 3)) -> set[str]:
    """The character n-grams of ``s`` (punctuation removed first); a text shorter than the
    smallest size gives itself."""
    c = compact(s)
    out: set[str] = set()
    for n in sizes:
        out.update(c[i:i + n] for i in range(len(c) - n + 1))
    if not out and c:
        out.add(c)
    return out


@dataclass(frozen=True)
class Features:
    words: frozenset
    grams: frozenset

    @property
    def empty(self) -> bool:
        return not self.words and not self.grams


def features(normalized: str) -> Features:
    """The word and character-gram sets of a normalized text."""
    return Features(frozenset(words(normalized)), frozenset(char_grams(normalized)))


def jaccard(a: frozenset | set, b: frozenset | set) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similarity(a: Features, b: Features) -> float:
    """Mean of the Jaccard indexes of the words and of the character grams (0..1)."""
    if a.empty or b.empty:
        return 0.0
    return 0.5 * jaccard(a.words, b.words) + 0.5 * jaccard(a.grams, b.grams)


def similarity_bound(a: Features, b: Features) -> float:
    """An upper bound of ``similarity(a, b)`` from the set sizes alone."""
    def ratio(x: int, y: int) -> float:
        return min(x, y) / max(x, y) if x and y else 0.0

    return 0.5 * ratio(len(a.words), len(b.words)) + 0.5 * ratio(len(a.grams), len(b.grams))


# --------------------------------------------------------------------------- sketches

SKETCH_BINS = 128  # per set: words, then grams
SKETCH_BYTES = 2 * SKETCH_BINS
BAND_ROWS = 4
_MASK32 = 0xFFFFFFFF
_MIX = 0x9E3779B1  # odd: multiplying by it permutes the 32-bit values


_BIN = (32 - 7).__rrshift__  # h -> its bin: the top 7 bits (SKETCH_BINS == 128)
_LOW8 = (0xFF).__and__
_MIX_MUL = _MIX.__mul__
_MASK = _MASK32.__and__


def _oph(crcs: Iterable[int]) -> bytes | None:
    """One-permutation MinHash of a set of 32-bit hashes (mixed by a multiplication
    first): SKETCH_BINS bins (the top 7 bits) of 8 bits each (the low bits of the bin's
    smallest value), an empty bin filled from the next non-empty one, at a
    distance-dependent offset (rotation densification).  Loops run in C (map, sorted,
    dict): this is the costliest step of sketching many plans."""
    hashes = sorted(map(_MASK, map(_MIX_MUL, crcs)), reverse=True)
    if not hashes:
        return None
    mins = dict(zip(map(_BIN, hashes), map(_LOW8, hashes)))  # the smallest is written last
    k = SKETCH_BINS
    if len(mins) == k:
        return bytes(map(mins.__getitem__, range(k)))
    filled = sorted(mins)
    out = bytearray(k)
    nxt = 0  # index in ``filled`` of the next non-empty bin at or after j
    for j in range(k):
        v = mins.get(j)
        if v is not None:
            out[j] = v
            nxt += 1
            continue
        if nxt < len(filled):
            donor, dist = filled[nxt], filled[nxt] - j
        else:
            donor, dist = filled[0], filled[0] + k - j
        out[j] = (mins[donor] + dist * 0x5BD1E995) & 0xFF
    return bytes(out)


def _gram_crcs(c: str) -> set[int]:
    """crc32 of each 2- and 3-gram of a compact text (of the text itself when shorter),
    read from its UTF-32 bytes: the same sets as ``char_grams``."""
    b = c.encode("utf-32-le")
    n = len(b)
    crc, cut = zlib.crc32, b.__getitem__
    out = set(map(crc, map(cut, map(slice, range(0, n - 4, 4), range(8, n + 4, 4)))))
    out.update(map(crc, map(cut, map(slice, range(0, n - 8, 4), range(12, n + 4, 4)))))
    if not out and b:
        out.add(crc(b))
    return out


def sketch_text(normalized: str) -> bytes | None:
    """A 256-byte signature of the words and the character grams of a normalized text
    (the sets of ``features``); None when it has neither."""
    w = set(map(zlib.crc32, map(str.encode, words(normalized))))
    g = _gram_crcs(compact(normalized))
    if not w and not g:
        return None
    return (_oph(w) or bytes(SKETCH_BINS)) + (_oph(g) or bytes(SKETCH_BINS))


def sketch_similarity(a: int, b: int) -> float:
    """Estimated ``similarity`` of two signatures given as ``int.from_bytes(sig, 'little')``.

    Each half estimates a Jaccard index as (agreeing bytes / 128 - 1/256) / (1 - 1/256)
    (two different 8-bit values agree by chance 1 time in 256); their mean is
    (agreeing bytes of all 256 - 1) / 255."""
    agree = (a ^ b).to_bytes(SKETCH_BYTES, "little").count(0)
    return max(0.0, (agree - 1) / 255)


def agreement_needed(similarity_: float) -> int:
    """The fewest agreeing bytes for which ``sketch_similarity`` reaches ``similarity_``."""
    import math

    return math.ceil(similarity_ * 255 + 1 - 1e-9)


def band_keys(sig: bytes, rows: int = BAND_ROWS) -> list[bytes]:
    """The LSH band keys of a signature: one per ``rows`` bytes, prefixed with the band number."""
    return [bytes((i,)) + sig[o:o + rows] for i, o in enumerate(range(0, len(sig), rows))]


# --------------------------------------------------------------------------- verbatim text


def verbatim_text(normalized: str) -> str:
    """Text for finding word-for-word copies, from text normalized by ``TextNormalizer``
    (simplified script, half-width, places and levels as #, units as their keys): no
    punctuation or spaces, and every run of numerals (also 一 二 三 …) as 0."""
    return _NUMERALS.sub("0", compact(normalized))


def verbatim_grams(s: str, n: int = 8) -> set[int]:
    """crc32 hashes of the distinct character ``n``-grams of a ``verbatim_text``."""
    b = s.encode("utf-32-le")
    w = 4 * n
    return set(map(zlib.crc32, map(b.__getitem__, map(slice, range(0, len(b) - w + 4, 4), range(w, len(b) + 4, 4)))))
