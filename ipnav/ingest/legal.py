"""Legal status and dated legal events of table exports, and the transfers they record.

Exports write the history of an application in three ways, all read here:

* a status word with the date it last changed (CNIPA's search system: 法律状态 `专利权的终止`,
  法律状态最后修改日期 `20170125`);
* a `date event; date event` column (`2022-11-04 实质审查的生效; 2023-05-02 授权`);
* Patentics' 法律描述: a count, then blank-line separated events, each `2022.11.11 专利权的转移 专利权的转移`
  followed by `key=value` detail lines (变更前权利人=..., 登记生效日=...).

A transfer (专利权的转移, 专利申请权的转移) becomes a `Transaction` of kind assignment naming the owners
before and after, so the transfer analyses and the value score see it.
"""

from __future__ import annotations

import datetime as dt
import re

from ipnav.errors import RecordError
from ipnav.ingest import common
from ipnav.model import LegalEvent, Patent, Transaction
from ipnav.normalize.dates import parse_date

_EVENT_ITEM = re.compile(r"^(\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)\s*[:：,，]?\s*(.+)$")
# "2022.11.11 专利权的转移 专利权的转移", the grant's gazette number in front on grant events
_BLOCK_HEAD = re.compile(r"^(?:\d{6,}\s+)?(\d{4}\.\d{1,2}\.\d{1,2})\s+(\S+)(?:\s+\S+)?\s*$")
_DESCRIBED = re.compile(r"^\d{1,3}\s+(?:\d{6,}\s+)?\d{4}\.\d")  # count, then the first event
_GRANT = re.compile(r"^(授权|.*专利权授予|.*专利权的授予)$")
_TRANSFER = re.compile(r"转移|转让")
_POSTCODE_ADDRESS = re.compile(r"^\d{6}\s*\S")


def _split_items(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[;；\n]\s*", value) if p.strip()]


def legal_events(values: dict[str, str]) -> list[LegalEvent]:
    """Dated events of a row: the lapse date, the dated status, and the event-history column."""
    events: list[LegalEvent] = []
    if values.get("lapse_date"):
        reason = values.get("legal_status", "") or "失效"
        events.append(LegalEvent(parse_date(values["lapse_date"], "lapse_date"), "LAPSE", reason))
    if values.get("legal_status_date") and values.get("legal_status"):
        date = parse_date(values["legal_status_date"], "legal_status_date")
        events.append(LegalEvent(date, "", values["legal_status"].strip()))
    history = values.get("legal_events", "").strip()
    if _DESCRIBED.match(history):  # Patentics 法律描述: "3  2018.06.29 公开 公开\n\n..."
        events += _described(history)
    elif history:
        for item in _split_items(history):
            match = _EVENT_ITEM.match(item)
            if not match:
                raise RecordError("legal_events", f"{item!r} is not 'YYYY-MM-DD event' (events are separated by ;)")
            events.append(LegalEvent(parse_date(match.group(1), "legal_events"), "", match.group(2).strip()))
    return events


def _described(history: str) -> list[LegalEvent]:
    """Events of a Patentics 法律描述 cell, each with its detail lines kept in the description."""
    events: list[LegalEvent] = []
    body = re.sub(r"^\d{1,3}\s+", "", history)
    for block in re.split(r"\n\s*\n", body):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        match = _BLOCK_HEAD.match(lines[0])
        if not match:
            raise RecordError("legal_events", f"{lines[0]!r} is not 'YYYY.MM.DD event' (法律描述)")
        details = "; ".join(lines[1:])
        description = match.group(2) + (f" ({details})" if details else "")
        events.append(LegalEvent(parse_date(match.group(1), "legal_events"), "", description))
    return events


def grant_date(events: list[LegalEvent]) -> dt.date | None:
    """The date of the first grant event (授权, 发明专利权授予 ...), if any."""
    dates = [e.date for e in events if e.date and _GRANT.match(e.description.split(" (", 1)[0])]
    return min(dates) if dates else None


def _details(description: str) -> dict[str, list[str]]:
    """`key=value` or `key:value` detail lines of an event; a key may repeat (变更后权利人 ...)."""
    inner = description.partition(" (")[2].rstrip(")")
    found: dict[str, list[str]] = {}
    for part in inner.split("; "):
        match = re.match(r"^([^=:：]+)[=:：](.*)$", part)
        if match:
            found.setdefault(match.group(1).strip(), []).append(match.group(2).strip())
    return found


def _owners(values: list[str]) -> list[str]:
    """Owner names of `name/address/name` detail values (addresses and 无 left out)."""
    names: list[str] = []
    for value in values:
        for part in re.split(r"[/\u3000]|(?<=[\u4e00-\u9fff）)])\s+(?=[\u4e00-\u9fff])", value):
            part = part.strip()
            if part and part != "无" and not _POSTCODE_ADDRESS.match(part) and part not in names:
                names.append(part)
    return names


def transfers(patent: Patent) -> list[Transaction]:
    """An assignment transaction for every transfer event of the patent."""
    found = []
    for event in patent.legal_events:
        name = event.description.split(" (", 1)[0]
        if not _TRANSFER.search(name):
            continue
        details = _details(event.description)
        before = _owners(details.get("变更前权利人", []) or details.get("变更前", []))
        after = _owners(details.get("变更后权利人", []) or details.get("变更后", []))
        effective = parse_date(details["登记生效日"][0], "legal_events") if details.get("登记生效日") else None
        key = common.content_key("transfer", patent.app_key, str(event.date), ";".join(after))[2:]
        found.append(
            Transaction(
                key=f"TRANSFER:{key}",
                kind="assignment",
                patent_numbers=[patent.app_key],
                execution_date=effective or event.date,
                recorded_date=event.date,
                assignors=[n for n in before if n not in after] or before,
                assignees=[n for n in after if n not in before] or after,
                conveyance=name,
                source_format=patent.source_format,
            )
        )
    return found
