"""Quantitative targets: "调解成功率达到90%以上", "至少建成一个调解中心", "3-5人", "xx%".

A number is a target when the plan commits to it: it follows a comparison word
(达到, 不少于, 控制在 …), carries a percent sign, or counts what a commitment verb
builds (建成3个, 设立一个).  Ordinals (第一, 十九大), names in quotes (“六个第一时间”),
frequencies (每季度…一次) and statistics of the past (已排查951起) are not targets.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from .. import lexicon
from ..model import Target
from ..structure import cn_number

CLAUSE_BREAKS = ",，;；。:：!?！？"
WINDOW = 80  # characters looked at on each side of a number
_CN_NUM = "零一二两三四五六七八九十百千万"
_ADVERBS = ("力争", "确保", "争取", "要", "并", "再", "均", "都", "全部", "基本", "共", "累计", "每年", "年均")
# Chinese-numeral counts are targets only right after these (建成一个, 设立一个)
_CN_COMMIT = ("建成", "设立", "新建", "组建", "设置", "建立", "增加", "新增")
_PLACE_PREFIX = ("全市", "全县", "全区", "全镇", "全乡", "全省", "各级", "我市", "我县", "我区", "我镇")


@lru_cache(maxsize=1)
def _lex():
    d = lexicon.load("targets")
    units = sorted(d["count_units"], key=len, reverse=True)
    marks, numerals = "xX×*＊", "零一二两三四五六七八九十百千"  # placeholders; Chinese numerals
    num = rf"\d+(?:\.\d+)?|[{marks}]{{1,5}}|百分之[零一二两三四五六七八九十百点]{{1,6}}|[{numerals}]{{1,5}}"
    token = re.compile(
        rf"({num})(?:\s*(?:-|—|~|～|至|到)\s*({num}))?\s*(万|亿|千)?\s*(%|‰|{lexicon.alternation(units)})?")
    ops = dict(d["ops_before"])
    # the comparison word right before the number, or (two-character words and
    # longer) up to six characters of a noun between them: "达到总户数20%"
    right_before = re.compile("(" + lexicon.alternation(list(ops)) + ")$")
    with_gap = re.compile("(" + lexicon.alternation([w for w in ops if len(w) >= 2])
                          + r")([^,，;；。:、]{1,6})$")
    ops_before = (ops, right_before, with_gap)
    ops_after = sorted(d["ops_after"].items(), key=lambda kv: len(kv[0]), reverse=True)
    # the characters a number (num) can begin with (百分之 begins with 百, a numeral):
    # token matches where one of them stands and nowhere else; see _tokens
    num_start = re.compile(rf"[\d{marks}{numerals}]")
    return d, token, ops_before, ops_after, num_start


@lru_cache(maxsize=1)
def _commit_verbs() -> tuple[str, ...]:
    return tuple(sorted(_lex()[0]["commit_verbs"], key=len, reverse=True))


def _value(s: str) -> float | int | None:
    """The value of a number as written; None for a placeholder (xx)."""
    if not s or s[0] in "xX×*＊":
        return None
    if s.startswith("百分之"):
        s = s[3:]
    if s[0].isdigit():
        v = float(s)
    else:
        v = cn_number(s)
        if v is None:
            try:
                import cn2an  # only for numerals beyond the small ones cn_number reads

                v = float(cn2an.cn2an(s, "smart"))
            except Exception:
                return None
    return int(v) if float(v).is_integer() else v


# a clause: a run of text between clause breaks (a regex finds them in C; a loop over
# every character of every line was the largest cost of find_targets)
_CLAUSE = re.compile("[^" + re.escape(CLAUSE_BREAKS) + "]+")


def _tokens(token: re.Pattern, num_start: re.Pattern, text: str) -> list[re.Match]:
    """What ``token.finditer(text)`` gives, found faster.  The token pattern begins with an
    alternation, which Python's re tries at every position of the line; a character class
    it skips through quickly, so ``num_start`` finds where a number can begin, and token
    matches at each such place."""
    out = []
    start = num_start.search(text)
    while start:
        m = token.match(text, start.start())
        out.append(m)
        start = num_start.search(text, m.end())
    return out


def _strip_adverbs(s: str) -> str:
    if not s.endswith(_ADVERBS):
        return s  # the common case, decided in one call
    changed = True
    while changed and s:
        changed = False
        for a in _ADVERBS:
            if s.endswith(a):
                s = s[: -len(a)]
                changed = True
    return s


def _op_before(before: str, ops_before) -> tuple[str | None, str, str]:
    """(operator, text before the comparison word, noun between word and number)."""
    ops, right_before, with_gap = ops_before
    s = before.rstrip()
    tail = s[-16:]
    m = right_before.search(tail)
    if m:
        return ops[m.group(1)], s[: len(s) - len(m.group(1))], ""
    m = with_gap.search(tail)
    if m:
        # the match nearest the number: search again inside the gap for a later word
        while True:
            inner = with_gap.search(tail, m.start(1) + 1)
            if not inner:
                break
            m = inner
        cut = len(s) - len(tail) + m.start(1)
        return ops[m.group(1)], s[:cut], m.group(2)
    return None, s, ""


def _positions(text: str, ch: str) -> list[int]:
    """Every index of ``ch`` in ``text``, in order (str.find: work in proportion to the hits)."""
    out = []
    i = text.find(ch)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


class _Quotes:
    """Whether a position is inside quotes, from the quote marks' positions found once per line."""

    def __init__(self, text: str):
        self.text = text
        self.found = False

    def inside(self, pos: int) -> bool:
        if not self.found:  # looked for on first use only: most lines never ask
            text = self.text
            self.found = True
            self.open, self.close, self.plain = (_positions(text, q) for q in ("“", "”", '"'))
        # bisect_left: how many of the marks stand before pos
        return (bisect_left(self.open, pos) > bisect_left(self.close, pos)
                or bisect_left(self.plain, pos) % 2 == 1)


