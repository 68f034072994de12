"""IPC titles as users read them: the Chinese title of a symbol from the IPC 2026.01 Chinese edition (the
symbol itself, else its main group), with its subclass; a symbol the 2026.01 edition no longer has (H01L
went to H10 in 2023–2026) falls back to the English title of the CPC 2022.08 scheme, which still holds
it, and says so. No older Chinese edition is public in a machine-readable form (searched December 2026)."""

from __future__ import annotations

import re
from typing import Any

from ipnav.store.warehouse import Warehouse

ZH_EDITION = "IPC 2026.01"
EN_FALLBACK = "CPC 2022.08"


def clean_zh(title: str | None) -> str:
    """A CNIPA title without the references that follow its heading (…入A01D46/00, (H01M10/39优先))."""
    text = re.split(r"[（(][^）)]*(?:入|优先)", title or "")[0].replace(" ", "")
    reference = re.search(r"入[A-H]\d\d", text)
    if reference:  # an unbracketed reference: keep the heading before the clause that holds it
        text = text[: max(text.rfind("；", 0, reference.start()), 0)] or text[: reference.start()]
    return text.strip("；;，, ")


def clean_en(title: str | None) -> str:
    """A CPC title without its CPC-only {…} parts and its references in brackets."""
    text = re.sub(r"\s*\{[^}]*\}", "", title or "")
    return re.sub(r"\s*\([^()]*\)", "", text).strip(" ;")


def _main_group(symbol: str) -> str:
    return symbol.split("/")[0] + "/00" if "/" in symbol else symbol


def titles(warehouse: Warehouse, symbols: list[str]) -> list[dict[str, Any]]:
    """Each IPC symbol with its title and its subclass's title, in Chinese where the 2026.01 edition has
    them (`language` zh, `edition` IPC 2026.01), else in English from CPC 2022.08 (`language` en)."""
    wanted = sorted({s for symbol in symbols for s in (symbol, _main_group(symbol), symbol[:4])})
    if not wanted:
        return []
    zh = dict(warehouse.con.execute(
        "SELECT code, title_zh FROM ref_ipc_titles_zh WHERE code = ANY(?::VARCHAR[])", [wanted]
    ).fetchall())  # fmt: skip
    en = dict(warehouse.con.execute(
        "SELECT symbol, title FROM ref_cpc_titles WHERE symbol = ANY(?::VARCHAR[])", [wanted]
    ).fetchall())  # fmt: skip
    out = []
    for symbol in symbols:
        own = zh.get(symbol) or zh.get(_main_group(symbol))
        language = "zh" if own else "en"
        if own:
            title = clean_zh(own)
        else:
            title = clean_en(en.get(symbol) or en.get(_main_group(symbol)))
        subclass = clean_zh(zh.get(symbol[:4])) if symbol[:4] in zh else clean_en(en.get(symbol[:4]))
        out.append({
            "symbol": symbol, "title": title, "subclass": symbol[:4], "subclass_title": subclass,
            "language": language, "edition": ZH_EDITION if own else (EN_FALLBACK if title else ""),
        })  # fmt: skip
    return out
