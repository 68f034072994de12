"""Chinese trademark register exports (商标登记簿导出, csv/xlsx/xls) as regional offices receive them:
注册号/申请号, 申请日期, 国际分类, 类似群, 商标名称, 商品/服务项目, 申请人名称, 申请人地址, 初审公告期号/日期,
注册公告期号/日期, 专用权期限, 商标状态, 代理机构, 是否共有, 商标类型 (普通/集体/证明/特殊), 国际注册日期 (马德里),
and where the export carries the 转让公告: 转让公告日期 and 转让人 (an assignment event, the former owner).

Read by the same table reader as patents (header folding, placeholders, rejects per row); the layout is
recognised by 商标名称 with a number and a class column. A registration number starting with G is a
Madrid international registration designating China (office WO)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ipnav.errors import RecordError
from ipnav.ingest.registry import TableFormat, register_table
from ipnav.normalize.dates import parse_date
from ipnav.trademarks.classes import group_class
from ipnav.trademarks.model import TmClass, TmEvent, TmOwner, Trademark, canonical_number
from ipnav.trademarks.status import cn_status

FORMAT = "cnipa_tm_table"

HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("注册号/申请号", "注册号", "申请号", "申请/注册号", "商标注册号"),
    "filing_date": ("申请日期", "申请日"),
    "classes": ("国际分类", "国际分类号", "类别", "商标类别"),
    "groups": ("类似群", "类似群组", "类似群号"),
    "text": ("商标名称", "商标", "商标文字"),
    "goods": ("商品/服务项目", "商品服务", "商品/服务", "指定商品"),
    "owner": ("申请人名称", "申请人", "注册人", "商标注册人", "权利人"),
    "address": ("申请人地址", "注册人地址", "地址"),
    "publication_issue": ("初审公告期号",),
    "publication_date": ("初审公告日期", "初审公告日"),
    "registration_issue": ("注册公告期号",),
    "registration_date": ("注册公告日期", "注册公告日", "注册日期"),
    "term": ("专用权期限", "专用期限", "有效期"),
    "status": ("商标状态", "法律状态", "状态"),
    "agent": ("代理机构", "代理组织机构", "商标代理机构"),
    "shared": ("是否共有", "共有商标"),
    "kind": ("商标类型",),
    "international_date": ("国际注册日期", "国际注册日"),
    "transfer_date": ("转让公告日期", "转让日期", "核准转让日期"),
    "transferor": ("转让人", "原注册人", "原申请人"),
}
_KINDS = {"普通商标": "ordinary", "集体商标": "collective", "证明商标": "certification", "特殊商标": "special"}
_TERM = re.compile(r"(\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)\s*[至到~－—-]+\s*(\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?)")


def _date(values: dict[str, str], field: str) -> dt.date | None:
    text = values.get(field, "")
    if not text:
        return None
    parsed = parse_date(text)
    if parsed is None:
        raise RecordError(field, f"not a date: {text!r}")
    return parsed


def rows(values: dict[str, str], extra: dict[str, str]) -> Iterator[Trademark]:
    """The mark of one row (RecordError naming the field of a bad value)."""
    raw_number = values.get("number", "")
    if not raw_number:
        raise RecordError("number", "missing 注册号/申请号")
    madrid = raw_number.strip().upper().startswith("G")
    office = "WO" if madrid else "CN"
    number = canonical_number(office, raw_number)
    if not number:
        raise RecordError("number", f"not a trademark number: {raw_number!r}")
    classes = [c for c in re.split(r"[;；,，、\s]+", values.get("classes", "")) if c]
    if not classes:
        raise RecordError("classes", "missing 国际分类")
    bad = [c for c in classes if not c.isdigit() or not 1 <= int(c) <= 45]
    if bad:
        raise RecordError("classes", f"not a Nice class 1-45: {', '.join(bad)}")
    groups = [g for g in re.split(r"[;；,，、\s]+", values.get("groups", "")) if g]
    known = group_class()
    wrong = [g for g in groups if known.get(g) not in {int(c) for c in classes}]
    if wrong:
        raise RecordError(
            "groups", f"not a similar group (类似群) of the row's classes in the 区分表: {', '.join(wrong)}"
        )
    goods = values.get("goods", "")
    status_raw = values.get("status", "")
    start, end = None, None
    term = _TERM.search(values.get("term", ""))
    if term:
        start, end = parse_date(term.group(1)), parse_date(term.group(2))
    kind = _KINDS.get(values.get("kind", "").strip(), "ordinary")
    text = values.get("text", "")
    registered = bool(values.get("registration_date")) or madrid
    mark = Trademark(
        office=office, number=number, registration_number=number if registered else "",
        text=text.removesuffix("及图"),
        mark_type="combined" if text.endswith("及图") else ("word" if text else "figurative"),
        kind=kind, filing_date=_date(values, "filing_date"), publication_date=_date(values, "publication_date"),
        registration_date=_date(values, "registration_date") or start, expiry_date=end,
        status=cn_status(status_raw), status_raw=status_raw, source_format=FORMAT,
        international_registration=number if madrid else "",
    )  # fmt: skip
    for number_text in classes:  # one row names its goods for all its classes: each class carries them
        class_groups = [g for g in groups if g[:2] == f"{int(number_text):02d}"]
        mark.classes.append(TmClass(int(number_text), {"zh": goods} if goods else {}, class_groups))
    if values.get("owner"):
        for name in re.split(r"[;；]", values["owner"]):
            if name.strip():
                mark.owners.append(TmOwner(name=name.strip(), address=values.get("address", ""), country="CN"))
    if values.get("agent"):
        mark.owners.append(TmOwner(name=values["agent"], role="agent", country="CN"))
    for kind_name, field, issue in (("publication", "publication_date", "publication_issue"),
                                    ("registration", "registration_date", "registration_issue")):  # fmt: skip
        if values.get(field):
            mark.events.append(TmEvent(_date(values, field), kind_name, values.get(issue, ""),
                                       f"第{values[issue]}期" if values.get(issue) else ""))  # fmt: skip
    if values.get("transfer_date"):  # 商标转让公告: the owner above is the assignee
        mark.events.append(TmEvent(_date(values, "transfer_date"), "assignment", "", "转让"))
    for name in re.split(r"[;；]", values.get("transferor", "")):
        if name.strip():
            mark.owners.append(TmOwner(name=name.strip(), role="former_owner", country="CN"))
    if madrid and values.get("international_date"):
        mark.extra["international_date"] = values["international_date"]
    mark.extra.update(extra)
    yield mark


LAYOUT = register_table(
    TableFormat(name=FORMAT, kind="trademark", headers=HEADERS, signature=("number", "text", "classes"), records=rows)
)
