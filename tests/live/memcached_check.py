#!/usr/bin/env python3
"""memcached_check.py - a Python socket client of the live memcached test:
text commands sent to ADDR:PORT over one connection, each reply compared
byte for byte with what memcached 1.6 answers (the expected replies were
checked against Debian's memcached on loopback, where this script passes).

  memcached_check.py text ADDR PORT TIMEOUT_S
      set/get/delete/incr/decr/add/replace/append/prepend, get of several
      keys, gets and cas, noreply, a 100 KB value, a miss, a command cut
      into small pieces, several commands in one send (pipelined), and an
      unknown command (ERROR). Prints "memcached: N commands, B reply bytes,
      all checked"; exit 0, or 1 naming the first command answered wrong.
"""
import re
import socket
import sys
import time

PREFIX = b"dllive"


def value(n, seed):
    return bytes(33 + (seed * 31 + i * 7) % 94 for i in range(n))


def script():
    """(what is sent, the exact reply, or a compiled regex for it)."""
    big = value(100000, 5)
    k = lambda name: PREFIX + b":" + name
    return [
        (b"set " + k(b"a") + b" 0 0 5\r\nhello\r\n", b"STORED\r\n"),
        (b"get " + k(b"a") + b"\r\n", b"VALUE " + k(b"a") + b" 0 5\r\nhello\r\nEND\r\n"),
        (b"get " + k(b"missing") + b"\r\n", b"END\r\n"),
        (b"set " + k(b"b") + b" 42 0 3\r\nxyz\r\n", b"STORED\r\n"),
        (b"get " + k(b"a") + b" " + k(b"missing") + b" " + k(b"b") + b"\r\n",
         b"VALUE " + k(b"a") + b" 0 5\r\nhello\r\nVALUE " + k(b"b") + b" 42 3\r\nxyz\r\nEND\r\n"),
        (b"add " + k(b"a") + b" 0 0 1\r\nz\r\n", b"NOT_STORED\r\n"),
        (b"replace " + k(b"missing") + b" 0 0 1\r\nz\r\n", b"NOT_STORED\r\n"),
        (b"append " + k(b"a") + b" 0 0 6\r\n world\r\n", b"STORED\r\n"),
        (b"prepend " + k(b"a") + b" 0 0 2\r\n<<\r\n", b"STORED\r\n"),
        (b"get " + k(b"a") + b"\r\n", b"VALUE " + k(b"a") + b" 0 13\r\n<<hello world\r\nEND\r\n"),
        (b"delete " + k(b"a") + b"\r\n", b"DELETED\r\n"),
        (b"delete " + k(b"a") + b"\r\n", b"NOT_FOUND\r\n"),
        (b"get " + k(b"a") + b"\r\n", b"END\r\n"),
        (b"set " + k(b"n") + b" 0 0 2\r\n41\r\n", b"STORED\r\n"),
        (b"incr " + k(b"n") + b" 1\r\n", b"42\r\n"),
        (b"incr " + k(b"n") + b" 18446744073709551573\r\n", b"18446744073709551615\r\n"),
        (b"incr " + k(b"n") + b" 2\r\n", b"1\r\n"),
        (b"decr " + k(b"n") + b" 5\r\n", b"0\r\n"),
        (b"incr " + k(b"missing") + b" 1\r\n", b"NOT_FOUND\r\n"),
        (b"incr " + k(b"b") + b" 1\r\n", b"CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"),
        (b"gets " + k(b"b") + b"\r\n", re.compile(rb"VALUE " + re.escape(k(b"b")) + rb" 42 3 (\d+)\r\nxyz\r\nEND\r\n")),
        ("cas", None),   # cas with the unique gets gave, then with a stale one
        (b"set " + k(b"q") + b" 0 0 1 noreply\r\nq\r\nget " + k(b"q") + b"\r\n",
         b"VALUE " + k(b"q") + b" 0 1\r\nq\r\nEND\r\n"),
        (b"set " + k(b"big") + b" 7 0 100000\r\n" + big + b"\r\n", b"STORED\r\n"),
        (b"get " + k(b"big") + b"\r\n", b"VALUE " + k(b"big") + b" 7 100000\r\n" + big + b"\r\nEND\r\n"),
        (b"set " + k(b"p1") + b" 0 0 2\r\np1\r\nset " + k(b"p2") + b" 0 0 2\r\np2\r\nget " + k(b"p1") + b" " +
         k(b"p2") + b"\r\ndelete " + k(b"p1") + b"\r\n",
         b"STORED\r\nSTORED\r\nVALUE " + k(b"p1") + b" 0 2\r\np1\r\nVALUE " + k(b"p2") + b" 0 2\r\np2\r\nEND\r\n"
         b"DELETED\r\n"),
        ("pieces", b"set " + k(b"cut") + b" 3 0 10\r\n0123456789\r\nget " + k(b"cut") + b"\r\n",
         b"STORED\r\nVALUE " + k(b"cut") + b" 3 10\r\n0123456789\r\nEND\r\n"),
        (b"bogus_command\r\n", b"ERROR\r\n"),
    ]


