"""The tantivy schema of the search index."""

from __future__ import annotations

import tantivy

SCHEMA_VERSION = "2"  # 2: stored display row ("hit")
TEXT = ("ti", "ab", "cl", "desc")
PARTIES = ("pa", "in", "ag")
RAW_MULTI = ("numbers", "ipc", "cpc", "region", "sei")
FACET_TEXT = ("cc", "type", "status", "province", "city", "pa_facet", "ipc_sub")
DATES = ("ad", "pd", "gd")
# fields answered by the warehouse, not the index (ipnav.search.lookups): exact, as the analyses count
WAREHOUSE_FIELDS = ("pae", "ine", "atype", "wipo", "term", "reason", "flag", "cites", "region1", "topic")
BOOSTS = {"ti": 3.0, "ab": 1.5, "cl": 1.0, "desc": 0.5, "pa": 1.0, "in": 1.0, "ag": 1.0}


def build_schema() -> tantivy.Schema:
    """The tantivy schema of the patent index."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", stored=True, tokenizer_name="raw", fast=True)
    builder.add_unsigned_field("seq", stored=False, indexed=True, fast=True)
    for field in TEXT:
        builder.add_text_field(f"{field}_en", tokenizer_name="en_stem")
        builder.add_text_field(f"{field}_zh1", tokenizer_name="whitespace")
        builder.add_text_field(f"{field}_zh2", tokenizer_name="whitespace")
        builder.add_text_field(f"{field}_zhw", tokenizer_name="whitespace")
    for field in PARTIES:
        builder.add_text_field(f"{field}_en", tokenizer_name="default")
        builder.add_text_field(f"{field}_zh1", tokenizer_name="whitespace")
        builder.add_text_field(f"{field}_zh2", tokenizer_name="whitespace")
    for field in RAW_MULTI:
        builder.add_text_field(field, tokenizer_name="raw")
    for field in FACET_TEXT:
        builder.add_text_field(field, tokenizer_name="raw", fast=True)
    for field in DATES:
        builder.add_date_field(field, indexed=True, fast=True)
    builder.add_integer_field("ad_year", indexed=True, fast=True)
    builder.add_bytes_field("hit", stored=True)  # JSON display row of the hit list (store.rows.hit_row)
    return builder.build()


def among_keys(query: tantivy.Query, keys: tantivy.Query) -> tantivy.Query:
    """`query` restricted to the documents a `key_set` names (the records an ingest brought)."""
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, keys)])


def key_set(schema: tantivy.Schema, keys: list[str]) -> tantivy.Query:
    """The documents with these keys (the raw `key` field every ipnav index has)."""
    return tantivy.Query.term_set_query(schema, "key", keys)
