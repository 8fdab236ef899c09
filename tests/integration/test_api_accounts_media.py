"""The accounts group of the client API, part three: avatar and header
uploads through update_credentials and the files at /system/. A file is
judged by its bytes, not by its name or Content-Type (a PNG called .jpg
is a PNG; HTML called .png is refused); the stored copy has no camera
metadata; the size limit is Mastodon's 8 MB; a replaced image's file is
removed; /system/ serves only keys we made, with the right type, nosniff
and long cache headers, and nothing outside media_dir."""

import os
import socket
import struct
import zlib

from harness import Api, Cluster, Meentd, local_account, main, read_config

PASSWORD = "accounts-media-password-1"


def png(w=3, h=2, text=b"GPS\x00secret-location"):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"tEXt", text) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def segment(marker, payload):
    """A JPEG marker segment: its length counts itself and the payload."""
    return bytes([0xff, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(w=8, h=8):
    sof = b"\xff\xc0\x00\x0b\x08" + struct.pack(">HH", h, w) + b"\x01\x01\x11\x00"
    return (b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" +
            segment(0xe1, b"Exif\x00\x00secret-camera") + sof +
            b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x12\x34" * 20 + b"\xff\xd9")


GIF = b"GIF89a\x02\x00\x02\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00" \
      b",\x00\x00\x00\x00\x02\x00\x02\x00\x00\x02\x02D\x01\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x01\x40\x00\x00\x07\x10\x11\x11" \
       b"\x88\x88\xfe\x07\x00"


def err(r):
    try:
        return r.status_code, r.json().get("error")
    except ValueError:
        return r.status_code, r.text[:200]


def raw_get(d, path):
    """A GET sent exactly as written (no client normalising the path);
    the status code of the answer."""
    host, port = d.listen.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(("GET %s HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n" % path)
                  .encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1])


def test(t):
    with Cluster() as pg:
        conf = pg.config("a.test", api_rate_limit=0)
        media = read_config(conf)["media_dir"]
        alice = local_account(conf, "alice", password=PASSWORD)
        with Meentd(conf) as d:
            api = Api(d, alice)
            upd = "/api/v1/accounts/update_credentials"

            # A PNG that calls itself a JPEG is a PNG.
            r = api.patch(upd, files={"avatar": ("me.jpg", png(), "image/jpeg")})
            t.is_(r.status_code, 200, "avatar upload: 200")
            av = r.json().get("avatar", "") if r.status_code == 200 else ""
            t.ok(av.startswith("https://a.test/system/accounts/avatars/") and av.endswith(".png"),
                 "the avatar is under /system/ and named .png from its bytes: " + av)
            t.is_(r.json().get("avatar_static"), av, "avatar_static too")
            key = av.split("/system/", 1)[1] if "/system/" in av else "x"
            path = os.path.join(media, key)
            t.ok(os.path.isfile(path), "the file is in media_dir")
            r = d.get("/system/" + key)
            t.is_(r.status_code, 200, "GET /system/<key>: 200")
            t.is_(r.headers.get("Content-Type"), "image/png", "served as image/png")
            t.is_(r.headers.get("X-Content-Type-Options"), "nosniff", "with nosniff")
            t.like(r.headers.get("Cache-Control", ""), "max-age=31536000", "cached for a year")
            t.like(r.headers.get("Content-Security-Policy", ""), "sandbox", "sandboxed")
            t.ok(r.content.startswith(b"\x89PNG") and b"secret-location" not in r.content,
                 "the PNG without its text metadata")
            t.is_(r.content, open(path, "rb").read(), "what is stored is what is served")
            t.is_(d.request("HEAD", "/system/" + key).status_code, 200, "HEAD works")
            r = d.get("/users/alice", headers={"Accept": "application/activity+json"})
            t.is_(r.json().get("icon", {}).get("url"), av, "the actor's icon is the new avatar")

            # Header: a JPEG, its Exif gone.
            r = api.patch(upd, files={"header": ("h.bin", jpeg(), "application/octet-stream")})
            hd = r.json().get("header", "") if r.status_code == 200 else ""
            t.ok(r.status_code == 200 and hd.endswith(".jpg") and "/accounts/headers/" in hd,
                 "a JPEG header: " + hd)
            body = d.get(hd.replace("https://a.test", "")).content
            t.ok(body.startswith(b"\xff\xd8") and b"secret-camera" not in body and b"JFIF" in body,
                 "the JPEG without its Exif, JFIF kept")
            t.is_(r.json().get("avatar"), av, "the avatar is untouched by a header upload")

            # Replacing the avatar removes the old file.
            r = api.patch(upd, files={"avatar": ("a.gif", GIF, "image/gif")})
            av2 = r.json().get("avatar", "") if r.status_code == 200 else ""
            t.ok(av2.endswith(".gif") and av2 != av, "a GIF avatar")
            t.ok(not os.path.exists(path), "the old avatar's file is gone")
            t.is_(d.get("/system/" + key).status_code, 404, "and no longer served")
            r = api.patch(upd, files={"avatar": ("a.webp", WEBP, "image/webp")})
            t.ok(r.status_code == 200 and r.json()["avatar"].endswith(".webp"), "a WebP avatar")
            r = d.get(r.json()["avatar"].replace("https://a.test", "")) if r.status_code == 200 \
                else r
            t.is_(r.headers.get("Content-Type"), "image/webp", "served as image/webp")

            # What is not an image, whatever it says.
            html = b"<html><body><script>alert(document.cookie)</script></body></html>"
            before = sorted(os.listdir(os.path.join(media, "accounts", "avatars")))
            for name, data, ctype in (("x.png", html, "image/png"),
                                      ("x.gif", b"GIF89a", "image/gif"),
                                      ("x.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
                                      ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                       "image/svg+xml"),
                                      ("x.png", b"", "image/png")):
                r = api.patch(upd, files={"avatar": (name, data, ctype)})
                t.is_(err(r), (422, "Validation failed: Avatar content type is invalid"),
                      "refused: %r as %s" % (data[:12], ctype))
            r = api.patch(upd, files={"header": ("x.png", html, "image/png")})
            t.is_(err(r), (422, "Validation failed: Header content type is invalid"),
                  "HTML as a header: refused")
            big = png(text=b"pad\x00" + b"x" * (8 * 1024 * 1024))
            r = api.patch(upd, files={"avatar": ("big.png", big, "image/png")})
            t.is_(err(r), (422, "Validation failed: Avatar file size must be less than 8 MB"),
                  "over 8 MB: refused")
            r = api.patch(upd, files={"avatar": ("x.png", html, "image/png")},
                          data={"display_name": "Changed"})
            t.is_(api.get("/api/v1/accounts/verify_credentials").json()["display_name"], "",
                  "a refused upload changes nothing else either")
            t.is_(sorted(os.listdir(os.path.join(media, "accounts", "avatars"))), before,
                  "and leaves no file behind")
            r = Api(d, "x").patch(upd, files={"avatar": ("a.png", png(), "image/png")})
            t.is_(r.status_code, 401, "an upload without a valid token: 401")

            # /system/ serves our keys and nothing else.
            with open(os.path.join(media, "accounts", "SECRET"), "w") as f:
                f.write("not for you")
            for bad in ("/system/accounts/avatars/../SECRET",
                        "/system/accounts/avatars/..%2fSECRET",
                        "/system/accounts/%2e%2e/%2e%2e/meent.conf",
                        "/system/accounts/avatars/%2e%2e%2f%2e%2e%2fSECRET",
                        "/system/..%2f..%2fetc/passwd",
                        "/system/accounts/SECRET",
                        "/system/accounts/avatars/.hidden.png",
                        "/system/accounts/avatars/UPPER.png",
                        "/system/accounts/avatars/nothing.png",
                        "/system/accounts/avatars/a.png%00.html",
                        "/system/a/b/c/d/e.png",
                        "/system/%2fetc/passwd"):
                t.ok(raw_get(d, bad) in (400, 404), "refused: " + bad)
            tmp = os.path.join(media, "accounts", "avatars", "evil.png")
            os.symlink(os.path.abspath(conf), tmp)
            t.is_(raw_get(d, "/system/accounts/avatars/evil.png"), 404,
                  "a symbolic link is not followed")


if __name__ == "__main__":
    main(test)
