"""Find the heading tree of a plan: ordered heading rules -> a tree of ``Node``.

Each heading style (一、 (一) 1. (1) ① 第一阶段 …) is a named rule in
``data/headings.yaml``.  A style's depth is not fixed: it is set by the order in
which styles first appear in the document, so a plan that starts at (一) or that
puts unnumbered headings (指导思想) above 一、 is read as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import lexicon
from .normalize import Line

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
SENTENCE_END = "。;;!?！？"
# characters after a bare number that show it is a quantity or date, not a heading
# ("12月底前", "3个村"): a number with no separator followed by them is not "3坚持".
_NOT_AFTER_BARE_NUMBER = set("年月日号个人项次天家所名条万千亿元倍批户级类期届周岁")


def cn_number(s: str) -> int | None:
    """Value of a small Chinese numeral (一 .. 九百九十九), or of arabic digits."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s:
        return None
    total, current = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@dataclass
class Node:
    """A heading and what stands under it until the next heading."""

    style: str  # root | plain | attachment | bullet | a style name of headings.yaml
    number: str  # the numbering as written ("一、", "(一)", "1."), "" for unnumbered
    value: int | None  # the number's value
    title: str  # the heading line after the number
    line: Line | None  # the heading line (None for the root)
    body: list[Line] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)
    level: int = 0
    kind: str | None = None  # own section kind, from the title

    @property
    def own_lines(self) -> list[Line]:
        head = [Line(self.title, self.line.origin, self.line.last)] if self.line and self.title else []
        return head + self.body

    @property
    def own_text(self) -> str:
        return "\n".join(ln.text for ln in self.own_lines)

    @property
    def first_line(self) -> int | None:
        if self.line:
            return self.line.origin
        return self.body[0].origin if self.body else None

    def last_line(self) -> int | None:
        node = self
        while node.children:
            node = node.children[-1]
        if node.body:
            return node.body[-1].end
        return node.line.end if node.line else None

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    @property
    def effective_kind(self) -> str | None:
        if self.kind:
            return self.kind
        for a in self.ancestors():
            if a.kind:
                return a.kind
        return None


@dataclass(frozen=True)
class _Style:
    name: str
    regex: re.Pattern
    numeral: str


@lru_cache(maxsize=1)
def _rules():
    data = lexicon.load("headings")
    styles = [_Style(s["name"], re.compile(s["pattern"]), s["numeral"]) for s in data["styles"]]
    kinds = lexicon.load("section_kinds")["kinds"]
    keyword_kind = []
    for kind, spec in kinds.items():
        for kw in spec["keywords"]:
            keyword_kind.append((kw, kind))
    return styles, keyword_kind, data


def _kind_keyword(title: str) -> str | None:
    _, keyword_kind, _ = _rules()
    for kw, _kind in keyword_kind:
        if kw in title[:30]:
            return kw
    return None


def kind_of(title: str) -> str | None:
    """The section kind a heading title names, if any (工作措施 -> tasks)."""
    _, keyword_kind, _ = _rules()
    head = title[:30]
    for kw, kind in keyword_kind:
        if kw in head:
            return kind
    return None


def measures_allowed(kind: str | None) -> bool:
    if kind is None:
        return True
    return bool(lexicon.load("section_kinds")["kinds"][kind]["measures"])


_NUMBER_WORDS = str.maketrans("", "", "第章部分节篇条阶段")


def _style_value(style: _Style, number: str) -> int | None:
    if style.numeral == "circled":
        return CIRCLED.index(number) + 1 if number in CIRCLED else None
    digits = number.translate(_NUMBER_WORDS)  # 第三章 -> 三
    return cn_number(digits)


def match_heading(text: str) -> tuple[str, str, int | None, str, bool] | None:
    """(style, number as written, value, title, has_separator) of a numbered heading line."""
    styles, _, _ = _rules()
    for st in styles:
        m = st.regex.match(text)
        if not m:
            continue
        number_written = text[: m.end()].strip()
        title = text[m.end():].strip()
        if not title and st.name not in ("cn", "paren_cn", "chapter"):
            return None
        value = _style_value(st, m.group(1))
        bare = st.name == "arabic" and not re.search(r"[、.]", number_written)
        if bare and title and title[0] in _NOT_AFTER_BARE_NUMBER:
            return None
        return st.name, number_written, value, title, not bare
    return None


