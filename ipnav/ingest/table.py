"""Table exports: CSV (UTF-8, UTF-8-BOM, GB18030/GBK), XLSX, and MySQL dumps (`INSERT ... VALUES`).

Headers are mapped with `headers.build_map`; the header row is found among the
first rows (exports often start with a title line). Each data row becomes one
`Patent` or one `Reject` naming the row and the column at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ipnav.errors import RecordError
from ipnav.ingest import common, legal, registry
from ipnav.ingest.headers import build_map
from ipnav.ingest.readers import SHEET, UNDECODABLE, Row, table_rows
from ipnav.model import Citation, Patent, Priority, Publication, Reject, Transaction
from ipnav.normalize.classification import split_symbols
from ipnav.normalize.dates import parse_date
from ipnav.normalize.numbers import normalize_publication_number
from ipnav.normalize.status import normalize_patent_type, normalize_status
from ipnav.normalize.text import clean_cjk_text, fold_header

FORMAT = "table"
_NO_DATA = frozenset({"无数据", "暂无数据", "暂无", "无", "N/A", "n/a"})  # what exports write in an empty cell


def parse_table(
    stream: IO[bytes], name: str, kind: str, header_map: Path | None = None
) -> Iterator[Patent | Transaction | Reject]:
    """Records of a CSV, Excel (.xlsx, or old BIFF .xls) or SQL-dump table."""
    mapping = build_map(header_map)
    data = stream.read()
    try:
        rows, fmt = table_rows(data, name, kind)
    except RecordError as exc:
        yield Reject(name, 0, exc.field, exc.reason, data[:4096])
        return
    yield from parse_rows(rows, mapping, name, fmt)


def table_parts(rows: Iterator[Row], mapping: dict[str, str], per: int = 2000) -> Iterator[tuple[list[Row], int, bool]]:
    """The rows of a table in parts of `per` data rows, each part led by the rows before the first data
    row (the preamble and header), with the number of non-empty data rows before it, so that
    `parse_rows(part, ..., first=that, headed=...)` numbers its records as a parse of the whole table
    would. A workbook's later sheets come as one last part (`headed`: the first sheet had its header)."""
    lead: list[Row] = []
    for line, cells in rows:  # up to the header
        lead.append((line, cells))
        if _header(cells, mapping) is not None:
            break
        if len(lead) > 21:  # no header: one part, which parse_rows rejects once (or reads the later sheets)
            yield lead + list(rows), 0, False
            return
    part: list[Row] = []
    before = counted = 0
    for row in rows:
        if row[0] == 0 and row[1][:1] == [SHEET]:  # the other sheets, each with its own header
            yield lead + part, before, False
            yield [row, *rows], counted, True
            return
        part.append(row)
        if any(c.strip() for c in row[1]):
            counted += 1
        if len(part) >= per:
            yield lead + part, before, False
            part, before = [], counted
    yield lead + part, before, False


# --- rows -> records ------------------------------------------------------------------------------


def _field_for(header: str, mapping: dict[str, str]) -> str | None:
    name, _, comment = header.partition("\x1f")
    return mapping.get(fold_header(name)) or (mapping.get(fold_header(comment)) if comment else None)


_NO_HEADER = "no header row with known column names{} (add your headers with --header-map)"
_SKIPPED_SHEETS = ("说明", "填表说明", "instructions", "readme")  # a workbook's notes, not data


def _is_notes(sheet: str) -> bool:
    return sheet.startswith("_") or any(word in sheet.lower() for word in _SKIPPED_SHEETS)


