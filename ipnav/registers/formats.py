"""The table layouts of the registers (CSV/XLSX/XLS with Chinese or English headers) and the JSON Lines of
published administrative penalty decisions, read into `RegisterRecord`s.

Each register's fields name their header spellings (`ipnav.registers.spec`); a table whose header row holds
the fields of one of a register's signatures is that register. A money column whose header says 元 or 亿元
(`质押金额(元)`) is converted to 万元. A bad value rejects its row with the field and the reason; the file
goes on. Lists of one kind of transaction (a pledge list with 出质人/质权人, a licence list with
许可人/被许可人, a transfer list with 让与人/受让人) need no 事务类型 column.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

from ipnav.errors import RecordError
from ipnav.ingest.registry import JsonFormat, TableFormat, register_table
from ipnav.normalize.region import Region, division_names, resolve_address
from ipnav.registers import classify
from ipnav.registers.model import Holder, RegisterRecord
from ipnav.registers.spec import REGISTERS, Register
from ipnav.registers.values import typed

_UNITS = ("元", "亿元")


def _headers(register: Register, only: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple[str, ...]]:
    """field -> header spellings; money fields also as `field@元` and `field@亿元` for headers in those units."""
    out: dict[str, tuple[str, ...]] = {}
    for f in register.fields:
        names = (only or {}).get(f.name, f.spellings())
        out[f.name] = names
        if f.type == "money":
            for unit in _UNITS:
                out[f"{f.name}@{unit}"] = tuple(n.replace("(万元)", f"({unit})") for n in names if "(万元)" in n)
    return out


@functools.lru_cache(maxsize=65_536)
def _resolved(text: str) -> Region:
    """An address or place names resolved (cached: a register repeats its places, 湖南省长沙市 ...)."""
    return resolve_address(text)


def _place(register: Register, values: dict[str, Any], holder: Holder) -> str:
    """Fill the holder's region from the row: its division code, address, place names, or its name."""
    region_fields = register.region_fields
    code = values.get(region_fields.get("adcode", ""), "")
    if code:
        holder.adcode = code
        holder.province_name, holder.city_name, holder.county_name = division_names(code)
        holder.country = "CN"
        return "adcode"
    tries: list[tuple[str, str]] = []
    if values.get(region_fields.get("address", "")):
        tries.append(("address", values[region_fields["address"]]))
    places = [str(values.get(region_fields.get(level, ""), "")) for level in ("province", "city", "county")]
    for depth in (3, 2, 1):  # 陕西省 宝鸡市 凤翔县 (a county renamed since): the city still places it
        joined = "".join(p for p in places[:depth] if p)
        if joined and ("place", joined) not in tries:
            tries.append(("place", joined))
    from ipnav.normalize.placenames import region_of_name

    names = (("applicant_name", holder.name), ("authority", str(values.get("agency", ""))))
    found = itertools.chain(  # lazily: the first that places the holder ends the search
        ((basis, _resolved(text)) for basis, text in tries),
        ((basis, region_of_name(name)) for basis, name in names if name),
    )
    for basis, region in found:
        if region.flag == "matched" and region.adcode:
            holder.adcode, holder.province_name = region.adcode, region.province
            holder.city_name, holder.county_name, holder.region_flag = region.city, region.county, "matched"
            holder.country = "CN"
            return basis
    holder.address = ""  # nothing left for the batch resolver to try
    return ""


def read_row(
    register: Register, raw: dict[str, str], extra: dict[str, str], fmt: str, defaults: dict[str, str] | None = None
) -> RegisterRecord:
    """One table row of a register as a record (RecordError naming the field of a bad value)."""
    values: dict[str, Any] = {}
    for f in register.fields:
        text = raw.get(f.name, "")
        unit = "万元"
        for other in _UNITS:
            if not text and raw.get(f"{f.name}@{other}"):
                text, unit = raw[f"{f.name}@{other}"], other
        text = text or (defaults or {}).get(f.name, "")
        if not text:
            if f.required:
                raise RecordError(f.name, f"missing {f.zh} ({f.en})")
            continue
        values[f.name] = typed(f.name, f.type, text, unit)
    notes: list[str] = []
    subtype, key = classify.subtype_and_key(register, values, notes)
    holder_field = register.roles.get("holder", "")
    holder = Holder(name=str(values.get(holder_field, "")), address=str(values.get("address", "")))
    basis = _place(register, values, holder)
    return RegisterRecord(
        record_kind=register.name, subtype=subtype, key=key, values=values, owners=[holder], region_basis=basis,
        notes=notes, extra=dict(extra), source_format=fmt,
    )  # fmt: skip


def _layout(
    name: str, register: Register, signature: tuple[str, ...],
    only: dict[str, tuple[str, ...]] | None = None, defaults: dict[str, str] | None = None,
    refuse: tuple[str, ...] = (),
) -> TableFormat:  # fmt: skip
    def records(values: dict[str, str], extra: dict[str, str]) -> Iterator[RegisterRecord]:
        yield read_row(register, values, extra, name, defaults)

    return TableFormat(name=name, kind=register.name, headers=_headers(register, only), signature=signature,
                       records=records, refuse=refuse)  # fmt: skip


# a patent export that also gives a patent's pledge (申请人, 摘要, IPC ...) stays a patent table: its rows are
# patents with their pledges (`ipnav.ingest.table`), not a pledge list
_PATENT_EXPORT = ("申请人", "申请(专利权)人", "专利权人", "发明人", "摘要", "主分类号", "IPC", "IPC分类号", "分类号",
                  "公开号", "公开(公告)号", "公告号", "法律状态", "申请日")  # fmt: skip


