"""The trademark query language: the patents' (`ipnav.search.query`: AND/OR/NOT, 与/或/非, brackets,
quotes, ranges) with the fields of marks, compiled to tantivy queries on the trademark index
(`ipnav.trademarks.index`). docs/query-language.md lists the fields."""

from __future__ import annotations

import re

import tantivy

from ipnav.errors import UsageError
from ipnav.normalize import text as analysis
from ipnav.normalize.names import canonical_name
from ipnav.search.compile import Compiler, region_codes
from ipnav.search.query import Node, Range, Term, alias_table, parse
from ipnav.trademarks.model import MARK_KINDS, MARK_TYPES, STATUSES
from ipnav.trademarks.rows import pinyin
from ipnav.trademarks.status import cn_status

FIELDS: dict[str, tuple[str, ...]] = {
    "mark": ("mark", "tm", "name", "商标", "商标名称", "名称"),
    "class": ("class", "nice", "cls", "类别", "国际分类", "类"),
    "group": ("group", "类似群", "群组"),
    "goods": ("goods", "services", "gs", "商品", "服务", "商品服务", "商品/服务项目"),
    "owner": ("owner", "applicant", "pa", "申请人", "注册人", "权利人", "申请人名称"),
    "agent": ("agent", "ag", "代理机构", "代理人"),
    "status": ("status", "状态", "商标状态"),
    "type": ("type", "mark_type", "商标类型", "类型"),
    "kind": ("kind", "商标种类", "种类"),
    "office": ("office", "cc", "受理局", "国家"),
    "ad": ("ad", "filing_date", "申请日", "申请日期"),
    "rd": ("rd", "registration_date", "注册日", "注册日期", "注册公告日"),
    "region": ("region", "地区", "区域"),
    # exact fields the analyses drill with
    "entity": ("entity", "pae", "标准化申请人", "标准权利人"),
    "agent_entity": ("agent_entity", "标准代理机构"),
    "region1": ("region1", "first_region", "第一权利人地区"),
    "number": ("number", "an", "注册号", "申请号"),
}
ALIASES = alias_table(FIELDS)
DATES = ("ad", "rd")
_TYPE_WORDS = {"文字": "word", "图形": "figurative", "组合": "combined", "立体": "3d", "三维": "3d",
               "颜色": "colour", "声音": "sound"}  # fmt: skip
_KIND_WORDS = {"普通": "ordinary", "集体": "collective", "证明": "certification", "特殊": "special"}