def parse_rows(
    rows: Iterable[Row], mapping: dict[str, str], name: str, fmt: str, *, first: int = 0, headed: bool = False
) -> Iterator[Patent | Transaction | Reject]:
    """Records of table rows (the header among the first 20 rows of each sheet); `first` data rows came
    before these. A workbook's later sheets are read when their header is recognised; a sheet with data
    and no header is rejected by name (sheets of notes, 说明, are passed over); rejects on a later sheet
    name it. A row whose only value is its 序号 is empty. `headed`: these rows are a workbook's later
    sheets, the first one had its header (a sheet without one is named, the file is not rejected)."""
    header: list[str] | None = None
    fields: list[str | None] = []
    ordinal, sheet, found, long_sheet = first, "", False, False
    unread: list[str] = []  # sheets with data and no header
    has_data = False
    layout: registry.TableFormat | None = None  # a registered layout; None: the generic patent table
    serial: int | None = None  # the 序号 column
    for line, cells in rows:
        if line == 0 and cells[:1] == [SHEET]:
            if header is None and has_data and not _is_notes(sheet):
                unread.append(sheet or "1")
            header, fields, layout, sheet, has_data = None, [], None, cells[1], False
            continue
        if header is None:
            has_data = has_data or any(c.strip() for c in cells)
            if _is_notes(sheet) or line > 21:  # no header in the first 20 rows: the rest of the sheet is not read
                continue
            known = _header(cells, mapping)
            if known is not None:
                header, (fields, layout), found = cells, known, True
                serial = next((i for i, c in enumerate(cells) if fold_header(c) in ("序号", "编号", "no.")), None)
            elif line == 21 and not sheet:
                long_sheet = True
            continue
        if not any(c.strip() for c in cells) or (
            serial is not None and not any(c.strip() for i, c in enumerate(cells) if i != serial)
        ):
            continue
        ordinal += 1
        try:
            made = _row_records(cells, header, fields, layout, fmt)
            for record in made:
                record.source_file, record.source_position = name, ordinal
            yield from made
        except RecordError as exc:
            reason = f"工作表 sheet {sheet}: {exc.reason}" if sheet else exc.reason
            raw = "\t".join(cells).encode("utf-8", "surrogateescape")
            yield Reject(name, ordinal, exc.field, reason, raw, line if fmt != "sql_dump" else 0)
    if header is None and has_data and not _is_notes(sheet):
        unread.append(sheet or "1")
    if not found and not headed:
        yield Reject(name, 0, "header", _NO_HEADER.format(" in the first 20 rows" if long_sheet else ""), b"")
        return
    for name_of_sheet in unread:
        yield Reject(name, 0, "header", f"工作表 sheet {name_of_sheet}: " + _NO_HEADER.format(""), b"")


def _row_records(cells: list[str], header: list[str], fields: list[str | None], layout: registry.TableFormat | None,
                 fmt: str) -> list[Patent | Transaction]:  # fmt: skip
    """The records of one data row (RecordError naming the field of a bad value)."""
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    for index, cell in enumerate(cells):
        column = header[index].split("\x1f")[0] if index < len(header) else f"column_{index + 1}"
        field = fields[index] if index < len(fields) else None
        if UNDECODABLE.search(cell):
            raise RecordError(field or column, "undecodable bytes (file is neither UTF-8 nor GB18030)")
        if "\x00" in cell:
            raise RecordError(field or column, "NUL byte in the cell (binary data, not text)")
        cell = cell.strip()
        if cell in _NO_DATA:
            continue
        if field and cell and field not in values:
            values[field] = cell
        elif cell and not field:
            extra[column] = cell
    return list(layout.records(values, extra) if layout else _patent_records(values, extra, fmt))


def _header(cells: list[str], mapping: dict[str, str]) -> tuple[list[str | None], registry.TableFormat | None] | None:
    """A header row's fields and its registered layout (None: the generic patent table); None if `cells`
    is no header (fewer than two known column names)."""
    if any("." in v for v in mapping.values()):  # the user's names for the fields of other layouts
        from ipnav.ingest.headers import layout_spelling

        cells = [layout_spelling(mapping[fold_header(c)]) or c if "." in mapping.get(fold_header(c), "") else c
                 for c in cells]  # fmt: skip
    claimed = registry.table_format_for(cells)
    if claimed:
        return claimed[1], claimed[0]
    fields = [_field_for(c, mapping) for c in cells]
    return (fields, None) if sum(1 for f in fields if f) >= 2 else None


def _patent_records(values: dict[str, str], extra: dict[str, str], fmt: str) -> Iterator[Patent | Transaction]:
    """The generic patent table: one row -> the patent, and its pledge when the row registers one."""
    patent = row_to_patent(values, fmt)
    patent.extra.update(extra)
    yield from legal.transfers(patent)
    pledge = row_to_pledge(values, patent)
    if pledge is not None:
        yield pledge
    if pledge is None or title_of(values):  # a pledge register row is not a patent record
        yield patent


