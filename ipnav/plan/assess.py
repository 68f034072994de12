"""Assessment of one plan indicator from its observations: pure functions, no I/O.

The rule (docs/plan-format.md, "Status rule"):

* baseline b at t0: the plan's baseline; else, for computed indicators, the value computed at the day
  before the period starts; for cumulative indicators 0 at the period start; else the first observation.
  (For cumulative indicators a baseline written in the plan is the previous period's total: it is what a
  `factor:` target multiplies, and the trajectory still starts at 0.)
* target T at t1 (`factor:` targets: T = factor × b). Growth targets are average yearly rates g in
  percent; the tracked quantity is expected to grow as b·(1+g)^years.
* latest observation v at t (the newest on or before the as-of date; year-to-date values of yearly
  flows are shown but not assessed).
* expected E(t): linear from (t0, b) to (t1, T); compound for growth indicators.
* progress ratio r = (v − b) / (E(t) − b): 1 means exactly on the trajectory.
* status: achieved when v meets T (≥, or > for 超过/突破 targets; ≤ / < when decreasing is better;
  growth: the average rate meets g once the target date is reached); no_data without an observation
  (or with only the baseline); off_track once the target date has passed unmet; on_track when
  r ≥ on_track (0.95); at_risk when r ≥ at_risk (0.75) or the forecast reaches T by t1; off_track otherwise;
  monitoring when the plan sets no target.
* forecast: least-squares line through the baseline and the observations, read at t1 (growth: the
  average rate so far carried on to t1).
* stale: the latest observation is older than `stale_days` (400) before the as-of date.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from ipnav.kpi.indicators import round_figure
from ipnav.plan.model import PlanIndicator, Target

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "no_data", "monitoring")
STATUS_ZH = {
    "achieved": "已完成",
    "on_track": "正常推进",
    "at_risk": "存在风险",
    "off_track": "进度滞后",
    "no_data": "暂无数据",
    "monitoring": "仅监测",
}
STATUS_EN = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "no data",
    "monitoring": "monitoring",
}
# worst first, for roll-ups
SEVERITY = {"off_track": 0, "at_risk": 1, "no_data": 2, "on_track": 3, "monitoring": 4, "achieved": 5}


@dataclass(frozen=True)
class Observation:
    """One value of an indicator on a date, with its source."""

    date: dt.date
    value: float
    source: str  # computed | recorded | baseline
    note: str = ""
    partial: bool = False  # year-to-date value of a yearly flow: shown, not assessed

    def as_dict(self) -> dict[str, Any]:
        """The observation as plain data."""
        out: dict[str, Any] = {"date": self.date.isoformat(), "value": _round(self.value), "source": self.source}
        if self.note:
            out["note"] = self.note
        if self.partial:
            out["partial"] = True
        return out


@dataclass(frozen=True)
class Rules:
    """Thresholds of the status rules: on track, at risk."""

    on_track: float = 0.95
    at_risk: float = 0.75
    stale_days: int = 400


def years_between(a: dt.date, b: dt.date) -> float:
    """Years from one date to another, as a fraction."""
    return (b - a).days / 365.25


def meets(value: float, target: float, direction: str, strict: bool) -> bool:
    """Does a value meet a target in its direction (strictly when the plan says 超过)?"""
    eps = 1e-9 * max(1.0, abs(target))
    if direction == "decrease":
        return value < target - eps if strict else value <= target + eps
    return value > target + eps if strict else value >= target - eps


def assess(
    indicator: PlanIndicator,
    observations: list[Observation],
    as_of: dt.date,
    *,
    period_start: dt.date,
    rules: Rules = Rules(),
    computed_baseline: Observation | None = None,
) -> dict[str, Any]:
    """Status, expected value, forecast and progress of one indicator as of a date."""
    obs = sorted((o for o in observations if o.date <= as_of), key=lambda o: o.date)
    assessed = [o for o in obs if not o.partial]
    out: dict[str, Any] = {
        "observations": [o.as_dict() for o in obs],
        "baseline": None,
        "target": None,
        "latest": None,
        "expected": None,
        "ratio": None,
        "progress_pct": None,
        "forecast": None,
        "stale": False,
    }
    baseline = _baseline(indicator, assessed, period_start, computed_baseline)
    if baseline is not None:
        out["baseline"] = {**baseline.as_dict(), "origin": baseline.note or baseline.source}
    latest = assessed[-1] if assessed else None
    if latest is not None:
        out["latest"] = latest.as_dict()
        out["stale"] = (as_of - latest.date).days > rules.stale_days
    if indicator.target is None:
        return _status(out, "monitoring", "规划未设定目标值 / the plan sets no target")
    goal = _goal(indicator, computed_baseline, out)
    if goal is None:
        return _status(
            out, "no_data", "目标为基期值的倍数, 基期值未知 / the target is a multiple of an unknown baseline"
        )
    if latest is None:
        return _status(out, "no_data", "尚无实际值 / no value yet")
    if indicator.kind == "growth":
        return _assess_growth(out, indicator, goal, baseline, latest, as_of, rules)
    return _assess_level(out, indicator, goal, baseline, latest, assessed, as_of, rules)


def _goal(indicator: PlanIndicator, computed_baseline: Observation | None, out: dict[str, Any]) -> float | None:
    """The target value (a multiple of the baseline resolved), recorded in `out`; None when unknown."""
    target = indicator.target
    assert target is not None
    t1 = target.date
    if target.factor is not None:
        # the plan's baseline, or one computed from the warehouse: never the 0 a cumulative count starts from
        previous = (
            indicator.baseline.value if indicator.baseline else (computed_baseline.value if computed_baseline else None)
        )
        if previous is None:
            out["target"] = {"date": t1.isoformat(), "factor": target.factor, "value": None}
            return None
        goal = previous * target.factor
    else:
        goal = float(target.value)  # type: ignore[arg-type]
    out["target"] = {
        "value": _round(goal),
        "value_max": target.value_max,
        "date": t1.isoformat(),
        "strict": target.strict,
        "factor": target.factor,
    }
    return goal


def _target_of(indicator: PlanIndicator) -> tuple[Target, dt.date, str]:
    """The indicator's target, its date and the direction it is met in."""
    assert indicator.target is not None
    return indicator.target, indicator.target.date, indicator.direction


