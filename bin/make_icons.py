"""Draw HOM's app icons (static/icons/*.png) without an image library: a white house on the theme's blue.

Run once when the design changes: `.venv/bin/python bin/make_icons.py`. The PNGs are committed.
"""
import struct
import zlib
from pathlib import Path

BLUE = (10, 88, 202)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def _png(size: int, pixel) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def house(scale: float):
    """A house (roof and walls, a door) filling ``scale`` of the square, centred: maskable icons use 0.6."""

    def pixel(x, y, size):
        u, v = (x + 0.5) / size, (y + 0.5) / size
        u, v = (u - 0.5) / scale + 0.5, (v - 0.5) / scale + 0.5
        roof = 0.12 <= v <= 0.45 and abs(u - 0.5) <= (v - 0.12) * 1.25
        walls = 0.45 < v <= 0.88 and 0.22 <= u <= 0.78
        door = 0.62 <= v <= 0.88 and 0.43 <= u <= 0.57
        return WHITE if (roof or walls) and not door else BLUE

    return pixel


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, scale in [("icon-192.png", 192, 0.8), ("icon-512.png", 512, 0.8),
                              ("icon-maskable-512.png", 512, 0.6), ("apple-touch-icon.png", 180, 0.7)]:
        (OUT / name).write_bytes(_png(size, house(scale)))
        print(OUT / name)


if __name__ == "__main__":
    main()
