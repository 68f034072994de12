"""The trademark search index (`index_tm/` in the workspace, tantivy), kept in step with the warehouse.

Marks are short, and users search them by pieces: 小米 must find 小米科技, `xiaomi` must find 小米 and
小米 must find XIAOMI. So the folded mark text (simplified, lower case, full-width folded) and its toneless
pinyin are indexed as character n-grams (1, 2 and 3 characters, spaces kept as `_`): a piece of one or two
characters is one term, a longer piece the phrase of its overlapping trigrams, which matches exactly where
the piece is a substring. The whole folded text, its words and the whole pinyin are also kept as terms,
for `mark~N` (within N edits of the whole mark or of one of its words: Levenshtein automata on the term
dictionary) and to rank the mark that equals the query first. Owners, agents and goods read like patent
applicants and abstracts (Chinese substrings, English words). The query language is the patents'
(`ipnav.search.query`) with the fields of marks (`FIELDS`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import tantivy

from ipnav.config import Workspace
from ipnav.errors import UsageError
from ipnav.normalize import text as analysis
from ipnav.search.schema import among_keys, key_set
from ipnav.store.warehouse import Warehouse
from ipnav.trademarks.query import DATES, TrademarkCompiler, parse_query
from ipnav.trademarks.rows import pinyin
from ipnav.trademarks.shapes import look_alikes

SCHEMA_VERSION = "4"
FACETS = {"class": "class", "group": "group", "status": "status", "office": "office", "year": "ad_year",
          "owner": "owner", "province": "province"}  # fmt: skip
_WRITER_HEAP = 256 << 20
_BATCH = 50_000
_WORD = re.compile(r"[^\W_]+")


def index_path(workspace: Workspace) -> Path:
    """The workspace's trademark index folder."""
    return workspace.root / "index_tm"


def build_schema() -> tantivy.Schema:
    """The tantivy schema of the trademark index."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", fast=True)
    for name in ("m1", "m2", "m3", "y1", "y2", "y3"):  # n-grams of the folded mark (m) and its pinyin (y)
        builder.add_text_field(name, tokenizer_name="whitespace")
    builder.add_text_field("mark_raw", tokenizer_name="raw")
    builder.add_text_field("words", tokenizer_name="whitespace")  # the mark's words, for word~N
    builder.add_text_field("sound_raw", tokenizer_name="raw")
    for field in ("pa", "ag", "gs"):  # owners, agents, goods: Chinese substrings and English words
        builder.add_text_field(f"{field}_en", tokenizer_name="en_stem" if field == "gs" else "default")
        builder.add_text_field(f"{field}_zh1", tokenizer_name="whitespace")
        builder.add_text_field(f"{field}_zh2", tokenizer_name="whitespace")
    for name in ("class", "group", "status", "type", "kind", "office", "owner", "province"):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    for name in ("region", "region1", "entity", "agent_entity", "number"):
        builder.add_text_field(name, tokenizer_name="raw")
    for name in DATES:
        builder.add_date_field(name, indexed=True, fast=True)
    builder.add_integer_field("ad_year", indexed=True, fast=True)
    builder.add_bytes_field("hit", stored=True)
    return builder.build()


# ---- documents ----------------------------------------------------------------------------------

_ROWS_SQL = """
WITH parties AS (
    SELECT app_key, list(name ORDER BY seq) FILTER (WHERE role = 'owner') AS owners,
           list(name ORDER BY seq) FILTER (WHERE role = 'agent') AS agents,
           list(DISTINCT entity) FILTER (WHERE role = 'owner') AS owner_entities,
           list(DISTINCT entity) FILTER (WHERE role = 'agent') AS agent_entities,
           list(DISTINCT adcode) FILTER (WHERE role = 'owner' AND coalesce(adcode, '') <> '') AS adcodes
    FROM tm_parties {where} GROUP BY app_key
), goods AS (
    SELECT app_key, string_agg(concat_ws(' ', goods_zh, goods_en), ' ') AS goods FROM tm_classes {where}
    GROUP BY app_key
)
SELECT t.app_key, t.number, t.registration_number, t.text, t.text_fold, t.text_pinyin, t.office, t.mark_type,
       t.kind, t.status, t.classes, t.groups, t.filing_date, t.registration_date, t.first_owner,
       t.owner_province, t.owner_adcode, p.owners, p.agents, p.owner_entities, p.agent_entities, p.adcodes, g.goods
