"""The user's applicant merge table, `WORKSPACE/applicant_merge.csv` (`alias,canonical`): spellings the
analyses count as one applicant, and the `pae=` search field finds together."""

from __future__ import annotations

import csv
from pathlib import Path

from ipnav.normalize.names import canonical_name

MERGE_FILE = "applicant_merge.csv"


def load_merge_table(path: Path | None) -> dict[str, str]:
    """The user's merge table: CSV `alias,canonical` (e.g. 华为终端 -> 华为技术). Missing file = no merges."""
    if path is None or not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {canonical_name(r[0]): r[1].strip() for r in csv.reader(handle) if len(r) >= 2 and r[0].strip()}
