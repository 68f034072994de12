"""The ipnav query language: text -> AST. The AST is the contract between the parser and any backend.

    石墨烯 AND (ti=锂电池 OR ab:"solid electrolyte") NOT pa=华为
    ipc=H01M4/* AND ad=[2015-01-01 TO 2019-12-31] AND region=常州
    名称=(石墨烯 或 碳纳米管) 与 申请日>=2020

See docs/query-language.md. A syntax error raises `QuerySyntaxError` with the 0-based
character position and what was expected there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Union

from ipnav.errors import UsageError


class QuerySyntaxError(UsageError):
    """A query that cannot be parsed; `position` is the 0-based character offset."""

    def __init__(self, query: str, position: int, message: str) -> None:
        pointer = f"{query}\n{' ' * position}^"
        super().__init__(f"query syntax error at position {position}: {message}\n{pointer}")
        self.query = query
        self.position = position
        self.detail = message


@dataclass(frozen=True)
class Term:
    """A field term: `ti=锂电池`, or a bare word (field any)."""

    field: str  # canonical field name; "any" = title, abstract and claims
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Range:
    """A range on a date or number field: `ad>=2020`."""

    field: str
    low: str | None
    high: str | None
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class And:
    """All of the items."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of the items."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Not the item."""

    item: Node


@dataclass(frozen=True)
class MatchAll:
    """Every document (an empty query)."""

    pass


Node = Union[Term, Range, And, Or, Not, MatchAll]  # noqa: UP007 - a runtime alias used by isinstance users

TEXT_FIELDS = ("ti", "ab", "cl", "desc")
FIELD_ALIASES: dict[str, str] = {}
_ALIASES: dict[str, tuple[str, ...]] = {
    "ti": ("ti", "title", "名称", "标题", "发明名称", "专利名称"),
    "ab": ("ab", "abstract", "摘要"),
    "cl": ("cl", "clms", "claims", "权利要求", "权利要求书", "主权项"),
    "desc": ("desc", "description", "说明书"),
    "tx": ("tx", "text", "full", "全文"),
    "tiab": ("tiab", "标题摘要"),
    "tiabc": ("tiabc", "tiabcl", "any", "关键词", "主题"),
    "pa": ("pa", "ap", "as", "applicant", "assignee", "申请人", "专利权人", "申请(专利权)人", "权利人", "当前权利人"),
    "in": ("in", "inventor", "发明人", "设计人", "发明(设计)人"),
    "ag": ("ag", "agent", "agency", "代理人", "代理机构"),
    "ipc": ("ipc", "分类号", "ipc分类号", "主分类号"),
    "cpc": ("cpc", "cpc分类号"),
    "pn": ("pn", "publication", "公开号", "公告号", "公开(公告)号", "授权公告号"),
    "an": ("an", "application", "申请号"),
    "ad": ("ad", "filing_date", "申请日"),
    "pd": ("pd", "publication_date", "公开日", "公告日", "公开(公告)日"),
    "gd": ("gd", "isd", "grant_date", "授权日", "授权公告日"),
    "cc": ("cc", "country", "国家", "国别", "受理局"),
    "type": ("type", "patent_type", "专利类型", "类型"),
    "status": ("status", "ls", "legal_status", "法律状态", "状态"),
    "region": ("region", "地区", "区域", "省市", "国省代码"),
    "sei": ("sei", "战略性新兴产业", "战新产业"),
    "value": ("value", "价值度", "价值"),
    # answered by the warehouse (ipnav.search.lookups): exact, as the analyses count
    "pae": ("pae", "entity", "标准化申请人", "标准申请人"),
    "ine": ("ine", "inventor_exact", "发明人精确"),
    "atype": ("atype", "applicant_type", "申请人类型"),
    "wipo": ("wipo", "wipo_field", "技术领域"),
    "term": ("term", "主题词"),
    "reason": ("reason", "status_reason", "法律状态原因"),
    "flag": ("flag", "价值标志", "高价值"),
    "cites": ("cites", "引证"),
    "region1": ("region1", "first_region", "第一申请人地区"),
    "topic": ("topic", "专题库"),
}


def alias_table(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every spelling of a field (lower case) → its canonical name."""
    return {name.lower(): canonical for canonical, names in aliases.items() for name in names}


