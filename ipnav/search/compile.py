"""AST -> tantivy Query. Field semantics live here; the parser knows nothing of tantivy."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Protocol

import tantivy

from ipnav import reference
from ipnav.errors import UsageError
from ipnav.normalize import text as analysis
from ipnav.normalize.classification import canonical_symbol
from ipnav.normalize.numbers import split_number_variants
from ipnav.normalize.status import normalize_patent_type, normalize_status
from ipnav.search.query import And, MatchAll, Node, Not, Or, Range, Term, date_bound, has_wildcard
from ipnav.search.schema import BOOSTS, TEXT, WAREHOUSE_FIELDS

Occur = tantivy.Occur
TEXT_GROUPS: dict[str, tuple[str, ...]] = {
    "any": ("ti", "ab", "cl"),
    "tiabc": ("ti", "ab", "cl"),
    "tiab": ("ti", "ab"),
    "tx": ("ti", "ab", "cl", "desc"),
    "ti": ("ti",),
    "ab": ("ab",),
    "cl": ("cl",),
    "desc": ("desc",),
    "pa": ("pa",),
    "in": ("in",),
    "ag": ("ag",),
}
_TYPE_VALUES = {"invention", "utility_model", "design", "plant", "reissue", "other"}
_STATUS_VALUES = {"valid", "pending", "lapsed", "unknown"}


class Lookup(Protocol):
    """Application keys the warehouse answers (ipnav.search.lookups.WarehouseLookup)."""

    def keys_between(self, low: float | None, high: float | None, include_low: bool, include_high: bool) -> list[str]:
        """Keys whose value score lies in the range."""

    def keys_where(self, field: str, value: str) -> list[str]:
        """Keys of a warehouse field's value (`pae`, `flag`, `cites` ...: schema.WAREHOUSE_FIELDS)."""


@functools.cache
def _analyzer(field: str) -> tantivy.TextAnalyzer:
    """The analyzer of a field's `_en` twin, as the schema names it (en_stem for text, default for parties)."""
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).filter(tantivy.Filter.remove_long(40))
    builder = builder.filter(tantivy.Filter.lowercase())
    if field in TEXT:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