def _assess_growth(
    out: dict[str, Any],
    indicator: PlanIndicator,
    goal: float,
    baseline: Observation | None,
    latest: Observation,
    as_of: dt.date,
    rules: Rules,
) -> dict[str, Any]:
    """A growth-rate target (年均增长 g%): the average rate since the baseline against g."""
    target, t1, direction = _target_of(indicator)
    v, t = latest.value, latest.date
    if baseline is None or baseline.value <= 0 or t <= baseline.date:
        return _status(
            out, "no_data", "增长率需要基期值和之后的观测值 / a growth rate needs a baseline and a later value"
        )
    b, t0 = baseline.value, baseline.date
    g = goal / 100.0
    rate = (v / b) ** (1 / years_between(t0, t)) - 1 if v > 0 else -1.0
    out["actual_rate_pct"] = _round(rate * 100)
    expected = b * (1 + g) ** years_between(t0, t)
    quantity_goal = b * (1 + g) ** years_between(t0, t1)
    out["expected"] = _round(expected)
    out["target"]["quantity"] = _round(quantity_goal)
    out["progress_pct"] = _pct(v - b, quantity_goal - b)
    forecast_value = v * (1 + rate) ** max(0.0, years_between(t, t1))
    out["forecast"] = {
        "date": t1.isoformat(),
        "value": _round(forecast_value),
        "rate_pct": _round(rate * 100),
        "meets": meets(rate * 100, goal, direction, target.strict),
    }
    rate_meets = meets(rate * 100, goal, direction, target.strict)
    if t >= t1 and rate_meets:
        return _status(out, "achieved", "年均增长率达到目标 / the average growth rate meets the target")
    if as_of > t1:
        return _status(out, "off_track", "目标期已过, 未达到 / the target date has passed unmet")
    ratio = (v - b) / (expected - b) if expected != b else None
    out["ratio"] = _round(ratio) if ratio is not None else None
    return _judge(out, ratio, rate_meets, rules)


