"""The warehouse rows of a register record: one row of `registers` (the fields every register shares by role,
the typed fields as JSON, the region and its basis, a case's deadline), and for patent transfers, licences
and pledges the rows of `transactions` and `transaction_patents` that the patent pages show."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import orjson

from ipnav.errors import RecordError
from ipnav.normalize.names import canonical_name, normalize_name
from ipnav.normalize.numbers import parse_application_number
from ipnav.normalize.text import fold
from ipnav.registers import closure
from ipnav.registers.model import Columns, RegisterRecord
from ipnav.registers.spec import REGISTERS

_TX_KINDS = {"transfer": "assignment", "licence": "licence", "pledge": "pledge", "other": "other"}


def _date(record: RegisterRecord, role: str) -> dt.date | None:
    name = REGISTERS[record.record_kind].roles.get(role, "")
    return record.date(name) if name else None


def _value(record: RegisterRecord, role: str) -> Any:
    name = REGISTERS[record.record_kind].roles.get(role, "")
    return record.values.get(name) if name else None


def register_row(record: RegisterRecord) -> dict[str, Any]:
    """The one `registers` row of a record."""
    holder = record.owners[0] if record.owners else None
    start, end = _date(record, "date"), _date(record, "end")
    year = _value(record, "year") or (start.year if start else None)
    due, rule = None, ""
    if record.record_kind == "case" and record.values.get("filed"):
        due, rule = closure.deadline(
            dt.date.fromisoformat(record.values["filed"]), record.subtype, str(record.values.get("kind", "")),
            record.values.get("limit_days"), record.values.get("extension_days"),
        )  # fmt: skip
    private = REGISTERS[record.record_kind].private  # a contact is not found by searching
    text = " ".join(str(v) if not isinstance(v, list) else " ".join(v) for k, v in record.values.items()
                    if k not in private)  # fmt: skip
    return {
        "app_key": record.app_key, "register": record.record_kind, "subtype": record.subtype, "key": record.key,
        "number": str(_value(record, "number") or ""), "name": str(_value(record, "name") or ""),
        "holder": holder.name if holder else "", "holder_entity": canonical_name(holder.name) if holder else "",
        "holder_norm": normalize_name(holder.name) if holder else "",  # as patents' parties spell it (name_norm)
        "date": start, "end_date": end, "year": int(year) if year else None,
        "amount": _value(record, "amount"), "status": str(_value(record, "status") or ""),
        "level": str(_value(record, "level") or ""), "ip_type": str(record.values.get("ip_type", "")),
        "event": str(record.values.get("event", "")),
        "adcode": holder.adcode if holder else "", "province": holder.province_name if holder else "",
        "city": holder.city_name if holder else "", "county": holder.county_name if holder else "",
        "region_basis": record.region_basis if holder and holder.adcode else "",
        "deadline": due, "rule": rule, "search_text": fold(text),
        "fields": orjson.dumps(record.values).decode(), "notes": "; ".join(record.notes),
        "source_format": record.source_format, "source_file": record.source_file,
        "source_position": record.source_position,
    }  # fmt: skip


_PATENT_NUMBER = re.compile(r"^(?:ZL|CN)?\s*(?:\d{12}|\d{8}\.[\dX]|\d{12}\.[\dX])$", re.I)


def patent_keys(numbers: list[str]) -> list[str]:
    """The application keys of the patents a transaction names (mark numbers such as 第12345678号 left out)."""
    keys = []
    for raw in numbers:
        if not _PATENT_NUMBER.match(raw.strip()) and not raw.strip().upper().startswith("ZL"):
            continue
        try:
            keys.append(parse_application_number(raw, "CN").key)
        except RecordError:
            continue
    return keys


def register_columns(record: RegisterRecord) -> Columns:
    """Column lists of the record's warehouse rows."""
    row = register_row(record)
    out: Columns = {"registers": {name: [value] for name, value in row.items()}}
    values = record.values
    if record.record_kind == "ip_transaction" and "专利" in str(values.get("ip_type", "")):
        key = record.app_key[2:]  # the store deletes a document's transactions by its key without `R:`
        conveyance = str(values.get("kind", "")) + (
            f" ({values['licence_type']})" if values.get("licence_type") else ""
        )
        if values.get("end"):
            conveyance += f" (解除 released {values['end']})"
        kind = _TX_KINDS[record.subtype] + ("_release" if values.get("event") == "release" else "")
        amount = values.get("amount")  # the register keeps 万元; transactions keep CNY like every other source
        out["transactions"] = {
            "key": [key], "kind": [kind], "execution_date": [record.date("date")],
            "recorded_date": [record.date("date")], "assignors": [str(values.get("from_party", ""))],
            "assignees": [str(values.get("to_party", ""))], "conveyance": [conveyance],
            "amount": [amount * 10_000 if amount is not None else None],
            "currency": ["CNY" if amount is not None else ""], "source_file": [record.source_file],
        }  # fmt: skip
        patents = patent_keys(list(values.get("numbers") or []))
        if patents:
            out["transaction_patents"] = {"key": [key] * len(patents), "app_key": patents}
    return out
