"""Time limits of cases (办案期限) and whether a case closed on time (按期结案).

A case's deadline is its filing date (立案日期) plus the time limit of its type, plus an approved extension
given on the row (延长期限(天)); a row that gives its own limit (办案期限(天)) overrides the type's. The rules:

| cases | limit | extension | source |
|---|---|---|---|
| 专利侵权纠纷 (administrative ruling) | 3 months | up to 1 month | 专利行政执法办法 第二十一条 |
| other administrative cases (假冒专利, 商标侵权, 地理标志, 版权, 代理违法 ...) | 90 days | as approved (30 days, and
  more by collective decision) | 行政处罚法 第六十条; 市场监督管理行政处罚程序规定 第六十四条 |
| judicial (first instance, ordinary procedure) | 6 months | 6 months | 民事诉讼法 第一百五十二条 |
| mediation (纠纷调解) | 1 month | as given | 人民调解工作若干规定 第三十七条 (一般在一个月内调结) |
| assistance (维权援助) | 30 days | as given | local practice; give 办案期限(天) on the row where it differs |

At a date D, a case is **due** when it closed by D, or it is still open and its deadline has passed; it is
**on time** when it closed on or before its deadline. Open cases not yet past their deadline are not due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta


@dataclass(frozen=True)
class Rule:
    """A time limit: months or days from filing, the longest extension, and where it is laid down."""

    months: int
    days: int
    max_extension_days: int | None  # None: as approved
    source: str


RULES: dict[str, Rule] = {
    "patent_dispute": Rule(3, 0, 31, "专利行政执法办法 第二十一条: 自立案之日起3个月内结案, 经批准延长最多1个月"),
    "administrative": Rule(
        0, 90, None, "行政处罚法 第六十条; 市场监督管理行政处罚程序规定 第六十四条: 立案之日起九十日"
    ),
    "judicial": Rule(6, 0, 183, "民事诉讼法 第一百五十二条: 普通程序立案之日起六个月内审结, 可延长六个月"),
    "mediation": Rule(1, 0, None, "人民调解工作若干规定 第三十七条: 一般在一个月内调结"),
    "assistance": Rule(0, 30, None, "维权援助: 30日 (本地规范; 行内 办案期限(天) 可改写)"),
}


def rule_for(subtype: str, kind: str) -> tuple[str, Rule]:
    """The rule name and rule of a case of this sub-type (administrative, judicial ...) and type."""
    if subtype == "administrative" and kind == "专利侵权纠纷":
        return "patent_dispute", RULES["patent_dispute"]
    name = subtype if subtype in RULES else "administrative"
    return name, RULES[name]


def deadline(filed: dt.date, subtype: str, kind: str, limit_days: int | None, extension_days: int | None
             ) -> tuple[dt.date, str]:  # fmt: skip
    """The case's deadline and the rule it follows (in words)."""
    _name, rule = rule_for(subtype, kind)
    if limit_days:
        due, words = filed + dt.timedelta(days=limit_days), f"本行办案期限 {limit_days} 日"
    else:
        due, words = filed + relativedelta(months=rule.months) + dt.timedelta(days=rule.days), rule.source
    extension = extension_days or 0
    if rule.max_extension_days is not None and extension > rule.max_extension_days and not limit_days:
        words += f"; 延长 {extension} 日超过规定上限 {rule.max_extension_days} 日, 按上限计"
        extension = rule.max_extension_days
    if extension:
        due += dt.timedelta(days=extension)
        words += f"; 批准延长 {extension} 日"
    return due, words


def state(filed: dt.date, closed: dt.date | None, due: dt.date, on: dt.date) -> str:
    """A case's state at a date: `on_time`, `late` (closed after the deadline, or open past it),
    `open` (not yet due) or `not_filed` (filed after the date)."""
    if filed > on:
        return "not_filed"
    if closed is not None and closed <= on:
        return "on_time" if closed <= due else "late"
    return "late" if due < on else "open"
