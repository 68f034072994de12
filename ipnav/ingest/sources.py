"""Input sources: files, folders (recursively) and zip archives, in a stable order."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ipnav.errors import InputFileError

_SKIP = re.compile(r"(^|/)(\.|__MACOSX/)|(lst\.txt|rpt\.html|\.(tif|tiff|jpg|jpeg|png|gif|pdf|dtd|ent|xsl|md))$", re.I)


@dataclass(frozen=True)
class Source:
    name: str  # what users see: "path/to/file.xml" or "archive.zip!member.xml"
    size: int
    open: Callable[[], IO[bytes]]


def iter_sources(paths: list[Path]) -> Iterator[Source]:
    """Every readable input under `paths`, folders walked in sorted order, zips opened."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not _SKIP.search(child.name):
                    yield from _file_sources(child)
        elif path.is_file():
            yield from _file_sources(path)
        else:
            raise InputFileError(str(path), "no such file or folder")


def _file_sources(path: Path) -> Iterator[Source]:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == b"PK\x03\x04" and path.suffix.lower() not in (".xlsx", ".xlsm"):
        yield from _zip_sources(path)
        return
    yield Source(str(path), path.stat().st_size, lambda p=path: p.open("rb"))  # type: ignore[misc]


def _zip_sources(path: Path) -> Iterator[Source]:
    try:
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir() and not _SKIP.search(m.filename)]
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputFileError(str(path), f"not a readable zip archive ({exc})") from None
    if any(m.filename == "[Content_Types].xml" for m in archive.infolist()):
        archive.close()  # an Office file without the usual extension
        yield Source(str(path), path.stat().st_size, lambda: path.open("rb"))
        return
    for member in sorted(members, key=lambda m: m.filename):

        def opener(m: zipfile.ZipInfo = member) -> IO[bytes]:
            with zipfile.ZipFile(path) as inner:
                return io.BytesIO(inner.read(m))

        yield Source(f"{path}!{member.filename}", member.file_size, opener)