FROM trademarks t LEFT JOIN parties p USING (app_key) LEFT JOIN goods g USING (app_key) {where_t}
"""


def _grams(text: str, n: int) -> str:
    text = text.replace(" ", "_")
    return " ".join(text[i : i + n] for i in range(len(text) - n + 1))


def _look_alike_grams(text: str) -> set[str]:
    """Character pairs of `text` with one character (both, in a mark of two) replaced by a look-alike, so
    that 康帅傅 is a candidate for 康师傅 and 治治 for 洽洽 (marks of up to eight characters)."""
    if not 2 <= len(text) <= 8 or not analysis.cjk_runs(text):
        return set()
    out: set[str] = set()
    for i, char in enumerate(text):
        for other in look_alikes(char):
            variant = text[:i] + other + text[i + 1 :]
            out.update(variant[j : j + 2] for j in (i - 1, i) if 0 <= j < len(text) - 1)
    if len(text) == 2:
        out.update(a + b for a in look_alikes(text[0])[:8] for b in look_alikes(text[1])[:8])
    return out


def _add_text(doc: tantivy.Document, field: str, text: str) -> None:
    folded = analysis.fold(text)
    doc.add_text(f"{field}_en", folded)
    runs = analysis.cjk_runs(folded)
    if runs:
        doc.add_text(f"{field}_zh1", analysis.unigram_text(runs))
        doc.add_text(f"{field}_zh2", analysis.bigram_text(runs))


def number_terms(*numbers: str | None) -> set[str]:
    """Spellings of a mark's numbers for exact lookup: `US98763166` and `98763166` (leading zeros dropped)."""
    terms: set[str] = set()
    for number in numbers:
        if number:
            digits = "".join(ch for ch in number if ch.isdigit())
            terms.update({number.upper(), digits.lstrip("0") or "0"})
    return terms


def _datetime(value: dt.date | None) -> dt.datetime | None:
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC) if value else None


def document(row: dict[str, Any]) -> tantivy.Document:
    """The index document of one mark from its warehouse row (with owners, agents, goods, adcodes)."""
    doc = tantivy.Document()
    doc.add_text("key", row["app_key"])
    folded, sound = row["text_fold"] or "", row["text_pinyin"] or ""
    for prefix, text in (("m", folded), ("y", sound)):
        for n in (1, 2, 3):
            grams = _grams(text, n)
            if grams:
                doc.add_text(f"{prefix}{n}", grams)
    if folded:
        doc.add_text("mark_raw", folded)
        doc.add_text("words", " ".join(_WORD.findall(folded)))
    if sound:
        doc.add_text("sound_raw", sound)
    for field, values in (("pa", row["owners"]), ("ag", row["agents"]), ("gs", [row["goods"]])):
        for value in values or []:
            if value:
                _add_text(doc, field, value)
    for number in row["classes"] or []:
        doc.add_text("class", str(number))
    for group in row["groups"] or []:
        doc.add_text("group", group)
    for name, column in (("status", "status"), ("type", "mark_type"), ("kind", "kind"), ("office", "office"),
                         ("owner", "first_owner"), ("province", "owner_province")):  # fmt: skip
        if row[column]:
            doc.add_text(name, row[column])
    for code in {c[:k] for c in row["adcodes"] or [] for k in (2, 4, 6)}:
        doc.add_text("region", code)
    first = row["owner_adcode"] or ""
    for code in {first[:k] for k in (2, 4, 6)} if first else ():
        doc.add_text("region1", code)
    for name, column in (("entity", "owner_entities"), ("agent_entity", "agent_entities")):
        for value in row[column] or []:
            if value:
                doc.add_text(name, value)
    for number in number_terms(row["number"], row["registration_number"]):
        doc.add_text("number", number)
    for name, column in (("ad", "filing_date"), ("rd", "registration_date")):
        when = _datetime(row[column])
        if when:
            doc.add_date(name, when)
    if row["filing_date"]:
        doc.add_integer("ad_year", row["filing_date"].year)
    hit = {k: row[k] for k in ("number", "registration_number", "text", "office", "classes", "groups", "status",
                               "filing_date", "registration_date", "first_owner", "owner_province")}  # fmt: skip
    doc.add_bytes("hit", orjson.dumps(hit))
    return doc