def _layouts() -> list[TableFormat]:
    out: list[TableFormat] = []
    order = (
        "gi_user",
        "gi",
        "copyright",
        "plant_variety",
        "ip_transaction",
        "case",
        "listing",
        "credit",
        "tech_contract",
        "tech_demand",
        "tech_offer",
    )  # a more specific signature first: a GI user row also names its GI
    for name in order:
        register = REGISTERS[name]
        for number, signature in enumerate(register.signatures):
            out.append(_layout(f"{name}_table" + (f"_{number + 1}" if number else ""), register, signature))
    transaction = REGISTERS["ip_transaction"]
    for layout, (sender, receiver, kind) in {
        "pledge_list": (("出质人",), ("质权人",), "质押登记"),
        "licence_list": (("许可人",), ("被许可人",), "许可合同备案"),
        "transfer_list": (("让与人", "转让人", "转让方"), ("受让人", "受让方"), "转让"),
    }.items():  # fmt: skip
        headers = {"from_party": sender, "to_party": receiver, "kind": ("事务类型",)}
        out.append(_layout(layout, transaction, ("from_party", "to_party", "date"), headers, {"kind": kind},
                           refuse=_PATENT_EXPORT))  # fmt: skip
    return out


LAYOUTS = [register_table(layout) for layout in _layouts()]

# --- published administrative penalty decisions (JSON Lines, one decision per line) ---------------

_FILED = re.compile(r"于\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^。…]{0,80}?立案")
_CASE_KINDS: tuple[tuple[str, str], ...] = (
    ("规范申请专利", "非正常专利申请"), ("专利代理", "专利代理违法"), ("假冒专利", "假冒专利"),
    ("商标代理", "商标代理违法"), ("商标", "商标侵权"), ("地理标志", "地理标志侵权"), ("著作权", "版权侵权"),
    ("专利", "专利侵权纠纷"),
)  # fmt: skip


def _decision(obj: dict[str, Any]) -> RegisterRecord:
    """One published penalty decision: the case number, its filing date read from the decision's text (立案),
    the decision's date as the closing date, the fine and the authority (whose place is the case's region)."""
    number = str(obj.get("caseno") or "").strip()
    if not number:
        raise RecordError("caseno", "missing case number (caseno)")
    text = " ".join(str(obj.get(k) or "") for k in ("title", "fact_excerpt"))
    laws = " ".join(str(x) for x in obj.get("laws") or [])
    kind = next((k for word, k in _CASE_KINDS if word in str(obj.get("title", "")) + laws), "其他知识产权违法")
    found = _FILED.search(text)
    if not found:
        raise RecordError("fact_excerpt", "the decision does not say when the case was filed (…于YYYY年M月D日…立案)")
    row = {
        "number": number, "name": str(obj.get("title") or ""), "kind": kind, "procedure": "行政",
        "agency": str(obj.get("agency") or ""), "filed": "{}-{:0>2}-{:0>2}".format(*found.groups()),
        "date": str(obj.get("date") or ""), "result": str(obj.get("kind") or ""),
        "penalty": _largest_fine([str(f) for f in obj.get("fines") or []]),
        "source": "；".join(str(x) for x in obj.get("laws") or []), "url": str(obj.get("url") or ""),
    }  # fmt: skip
    record = read_row(REGISTERS["case"], {k: v for k, v in row.items() if v}, {}, "penalty_decisions_jsonl")
    record.notes.append("结案日期取决定书公示日期 / closing date = the decision's publication date")
    return record  # a decision names no party (nor its address): `_place` falls back to the authority's place


def _largest_fine(fines: list[str]) -> str:
    """The total of a decision's fines: decisions list the parts and then the sum, so the largest."""
    from ipnav.registers.values import as_money

    amounts = []
    for text in fines:
        try:
            amounts.append((as_money("fines", text), text))
        except RecordError:
            continue
    return max(amounts)[1] if amounts else ""


_RECOGNISE: Callable[[dict[str, Any]], bool] = lambda obj: "caseno" in obj and "agency" in obj  # noqa: E731
JSON_FORMATS = [JsonFormat("penalty_decisions_jsonl", _RECOGNISE, _decision, kind="case")]
XML_FORMATS: list[Any] = []


def kind_of_table(data: bytes, name: str) -> str:
    """The record kind a table or JSON Lines file holds by its header row (or first object), as the registered
    layout that claims it says (a register, trademarks, Google Patents ...); '' when none claims it (the
    generic patent table, or no table at all)."""
    import json

    from ipnav.ingest import registry
    from ipnav.ingest.table import table_rows

    kind = registry.sniff(data[:4096])
    if kind == "json":
        first = next((line for line in data.decode("utf-8", "replace").splitlines() if line.strip()), "")
        try:
            found = registry.json_format_for(json.loads(first))
        except (json.JSONDecodeError, AttributeError):
            return ""
        return found.kind if found else ""
    if kind not in ("csv", "xls", "zip", "sql"):
        return ""
    try:
        rows, _ = table_rows(data, name, kind)
        for number, (_, cells) in enumerate(rows):
            claimed = registry.table_format_for(cells)
            if claimed:
                return claimed[0].kind
            if number > 20:
                break
    except RecordError:
        return ""
    return ""
