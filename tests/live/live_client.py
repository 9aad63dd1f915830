#!/usr/bin/env python3
"""live_client.py - small bounded socket clients for the live tests (run
inside the test's network namespace against the simulated chip):

  live_client.py ready ADDR PORT TIMEOUT_S
      connects until a TCP connection to ADDR:PORT is accepted (the chip has
      booted and its stack tile answers ARP); exit 0, or 1 at the timeout.
  live_client.py echo ADDR PORT CONNS MSGS TIMEOUT_S
      CONNS connections one after the other, each sending MSGS messages (sizes
      1, 64, 700, 1460, 3000, ...) and reading each echo back whole before the
      next; every byte is checked. Each message starts with a marker
      "dlsim-live-cC-mM." so that the exchange can be found in wire.pcap.
      Prints "echo: N messages, B bytes, all checked"; exit 0, or 1 (says why).
"""
import socket
import sys
import time

SIZES = [1, 64, 700, 1460, 3000, 200, 9000, 33]


def message(conn, i):
    size = SIZES[i % len(SIZES)]
    head = ("dlsim-live-c%d-m%d." % (conn, i)).encode()
    body = bytes((conn * 7 + i * 13 + k) % 251 for k in range(max(size, len(head))))
    return (head + body[len(head):])[:max(size, len(head))]


def ready(addr, port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((addr, port), timeout=2):
                return 0
        except OSError:
            time.sleep(0.2)
    print("ready: no TCP connection to %s:%d within %g s" % (addr, port, timeout))
    return 1


def echo(addr, port, conns, msgs, timeout):
    deadline = time.monotonic() + timeout
    total = count = 0
    for c in range(conns):
        s = socket.create_connection((addr, port), timeout=max(deadline - time.monotonic(), 1))
        for i in range(msgs):
            m = message(c, i)
            s.sendall(m)
            got = b""
            while len(got) < len(m):
                left = deadline - time.monotonic()
                if left <= 0:
                    print("echo: timeout: connection %d message %d: %d of %d bytes back" % (c, i, len(got), len(m)))
                    return 1
                s.settimeout(left)
                part = s.recv(len(m) - len(got))
                if not part:
                    print("echo: connection %d closed by the chip at message %d" % (c, i))
                    return 1
                got += part
            if got != m:
                k = next(j for j in range(len(m)) if got[j] != m[j])
                print("echo: connection %d message %d differs at byte %d" % (c, i, k))
                return 1
            total += len(m)
            count += 1
        s.shutdown(socket.SHUT_WR)
        s.settimeout(max(deadline - time.monotonic(), 0.1))
        if s.recv(1) != b"":
            print("echo: connection %d: bytes after the last echo" % c)
            return 1
        s.close()
    print("echo: %d messages, %d bytes, all checked" % (count, total))
    return 0


def main(argv):
    try:
        if len(argv) == 5 and argv[1] == "ready":
            return ready(argv[2], int(argv[3]), float(argv[4]))
        if len(argv) == 7 and argv[1] == "echo":
            return echo(argv[2], int(argv[3]), int(argv[4]), int(argv[5]), float(argv[6]))
    except OSError as e:
        print("%s: %s" % (argv[1], e))
        return 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