class Conn:
    def __init__(self, addr, port, deadline):
        self.deadline = deadline
        self.s = socket.create_connection((addr, port), timeout=max(deadline - time.monotonic(), 1))
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def read_until(self, done):
        """Reads until done(buffer) says the reply is whole; returns it."""
        while not done(self.buf):
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timeout with %d reply bytes: %r" % (len(self.buf), self.buf[:120]))
            self.s.settimeout(left)
            part = self.s.recv(65536)
            if not part:
                raise ConnectionError("closed by the server after %r" % self.buf[:120])
            self.buf += part
        out, self.buf = self.buf, b""
        return out


def run(addr, port, timeout):
    c = Conn(addr, port, time.monotonic() + timeout)
    count = total = 0
    unique = None
    for step in script():
        if step[0] == "cas":
            k = PREFIX + b":b"
            stale = str(int(unique) + 1000).encode()
            tries = [(b"cas " + k + b" 9 0 3 " + stale + b"\r\nabc\r\n", b"EXISTS\r\n"),
                     (b"cas " + k + b" 9 0 3 " + unique + b"\r\nabc\r\n", b"STORED\r\n"),
                     (b"cas " + PREFIX + b":missing 0 0 1 1\r\nz\r\n", b"NOT_FOUND\r\n"),
                     (b"get " + k + b"\r\n", b"VALUE " + k + b" 9 3\r\nabc\r\nEND\r\n")]
        elif step[0] == "pieces":
            tries = [(step[1], step[2], 3)]
        else:
            tries = [step]
        for t in tries:
            sent, want = t[0], t[1]
            if len(t) == 3:  # a few bytes at a time
                for i in range(0, len(sent), t[2]):
                    c.s.sendall(sent[i:i + t[2]])
                    time.sleep(0.002)
            else:
                c.s.sendall(sent)
            if isinstance(want, bytes):
                got = c.read_until(lambda b, n=len(want): len(b) >= n)
                ok = got == want
            else:
                got = c.read_until(lambda b: b.endswith(b"END\r\n") or b.startswith(b"ERROR") or b"_ERROR" in b)
                m = want.fullmatch(got)
                ok = m is not None
                if ok:
                    unique = m.group(1)
            if not ok:
                at = 0
                if isinstance(want, bytes):
                    at = next((j for j in range(min(len(got), len(want))) if got[j] != want[j]), min(len(got), len(want)))
                print("memcached: command %d %r: reply of %d bytes differs at byte %d: %r, expected %r" %
                      (count, sent[:60], len(got), at, got[max(at - 20, 0):at + 60],
                       want[max(at - 20, 0):at + 60] if isinstance(want, bytes) else want.pattern))
                return 1
            count += 1
            total += len(got)
    c.s.sendall(b"quit\r\n")
    c.s.settimeout(max(c.deadline - time.monotonic(), 0.1))
    if c.s.recv(1) != b"":
        print("memcached: bytes after quit")
        return 1
    print("memcached: %d commands, %d reply bytes, all checked" % (count, total))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "text":
        try:
            return run(argv[2], int(argv[3]), float(argv[4]))
        except (OSError, ValueError) as e:
            print("memcached: %s" % e)
            return 1
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