def iter_rows(warehouse: Warehouse, keys: list[str] | None = None, *, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Warehouse rows of marks (all, or these keys) with what the index needs."""
    con = warehouse.con.cursor()
    where, where_t = "", ""
    if keys is not None:
        con.register("wanted_tm", pa.table({"app_key": keys}))
        where = "WHERE app_key IN (SELECT app_key FROM wanted_tm)"
        where_t = "WHERE t.app_key IN (SELECT app_key FROM wanted_tm)"
    cursor = con.execute(_ROWS_SQL.format(where=where, where_t=where_t))
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(names, row, strict=True))


# ---- the index ----------------------------------------------------------------------------------


class TrademarkIndex:
    """The trademark index of one workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = build_schema()
        marker = path / "ipnav-schema"
        if path.exists() and (not marker.exists() or marker.read_text().strip() != SCHEMA_VERSION):
            shutil.rmtree(path)
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        marker.write_text(SCHEMA_VERSION)
        self.compiler = TrademarkCompiler(self.index, self.schema)
        self._within: tuple[list[str], tantivy.Query] | None = None

    def write(self, warehouse: Warehouse, keys: list[str] | None) -> int:
        """Index these marks anew (all of them when `keys` is None); returns how many were added. Rows are
        read 50,000 marks at a time: an ingest bounds the warehouse's memory (256 MB) and the per-mark lists
        of a million marks would not fit in it."""
        writer = self.index.writer(_WRITER_HEAP, 2)
        if keys is None:
            writer.delete_all_documents()
            keys = [r[0] for r in warehouse.con.execute("SELECT app_key FROM trademarks ORDER BY app_key").fetchall()]
        else:
            for key in keys:
                writer.delete_documents_by_term("key", key)
        count = 0
        for start in range(0, len(keys), _BATCH):
            for row in iter_rows(warehouse, keys[start : start + _BATCH]):
                writer.add_document(document(row))
                count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    def _key_set(self, within: list[str]) -> tantivy.Query:
        """The marks with these keys; one set serves a run's many watches and saved searches (the same
        list object: the cache is read once, as threads share the index)."""
        cached = self._within
        if cached is None or cached[0] is not within:
            cached = self._within = (within, key_set(self.schema, within))
        return cached[1]

    def keys(self, query: str, within: list[str] | None = None) -> list[str]:
        """The keys of every mark matching a query (no cap; among `within` only, when given)."""
        return [str(row["key"]) for row in self.everything(query, ("key",), within)]

    def everything(
        self, query: str, fields: tuple[str, ...] = ("hit",), within: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Every matching mark (among the keys `within`, when given), newest filing first, as its stored
        hit row (or key): one top-k pass sized to the count, never pages by offset."""
        compiled = self.compiler.compile(parse_query(query))
        if within is not None:
            compiled = among_keys(compiled, self._key_set(within))
        searcher = self.index.searcher()
        total = int(getattr(searcher.search(compiled, limit=1, count=True), "count", 0) or 0)
        if not total:
            return []
        result = searcher.search(compiled, limit=total, count=False, order_by_field="ad", order=tantivy.Order.Desc)
        out = []
        for _, address in result.hits:
            doc = searcher.doc(address)
            row = orjson.loads(doc.get_first("hit") or b"{}") if "hit" in fields else {}
            if "key" in fields:
                row["key"] = doc.get_first("key")
            out.append(row)
        return out

    def candidates(self, text: str, limit: int, within: list[str] | None = None) -> list[dict[str, Any]]:
        """Marks that may resemble `text`: sharing a character pair or a sound (pinyin trigram) with it, or
        a word within two edits; the best `limit` by how much they share (among the marks with these keys
        only, when `within`: the marks an ingest brought)."""
        folded = analysis.fold(text).strip()
        sound = pinyin(text)
        terms: list[tantivy.Query] = []
        squeezed = folded.replace(" ", "_")
        for n, source, prefix in ((2, squeezed, "m"), (3, sound, "y")):
            grams = {source[i : i + n] for i in range(len(source) - n + 1)} or ({source} if source else set())
            field = f"{prefix}{n}" if len(source) >= n else f"{prefix}{max(1, len(source))}"
            terms += [tantivy.Query.term_query(self.schema, field, g) for g in grams]
        for gram in _look_alike_grams(squeezed):
            terms.append(tantivy.Query.term_query(self.schema, "m2", gram))
        for word in re.findall(r"[^\W_]+", folded):
            if len(word) >= 3 and word.isascii():
                terms.append(tantivy.Query.fuzzy_term_query(self.schema, "words", word, distance=2))
        if folded:
            terms.append(tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "mark_raw", folded), 5.0))
        if not terms:
            return []
        query = tantivy.Query.boolean_query([(tantivy.Occur.Should, t) for t in terms])
        if within is not None:
            query = among_keys(query, self._key_set(within))
        searcher = self.index.searcher()
        result = searcher.search(query, limit=limit, count=False)
        out = []
        for _, address in result.hits:
            doc = searcher.doc(address)
            out.append({**orjson.loads(doc.get_first("hit") or b"{}"), "key": doc.get_first("key")})
        return out

    def search(self, query: str, *, limit: int, offset: int, sort: str, facets: bool) -> dict[str, Any]:
        """One page of hits (stored rows), the total and the facets of a query."""
        compiled = self.compiler.compile(parse_query(query))
        searcher = self.index.searcher()
        kwargs: dict[str, Any] = {"limit": limit, "count": True, "offset": offset}
        if sort != "relevance":
            field = {"ad": "ad", "-ad": "ad", "rd": "rd", "-rd": "rd"}.get(sort)
            if field is None:
                raise UsageError(f"unknown sort {sort!r}: use relevance, ad, -ad, rd or -rd")
            kwargs["order_by_field"] = field
            kwargs["order"] = tantivy.Order.Desc if sort.startswith("-") else tantivy.Order.Asc
        result = searcher.search(compiled, **kwargs)
        hits = [orjson.loads(searcher.doc(address).get_first("hit") or b"{}") for _, address in result.hits]
        out: dict[str, Any] = {"total": int(getattr(result, "count", 0) or 0), "hits": hits}
        if facets:
            spec = {name: {"terms": {"field": field, "size": 10, "segment_size": 10000}}
                    for name, field in FACETS.items()}  # fmt: skip
            raw = searcher.aggregate(compiled, spec)
            out["facets"] = {
                name: {str(b["key"]): int(b["doc_count"]) for b in raw.get(name, {}).get("buckets", [])}
                for name in FACETS
            }
        return out


_OPEN_LOCK = threading.Lock()


def open_index(workspace: Workspace) -> TrademarkIndex:
    """The workspace's trademark index, opened once per process and reloaded to see the latest commit."""
    with _OPEN_LOCK:
        index = _open(index_path(workspace).resolve())
    index.index.reload()
    return index


@functools.lru_cache(maxsize=8)
def _open(path: Path) -> TrademarkIndex:
    return TrademarkIndex(path)


def _latest_run(warehouse: Warehouse) -> int:
    row = warehouse.con.execute("SELECT coalesce(max(run_id), 0) FROM documents WHERE kind = 'trademark'").fetchone()
    return int(row[0]) if row else 0


def _seen_run(workspace: Workspace) -> int:
    marker = index_path(workspace) / "indexed-run"
    return int(marker.read_text()) if marker.exists() else 0


def sync(workspace: Workspace, warehouse: Warehouse) -> int:
    """Bring the trademark index up to date: marks stored by runs it has not seen are (re-)indexed."""
    seen, latest = _seen_run(workspace), _latest_run(warehouse)
    if latest <= seen:
        return 0
    index = open_index(workspace)
    keys = None
    if seen:
        sql = "SELECT DISTINCT app_key FROM documents WHERE kind = 'trademark' AND run_id > ?"
        keys = [r[0] for r in warehouse.con.execute(sql, [seen]).fetchall()]
    count = index.write(warehouse, keys)
    (index_path(workspace) / "indexed-run").write_text(str(latest))
    return count


def rebuild(workspace: Workspace, warehouse: Warehouse) -> int:
    """Index every mark anew; marks the index current."""
    count = open_index(workspace).write(warehouse, None)
    (index_path(workspace) / "indexed-run").write_text(str(_latest_run(warehouse)))
    return count


def behind(workspace: Workspace, warehouse: Warehouse) -> bool:
    """Whether marks were stored that the index has not seen (`ingest --no-index`)."""
    return _latest_run(warehouse) > _seen_run(workspace)