def _bracket_end(text: str, pos: int, hi: int) -> int:
    """End of the part after a number: the clause end, or an unmatched closing bracket."""
    depth = 0
    for i in range(pos, hi):
        c = text[i]
        if c in "(（":
            depth += 1
        elif c in ")）":
            if depth == 0:
                return i
            depth -= 1
    return hi


def _sub_start(text: str, lo: int, pos: int) -> int:
    """Start of the part of a clause that belongs to the number at ``pos``: after a
    、 or an unclosed bracket before it."""
    depth = 0
    for i in range(pos - 1, lo - 1, -1):
        c = text[i]
        if c in ")）":
            depth += 1
        elif c in "(（":
            if depth == 0:
                return i + 1
            depth -= 1
        elif c == "、" and depth == 0:
            return i + 1
    return lo


# "80%~90%" / "80％～90％": the first % of a percent range, blanked (same length) for matching
_RANGE_FIRST_PERCENT = re.compile(r"%(?=\s*(?:-|—|~|～|至|到)\s*\d+(?:\.\d+)?\s*%)")
_LEADING_TIME = re.compile(r"(?:到|在|于)?\d{4}年(?:年底|底|内)?(?:前|以前|之前)?")
_TRAILING_BASE = re.compile(r"(?:要|将|应|需)?(?:在|比|较)\d{4}年(?:的)?(?:基础上)?$")


def _clean_metric(metric: str) -> str:
    """The measured thing without a leading time ("2019年") or a baseline ("在2018年基础上")."""
    from .deadlines import find_deadlines

    m = metric.strip(" 、")
    if m.startswith(("力争", "确保", "争取")):
        m = m[2:]
    if m.startswith(("实现", "完成")) and len(m) > 4:
        m = m[2:]
    lead = _LEADING_TIME.match(m)
    if lead and lead.end() < len(m):
        m = m[lead.end():]
    times = find_deadlines(m)
    if times and times[0].start_pos == 0 and times[0].end_pos < len(m):
        m = m[times[0].end_pos:]
    base = _TRAILING_BASE.search(m)
    if base and base.start() > 0:
        m = m[: base.start()]
    m = _strip_adverbs(m.rstrip("要将应需 "))
    for pp in _PLACE_PREFIX:
        if m.startswith(pp) and len(m) > len(pp):
            m = m[len(pp):]
    if m.endswith((")", "）")) and m.rfind("(") > 1 and ("、" in m[m.rfind("("):] or "等" in m[m.rfind("("):]):
        m = m[: m.rfind("(")]  # "平安村(小营村、崔家山村)": the names in brackets are examples
    if m.count("“") < m.count("”") and m.startswith("”"):
        m = m[1:]
    return m.strip()


