#!/usr/bin/env python3
"""etc_client.py - a small seeded memcached client with Facebook's ETC mix
(Atikoglu et al., "Workload Analysis of a Large-Scale Key-Value Store",
SIGMETRICS 2012, as encoded by the mutilate load generator), for
traces/capture.sh. Python 3 standard library only; the text protocol.

  key size     GEV(location 30.7984, scale 8.20449, shape 0.078688) bytes
  value size   0..14 bytes from mutilate's discrete table (about 40 % of
               values), above that Generalized Pareto(location 15,
               scale 214.476, shape 0.348238)
  inter-arrival Generalized Pareto(0, 16.0292, 0.154971) microseconds,
               rescaled so that its mean gives --rate requests/s
  GET:SET      30:1
  popularity   Zipf over --keys keys, exponent --zipf

Sampling: Generalized Pareto x = loc + scale*(U^-shape - 1)/shape; GEV
x = loc + scale*(E^-shape - 1)/shape with E exponential(1). A key's size is
drawn once per key (from a generator seeded by the seed and the key's
number), clamped to 1..250 (memcached's limit); values are clamped to
--max-value bytes so that captures stay small (say so when you change it).
A GET that misses is followed by a SET of that key (look-aside caching, as
the paper's clients do). Open loop in one connection: each request is sent
at its scheduled time, or as soon as the previous reply is in when that is
later. Bounded by --requests and --seconds.

usage: etc_client.py --server HOST:PORT [--requests N] [--seconds T]
                     [--rate R] [--keys K] [--zipf S] [--seed N] [--max-value B]
"""
import argparse
import bisect
import math
import random
import socket
import sys
import time

VALUE_TABLE = [0.00536, 0.00047, 0.17820, 0.09239, 0.00018, 0.02740, 0.00065, 0.00606,
               0.00023, 0.00837, 0.00837, 0.08989, 0.00092, 0.00326, 0.01980]


def gev(rng, loc, scale, shape):
    e = rng.expovariate(1.0)
    return loc + scale * (e ** -shape - 1.0) / shape


def gpareto(rng, loc, scale, shape):
    u = 1.0 - rng.random()          # (0, 1]
    return loc + scale * (u ** -shape - 1.0) / shape


def value_size(rng, max_value):
    u = rng.random()
    acc = 0.0
    for size, p in enumerate(VALUE_TABLE):
        acc += p
        if u < acc:
            return size
    return min(max_value, int(gpareto(rng, 15.0, 214.476, 0.348238)))


def key_name(seed, k):
    r = random.Random(seed * 1000003 + k)
    n = int(round(gev(r, 30.7984, 8.20449, 0.078688)))
    n = max(1, min(250, n))
    base = "k%d:" % k
    return (base + "x" * max(0, n - len(base)))[:max(n, len(base))]


class Conn:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=5)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("server closed the connection")
            self.buf += d
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln

    def exact(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("server closed the connection")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def get(self, key):
        self.s.sendall(b"get " + key + b"\r\n")
        hit = False
        while True:
            ln = self.line()
            if ln == b"END":
                return hit
            f = ln.split()
            if not f or f[0] != b"VALUE":
                raise ValueError("unexpected reply %r" % ln)
            self.exact(int(f[3]) + 2)
            hit = True

    def set(self, key, size):
        self.s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, size, b"v" * size))
        ln = self.line()
        if ln != b"STORED":
            raise ValueError("unexpected reply %r" % ln)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--server", required=True)
    ap.add_argument("--requests", type=int, default=500)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--rate", type=float, default=2000.0)
    ap.add_argument("--keys", type=int, default=1000)
    ap.add_argument("--zipf", type=float, default=0.99)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-value", type=int, default=4096)
    a = ap.parse_args()
    host, _, port = a.server.rpartition(":")
    if not host or not port.isdigit() or a.requests < 1 or a.rate <= 0 or a.keys < 1:
        ap.error("bad --server, --requests, --rate or --keys")

    rng = random.Random(a.seed)
    weights = [1.0 / (i + 1) ** a.zipf for i in range(a.keys)]
    total = sum(weights)
    cdf, acc = [], 0.0
    for w in weights:
        acc += w / total
        cdf.append(acc)
    keys = [key_name(a.seed, k).encode() for k in range(a.keys)]
    # Mean of GP(0, s, k) is s / (1 - k); rescale to the target rate.
    gp_mean_us = 16.0292 / (1.0 - 0.154971)
    scale = (1e6 / a.rate) / gp_mean_us

    c = Conn(host, int(port))
    start = time.monotonic()
    due = start
    counts = {"get": 0, "set": 0, "hit": 0, "miss": 0}
    for _ in range(a.requests):
        due += gpareto(rng, 0.0, 16.0292, 0.154971) * scale * 1e-6
        now = time.monotonic()
        if now - start > a.seconds:
            break
        if due > now:
            time.sleep(due - now)
        k = keys[min(a.keys - 1, bisect.bisect_left(cdf, rng.random()))]
        if rng.random() < 30.0 / 31.0:
            counts["get"] += 1
            if c.get(k):
                counts["hit"] += 1
            else:
                counts["miss"] += 1
                c.set(k, value_size(rng, a.max_value))
                counts["set"] += 1
        else:
            c.set(k, value_size(rng, a.max_value))
            counts["set"] += 1
    print("etc_client: %(get)d get (%(hit)d hit, %(miss)d miss), %(set)d set" % counts)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, EOFError, ValueError) as e:
        print("etc_client: %s" % e, file=sys.stderr)
        sys.exit(1)
