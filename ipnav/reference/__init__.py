"""Reference tables shipped as package data (see data/PROVENANCE.md).

`open_table(name)` gives a text stream; `path(name)` the file. Loading into the
warehouse happens in `ipnav.store.reference`.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
from importlib import resources
from pathlib import Path
from typing import IO

TABLES: dict[str, str] = {
    "adcode_provinces": "adcode2023_provinces.csv",
    "adcode_cities": "adcode2023_cities.csv",
    "adcode_areas": "adcode2023_areas.csv",
    "county_code_changes": "cn_county_code_changes.csv",
    "adcode_overrides": "adcode_overrides.csv",
    "ipc_titles_zh": "ipc_2026_01_zh.csv.gz",
    "cpc_titles": "cpc_titles_202208.tsv.gz",
    "wipo35": "ipc_technology_wipo35.csv",
    "uspto_tm_status": "uspto_tm_status_codes.csv",
    "cn_tm_groups": "cn_tm_similar_groups.csv",
    "cn_tm_classes": "cn_tm_classes.csv",
    "sei_ipc_2021": "sei_ipc_concordance_2021.csv",
    "population_census2020": "population_census2020.csv",
    "population_province_yearend": "population_province_yearend_2005_2024.csv",
    "nice_classes": "nice_classes_ncl12.json",
    "enterprise_units_province": "enterprise_units_province.csv",
}


def path(name: str) -> Path:
    """Filesystem path of a shipped reference table."""
    return Path(str(resources.files("ipnav.reference") / "data" / TABLES[name]))


def open_table(name: str) -> IO[str]:
    """Open a reference table as UTF-8 text (BOM removed, gzip handled)."""
    file_path = path(name)
    if file_path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(file_path, "rb"), encoding="utf-8-sig", newline="")
    return file_path.open(encoding="utf-8-sig", newline="")


@functools.cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """All rows of a CSV reference table, cached."""
    with open_table(name) as handle:
        return tuple(csv.DictReader(handle))
