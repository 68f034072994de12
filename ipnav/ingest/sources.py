"""Input sources: files, folders (recursively) and zip archives, in a stable order.

Zip members are read as streams, within limits (`InputLimits`): a member whose declared size or
compression ratio is over a limit, or whose name is unsafe (absolute, `..`, a dot file), becomes a
source with a `problem`, which ingest turns into one reject naming the member; the rest of the
archive loads. Python's zipfile stops a member at its declared size, so the size checked is the
size read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from ipnav.config import Settings
from ipnav.errors import InputFileError

# files that ride along in data deliveries and are no records (images, DTDs, listings), skipped quietly
_SKIP = re.compile(r"(^|/)__MACOSX/|(lst\.txt|\.(html?|css|js|tif|tiff|jpg|jpeg|png|gif|pdf|dtd|ent|xsl|md))$", re.I)
_MB = 1 << 20


@dataclass(frozen=True)
class InputLimits:
    """How much one zip member may expand to (bytes), and by what factor over its compressed size."""

    member_bytes: int = 1024 * _MB
    ratio: float = 100.0

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        """The limits the settings set."""
        return cls(settings.max_member_mb * _MB, settings.max_compression_ratio)


@dataclass(frozen=True)
class Source:
    """One readable input: a file, or a member of a zip archive."""

    name: str  # what users see: "path/to/file.xml" or "archive.zip!member.xml"
    size: int
    open: Callable[[], IO[bytes]]
    problem: str = ""  # set when the source must not be read: ingest records it as one reject


def iter_sources(paths: list[Path], limits: InputLimits | None = None) -> Iterator[Source]:
    """Every readable input under `paths`, folders walked in sorted order, zips opened."""
    limits = limits or InputLimits()
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not _SKIP.search(child.name) and not child.name.startswith("."):
                    yield from _file_sources(child, limits)
        elif path.is_file():
            yield from _file_sources(path, limits)
        else:
            raise InputFileError(str(path), "no such file or folder")


def _file_sources(path: Path, limits: InputLimits) -> Iterator[Source]:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == b"PK\x03\x04" and path.suffix.lower() not in (".xlsx", ".xlsm"):
        yield from _zip_sources(path, limits)
        return
    yield Source(str(path), path.stat().st_size, lambda p=path: p.open("rb"))  # type: ignore[misc]


def unsafe_member_name(name: str) -> str:
    """Why a zip member's name is not safe to use ('' when it is)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    if ".." in parts:
        return "'..' in the path"
    if any(part.startswith(".") for part in parts if part):
        return "hidden (dot) file"
    return ""


def member_problem(member: zipfile.ZipInfo, limits: InputLimits) -> str:
    """Why a zip member is not read ('' when it is read): an unsafe name, or over a limit."""
    unsafe = unsafe_member_name(member.filename)
    if unsafe:
        return f"unsafe member name ({unsafe}): not extracted"
    ratio = member.file_size / max(member.compress_size, 1)
    if member.file_size > _MB and ratio > limits.ratio:
        return (f"member expands {ratio:,.0f}x ({member.compress_size:,} -> {member.file_size:,} bytes), "
                f"over the compression-ratio limit of {limits.ratio:,.0f} (setting max_compression_ratio): "
                "a zip bomb or a damaged archive")  # fmt: skip
    if member.file_size > limits.member_bytes:
        return (f"member expands to {member.file_size / _MB:,.1f} MB, over the limit of "
                f"{limits.member_bytes / _MB:,.0f} MB per member (setting max_member_mb)")  # fmt: skip
    return ""


def _zip_sources(path: Path, limits: InputLimits) -> Iterator[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputFileError(str(path), f"not a readable zip archive ({exc})") from None
    if any(m.filename == "[Content_Types].xml" for m in infos):  # an Office file without the usual extension
        yield Source(str(path), path.stat().st_size, lambda: path.open("rb"))
        return
    members = [m for m in infos if not m.is_dir() and not _SKIP.search(m.filename)]
    for member in sorted(members, key=lambda m: m.filename):

        def opener(m: zipfile.ZipInfo = member) -> IO[bytes]:
            return cast(IO[bytes], _MemberStream(path, m))

        yield Source(f"{path}!{member.filename}", member.file_size, opener, member_problem(member, limits))


class _MemberStream(io.RawIOBase):
    """A zip member read as a stream (never whole into memory); closing it closes the archive."""

    def __init__(self, path: Path, member: zipfile.ZipInfo) -> None:
        self._archive = zipfile.ZipFile(path)
        self._stream = self._archive.open(member)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def close(self) -> None:
        if not self.closed:
            self._stream.close()
            self._archive.close()
        super().close()