class Compiler:
    """Compiles query ASTs for one index (English terms go through the index's own analyzers)."""

    date_fields: tuple[str, ...] = ("ad", "pd", "gd")  # the date fields of the index (fast date fields)

    def __init__(
        self,
        index: tantivy.Index,
        schema: tantivy.Schema,
        lookup: Lookup | None = None,
        idf_scale: Callable[[str, list[str]], float] | None = None,
    ) -> None:
        self.index = index
        self.schema = schema
        # value scores and the exact fields live in the warehouse, not the index: the search service passes
        # a lookup giving the application keys of `value>=60`, `pae=...` and friends
        self.lookup = lookup
        # a shard of a sharded index scales each text leaf by (whole index's IDF / the shard's IDF) of its
        # terms, so BM25 scores compare across shards as if one index held them all (ipnav.search.shards)
        self.idf_scale = idf_scale

    def weighted(self, query: tantivy.Query, field: str, terms: list[str]) -> tantivy.Query:
        """A scoring leaf over `terms` of `field`, scaled to the whole index's term statistics (shards)."""
        if self.idf_scale is None:
            return query
        scale = self.idf_scale(field, terms)
        return query if scale == 1.0 else tantivy.Query.boost_query(query, scale)

    def text_term(self, field: str, term: str) -> tantivy.Query:
        return self.weighted(tantivy.Query.term_query(self.schema, field, term), field, [term])

    def text_phrase(self, field: str, words: list[str | tuple[int, str]]) -> tantivy.Query:
        terms = [w if isinstance(w, str) else w[1] for w in words]
        return self.weighted(tantivy.Query.phrase_query(self.schema, field, words), field, terms)

    def compile(self, node: Node) -> tantivy.Query:
        """The tantivy query of a query AST node."""
        if isinstance(node, MatchAll):
            return tantivy.Query.all_query()
        if isinstance(node, And):
            positives = [n for n in node.items if not isinstance(n, Not)]
            clauses = [(Occur.Must, self.compile(n)) for n in positives]
            clauses += [(Occur.MustNot, self.compile(n.item)) for n in node.items if isinstance(n, Not)]
            if not positives:
                clauses.insert(0, (Occur.Must, tantivy.Query.all_query()))
            return tantivy.Query.boolean_query(clauses)
        if isinstance(node, Or):
            return tantivy.Query.boolean_query([(Occur.Should, self.compile(n)) for n in node.items])
        if isinstance(node, Not):
            return tantivy.Query.boolean_query(
                [(Occur.Must, tantivy.Query.all_query()), (Occur.MustNot, self.compile(node.item))]
            )
        if isinstance(node, Range):
            return self.range(node)
        return self.term(node)

    # --- text ---------------------------------------------------------------------------------

    def term(self, node: Term) -> tantivy.Query:
        """The query of one field term (text fields, or a field_* handler)."""
        if node.field in TEXT_GROUPS:
            return self.text(TEXT_GROUPS[node.field], node.text, node.phrase)
        if node.field in WAREHOUSE_FIELDS:
            return tantivy.Query.term_set_query(self.schema, "key", self._lookup(node.field).keys_where(
                node.field, node.text.strip()))  # fmt: skip
        handler: Callable[[str], tantivy.Query] = getattr(self, f"field_{node.field}")
        return handler(node.text.strip())

    def text(self, fields: tuple[str, ...], text: str, phrase: bool) -> tantivy.Query:
        """Text in a group of fields: CJK runs as character n-gram phrases, Latin words as terms."""
        folded = analysis.fold(text)
        if phrase:
            pieces = [folded]
        else:
            pieces = [p for p in re.split(r"\s+", folded) if p]
        clauses = [(Occur.Must, self.piece(fields, piece, phrase)) for piece in pieces]
        if not clauses:
            raise UsageError(f"nothing to search for in {text!r}")
        return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)

    def piece(self, fields: tuple[str, ...], piece: str, phrase: bool) -> tantivy.Query:
        """One piece of text: must occur in one of the fields; CJK words add to the score."""
        per_field = []
        scoring = []
        for field in fields:
            parts = []
            for run in analysis.cjk_runs(piece):
                parts.append(self.cjk(field, run))
                if field in ("ti", "ab", "cl") and not has_wildcard(run):
                    for word in analysis.words(run):
                        scoring.append(tantivy.Query.boost_query(self.text_term(f"{field}_zhw", word), BOOSTS[field]))
            latin = analysis.latin_words(piece) if not has_wildcard(piece) else _latin_globs(piece)
            if latin:
                parts.append(self.latin(field, latin, phrase))
            if not parts:
                continue
            match = parts[0] if len(parts) == 1 else tantivy.Query.boolean_query([(Occur.Must, p) for p in parts])
            per_field.append((Occur.Should, tantivy.Query.boost_query(match, BOOSTS.get(field, 1.0))))
        if not per_field:
            return tantivy.Query.empty_query()
        must = tantivy.Query.boolean_query(per_field)
        if not scoring:
            return must
        return tantivy.Query.boolean_query(
            [(Occur.Must, must), (Occur.Should, tantivy.Query.boolean_query([(Occur.Should, q) for q in scoring]))]
        )

    def cjk(self, field: str, run: str) -> tantivy.Query:
        """Substring semantics: `run` occurs in the field's text (wildcards: * any run, ? one char)."""
        run = run.replace("＊", "*").replace("？", "?")
        if "*" in run:
            parts = [p for p in run.split("*") if p]
            return tantivy.Query.boolean_query([(Occur.Must, self.cjk(field, p)) for p in parts])
        if "?" in run:
            words: list[str | tuple[int, str]] = [(i, ch) for i, ch in enumerate(run) if ch != "?"]
            return self.text_phrase(f"{field}_zh1", words)
        if len(run) == 1:
            return self.text_term(f"{field}_zh1", run)
        grams = analysis.bigrams(run)
        if len(grams) == 1:
            return self.text_term(f"{field}_zh2", grams[0])
        return self.text_phrase(f"{field}_zh2", list[str | tuple[int, str]](grams))

    def latin(self, field: str, words: list[str], phrase: bool) -> tantivy.Query:
        """Latin words in one field, as a phrase or all words, wildcards expanded."""
        globs = [w for w in words if has_wildcard(w)]
        plain = [w for w in words if not has_wildcard(w)]
        clauses = []
        if plain:
            text = " ".join(plain)
            quoted = f'"{text}"' if phrase or len(plain) > 1 else text
            parsed = self.index.parse_query(quoted, [f"{field}_en"])
            if self.idf_scale is not None:
                parsed = self.weighted(parsed, f"{field}_en", _analyzer(field).analyze(text))
            clauses.append((Occur.Must, parsed))
        for glob in globs:
            pattern = re.escape(glob).replace(r"\*", ".*").replace(r"\?", ".")
            clauses.append((Occur.Must, tantivy.Query.regex_query(self.schema, f"{field}_en", pattern)))
        return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)

    # --- structured fields --------------------------------------------------------------------

    def field_ipc(self, value: str) -> tantivy.Query:
        """`ipc=H01M4`: the symbol and everything below it."""
        return self._classification("ipc", value)

    def field_cpc(self, value: str) -> tantivy.Query:
        """`cpc=Y02E60/10`: the symbol and everything below it."""
        return self._classification("cpc", value)

    def _classification(self, field: str, value: str) -> tantivy.Query:
        text = value.upper().replace(" ", "")
        if text.endswith(("/*", "/")):
            text = text.rstrip("*").rstrip("/")
        if has_wildcard(text):
            pattern = re.escape(text).replace(r"\*", ".*").replace(r"\?", ".")
            return tantivy.Query.regex_query(self.schema, field, pattern)
        symbol = canonical_symbol(text) or text
        return tantivy.Query.term_query(self.schema, field, symbol)

    def field_pn(self, value: str) -> tantivy.Query:
        """`pn=`: a publication number in any spelling."""
        return self._numbers(value)

    def field_an(self, value: str) -> tantivy.Query:
        """`an=`: an application number in any spelling."""
        return self._numbers(value)

    def _numbers(self, value: str) -> tantivy.Query:
        compact = re.sub(r"[\s,/]", "", value.upper())
        variants = {compact, compact.replace(".", ""), *split_number_variants(value)}
        digits = re.sub(r"\D", "", compact.split(".")[0])
        if len(digits) >= 6:
            variants.add(digits)
        return tantivy.Query.term_set_query(self.schema, "numbers", sorted(v for v in variants if v))

    def field_cc(self, value: str) -> tantivy.Query:
        """`cc=CN`: the country of the application."""
        return tantivy.Query.term_query(self.schema, "cc", value.upper())

    def field_type(self, value: str) -> tantivy.Query:
        """`type=`: invention, utility model, design (Chinese or English words)."""
        lowered = value.lower()
        kind = lowered if lowered in _TYPE_VALUES else normalize_patent_type(value)
        return tantivy.Query.term_query(self.schema, "type", kind)

    def field_status(self, value: str) -> tantivy.Query:
        """`status=`: the legal status (Chinese or English words)."""
        lowered = value.lower()
        status = lowered if lowered in _STATUS_VALUES else normalize_status(value)[0]
        if status == "unknown" and lowered != "unknown":
            raise UsageError(f"unknown legal status {value!r}: use valid/有效, pending/审中, lapsed/失效, unknown")
        return tantivy.Query.term_query(self.schema, "status", status)

    def field_sei(self, value: str) -> tantivy.Query:
        """`sei=1.1`: a strategic-emerging-industry code."""
        return tantivy.Query.term_query(self.schema, "sei", value.strip())

    def field_region(self, value: str) -> tantivy.Query:
        """`region=常州`: applicants' region by name or adcode."""
        codes = region_codes(value)
        if not codes:
            raise UsageError(f"unknown region {value!r}: give a 6-digit adcode or a province/city/county name")
        return tantivy.Query.term_set_query(self.schema, "region", codes)

    def range(self, node: Range) -> tantivy.Query:
        """A date or value range (`ad>=2020`, `value>=60`)."""
        if node.field == "value":
            return self._value_range(node)
        if node.field not in self.date_fields:
            known = ", ".join(self.date_fields)
            raise UsageError(f"field {node.field!r} takes no range; ranges are for {known} and value")
        low = _date_bound(node.low, upper=False) if node.low else None
        high = _date_bound(node.high, upper=True) if node.high else None
        if low is None and high is None:
            return tantivy.Query.exists_query(node.field)
        return tantivy.Query.range_query(
            self.schema,
            node.field,
            tantivy.FieldType.Date,
            low,
            high,
            include_lower=node.include_low if low else True,
            include_upper=node.include_high if high else True,
        )

    def field_value(self, value: str) -> tantivy.Query:
        """`value=60`: that value score."""
        return self._value_range(Range("value", value, value))

    def _value_range(self, node: Range) -> tantivy.Query:
        lookup = self._lookup("value")
        bounds = []
        for text in (node.low, node.high):
            try:
                bounds.append(float(text) if text is not None else None)
            except ValueError:
                raise UsageError(f"value takes a number 0-100, not {text!r}") from None
        keys = lookup.keys_between(bounds[0], bounds[1], node.include_low, node.include_high)
        return tantivy.Query.term_set_query(self.schema, "key", keys)

    def _lookup(self, field: str) -> Lookup:
        if self.lookup is None:
            raise UsageError(f"{field} needs the warehouse: search through ipnav search or the API")
        return self.lookup

    def field_ad(self, value: str) -> tantivy.Query:
        """`ad=2020` or a date: the filing date."""
        return self._date_equals("ad", value)

    def field_pd(self, value: str) -> tantivy.Query:
        """`pd=`: the publication date."""
        return self._date_equals("pd", value)

    def field_gd(self, value: str) -> tantivy.Query:
        """`gd=`: the grant date."""
        return self._date_equals("gd", value)

    def _date_equals(self, field: str, value: str) -> tantivy.Query:
        """`ad=2020` is the whole year, `ad=2020-03` the month, `ad=2020-03-04` the day."""
        return self.range(Range(field, value, value))


