"""Draws the app icons (a white house on the brand blue) as PNG with the standard library only.

Run once when the design changes: .venv/bin/python scripts/make_icons.py
"""

import struct
import zlib
from pathlib import Path

BLUE = (13, 110, 253)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "offline" / "icons"


def png(width: int, height: int, rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def inside_house(x: float, y: float, scale: float) -> bool:
    """A house centred in a unit square, shrunk by `scale` (maskable icons keep a safe zone)."""
    x, y = (x - 0.5) / scale + 0.5, (y - 0.5) / scale + 0.5
    roof = 0.22 <= y <= 0.5 and abs(x - 0.5) <= (y - 0.22) / 0.28 * 0.32
    body = 0.48 <= y <= 0.8 and 0.27 <= x <= 0.73
    door = 0.62 <= y <= 0.8 and 0.44 <= x <= 0.56
    return (roof or body) and not door


def icon(size: int, scale: float) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray()
        for i in range(size):
            row += bytes(WHITE if inside_house((i + 0.5) / size, (j + 0.5) / size, scale) else BLUE)
        rows.append(bytes(row))
    return png(size, size, rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, scale in (("icon-192.png", 192, 1.0), ("icon-512.png", 512, 1.0), ("icon-maskable-512.png", 512, 0.8)):
        (OUT / name).write_bytes(icon(size, scale))
        print(OUT / name)


if __name__ == "__main__":
    main()
