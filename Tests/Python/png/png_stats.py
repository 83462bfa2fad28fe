"""Prints facts about a PNG screenshot as JSON, with the standard library only (no Pillow).

    python3 png_stats.py FILE.png [--rows Y0:Y1]

width, height, the share of pixels that are not the page background (the most common colour), the number of
distinct colours (capped at 4096), and per band of 100 rows the share of non-background pixels, so a test can
tell an empty page, a page of text, and a page with coloured charts apart.
"""
import json
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    offset, chunks, header = 8, [], None
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        kind = data[offset + 4:offset + 8]
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise SystemExit(f"{path}: only 8-bit RGB/RGBA, non-interlaced PNGs are read (got depth {depth}, colour {colour})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    width, height, channels, rows = read_png(path)
    counts = {}
    for row in rows:
        for x in range(0, len(row), channels):
            pixel = row[x:x + 3]
            counts[pixel] = counts.get(pixel, 0) + 1
    background = max(counts, key=counts.get)
    total = width * height
    bands = []
    for band in range(0, height, 100):
        pixels = drawn = 0
        for row in rows[band:band + 100]:
            for x in range(0, len(row), channels):
                pixels += 1
                drawn += row[x:x + 3] != background
        bands.append(round(drawn / pixels, 4))
    print(json.dumps({
        "width": width,
        "height": height,
        "background": "#" + background.hex(),
        "non_background_share": round(1 - counts[background] / total, 4),
        "distinct_colours": min(len(counts), 4096),
        "bands_of_100_rows": bands,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
