"""Number, date, classification and status normalisation as users type them."""

from __future__ import annotations

import datetime as dt

import pytest

from ipnav.errors import RecordError
from ipnav.normalize.classification import canonical_symbol
from ipnav.normalize.dates import parse_date
from ipnav.normalize.numbers import normalize_publication_number, parse_application_number
from ipnav.normalize.status import normalize_status


@pytest.mark.parametrize(
    ("raw", "key", "display"),
    [
        ("201410408762.5", "CN201410408762", "CN201410408762.5"),
        ("CN202223220665.2", "CN202223220665", "CN202223220665.2"),
        ("ZL 2014 1 0408762.5", "CN201410408762", "CN201410408762.5"),
        ("2014104087625", "CN201410408762", "CN201410408762.5"),  # check digit without the dot
        ("102021000991218", "CN202110991218", "CN202110991218.8"),  # CNIPA standard 15-digit form
        ("202111286633.X", "CN202111286633", "CN202111286633.X"),  # check digit 10 is X
        # old 8-digit form (before 2003): weights 2..9, 9*2+8*3+1*4+2*5+3*6+4*7+5*8+6*9 = 196, 196 % 11 = 9
        ("98123456.9", "CN98123456", "CN98123456.9"),
        ("981234569", "CN98123456", "CN98123456.9"),
    ],
)
def test_cn_application_numbers(raw: str, key: str, display: str) -> None:
    app = parse_application_number(raw)
    assert (app.key, app.display) == (key, display)


def test_wrong_cn_check_digit_is_reported_not_accepted() -> None:
    with pytest.raises(RecordError) as info:
        parse_application_number("201410408762.6")
    assert info.value.field == "application_number"
    assert "expected 5" in info.value.reason


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("US 9,358,892 B1", "", ("US9358892", "B1")),
        ("09358892", "US", ("US9358892", "")),
        ("D0656296", "US", ("USD656296", "")),
        ("US2005/0004437A1", "", ("US20050004437", "A1")),
        ("CN104223352A", "", ("CN104223352", "A")),
        ("EP 1 000 000 B1", "", ("EP1000000", "B1")),
        ("WO2022/259205", "", ("WO2022259205", "")),
    ],
)
def test_publication_numbers(raw: str, country: str, expected: tuple[str, str]) -> None:
    assert normalize_publication_number(raw, country) == expected


def test_us_and_pct_application_numbers() -> None:
    assert parse_application_number("14/558,596", "US").key == "US14558596"
    assert parse_application_number("PCT/US97/05183").key == "PCT/US1997/005183"


@pytest.mark.parametrize(
    ("raw", "symbol"),
    [
        ("H01M 4/13 (2006.01)", "H01M4/13"),
        ("H01M0004130000", "H01M4/13"),
        ("A24B   15/18    (2006.01)", "A24B15/18"),
        ("A45F  504", "A45F5/04"),
        ("E03C 104", "E03C1/04"),
        ("7C 07C  29/44   A", "C07C29/44"),
        ("H01F  27/14        20060101AFI20171122BHEP", "H01F27/14"),
        ("B60L11/1809", "B60L11/1809"),
        ("H01M", "H01M"),
    ],
)
def test_ipc_canonical_spelling(raw: str, symbol: str) -> None:
    assert canonical_symbol(raw) == symbol


def test_dates_in_every_spelling() -> None:
    expected = dt.date(2014, 12, 24)
    for raw in ("20141224", "2014-12-24", "2014.12.24", "2014/12/24", "2014年12月24日", 20141224):
        assert parse_date(raw) == expected
    assert parse_date("0") is None
    assert parse_date("19060800", partial=True) == dt.date(1906, 8, 1)
    with pytest.raises(RecordError):
        parse_date("2014-13-45", "filing_date")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("有权-审定授权", ("valid", "granted")),
        ("审中-实质审查", ("pending", "examination")),
        ("失效", ("lapsed", "")),
        ("失效-未缴年费专利权终止", ("lapsed", "fee_unpaid")),
        ("无权-视为撤回", ("lapsed", "withdrawn")),
        ("有权-部分无效", ("valid", "partially_invalidated")),
        ("Expired - Fee Related", ("lapsed", "expired")),
        ("专利权的转移", ("valid", "transferred")),  # a patent right changes hands only while it exists
        ("专利申请权的转移", ("pending", "transferred")),
        ("专利申请权、专利权的转移", ("unknown", "transferred")),  # the gazette's joint heading says neither
        ("发明专利申请公布", ("pending", "published")),
    ],
)
def test_legal_status(raw: str, expected: tuple[str, str]) -> None:
    assert normalize_status(raw) == expected