class TrademarkCompiler(Compiler):
    """Query ASTs of the trademark language → tantivy queries."""

    date_fields = DATES

    def term(self, node: Term) -> tantivy.Query:
        """A field term: mark words (bare words too), owners, agents, goods, or a field_* handler."""
        if node.field in ("any", "mark"):
            return self.mark(node.text, node.phrase)
        text_fields = {"owner": ("pa",), "agent": ("ag",), "goods": ("gs",)}
        if node.field in text_fields:
            return self.text(text_fields[node.field], node.text, node.phrase)
        handler = getattr(self, f"field_{node.field}", None)  # marks answer every field from the index
        if handler is None:
            raise UsageError(f"{node.field!r} is not a trademark field")
        result: tantivy.Query = handler(node.text.strip())
        return result

    def mark(self, text: str, phrase: bool) -> tantivy.Query:
        """Pieces of the mark (all of them), or `word~N`: the whole mark within N edits (0-2)."""
        fuzzy = re.fullmatch(r"(.+?)~(\d+)", text.strip())
        if fuzzy and not phrase:
            return self.fuzzy(fuzzy.group(1), int(fuzzy.group(2)))
        pieces = [text] if phrase else text.split()
        clauses = [(tantivy.Occur.Must, self.piece_of_mark(p)) for p in pieces if p.strip()]
        if not clauses:
            raise UsageError(f"nothing to search for in {text!r}")
        whole = analysis.fold(text.strip())
        exact = tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "mark_raw", whole), 5.0)
        return tantivy.Query.boolean_query([*clauses, (tantivy.Occur.Should, exact)])

    def piece_of_mark(self, piece: str) -> tantivy.Query:
        """A piece occurs in the folded mark, or its sound in the mark's pinyin (`*` joins pieces)."""
        parts = [p for p in re.split(r"[*＊]", piece) if p]
        queries = []
        for part in parts:
            folded, sound = analysis.fold(part), pinyin(part)
            options = [q for q in (self.grams("m", folded), self.grams("y", sound or folded)) if q is not None]
            queries.append(tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in options]))
        if not queries:
            raise UsageError(f"nothing to search for in {piece!r}")
        return queries[0] if len(queries) == 1 else tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, q) for q in queries])  # fmt: skip

    def grams(self, prefix: str, text: str) -> tantivy.Query | None:
        """`text` is a substring of the field: one term (1-3 characters) or the phrase of its trigrams."""
        text = text.strip().replace(" ", "_")
        if not text:
            return None
        if len(text) <= 3:
            return tantivy.Query.term_query(self.schema, f"{prefix}{len(text)}", text)
        trigrams: list[str | tuple[int, str]] = [text[i : i + 3] for i in range(len(text) - 2)]
        return tantivy.Query.phrase_query(self.schema, f"{prefix}3", trigrams)

    def fuzzy(self, word: str, edits: int) -> tantivy.Query:
        """The whole mark, one of its words, or its pinyin within `edits` edits of the word."""
        if edits > 2:
            raise UsageError(f"{word}~{edits}: at most 2 edits (mark~0 is the mark exactly, ~1 and ~2 near it)")
        folded, sound = analysis.fold(word.strip('"')), pinyin(word.strip('"'))
        options = [(tantivy.Occur.Should, self._near("mark_raw", folded, edits))]
        if " " not in folded:
            options.append((tantivy.Occur.Should, self._near("words", folded, edits)))
        if sound:
            options.append((tantivy.Occur.Should, self._near("sound_raw", sound, edits)))
        return tantivy.Query.boolean_query(options)

    def _near(self, field: str, text: str, edits: int) -> tantivy.Query:
        if edits == 0:
            return tantivy.Query.term_query(self.schema, field, text)
        return tantivy.Query.fuzzy_term_query(self.schema, field, text, distance=edits, transposition_cost_one=True)

    def field_class(self, value: str) -> tantivy.Query:
        """`class=25` (a Nice class, 1-45; `class=09` too)."""
        if not value.isdigit() or not 1 <= int(value) <= 45:
            raise UsageError(f"class={value!r}: give a Nice class number 1-45")
        return tantivy.Query.term_query(self.schema, "class", str(int(value)))

    def field_group(self, value: str) -> tantivy.Query:
        """`group=2501` (a similar group, 类似群)."""
        return tantivy.Query.term_query(self.schema, "group", value)

    def field_status(self, value: str) -> tantivy.Query:
        """`status=registered` or the Chinese word (`状态=已注册`)."""
        status = value.lower() if value.lower() in STATUSES else cn_status(value)
        if status == "unknown" and value.lower() != "unknown":
            raise UsageError(f"status={value!r}: use {', '.join(STATUSES)} (or 已注册, 初审公告, 已无效 ...)")
        return tantivy.Query.term_query(self.schema, "status", status)

    def field_type(self, value: str) -> tantivy.Query:
        """`type=word` (文字, 图形, 组合, 立体, 颜色, 声音)."""
        mark_type = _TYPE_WORDS.get(value, value.lower())
        if mark_type not in MARK_TYPES:
            raise UsageError(f"type={value!r}: use {', '.join(MARK_TYPES)} (or 文字, 图形, 组合, 立体, 颜色, 声音)")
        return tantivy.Query.term_query(self.schema, "type", mark_type)

    def field_kind(self, value: str) -> tantivy.Query:
        """`kind=collective` (普通, 集体, 证明, 特殊)."""
        kind = _KIND_WORDS.get(value.removesuffix("商标"), value.lower())
        if kind not in MARK_KINDS:
            raise UsageError(f"kind={value!r}: use {', '.join(MARK_KINDS)} (or 普通, 集体, 证明, 特殊)")
        return tantivy.Query.term_query(self.schema, "kind", kind)

    def field_office(self, value: str) -> tantivy.Query:
        """`office=CN` (CN, US, EM, TW, NZ, WO)."""
        return tantivy.Query.term_query(self.schema, "office", value.upper())

    def field_region(self, value: str) -> tantivy.Query:
        """`region=常州` (a name or adcode): marks with an owner there."""
        codes = region_codes(value)
        if not codes:
            raise UsageError(f"region={value!r}: no Chinese region of that name or code")
        return tantivy.Query.term_set_query(self.schema, "region", codes)

    def field_entity(self, value: str) -> tantivy.Query:
        """`entity="..."`: an owner by its normalised name, exactly (the owner ranking drills with it)."""
        return tantivy.Query.term_query(self.schema, "entity", canonical_name(value))

    def field_agent_entity(self, value: str) -> tantivy.Query:
        """`agent_entity="..."`: an agent by its normalised name, exactly."""
        return tantivy.Query.term_query(self.schema, "agent_entity", canonical_name(value))

    def field_region1(self, value: str) -> tantivy.Query:
        """`region1=32`: marks whose first owner is in the region (as the regional analyses count)."""
        codes = region_codes(value)
        if not codes:
            raise UsageError(f"region1={value!r}: no Chinese region of that name or code")
        return tantivy.Query.term_set_query(self.schema, "region1", codes)

    def field_number(self, value: str) -> tantivy.Query:
        """`number=US98763166` or the digits alone: application or registration number."""
        compact = "".join(ch for ch in value.upper() if ch.isalnum())
        digits = "".join(ch for ch in compact if ch.isdigit()).lstrip("0")
        term = compact if any(ch.isalpha() for ch in compact) else digits
        return tantivy.Query.term_query(self.schema, "number", term)

    def field_ad(self, value: str) -> tantivy.Query:
        """`ad=2020` (the year), `ad=2020-03`, `ad=2020-03-04`."""
        return self._date_equals("ad", value)

    def field_rd(self, value: str) -> tantivy.Query:
        """`rd=2020` (registration date), as `ad`."""
        return self._date_equals("rd", value)

    def range(self, node: Range) -> tantivy.Query:
        """`ad>=2020`, `rd=[2018 TO 2020]`."""
        if node.field == "value":
            raise UsageError("value= is a patent field; marks have ad and rd ranges")
        return super().range(node)


def parse_query(query: str) -> Node:
    """The AST of a trademark query (QuerySyntaxError with the position when it cannot be read)."""
    return parse(query, ALIASES, DATES)