def find_targets(text: str, line: int | None = None) -> list[Target]:
    """Every target in one line of text."""
    d, token, ops_before, ops_after, num_start = _lex()
    if not num_start.search(text):
        return []  # no number can begin anywhere in the line
    scan = _RANGE_FIRST_PERCENT.sub(" ", text) if "%" in text else text
    # A token never holds a clause break (numbers, range signs and units hold none), so
    # one pass over the whole line finds the tokens that a pass per clause would.
    tokens = _tokens(token, num_start, scan)
    if not tokens:
        return []
    commit = _commit_verbs()
    quotes = _Quotes(text)
    out: list[Target] = []
    prev_clause = (0, 0)
    first = 0  # the first token not yet given to a clause
    for clause in _CLAUSE.finditer(text):
        lo, hi = clause.span()
        last = first
        while last < len(tokens) and tokens[last].start() < hi:
            last += 1
        clause_tokens = tokens[first:last]
        first = last
        if not clause_tokens:
            prev_clause = (max(lo, hi - WINDOW), hi)
            continue
        accepted_prev_end, accepted_unit = None, None
        clause_lo, clause_hi = lo, hi
        frequency = None  # does the clause name a frequency (每季度…)? looked up on first need
        for idx, m in enumerate(clause_tokens):
            s, e = m.span()
            # The cheap rejections first, before any slicing: most tokens are a Chinese
            # numeral inside a word (统一, 进一步) or after 第/每 (第一, 每一).  A token
            # that starts the line ("90%以上的村…") has no character before it.
            prev_char = text[s - 1] if s > 0 else ""
            if prev_char and (prev_char in "第前每个" or prev_char.isdigit()):
                continue
            a, b, mult, unit = m.groups()
            cn = not (a[0].isdigit() or a[0] in "xX×*＊" or a.startswith("百分之"))
            if a.startswith("百分之"):
                unit = "%"
            if cn and unit is None:
                continue
            next_char = text[e] if e < clause_hi else ""
            if next_char in ("年", "月", "日", "号", "届", "大", "中", "级", "类", "岁", "/") and unit is None:
                continue
            if cn and quotes.inside(s):
                continue
            duration = None  # "三个月", "两个工作日": a duration, not a count of things
            if unit == "个" and (next_char in ("月", "工") or text[e:e + 2] == "小时"):
                duration = "月" if next_char == "月" else ("小时" if next_char == "小" else "工作日")
                if duration == "工作日" and text[e:e + 3] != "工作日":
                    continue
            # look at most WINDOW characters around a number, so that a clause of
            # any length costs time linear in its length
            lo, hi = max(clause_lo, s - WINDOW), min(clause_hi, e + WINDOW)
            before = text[lo:s]
            after = text[e:hi]
            if any(mk in before for mk in d["past_markers"]):
                continue
            if unit in ("次", "人次"):
                if frequency is None:
                    frequency = any(f in text[clause_lo:clause_hi] for f in d["frequency_markers"])
                if frequency:
                    continue
            value = _value(a)
            placeholder = a[0] in "xX×*＊"
            if value is None and not placeholder:
                continue
            if placeholder and unit is None:
                continue  # "为xx经济社会发展": a hidden place name, not a number
            if b is not None:
                v2 = _value(b)
                if v2 is None and not placeholder:
                    continue
                value = [value, v2]
            if mult and isinstance(value, (int, float)) and (unit in (None, "元") or not unit):
                unit = (mult + unit) if unit else mult  # 500万元: money keeps its written scale
            elif mult and unit and unit != "%":
                factor = {"万": 10000, "亿": 100000000, "千": 1000}[mult]
                if isinstance(value, list):
                    value = [v * factor if v is not None else None for v in value]
                elif value is not None:
                    value = value * factor  # 两万个 -> 20000 个
            op, subject, gap = _op_before(before, ops_before)
            if duration:
                if op is None:
                    continue  # a duration is a target only after a comparison word
                unit = duration  # "压缩至5个工作日": 5, 工作日
            stripped = _strip_adverbs(subject.rstrip())
            verb = next((v for v in commit if stripped.endswith(v)), None) if stripped.endswith(commit) else None
            between = text[accepted_prev_end:s] if accepted_prev_end is not None else ""
            enumerated = accepted_prev_end is not None and (
                len(between) <= 8 and between.rstrip().endswith(("、", "和", "及"))
                # "建成县级中心1个、乡镇分中心12个": the next item, noun first, of a list
                # whose first count was accepted
                or len(between) <= 12 and between.lstrip().startswith(("、", "和", "及"))
                and unit is not None and unit == accepted_unit)
            tail_count = False
            if unit and unit != "%" and op is None and verb is None and not enumerated:
                # "创建成信用村5个": commitment verb, noun, then the count at clause end
                # (or at the end of the first item of a list: "建成县级中心1个、…")
                rest = after.strip()
                if not rest or rest[0] in ")）、和及":
                    for v in commit:
                        k = before.rfind(v)
                        if k >= 0 and 0 < len(before) - k - len(v) <= 10:
                            tail_count = True
                            verb = v
                            break
            if unit == "%" or (unit is None and op is not None) or (unit in ("‰",)):
                ok = op is not None or unit is not None
                if unit is None and op is None:
                    ok = False
            else:
                ok = op is not None or verb is not None or enumerated or tail_count
            if not ok:
                continue
            if cn:
                # a Chinese numeral counts right after a commitment word (建成一个), or
                # closing its clause after a verb and a noun ("配备调解员二至三名")
                if not stripped.endswith(_CN_COMMIT) and op is None and not tail_count:
                    continue
                if value == 1 and unit in d["article_units"]:
                    continue
            if unit is None and not op:
                continue
            # the operator: after-words (以上/以内) win, then the comparison word
            rest = after.lstrip()
            for word, op_after in ops_after:
                if rest.startswith(word):
                    op = op_after if op in (None, ">=", "=", "<=") else op
                    break
            if isinstance(value, list):
                op = "range"
            elif op is None or op in (">",) and False:
                op = "="
            start = _sub_start(text, lo, s)
            if accepted_prev_end is not None and accepted_prev_end > start:
                start = accepted_prev_end
                while start < s and text[start] in "、和及 ":
                    start += 1
            nxt = clause_tokens[idx + 1].start() if idx + 1 < len(clause_tokens) else hi
            end = _bracket_end(text, e, hi)
            seg_after = text[e:nxt]
            if "、" in seg_after and idx + 1 < len(clause_tokens):
                end = e + seg_after.index("、")
            elif seg_after.lstrip().startswith(("和", "及")) and idx + 1 < len(clause_tokens):
                end = e + len(seg_after) - len(seg_after.lstrip())  # "示范村5个和示范社区3个"
            tgt_text = text[start:end].strip()
            subj = _strip_adverbs(subject[start - lo:] if start > lo else subject).strip()
            for pp in _PLACE_PREFIX:
                if subj.startswith(pp):
                    subj = subj[len(pp):]
            obj = text[e:end]
            if duration and obj.startswith(duration):
                obj = obj[len(duration):]  # the rest of the unit, not the thing measured
            for word, _ in ops_after:
                if obj.startswith(word):
                    obj = obj[len(word):]
                    break
            obj = obj.lstrip("的").strip()
            if tail_count and verb:
                metric = before[before.rfind(verb) + len(verb):].strip()
            elif unit not in (None, "%") and obj:
                metric = obj
            elif unit not in (None, "%") and gap:
                metric = gap
            elif unit == "%" and obj and len(_clean_metric(subj)) <= 1:
                metric = obj  # "有xx%的乡镇设立社会工作服务站": the share is of what follows
            elif subj and verb and op is None and subj.endswith(verb):
                metric = obj or subj[: -len(verb)]
            else:
                metric = subj or obj
            if (not subj and not obj and not tail_count and prev_clause[1] > prev_clause[0]
                    and (unit == "%" or unit is None)):
                # "提高志愿者注册比例,力争达到…xx%以上": the subject is the clause before
                prev_text = text[prev_clause[0]:prev_clause[1]].strip()
                tgt_text = prev_text + text[prev_clause[1]] + tgt_text
                pv = prev_text
                for v in ("提高", "提升", "增加", "扩大", "降低"):
                    if pv.startswith(v):
                        pv = pv[len(v):]
                metric = metric if obj and unit not in (None, "%") else pv
            out.append(Target(tgt_text, _clean_metric(metric), op, value, unit, line=line,
                              placeholder=placeholder))
            accepted_prev_end, accepted_unit = e, unit
        prev_clause = (max(clause_lo, clause_hi - WINDOW), clause_hi)
        if first == len(tokens):
            break  # the clauses left hold no token: nothing more to find
    return out
