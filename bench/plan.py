"""Plan monitoring benchmark: `ipnav plan status` of every shipped plan over >= 1M patents.

Builds the warehouse of bench/value.py (the CN records of tests/fixtures/value, which have patentees
in 常州, 南江县, 重庆 ..., statuses, pledges and lapses, scaled with renumbered copies), then times, as
of one date:

* baseline: one `ipnav indicator high_value_invention_per_10k --region 320400` computation (what a
  computed plan indicator costs per date);
* the full status of each shipped plan (every computed indicator at each year-end since its
  baseline, the recorded values, the unit and phase roll-ups), with the number of computed dates.

Run: `.venv/bin/python bench/plan.py [--apps 1000000] [--runs 2]`
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import value as value_bench  # noqa: E402

from ipnav.config import Settings, Workspace  # noqa: E402
from ipnav.ingest.run import ingest  # noqa: E402
from ipnav.kpi import indicators  # noqa: E402
from ipnav.plan import service  # noqa: E402
from ipnav.store.reference import ensure_reference  # noqa: E402
from ipnav.store.warehouse import Warehouse  # noqa: E402

AS_OF = {"chongqing-2015-2020": dt.date(2020, 12, 31), "shaanxi-2022": dt.date(2022, 12, 31)}
DEFAULT_AS_OF = dt.date(2024, 6, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ipnav-plan-bench-"))
    try:
        ws = Workspace(work / "ws")
        ingest([ROOT / "tests" / "fixtures" / "value"], ws)
        settings = Settings(workspace=ws.root)
        with Warehouse(ws.warehouse_path) as wh:
            ensure_reference(wh.con)
            total = value_bench.scale(wh, opts.apps)
            print(f"warehouse: {total:,} applications scaled from the CN fixture records")

            def baseline() -> None:
                request = indicators.make_request(
                    settings, "high_value_invention_per_10k", as_of=DEFAULT_AS_OF, region="320400"
                )
                indicators.compute(wh, request)

            base = value_bench.timed("baseline: one computed indicator on one date", opts.runs, baseline)
            for plan in service.catalogue(settings).values():
                as_of = AS_OF.get(plan.id, DEFAULT_AS_OF)
                holder: dict[str, object] = {}

                def status(plan: object = plan, as_of: dt.date = as_of, holder: dict[str, object] = holder) -> None:
                    holder["data"] = service.status(settings, wh, plan, as_of)  # type: ignore[arg-type]

                best = value_bench.timed(f"status {plan.id} as of {as_of}", opts.runs, status)
                data = holder["data"]
                dates = sum(len(i["observations"]) for i in data["indicators"] if not i["manual"])  # type: ignore[index]
                computed = sum(1 for i in data["indicators"] if not i["manual"])  # type: ignore[index]
                print(f"    {computed} computed indicators, {dates} computed values; {best / base:.1f}× the baseline")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
