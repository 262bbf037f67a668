"""Draw the web app's PNG icons (the manifest's 192 and 512 px) with the standard library:
calfcoach's green with a white ring and a bar, like the favicon. Run again after a change:

    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "src" / "calfcoach" / "web" / "static"
GREEN = (0x0B, 0x5E, 0x43)
WHITE = (0xFF, 0xFF, 0xFF)


def _pixel(x: float, y: float) -> tuple[int, int, int]:
    """The colour at (x, y) in a 1×1 square: a ring (a "c" for calf) and a bar through it."""
    dx, dy = x - 0.5, y - 0.5
    radius = (dx * dx + dy * dy) ** 0.5
    ring = 0.2 <= radius <= 0.3 and not (dx > 0.08 and abs(dy) < 0.12)
    bar = abs(dy) < 0.035 and 0.18 <= x <= 0.82
    return WHITE if ring or bar else GREEN


def png(size: int) -> bytes:
    rows = b"".join(
        b"\x00" + b"".join(bytes(_pixel((i + 0.5) / size, (j + 0.5) / size)) for i in range(size))
        for j in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    for size in (192, 512):
        (STATIC / f"icon-{size}.png").write_bytes(png(size))
        print(f"wrote {STATIC / f'icon-{size}.png'}")
