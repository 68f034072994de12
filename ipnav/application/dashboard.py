"""The home region's dashboard (区域知识产权概览): what a regional office reads first.

Headline indicators as of a date with the change on a year earlier and the target of a shipped plan
for the region; its sub-regions; its top applicants and IPC fields; the plan's status summary; what
was ingested last; and how much of the data has no region or no legal status, so no figure is read
without knowing what it rests on.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ipnav.application.options import AnalysisOptions, IndicatorOptions

if TYPE_CHECKING:
    from ipnav.application import Ipnav
    from ipnav.store.warehouse import Warehouse

HEADLINE = ("valid_invention_per_10k", "high_value_invention_per_10k", "valid_invention", "applications")
# provinces' map files of the echarts-china-map package (npm), by the first two digits of the adcode
PROVINCE_MAPS = {
    "11": "beijing", "12": "tianjin", "13": "hebei", "14": "shanxi", "15": "neimenggu", "21": "liaoning",
    "22": "jilin", "23": "heilongjiang", "31": "shanghai", "32": "jiangsu", "33": "zhejiang", "34": "anhui",
    "35": "fujian", "36": "jiangxi", "37": "shandong", "41": "henan", "42": "hubei", "43": "hunan",
    "44": "guangdong", "45": "guangxi", "46": "hainan", "50": "chongqing", "51": "sichuan", "52": "guizhou",
    "53": "yunnan", "54": "xizang", "61": "shanxi1", "62": "gansu", "63": "qinghai", "64": "ningxia",
    "65": "xinjiang",
}  # fmt: skip


def _below(level: str, code: str) -> str | None:
    """The level of the region's parts: cities of a province (counties of a municipality), counties of a city."""
    from ipnav.normalize.region import MUNICIPALITIES

    if level == "country":
        return "province"
    if level == "province":
        return "county" if code[:2] in MUNICIPALITIES else "city"
    return "county" if level == "city" else None


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _figure(ipnav: Ipnav, name: str, region: str, as_of: dt.date, by: str | None, wh: Warehouse) -> dict[str, Any]:
    """One headline figure now and a year earlier (flows: this year so far and last year)."""
    now = ipnav.indicator(name, IndicatorOptions(region=region or None, as_of=as_of, by=by), wh=wh)
    out: dict[str, Any] = {
        "name": name,
        "title_zh": now["indicator"]["title_zh"],
        "title_en": now["indicator"]["title_en"],
        "unit_zh": now["indicator"].get("unit_zh", ""),
        "unit_en": now["indicator"].get("unit_en", ""),
        "as_of": now["meta"]["as_of"],
        "basis": now["total"]["basis"],
        "rows": now.get("rows", []),
    }
    if "series" in now["total"]:  # a flow: the last full year and the one before it
        series = [s for s in now["total"]["series"] if s["year"] < as_of.year] or now["total"]["series"]
        out["value"], out["year"] = series[-1]["value"], series[-1]["year"]
        out["previous"] = series[-2]["value"] if len(series) > 1 else None
    else:
        before = ipnav.indicator(name, IndicatorOptions(region=region or None, as_of=_year_before(as_of)), wh=wh)
        out["value"], out["previous"] = now["total"]["value"], before["total"]["value"]
        out["patents"] = now["total"]["patents"]
    previous = out["previous"]
    out["change"] = round(out["value"] - previous, 6) if previous is not None and out["value"] is not None else None
    return out


def _plan_for(ipnav: Ipnav, code: str) -> Any:
    """The shipped or workspace plan of exactly this region, the most recent one."""
    matching = [p for p in ipnav.plans() if p["region"]["adcode"] == code]
    if not matching:
        return None
    latest = max(matching, key=lambda p: str(p.get("period", "")))
    return ipnav.plan(latest["id"], files=False)


def _quality(wh: Warehouse) -> dict[str, Any]:
    """Shares of Chinese records with no region or no legal status."""
    total, unplaced, unknown = wh.con.execute(
        """SELECT count(*),
                  count(*) FILTER (WHERE coalesce(applicant_adcode, '') = ''),
                  count(*) FILTER (WHERE legal_status = 'unknown')
           FROM patents WHERE country = 'CN'"""
    ).fetchone() or (0, 0, 0)
    share = lambda n: round(n / total * 100, 1) if total else None  # noqa: E731
    return {"cn_records": total, "no_region": unplaced, "no_region_pct": share(unplaced),
            "no_status": unknown, "no_status_pct": share(unknown)}  # fmt: skip


def dashboard(ipnav: Ipnav, as_of: dt.date | None = None, wh: Warehouse | None = None) -> dict[str, Any]:
    """The home region's dashboard (all of China when no `home_region` is set)."""
    from ipnav.normalize import region as regions

    day = as_of or dt.date.today()
    home = regions.resolve(ipnav.settings.home_region or None)
    by = _below(home.level, home.code)
    with ipnav.reading(wh) as reader:
        headline = [_figure(ipnav, name, home.code, day, by if i == 0 else None, reader)
                    for i, name in enumerate(HEADLINE)]  # fmt: skip
        selection = f"region={home.code}" if home.code else "all"
        top = {
            kind: ipnav.analyze(kind, AnalysisOptions(selection=selection, as_of=day, limit=8), wh=reader)["rows"]
            for kind in ("applicants", "ipc")
        }
        plan = _plan_for(ipnav, home.code) if home.code else None
        status = ipnav.plan_status(plan, day, wh=reader) if plan is not None else None
        runs = ipnav.runs(limit=1, wh=reader)
        quality = _quality(reader)
    plan_info = None
    if plan is not None and status is not None:
        targets = {i["metric"]["name"]: i for i in status["indicators"] if i.get("metric")}
        for figure in headline:
            found = targets.get(figure["name"])
            if found and found.get("target"):
                figure["target"] = {**found["target"], "plan": plan.id, "status_zh": found["status_zh"],
                                    "status_en": found["status_en"]}  # fmt: skip
        from ipnav.plan.assess import STATUS_EN, STATUS_ZH

        plan_info = {
            "id": plan.id,
            "name": plan.name,
            "summary": status["summary"],
            "indicators": [
                {"status": s, "zh": STATUS_ZH[s], "en": STATUS_EN[s], "n": n}
                for s, n in status["summary"]["indicators"].items()
                if n
            ],
        }
    return {
        "region": home.as_dict(),
        "as_of": day.isoformat(),
        "level_below": by,
        "map": PROVINCE_MAPS.get(home.code[:2]) if home.level == "province" else ("china" if not home.code else None),
        "headline": headline,
        "top_applicants": top["applicants"],
        "top_ipc": top["ipc"],
        "plan": plan_info,
        "last_run": runs[0] if runs else None,
        "quality": quality,
    }
