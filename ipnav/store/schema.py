"""Warehouse tables. `documents` holds every source document as JSON (the truth);
`patents` and its child tables are derived from it by merging the documents of one
application, so re-ingesting is a no-op and A/B publications meet in one row.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 1

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_key VARCHAR, app_key VARCHAR, kind VARCHAR, content_hash VARCHAR,
    source_file VARCHAR, source_position INTEGER, source_format VARCHAR, body BLOB, description BLOB,
    run_id INTEGER
);
CREATE INDEX IF NOT EXISTS documents_doc_key ON documents (doc_key);
CREATE INDEX IF NOT EXISTS documents_app_key ON documents (app_key);
CREATE TABLE IF NOT EXISTS patents (
    app_key VARCHAR, app_number VARCHAR, country VARCHAR, filing_date DATE, filing_year INTEGER,
    patent_type VARCHAR, title VARCHAR, title_lang VARCHAR, titles VARCHAR, abstract VARCHAR, abstracts VARCHAR,
    claims_count INTEGER, independent_claims INTEGER,
    first_pub_number VARCHAR, first_pub_date DATE, grant_number VARCHAR, grant_date DATE,
    legal_status VARCHAR, legal_status_reason VARCHAR, legal_status_raw VARCHAR, family_id VARCHAR,
    first_applicant VARCHAR, applicant_adcode VARCHAR, applicant_province VARCHAR, applicant_city VARCHAR,
    applicant_county VARCHAR, main_ipc VARCHAR, source_formats VARCHAR, doc_count INTEGER, extra VARCHAR
);
CREATE TABLE IF NOT EXISTS publications (app_key VARCHAR, number VARCHAR, kind VARCHAR, date DATE, country VARCHAR);
CREATE TABLE IF NOT EXISTS parties (
    app_key VARCHAR, role VARCHAR, seq INTEGER, name VARCHAR, name_norm VARCHAR, address VARCHAR, city VARCHAR,
    state VARCHAR, country VARCHAR, postcode VARCHAR, adcode VARCHAR, province_name VARCHAR, city_name VARCHAR,
    county_name VARCHAR, region_flag VARCHAR
);
-- point lookups by application (a page of search hits, a patent page) use these instead of scanning
CREATE INDEX IF NOT EXISTS patents_app_key ON patents (app_key);
CREATE INDEX IF NOT EXISTS publications_app_key ON publications (app_key);
CREATE INDEX IF NOT EXISTS publications_number ON publications (number);
CREATE INDEX IF NOT EXISTS parties_app_key ON parties (app_key);
CREATE TABLE IF NOT EXISTS classifications (app_key VARCHAR, scheme VARCHAR, symbol VARCHAR, main BOOLEAN);
CREATE TABLE IF NOT EXISTS priorities (app_key VARCHAR, country VARCHAR, number VARCHAR, date DATE);
CREATE TABLE IF NOT EXISTS citations (
    app_key VARCHAR, seq INTEGER, kind VARCHAR, number VARCHAR, country VARCHAR, kind_code VARCHAR, date DATE,
    text VARCHAR, category VARCHAR
);
CREATE TABLE IF NOT EXISTS patent_sei (
    app_key VARCHAR, sei_code VARCHAR, sei_name VARCHAR, category_code VARCHAR, category_name VARCHAR,
    pattern VARCHAR, symbol VARCHAR
);
CREATE TABLE IF NOT EXISTS patent_terms (app_key VARCHAR, term VARCHAR);
CREATE TABLE IF NOT EXISTS patent_owners (app_key VARCHAR, name VARCHAR, entity VARCHAR, etype VARCHAR);
-- one row per application and merged entity (the analyses count applications per entity without DISTINCT)
CREATE TABLE IF NOT EXISTS patent_entities (app_key VARCHAR, entity VARCHAR, etype VARCHAR);
-- co-applicants: every pair of merged entities on one application (a < b), with their types
CREATE TABLE IF NOT EXISTS entity_pairs (app_key VARCHAR, a VARCHAR, b VARCHAR, a_etype VARCHAR, b_etype VARCHAR);
-- one row per application and IPC subclass, and per application and WIPO technology field (1-35)
CREATE TABLE IF NOT EXISTS patent_subclasses (app_key VARCHAR, subclass VARCHAR);
CREATE TABLE IF NOT EXISTS patent_wipo (app_key VARCHAR, field_no INTEGER);
-- one row per application and strategic emerging industry (patent_sei holds every matching symbol)
CREATE TABLE IF NOT EXISTS patent_sei_codes (
    app_key VARCHAR, sei_code VARCHAR, sei_name VARCHAR, category_code VARCHAR, category_name VARCHAR
);
CREATE TABLE IF NOT EXISTS inventor_pairs (app_key VARCHAR, a VARCHAR, b VARCHAR);
-- trademarks (ipnav.trademarks): one row per mark, its classes, owners and agents, events; keyed `TM:` + number
CREATE TABLE IF NOT EXISTS trademarks (
    app_key VARCHAR, office VARCHAR, number VARCHAR, registration_number VARCHAR, text VARCHAR,
    text_fold VARCHAR, text_pinyin VARCHAR, mark_type VARCHAR, kind VARCHAR, image VARCHAR, filing_date DATE,
    publication_date DATE, registration_date DATE, expiry_date DATE, status VARCHAR, status_raw VARCHAR,
    status_date DATE, classes INTEGER[], groups VARCHAR[], vienna VARCHAR[], first_owner VARCHAR, owner_entity VARCHAR,
    owner_type VARCHAR, owner_country VARCHAR, owner_adcode VARCHAR, owner_province VARCHAR, owner_city VARCHAR,
    owner_county VARCHAR, international_registration VARCHAR, madrid VARCHAR[], source_format VARCHAR
);
CREATE TABLE IF NOT EXISTS tm_classes (
    app_key VARCHAR, class_no INTEGER, groups VARCHAR[], goods_zh VARCHAR, goods_en VARCHAR
);
CREATE TABLE IF NOT EXISTS tm_parties (
    app_key VARCHAR, role VARCHAR, seq INTEGER, name VARCHAR, entity VARCHAR, etype VARCHAR, address VARCHAR,
    country VARCHAR, adcode VARCHAR, province VARCHAR, city VARCHAR, county VARCHAR
);
CREATE TABLE IF NOT EXISTS tm_events (app_key VARCHAR, date DATE, kind VARCHAR, code VARCHAR, description VARCHAR);
CREATE TABLE IF NOT EXISTS topics (
    name VARCHAR, description VARCHAR, query VARCHAR, created_at TIMESTAMP, refreshed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS topic_members (topic VARCHAR, app_key VARCHAR, origin VARCHAR, added_at TIMESTAMP);
-- an analyst's note on one member (the latest one counts) and the change log of every topic
CREATE TABLE IF NOT EXISTS topic_notes (
    topic VARCHAR, app_key VARCHAR, note VARCHAR, author VARCHAR, noted_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS topic_log (
    topic VARCHAR, logged_at TIMESTAMP, action VARCHAR, actor VARCHAR, came_in VARCHAR[], went_out VARCHAR[],
    size INTEGER
);
CREATE TABLE IF NOT EXISTS legal_events (app_key VARCHAR, date DATE, code VARCHAR, description VARCHAR);
CREATE TABLE IF NOT EXISTS transactions (
    key VARCHAR, kind VARCHAR, execution_date DATE, recorded_date DATE, assignors VARCHAR, assignees VARCHAR,
    conveyance VARCHAR, amount DOUBLE, currency VARCHAR, source_file VARCHAR
);
CREATE TABLE IF NOT EXISTS transaction_patents (key VARCHAR, app_key VARCHAR);
CREATE TABLE IF NOT EXISTS well_known_marks (
    mark VARCHAR, number VARCHAR, owner VARCHAR, entity VARCHAR, year INTEGER, class_no INTEGER, authority VARCHAR,
    adcode VARCHAR, source_file VARCHAR, row_no INTEGER, name_adcode VARCHAR
);
CREATE TABLE IF NOT EXISTS awards (
    number VARCHAR, key VARCHAR, award VARCHAR, year INTEGER, source_file VARCHAR, row_no INTEGER
);
CREATE TABLE IF NOT EXISTS plan_records (
    plan VARCHAR, indicator VARCHAR, date DATE, value DOUBLE, source VARCHAR, evidence VARCHAR,
    evidence_sha256 VARCHAR, recorded_by VARCHAR, recorded_at TIMESTAMP, via VARCHAR
);
CREATE TABLE IF NOT EXISTS plan_task_updates (
    plan VARCHAR, task VARCHAR, date DATE, status VARCHAR, note VARCHAR, recorded_by VARCHAR,
    recorded_at TIMESTAMP, via VARCHAR
);
CREATE TABLE IF NOT EXISTS rejects (
    reject_id VARCHAR, run_id INTEGER, source_file VARCHAR, position INTEGER, line INTEGER, field VARCHAR,
    reason VARCHAR, raw_path VARCHAR, raw_size BIGINT, created_at TIMESTAMP, raw_sha256 VARCHAR
);
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS raw_sha256 VARCHAR;
-- where an applicant's region comes from (ipnav.store.regions): address, user_table, applicant_history ...
ALTER TABLE parties ADD COLUMN IF NOT EXISTS region_basis VARCHAR;
ALTER TABLE patents ADD COLUMN IF NOT EXISTS applicant_region_basis VARCHAR;
-- applications whose derived rows changed without a new document (a region inferred, a record linked)
CREATE TABLE IF NOT EXISTS touched_apps (run_id INTEGER, app_key VARCHAR);
ALTER TABLE citations ADD COLUMN IF NOT EXISTS number_raw VARCHAR;
-- what each record gives (store.rows): the analyses' coverage counts come from one scan of patents
ALTER TABLE patents ADD COLUMN IF NOT EXISTS has_ipc BOOLEAN;
ALTER TABLE patents ADD COLUMN IF NOT EXISTS has_owner BOOLEAN;
ALTER TABLE patents ADD COLUMN IF NOT EXISTS has_inventor BOOLEAN;
ALTER TABLE patents ADD COLUMN IF NOT EXISTS has_text BOOLEAN;
ALTER TABLE patents ADD COLUMN IF NOT EXISTS has_citation BOOLEAN;
-- the other registers (ipnav.registers): one row per record, the shared roles as columns, every field in `fields`
CREATE TABLE IF NOT EXISTS registers (
    app_key VARCHAR, register VARCHAR, subtype VARCHAR, key VARCHAR, number VARCHAR, name VARCHAR,
    holder VARCHAR, holder_entity VARCHAR, holder_norm VARCHAR, date DATE, end_date DATE, year INTEGER,
    amount DOUBLE, status VARCHAR, level VARCHAR, ip_type VARCHAR, event VARCHAR, adcode VARCHAR,
    province VARCHAR, city VARCHAR, county VARCHAR, region_basis VARCHAR, deadline DATE, rule VARCHAR,
    search_text VARCHAR, fields VARCHAR, notes VARCHAR, source_format VARCHAR, source_file VARCHAR,
    source_position INTEGER
);
ALTER TABLE registers ADD COLUMN IF NOT EXISTS holder_norm VARCHAR;
CREATE TABLE IF NOT EXISTS ingest_runs (
    run_id INTEGER, started_at TIMESTAMP, finished_at TIMESTAMP, paths VARCHAR, files INTEGER, records INTEGER,
    inserted INTEGER, updated INTEGER, unchanged INTEGER, rejected INTEGER, seconds DOUBLE, status VARCHAR
);
"""

# `documents.body` is the record as JSON without its description (kept apart in
# `documents.description`, so the long text is stored once and merges can still rebuild it);
# both are zstd-compressed, read them with `ipnav.store.codec.load_document`.
# Tables derived from documents, all keyed by app_key (deleted and rebuilt per affected application).
DERIVED_TABLES = (
    "patents",
    "publications",
    "parties",
    "classifications",
    "priorities",
    "citations",
    "legal_events",
    "patent_sei",
    "patent_terms",
    "patent_owners",
    "patent_entities",
    "entity_pairs",
    "patent_subclasses",
    "patent_wipo",
    "patent_sei_codes",
    "trademarks",
    "tm_classes",
    "tm_parties",
    "tm_events",
    "inventor_pairs",
    "registers",
)

DOCUMENTS_ARROW = pa.schema(
    [
        ("doc_key", pa.string()),
        ("app_key", pa.string()),
        ("kind", pa.string()),
        ("content_hash", pa.string()),
        ("source_file", pa.string()),
        ("source_position", pa.int32()),
        ("source_format", pa.string()),
        ("body", pa.binary()),
        ("description", pa.binary()),
        ("run_id", pa.int32()),
    ]
)
