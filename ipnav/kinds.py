"""The record kinds ipnav holds: patents first; trademarks, geographical indications, copyright, plant
varieties, transactions and cases follow, each as one package beside the patent code.

A kind names its model, its warehouse tables and the `documents.kind` of its stored source records.
Its formats, analyses and indicators are found through their own registries by their `record_kind`
(`ipnav.ingest.registry.formats()`, `ipnav.analytics.analyses.ANALYSES`, `ipnav.kpi.indicators.
INDICATORS`), so adding a kind touches no other kind. docs/architecture.md says how to add one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordKind:
    """One kind of IP record and where its parts live."""

    name: str
    title_zh: str
    title_en: str
    model: str  # dotted path of its model class
    tables: tuple[str, ...]  # warehouse tables that hold it (ipnav.store.schema)
    document_kind: str  # `documents.kind` of its stored source records
    index: str = ""  # dotted path of a module with `sync(workspace, warehouse)` and `rebuild(...)`: its own
    # search index, kept in step by ingest and reindex (patents have `ipnav.search`)


KINDS: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> RecordKind:
    """Add a record kind (its package calls this when imported)."""
    if kind.name in KINDS:
        raise ValueError(f"record kind {kind.name!r} is registered twice")
    KINDS[kind.name] = kind
    return kind


PATENT = register_kind(
    RecordKind(
        name="patent",
        title_zh="专利",
        title_en="Patents",
        model="ipnav.model.Patent",
        tables=(
            "patents", "publications", "parties", "classifications", "priorities", "citations", "legal_events",
            "patent_sei", "patent_terms", "patent_owners", "inventor_pairs", "patent_entities", "entity_pairs",
            "patent_subclasses", "patent_wipo", "patent_sei_codes",
        ),
        document_kind="patent",
    )
)  # fmt: skip
TRANSACTION = register_kind(
    RecordKind(
        name="transaction",
        title_zh="转让/许可/质押",
        title_en="Assignments, licences and pledges",
        model="ipnav.model.Transaction",
        tables=("transactions", "transaction_patents"),
        document_kind="transaction",
    )
)
TRADEMARK = register_kind(
    RecordKind(
        name="trademark",
        title_zh="商标",
        title_en="Trademarks",
        model="ipnav.trademarks.model.Trademark",
        tables=("trademarks", "tm_classes", "tm_parties", "tm_events"),
        document_kind="trademark",
        index="ipnav.trademarks.index",
    )
)
# the registers of ipnav.registers: one model, one warehouse table, a kind each (their spec names their fields)
for _name, _zh, _en in (
    ("gi", "地理标志", "Geographical indications"),
    ("gi_user", "地理标志用标企业", "Authorised users of GIs"),
    ("copyright", "版权登记", "Copyright registrations"),
    ("plant_variety", "植物新品种权", "Plant variety rights"),
    ("ip_transaction", "转让/许可/质押登记", "Transfers, licences and pledges"),
    ("case", "案件", "Enforcement and protection cases"),
    ("credit", "信用名单", "Credit lists"),
    ("listing", "认定名单", "Named lists"),
    ("tech_contract", "技术合同登记", "Technology contracts"),
):
    register_kind(
        RecordKind(_name, _zh, _en, "ipnav.registers.model.RegisterRecord", ("registers",), document_kind=_name)
    )
