#!/usr/bin/env python3
"""httpd_check.py - the expected answers of the httpd (stack/apps/httpd) for
the live tests, computed here independently of the firmware: a document's
bytes as stack/apps/httpd/http_docs.c builds them (a printable character
per byte from a hash of the path and the offset / 8), and checks of what a
real client (curl) wrote.

  httpd_check.py body DOCS PATH FILE
      writes the body of document PATH of the set DOCS (/64:64,/1k:1k,...)
      to FILE (the reference the wrk script compares every answer with).
  httpd_check.py curl DOCS DIR SPEC...
      checks curl's transfers 0, 1, ... (one SPEC each, in order, in one curl
      run with --next): DIR/h<i> the head (curl -D), DIR/b<i> the body (-o),
      line i of DIR/w "code connects bytes" (-w; a missing body file is an
      empty body). SPEC is METHOD:PATH:STATUS:CONN,
      METHOD GET, HEAD, GET10 (HTTP/1.0) or GETCLOSE (Connection: close),
      CONN new (this transfer opened a connection) or reused (it went over
      the previous one: keep-alive). Every body byte for byte (none after
      HEAD: curl -I writes the head to -o instead); the status
      line, Content-Length, Content-Type and Connection of every head.
      Prints "curl: N transfers, B body bytes, all checked"; exit 0, or 1 with
      every difference.
"""
import sys

ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
M64 = (1 << 64) - 1
REASONS = {200: "OK", 404: "Not Found"}


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
    return z ^ (z >> 31)


def parse_docs(docs):
    """{path: size} of a docs= value (sizes as 64, 1k, 1m)."""
    out = {}
    for item in docs.split(","):
        path, size = item.rsplit(":", 1)
        mult = {"k": 1024, "m": 1 << 20}.get(size[-1].lower(), 1)
        out[path] = int(size[:-1] if mult > 1 else size) * mult
    return out


def body(path, size):
    key = 0xcbf29ce484222325  # FNV-1a of the path
    for c in path.encode():
        key = ((key ^ c) * 0x100000001b3) & M64
    key = mix64(key)
    out = bytearray(size)
    for word in range((size + 7) // 8):
        w = mix64((key + word) & M64)
        for k in range(min(8, size - 8 * word)):
            out[8 * word + k] = ALPHABET[(w >> (8 * k)) & 63]
    return bytes(out)


def expected(docs, path, status):
    if status == 404:
        return b"404 Not Found\n", "text/plain"
    return body(path, docs[path]), "text/html" if path.endswith(".html") else "text/plain"


def parse_head(raw):
    """(status line, {lower-case name: [values]}) of one head."""
    lines = raw.decode("latin-1").split("\r\n")
    fields = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            fields.setdefault(name.strip().lower(), []).append(value.strip())
    return lines[0], fields


def check_transfer(docs, d, i, spec, w, bad):
    method, path, status, conn = spec.split(":")
    status = int(status)
    where = "transfer %d (%s %s)" % (i, method, path)
    try:
        head = open("%s/h%d" % (d, i), "rb").read()
        try:
            got = open("%s/b%d" % (d, i), "rb").read()
        except FileNotFoundError:  # curl makes the file at the first body byte
            got = b""
        code, connects, size = w[i].split()
    except (OSError, ValueError, IndexError) as e:
        bad.append("%s: curl's output: %s" % (where, e))
        return 0
    want, ctype = expected(docs, path, status)
    if int(code) != status:
        bad.append("%s: status %s, expected %d" % (where, code, status))
    if (int(connects) > 0) != (conn == "new"):
        bad.append("%s: %s connection(s) opened, expected %s" % (where, connects, conn))
    line, fields = parse_head(head)
    if line != "HTTP/1.1 %d %s" % (status, REASONS[status]):
        bad.append("%s: status line %r" % (where, line))
    if fields.get("content-length") != [str(len(want))]:
        bad.append("%s: Content-Length %s, expected %d" % (where, fields.get("content-length"), len(want)))
    if fields.get("content-type") != [ctype]:
        bad.append("%s: Content-Type %s, expected %s" % (where, fields.get("content-type"), ctype))
    if fields.get("connection") != (["close"] if method in ("GET10", "GETCLOSE") else None):
        bad.append("%s: Connection %s" % (where, fields.get("connection")))
    if "transfer-encoding" in fields:
        bad.append("%s: Transfer-Encoding %s" % (where, fields["transfer-encoding"]))
    if method == "HEAD":  # no body: curl -I writes the head as its output
        want = head
    if got != want:
        k = next((j for j in range(min(len(got), len(want))) if got[j] != want[j]), min(len(got), len(want)))
        bad.append("%s: body of %d bytes differs from the expected %d at byte %d" % (where, len(got), len(want), k))
    if int(size) != (0 if method == "HEAD" else len(got)):
        bad.append("%s: curl says %s bytes, the file has %d" % (where, size, len(got)))
    return 0 if method == "HEAD" else len(got)


def main(argv):
    if len(argv) == 5 and argv[1] == "body":
        size = parse_docs(argv[2])[argv[3]]
        open(argv[4], "wb").write(body(argv[3], size))
        return 0
    if len(argv) >= 5 and argv[1] == "curl":
        docs, bad, total = parse_docs(argv[2]), [], 0
        w = open(argv[3] + "/w").read().splitlines()
        if len(w) != len(argv) - 4:
            bad.append("%d transfers reported, expected %d" % (len(w), len(argv) - 4))
        for i, spec in enumerate(argv[4:]):
            total += check_transfer(docs, argv[3], i, spec, w, bad)
        for b in bad:
            print("curl: " + b)
        if bad:
            return 1
        print("curl: %d transfers, %d body bytes, all checked" % (len(argv) - 4, total))
        return 0
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