def _split(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*(?:;;|[;；|\n])\s*", value) if p.strip()]


def row_to_patent(values: dict[str, str], fmt: str) -> Patent:
    """One mapped table row -> Patent (raises RecordError naming the field)."""
    title = clean_cjk_text(values.get("title", ""))
    patent = _identified(values, fmt, title)
    lang = "zh" if re.search(r"[\u4e00-\u9fff]", title) else "en"
    if title:
        patent.titles[lang] = title
    if values.get("title_en"):
        patent.titles["en"] = values["title_en"]
    if values.get("abstract"):
        patent.abstracts[lang] = clean_cjk_text(values["abstract"])
    if values.get("patent_type"):
        patent.patent_type = normalize_patent_type(values["patent_type"])
    claims = values.get("claims") or values.get("first_claim")
    if claims:
        patent.claims = [clean_cjk_text(claims)]
    count = values.get("claims_count", "")
    patent.claims_count = int(count) if count.isdigit() else len(patent.claims)
    patent.independent_claims = 1 if patent.claims else 0
    _add_parties(patent, values)
    if values.get("legal_status"):
        patent.legal_status_raw = values["legal_status"]
        patent.legal_status, patent.legal_status_reason = normalize_status(values["legal_status"])
    patent.legal_events = legal.legal_events(values)
    _grant_publication(patent, values)
    granted_pub = any(p.kind[:1] in ("B", "C", "U", "Y", "S") for p in patent.publications)
    if "grant_date" not in patent.extra and not granted_pub:
        granted = legal.grant_date(patent.legal_events)
        if granted:
            patent.extra["grant_date"] = granted.isoformat()
    _priorities(patent, values.get("priority", ""))
    patent.family_id = values.get("family_id", "")
    if values.get("family"):
        patent.extra["family_members"] = values["family"]
    for item in _split(values.get("citations", "").replace(",", ";")):
        try:
            cited, kind = normalize_publication_number(item)
            patent.citations.append(Citation(kind="patent", number=cited, country=cited[:2], kind_code=kind))
        except RecordError:
            patent.citations.append(Citation(kind="npl", text=item))
    for kept in ("province_code", "applicant_standard", "contact_address"):
        if values.get(kept):
            patent.extra[kept] = values[kept]
    return patent


_PRIORITY = re.compile(
    r"^([A-Z]{2})?\s*([\w./-]+?)\s*(\d{4}[-./]?\d{2}[-./]?\d{2})?(?:\s+([A-Z]{2}))?$"
)  # "CN 201610851265.1 2016-09-26" or the CNIPA gazette's "2016110692262 2016.11.29 CN"


def _priorities(patent: Patent, value: str) -> None:
    for item in _split(value):
        match = _PRIORITY.match(item)
        if match:
            date = parse_date(match.group(3), "priority") if match.group(3) else None
            patent.priorities.append(Priority(match.group(1) or match.group(4) or "", match.group(2), date))


def _identified(values: dict[str, str], fmt: str, title: str) -> Patent:
    """The patent with its numbers and dates; a content key when the row has no number (CNKI rows)."""
    number = values.get("app_number", "")
    pub = values.get("grant_number") or values.get("pub_number", "")
    country_hint = values.get("country", "")[:2].upper() if re.match(r"^[A-Za-z]{2}", values.get("country", "")) else ""
    if values.get("database") == "中国专利" or (re.search(r"[\u4e00-\u9fff]", title) and not country_hint):
        country_hint = country_hint or "CN"
    if not number and not pub:
        if not title:
            raise RecordError("title", "row has no application number, publication number or title")
        key = common.content_key(
            title, values.get("applicants", ""), values.get("filing_date", ""), values.get("pub_date", "")
        )
        patent = Patent(
            app_key=key,
            country="CN" if values.get("database") == "中国专利" else country_hint,
            filing_date=parse_date(values.get("filing_date"), "filing_date"),
            source_format=fmt,
        )
        pub_date = parse_date(values.get("pub_date"), "pub_date")
        if pub_date:
            patent.extra["publication_date"] = pub_date.isoformat()
    else:
        pub_number = values.get("pub_number", "")
        patent = common.base_patent(
            app_number=number,
            app_country=country_hint or ("CN" if re.search(r"[\u4e00-\u9fff]", title) else ""),
            filing_date=values.get("filing_date", ""),
            pub_number=pub_number or pub,
            pub_country=country_hint,
            pub_kind="",
            pub_date=values.get("pub_date", ""),
            source_format=fmt,
        )
        grant = values.get("grant_number")
        if grant and pub_number and grant != pub_number:
            grant_no, kind = normalize_publication_number(grant, patent.country)
            patent.publications.append(
                Publication(grant_no, kind, parse_date(values.get("grant_date"), "grant_date"), grant_no[:2])
            )
    return patent


def _add_parties(patent: Patent, values: dict[str, str]) -> None:
    """Applicants (each with its address when the counts agree), inventors, agents, the agency; IPC and CPC."""
    address = values.get("applicant_address", "") or values.get("province", "")
    applicants = _split(values.get("applicants", ""))
    addresses = _split(address)  # one address per applicant when the counts agree, else the first's
    for seq, applicant in enumerate(applicants, 1):
        own = addresses[seq - 1] if len(addresses) == len(applicants) > 1 else address if seq == 1 else ""
        found = common.party("applicant", applicant, seq, address=own)
        if found:
            patent.parties.append(found)
    agency, _, agents = values.get("agency_agent", "").partition(";")  # "北京思格颂知识产权代理有限公司; 李中永"
    values = {"agency": agency.strip(), "agent": agents.strip(), **{k: v for k, v in values.items() if v}}
    for role, field in (("inventor", "inventors"), ("agent", "agent"), ("agency", "agency")):
        # inventors who asked not to be named are not inventors called "请求不公布姓名"
        names = [n for n in _split(values.get(field, "")) if n not in ("请求不公布姓名", "不公告发明人")]
        common.add_named(patent, role, names)
    ipc = split_symbols(values.get("main_ipc", "")) + split_symbols(values.get("ipc", ""))
    patent.classifications = common.classifications("ipc", ipc) + common.classifications(
        "cpc", split_symbols(values.get("cpc", ""))
    )


def title_of(values: dict[str, str]) -> str:
    """The row's title in any language ('' when it has none)."""
    return values.get("title", "") or values.get("title_en", "")


def _grant_publication(patent: Patent, values: dict[str, str]) -> None:
    """Make the grant visible as a grant publication even when the export gives no kind code."""
    grant_date = parse_date(values.get("grant_date"), "grant_date")
    grant_kind = {"invention": "B", "utility_model": "U", "design": "S"}.get(patent.patent_type, "")
    if grant_kind and patent.country != "CN":
        grant_kind = "B" if patent.patent_type == "invention" else ""
    grant_number = values.get("grant_number", "")
    try:
        number = normalize_publication_number(grant_number, patent.country)[0] if grant_number else ""
    except RecordError:
        number = ""
    for pub in patent.publications:
        if number and number == pub.number and (pub.kind[:1] in ("B", "C", "U", "Y", "S") or not pub.kind):
            pub.kind = pub.kind or grant_kind
            pub.date = grant_date or pub.date
    if grant_date and not any(p.kind[:1] in ("B", "C", "U", "Y", "S") for p in patent.publications):
        patent.extra["grant_date"] = grant_date.isoformat()


_AMOUNT = re.compile(r"^([\d,，.]+)\s*(亿|万)?\s*(元|人民币|cny|rmb)?$", re.IGNORECASE)


def pledge_amount(values: dict[str, str]) -> float | None:
    """Pledge amount in CNY from `质押金额` (yuan, or `500万`/`1.2亿`) or `质押金额(万元)`."""
    for field, unit in (("pledge_amount", 1.0), ("pledge_amount_10k", 10_000.0)):
        raw = values.get(field, "").strip()
        if not raw:
            continue
        match = _AMOUNT.match(raw.replace(" ", ""))
        if not match:
            raise RecordError(field, f"{raw!r} is not an amount (digits, optionally 万 or 亿, e.g. 500万元)")
        number = float(re.sub(r"[,，]", "", match.group(1)))
        scale = {"亿": 100_000_000.0, "万": 10_000.0}.get(match.group(2) or "", unit)
        return number * scale
    return None


def row_to_pledge(values: dict[str, str], patent: Patent) -> Transaction | None:
    """A pledge (质押) transaction when the row carries pledge columns."""
    fields = ("pledge_date", "pledge_amount", "pledge_amount_10k", "pledgor", "pledgee")
    if not any(values.get(f) for f in fields):
        return None
    amount = pledge_amount(values)
    date = parse_date(values.get("pledge_date"), "pledge_date")
    release = parse_date(values.get("pledge_release_date"), "pledge_release_date")
    pledgors = _split(values.get("pledgor", "")) or [p.name for p in patent.parties if p.role == "applicant"]
    pledgees = _split(values.get("pledgee", ""))
    key = common.content_key("pledge", patent.app_key, str(date), ";".join(pledgees), str(amount))[2:]
    return Transaction(
        key=f"PLEDGE:{key}",
        kind="pledge",
        patent_numbers=[patent.app_key],
        execution_date=date,
        recorded_date=date,
        assignors=pledgors,
        assignees=pledgees,
        conveyance="专利权质押" + (f"(解除 released {release.isoformat()})" if release else ""),
        amount=amount,
        currency="CNY" if amount is not None else "",
        source_format=patent.source_format,
    )
