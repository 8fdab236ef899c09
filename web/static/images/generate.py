#!/usr/bin/python3
"""Draws the default images meentd serves (src/api/instance_images.c):
plain squares and rectangles of one colour, written as PNG with nothing
but the standard library, so they carry no third-party artwork and no
licence question. Run it from anywhere; it writes next to itself and
prints the thumbnail's BlurHash, which src/api/instance.c quotes.

    /usr/bin/python3 web/static/images/generate.py
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

GREY = (0xb0, 0xb7, 0xbf)       # missing avatar: Mastodon's is grey too
LIGHT = (0xd9, 0xde, 0xe3)      # missing header
SLATE = (0x3a, 0x4d, 0x63)      # instance thumbnail and icons

# name, width, height, colour. Sizes as Mastodon's: avatars 400x400,
# headers 1500x500, the thumbnail 1200x630 (@2x twice that), and the
# Android icon sizes of Instance.icon (SiteUpload::ANDROID_ICON_SIZES).
IMAGES = [
    ("avatar-missing.png", 400, 400, GREY),
    ("header-missing.png", 1500, 500, LIGHT),
    ("preview.png", 1200, 630, SLATE),
    ("preview@2x.png", 2400, 1260, SLATE),
] + [("android-chrome-%dx%d.png" % (s, s), s, s, SLATE)
     for s in (36, 48, 72, 96, 144, 192, 256, 384, 512)]


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + \
        struct.pack(">I", zlib.crc32(body) & 0xffffffff)


def png(width, height, rgb):
    row = b"\x00" + bytes(rgb) * width          # filter 0, then the pixels
    raw = row * height
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + \
        chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


# BlurHash (https://github.com/woltapp/blurhash, Algorithm.md), written
# from the specification. The image is one colour, so each component's
# sum over the pixels splits into a sum over x times a sum over y: the
# hash of the full-size image in O(width + height).
B83 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"


def b83(value, length):
    return "".join(B83[(value // 83 ** (length - i - 1)) % 83] for i in range(length))


def to_linear(v):
    v /= 255.0
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def to_srgb(v):
    v = max(0.0, min(1.0, v))
    return int(round((v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055) * 255))


def blurhash(width, height, rgb, cx=4, cy=3):
    lin = [to_linear(c) for c in rgb]
    factors = []
    for j in range(cy):
        sy = sum(math.cos(math.pi * j * y / height) for y in range(height)) / height
        for i in range(cx):
            sx = sum(math.cos(math.pi * i * x / width) for x in range(width)) / width
            norm = 1.0 if i == 0 and j == 0 else 2.0
            factors.append([norm * sx * sy * c for c in lin])
    dc, ac = factors[0], factors[1:]
    out = b83((cx - 1) + (cy - 1) * 9, 1)
    maxv = max(abs(v) for f in ac for v in f) if ac else 0.0
    if maxv > 0:
        q = max(0, min(82, int(math.floor(maxv * 166 - 0.5))))
        maxv = (q + 1) / 166.0
        out += b83(q, 1)
    else:
        maxv = 1.0
        out += b83(0, 1)
    out += b83((to_srgb(dc[0]) << 16) + (to_srgb(dc[1]) << 8) + to_srgb(dc[2]), 4)

    def quant(v):
        s = math.copysign(abs(v / maxv) ** 0.5, v)
        return max(0, min(18, int(math.floor(s * 9 + 9.5))))

    for f in ac:
        out += b83(quant(f[0]) * 19 * 19 + quant(f[1]) * 19 + quant(f[2]), 2)
    return out


def main():
    for name, w, h, rgb in IMAGES:
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(png(w, h, rgb))
    print("preview.png blurhash:", blurhash(1200, 630, SLATE))


if __name__ == "__main__":
    main()