FIELD_ALIASES.update(alias_table(_ALIASES))
DATE_FIELDS = ("ad", "pd", "gd")
DATE_YEARS = (1700, 2199)  # what a patent date can be; the index stores 1677-09-21 .. 2262-04-11
_DATE_RE = re.compile(r"^(\d{4})(?:[-./]?(\d{1,2}))?(?:[-./]?(\d{1,2}))?$")


def date_bound(text: str, *, upper: bool) -> dt.datetime:
    """`2020`, `2020-03` or `2020-03-04` as its first (`upper`: last) day; ValueError if not a date."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a date: {text!r} (use 2020, 2020-03 or 2020-03-04)")
    year = int(match.group(1))
    if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
        raise ValueError(f"date {text!r} out of range: years {DATE_YEARS[0]}-{DATE_YEARS[1]}")
    month = int(match.group(2)) if match.group(2) else (12 if upper else 1)
    try:
        day = int(match.group(3)) if match.group(3) else (calendar.monthrange(year, month)[1] if upper else 1)
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"not a date: {text!r} (use 2020, 2020-03 or 2020-03-04)") from None


_AND = {"and", "与", "&&"}
_OR = {"or", "或", "||"}
_NOT = {"not", "非", "!"}
_OPS = (">=", "<=", "=", ":", ">", "<", "：")
_SPECIAL = set('()[]{}"“”=:：<>')


@dataclass(frozen=True)
class _Token:
    kind: str  # word, phrase, op, lparen, rparen, lbrack, rbrack, end
    text: str
    pos: int
    closing: str = ""  # for lbrack: which bracket closes ("]" or "}")


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace() or char == "\u3000":
            i += 1
        elif char in "（(":
            tokens.append(_Token("lparen", char, i))
            i += 1
        elif char in "）)":
            tokens.append(_Token("rparen", char, i))
            i += 1
        elif char in "[{":
            tokens.append(_Token("lbrack", char, i, "]" if char == "[" else "}"))
            i += 1
        elif char in "]}":
            tokens.append(_Token("rbrack", char, i))
            i += 1
        elif char in '"“”':
            closing = "”" if char == "“" else '"'
            end = query.find(closing, i + 1)
            if end < 0 and closing == "”":
                end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(query, i, "closing quote expected for this phrase")
            tokens.append(_Token("phrase", query[i + 1 : end], i))
            i = end + 1
        elif query.startswith(_OPS, i) or char in "=:：<>":
            op = next(o for o in _OPS if query.startswith(o, i))
            tokens.append(_Token("op", "=" if op in (":", "：") else op, i))
            i += len(op)
        else:
            start = i
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL and query[i] not in "（）\u3000":
                i += 1
            tokens.append(_Token("word", query[start:i], start))
    tokens.append(_Token("end", "", n))
    return tokens


class _Parser:
    def __init__(self, query: str, aliases: dict[str, str], dates: tuple[str, ...]) -> None:
        self.query = query
        self.tokens = _tokenize(query)
        self.i = 0
        self.aliases = aliases
        self.dates = dates

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def error(self, token: _Token, expected: str) -> QuerySyntaxError:
        found = f"{token.text!r}" if token.kind != "end" else "the end of the query"
        return QuerySyntaxError(self.query, token.pos, f"expected {expected}, found {found}")

    def is_keyword(self, token: _Token, words: set[str]) -> bool:
        return token.kind == "word" and token.text.lower() in words

    def parse(self) -> Node:
        if self.peek().kind == "end":
            return MatchAll()
        node = self.parse_or("any")
        token = self.peek()
        if token.kind != "end":
            raise self.error(token, "an operator (AND, OR, NOT) or the end of the query")
        return node

    def parse_or(self, field: str) -> Node:
        items = [self.parse_and(field)]
        while self.is_keyword(self.peek(), _OR):
            self.take()
            items.append(self.parse_and(field))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, field: str) -> Node:
        items = [self.parse_not(field)]
        while True:
            token = self.peek()
            if self.is_keyword(token, _AND):
                self.take()
                items.append(self.parse_not(field))
            elif token.kind in ("word", "phrase", "lparen") and not self.is_keyword(token, _OR):
                items.append(self.parse_not(field))  # implicit AND
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_not(self, field: str) -> Node:
        token = self.peek()
        if self.is_keyword(token, _NOT):
            self.take()
            return Not(self.parse_primary(field))
        if token.kind == "word" and token.text.startswith("-") and len(token.text) > 1:
            self.take()
            stripped = _Token("word", token.text[1:], token.pos + 1)
            return Not(self.primary_from(stripped, field))
        return self.parse_primary(field)

    def parse_primary(self, field: str) -> Node:
        token = self.take()
        if token.kind == "lparen":
            node = self.parse_or(field)
            closing = self.take()
            if closing.kind != "rparen":
                raise self.error(closing, "')' to close the '(' at position " + str(token.pos))
            return node
        return self.primary_from(token, field)

    def primary_from(self, token: _Token, field: str) -> Node:
        if token.kind == "phrase":
            return Term(field, token.text, phrase=True)
        if token.kind != "word" or self.is_keyword(token, _AND | _OR | _NOT):
            raise self.error(token, "a search term, a field (ti=...) or '('")
        if self.peek().kind == "op":
            return self.field_clause(token)
        self.check_date(field, token)
        return Term(field, token.text)

    def check_date(self, field: str, value: _Token) -> None:
        """A date field's value must be a date the index can hold: else an error at its position."""
        if field in self.dates:
            try:
                date_bound(value.text, upper=False)
            except ValueError as exc:
                raise QuerySyntaxError(self.query, value.pos, str(exc)) from None

    def field_clause(self, name: _Token) -> Node:
        field = self.aliases.get(name.text.lower())
        if field is None:
            known = ", ".join(sorted(set(self.aliases.values())))
            raise QuerySyntaxError(self.query, name.pos, f"unknown field {name.text!r}; fields are: {known}")
        op = self.take()
        value = self.peek()
        if op.text in (">=", "<=", ">", "<"):
            self.take()
            if value.kind not in ("word", "phrase"):
                raise self.error(value, f"a value after {op.text}")
            self.check_date(field, value)
            if op.text.startswith(">"):
                return Range(field, value.text, None, include_low=op.text == ">=")
            return Range(field, None, value.text, include_high=op.text == "<=")
        if value.kind == "lbrack":
            return self.range_value(field)
        if value.kind == "lparen":
            self.take()
            node = self.parse_or(field)
            closing = self.take()
            if closing.kind != "rparen":
                raise self.error(closing, "')' to close the value group at position " + str(value.pos))
            return node
        self.take()
        if value.kind not in ("word", "phrase"):
            raise self.error(value, f"a value for field {name.text!r}")
        self.check_date(field, value)
        return Term(field, value.text, phrase=value.kind == "phrase")

    def range_value(self, field: str) -> Node:
        opening = self.take()
        low = self.take()
        if low.kind != "word":
            raise self.error(low, "a lower bound (or *) after '['")
        to = self.take()
        if not (to.kind == "word" and to.text.upper() in ("TO", "至", "-")):
            raise self.error(to, "TO between the bounds")
        high = self.take()
        if high.kind != "word":
            raise self.error(high, "an upper bound (or *)")
        closing = self.take()
        if closing.kind != "rbrack":
            raise self.error(closing, f"'{opening.closing}' to close the range")
        for bound in (low, high):
            if bound.text != "*":
                self.check_date(field, bound)
        inclusive_low = opening.text == "["
        inclusive_high = closing.text == "]"
        return Range(
            field,
            None if low.text == "*" else low.text,
            None if high.text == "*" else high.text,
            include_low=inclusive_low,
            include_high=inclusive_high,
        )


def parse(query: str, aliases: dict[str, str] | None = None, dates: tuple[str, ...] = DATE_FIELDS) -> Node:
    """Parse a query string into an AST (raises QuerySyntaxError with the position). Another record kind
    passes its own fields (`aliases`: spelling → field, see `alias_table`) and date fields: one language,
    its own vocabulary."""
    return _Parser(query.strip() and query, FIELD_ALIASES if aliases is None else aliases, dates).parse()


def has_wildcard(text: str) -> bool:
    """Does the text hold a wildcard (* or ?, half or full width)?"""
    return bool(re.search(r"[*?？＊]", text))