def _plain_heading(text: str, max_chars: int) -> tuple[str, str] | None:
    """(title, inline body) of an unnumbered heading ("指导思想", "基本原则:", "附件:")."""
    label, sep, rest = text.partition(":")
    if sep and len(label) <= 12 and kind_of(label) and not any(c in label for c in SENTENCE_END + ","):
        return label, rest.strip()
    if len(text) <= max_chars and text[-1] not in SENTENCE_END + ",:、":
        kw = _kind_keyword(text)
        # the keyword must be most of the line: "工作措施", "主要任务和工作措施",
        # but not a title that merely mentions it ("2020年重点任务分工方案")
        if kw and len(text) <= 2 * len(kw) + 2:
            return text, ""
    return None


_ATTACHMENT = re.compile(r"附件\s*\d{0,2}\s*[:、.]?")


def _attachment_heading(text: str) -> bool:
    m = _ATTACHMENT.match(text)
    return bool(m) and (m.end() == len(text) or text[m.end() - 1] in ":、." or len(text) <= 40)


def parse_structure(lines: list[Line]) -> Node:
    """The heading tree of the working lines."""
    _, _, data = _rules()
    max_plain = data["plain_heading_max_chars"]
    bullets = data["bullet_chars"]
    root = Node("root", "", None, "", None)
    stack: list[Node] = [root]
    bullet_counts: dict[int, int] = {}  # bullets numbered per parent, for stable ids

    def push(node: Node, reset: bool = False) -> None:
        if reset:
            del stack[1:]
        else:
            styles_on_stack = [n.style for n in stack]
            if node.style in styles_on_stack:
                i = len(styles_on_stack) - 1 - styles_on_stack[::-1].index(node.style)
                del stack[i:]
        parent = stack[-1]
        node.parent = parent
        node.level = parent.level + 1
        head = re.split(r"[。;:,]", node.title, maxsplit=1)[0]
        node.kind = kind_of(head) if node.style in ("plain", "cn", "chapter", "paren_cn") else None
        if node.style == "attachment":
            node.kind = "attachment"
        parent.children.append(node)
        stack.append(node)

    def sibling_value(style: str) -> int | None:
        for n in reversed(stack):
            if n.style == style:
                return n.value
        return None

    for ln in lines:
        text = ln.text
        if _attachment_heading(text):
            if len(stack) == 1 and not root.children and len(root.body) < 3 and len(text) <= 6:
                # a bare "附件1" on the first lines heads a plan sent as a notice's
                # attachment: it is no section of the plan
                root.body.append(ln)
                continue
            push(Node("attachment", "", None, text, ln), reset=True)
            continue
        h = match_heading(text)
        if h:
            style, number, value, title, has_sep = h
            if not has_sep:
                # "3坚持扫黑除恶常态": a typo accepted only where it continues a list
                prev = sibling_value(style)
                if not ((prev is not None and value == prev + 1) or (prev is None and value == 1)):
                    h = None
            if h:
                push(Node(style, number, value, title, ln))
                continue
        if text[0] in bullets and len(text) > 2:
            title = text.lstrip(bullets).strip()
            if title:
                parent = stack[-1] if stack[-1].style != "bullet" else stack[-2]
                count = bullet_counts.get(id(parent), 0) + 1
                bullet_counts[id(parent)] = count
                push(Node("bullet", text[: len(text) - len(title)].strip(), count, title, ln))
                continue
        plain = _plain_heading(text, max_plain)
        if plain:
            title, rest = plain
            node = Node("plain", "", None, title, ln)
            push(node)
            if rest:
                node.body.append(Line(rest, ln.origin, ln.last))
            continue
        stack[-1].body.append(ln)
    return root
