"""Reference tables in the warehouse, and Chinese address -> adcode resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipnav.normalize.region import resolve_addresses
from tests.conftest import cli_json


def test_reference_tables_load_into_the_warehouse(tmp_path: Path) -> None:
    tables = cli_json("reference", workspace=tmp_path / "ws")
    assert tables["ref_adcode_areas"] == 2978
    assert tables["ref_adcode_provinces"] == 31
    assert tables["ref_cpc_titles"] == 260263  # all nine sections of the 2022.08 title list
    assert tables["ref_ipc_titles_zh"] == 77249
    assert tables["ref_nice_classes"] == 45
    assert tables["ref_sei_ipc_2021"] > 1000
    assert tables["ref_population_census2020"] > 3000


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("650231 云南省昆明市五华区红锦路367号云烟科技园C区", ("530102", "云南省", "昆明市", "五华区", "matched")),
        ("311200 浙江省杭州市萧山区鸿宁路1788号", ("330109", "浙江省", "杭州市", "萧山区", "matched")),
        ("重庆市南岸区南坪东路2号", ("500108", "重庆市", "重庆市", "南岸区", "matched")),  # municipality
        ("四川省巴中市南江县集州街道", ("511922", "四川省", "巴中市", "南江县", "matched")),
        ("江苏省常州市武进区常武中路18号", ("320412", "江苏省", "常州市", "武进区", "matched")),
        ("山东省莱芜市莱城区凤城大街", ("370116", "山东省", "济南市", "莱芜区", "matched")),  # merged 2019
        ("朝阳区建国路88号", ("", "", "", "朝阳区", "ambiguous")),  # Beijing or Changchun: not guessed
        ("123 Main Street, Springfield", ("", "", "", "", "unmatched")),
    ],
)
def test_addresses_resolve_to_current_adcodes(address: str, expected: tuple[str, ...]) -> None:
    (region,) = resolve_addresses([address])
    assert (region.adcode, region.province, region.city, region.county, region.flag) == expected