def _latin_globs(piece: str) -> list[str]:
    return re.findall(r"[0-9a-z*?]+", piece.replace("＊", "*").replace("？", "?"))


def _date_bound(text: str, *, upper: bool) -> dt.datetime:
    try:
        return date_bound(text, upper=upper)
    except ValueError as exc:  # ASTs built without the parser
        raise UsageError(str(exc)) from None


@functools.lru_cache(maxsize=1024)
def region_codes(value: str) -> list[str]:
    """Index terms for a region given as adcode or name: 常州 -> ['3204'], 江苏 -> ['32'], 511922 -> ['511922']."""
    text = value.strip()
    if text.isdigit():
        if len(text) == 6:
            return [text[:2]] if text.endswith("0000") else [text[:4]] if text.endswith("00") else [text]
        if len(text) in (2, 4):
            return [text]
        return []
    names: list[tuple[str, str]] = []
    names += [(r["code"], r["name"]) for r in reference.rows("adcode_provinces")]
    names += [(r["code"], r["name"]) for r in reference.rows("adcode_cities") if r["name"] not in ("市辖区", "县")]
    names += [(r["code"], r["name"]) for r in reference.rows("adcode_areas")]
    exact = [code for code, name in names if name == text]
    if exact:
        return sorted(set(exact))
    return sorted({code for code, name in names if name.startswith(text) and len(text) >= 2})