def _assess_level(
    out: dict[str, Any],
    indicator: PlanIndicator,
    goal: float,
    baseline: Observation | None,
    latest: Observation,
    assessed: list[Observation],
    as_of: dt.date,
    rules: Rules,
) -> dict[str, Any]:
    """A level target: the value against the straight line from the baseline to the target."""
    target, t1, direction = _target_of(indicator)
    v, t = latest.value, latest.date
    if meets(v, goal, direction, target.strict):
        pct = _pct(v - baseline.value, goal - baseline.value) if baseline is not None else None
        out["progress_pct"] = pct if pct is not None and pct >= 100 else 100.0
        return _status(out, "achieved", "已达到目标值 / the target is met")
    if as_of > t1 or t >= t1:  # the value of the target date itself is known, and short of it
        return _status(out, "off_track", "目标期已过, 未达到 / the target date has passed unmet")
    if baseline is None or t <= baseline.date:
        return _status(out, "no_data", "只有基期值, 尚无进展数据 / only the baseline is known")
    b, t0 = baseline.value, baseline.date
    frac = min(1.0, max(0.0, (t - t0).days / max(1, (t1 - t0).days)))
    expected = b + (goal - b) * frac
    out["expected"] = _round(expected)
    out["progress_pct"] = _pct(v - b, goal - b)
    points = [baseline, *[o for o in assessed if o.date > t0]]
    forecast_value = _line_at(points, t1)
    forecast_meets = forecast_value is not None and meets(forecast_value, goal, direction, target.strict)
    if forecast_value is not None:
        out["forecast"] = {"date": t1.isoformat(), "value": _round(forecast_value), "meets": forecast_meets}
    ratio = (v - b) / (expected - b) if abs(expected - b) > 1e-12 else None
    out["ratio"] = _round(ratio) if ratio is not None else None
    return _judge(out, ratio, forecast_meets, rules)


def _judge(out: dict[str, Any], ratio: float | None, forecast_meets: bool, rules: Rules) -> dict[str, Any]:
    if ratio is None:
        return _status(out, "on_track", "尚未到应有进展的时点 / no progress expected yet")
    if ratio >= rules.on_track:
        return _status(
            out, "on_track", f"进度比 {ratio:.2f} ≥ {rules.on_track} / progress ratio at or above {rules.on_track}"
        )
    if ratio >= rules.at_risk:
        return _status(
            out, "at_risk", f"进度比 {ratio:.2f} 低于 {rules.on_track} / progress ratio below {rules.on_track}"
        )
    if forecast_meets:
        return _status(
            out, "at_risk", f"进度比 {ratio:.2f}, 按趋势预计可达标 / behind, but the trend reaches the target"
        )
    return _status(out, "off_track", f"进度比 {ratio:.2f} 低于 {rules.at_risk} / progress ratio below {rules.at_risk}")


def _status(out: dict[str, Any], status: str, reason: str) -> dict[str, Any]:
    out["status"] = status
    out["status_zh"] = STATUS_ZH[status]
    out["status_en"] = STATUS_EN[status]
    out["status_reason"] = reason
    return out


def _baseline(
    indicator: PlanIndicator,
    assessed: list[Observation],
    period_start: dt.date,
    computed: Observation | None,
) -> Observation | None:
    if indicator.kind == "cumulative":
        return Observation(period_start, 0.0, "baseline", "period_start")
    if indicator.baseline is not None:
        return Observation(indicator.baseline.date, indicator.baseline.value, "baseline", "plan")
    if computed is not None:
        return Observation(computed.date, computed.value, "baseline", "computed")
    if assessed:
        first = assessed[0]
        return Observation(first.date, first.value, "baseline", "first_observation")
    return None


def _line_at(points: list[Observation], when: dt.date) -> float | None:
    """Least-squares line through the points, read at `when` (None with fewer than two dates)."""
    xs = [p.date.toordinal() for p in points]
    if len(set(xs)) < 2:
        return None
    ys = [p.value for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return my + slope * (when.toordinal() - mx)


def _pct(part: float, whole: float) -> float | None:
    if abs(whole) < 1e-12:
        return None
    return round(part / whole * 100, 1)


def _round(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and (math.isnan(value) or math.isinf(value))):
        return None
    return float(round_figure(value))  # the rounding of `ipnav indicator`, so the figures agree
