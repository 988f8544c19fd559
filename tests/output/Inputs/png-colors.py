#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Counts the pixels of given colours in a PNG (a browser's screenshot), with
# the standard library only, so a test can tell that something was painted.
# Usage: png-colors.py FILE RRGGBB...   Prints "RRGGBB COUNT" per colour.
# Owner: output tests.
import collections
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("png-colors: not a PNG: " + path)
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit("png-colors: only 8-bit RGB/RGBA, non-interlaced")
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev, seen = bytearray(stride), collections.Counter()
    for y in range(height):
        start = y * (stride + 1) + 1
        ftype, line = raw[start - 1], bytearray(raw[start:start + stride])
        if ftype == 2:      # the common filters first, as whole-row operations
            line = bytearray((x + p) & 255 for x, p in zip(line, prev))
        elif ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ftype in (3, 4):
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                if ftype == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        seen.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp))
        prev = line
    return seen


def main(path, colours):
    seen = pixels(path)
    for colour in colours:
        want = bytes.fromhex(colour)
        n = sum(k for px, k in seen.items() if max(abs(px[j] - want[j]) for j in range(3)) <= 8)
        print("%s %d" % (colour, n))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
