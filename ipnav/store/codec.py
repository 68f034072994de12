"""How documents are stored: JSON bodies and description texts, zstd-compressed.

Full-text grants are mostly description; compressing in the parser workers (zstd
level 1, ~500 MB/s) keeps the single warehouse writer from being the bottleneck and
the warehouse ~5x smaller. `load_document` is the one way back to a record.
"""

from __future__ import annotations

import threading

import orjson
import zstandard

from ipnav.model import Patent, Record, record_from_dict

_local = threading.local()


def _compressor() -> zstandard.ZstdCompressor:
    if not hasattr(_local, "compressor"):
        _local.compressor = zstandard.ZstdCompressor(level=1)
    return _local.compressor  # type: ignore[no-any-return]


def _decompressor() -> zstandard.ZstdDecompressor:
    # one per thread: a zstd context is not thread-safe (shared among request threads it crashed the server)
    if not hasattr(_local, "decompressor"):
        _local.decompressor = zstandard.ZstdDecompressor()
    return _local.decompressor  # type: ignore[no-any-return]


def pack(data: bytes) -> bytes:
    """zstd-compressed bytes (empty stays empty)."""
    return _compressor().compress(data) if data else b""


def unpack(blob: bytes | None) -> bytes:
    """Decompressed bytes (None or empty gives empty)."""
    return _decompressor().decompress(blob) if blob else b""


def load_document(body: bytes, description: bytes | None, source_file: str, source_position: int) -> Record:
    """A stored document back as a Patent or Transaction."""
    record = record_from_dict(orjson.loads(unpack(body)))
    record.source_file, record.source_position = source_file, source_position
    if isinstance(record, Patent):
        record.description = unpack(description).decode("utf-8")
    return record
