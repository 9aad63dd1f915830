#!/bin/sh
# capture.sh - captures real client/server traffic with Debian's tools, for
# dltrace, dlcompare and replay: nginx (nginx-light) served to wrk and to ab,
# memcached served to libmemcached's memslap (memcslap) and to the seeded
# Python ETC client (traces/etc_client.py). Everything runs in a pair of
# network namespaces joined by a veth pair that this script creates and
# removes on exit (trap); no traffic leaves them. tcpdump captures on the
# server's side of the veth, nanosecond timestamps, full frames.
# Each client is bounded in requests and in time.
#
# usage: sudo sh traces/capture.sh [OUTDIR]      (default: traces)
# Writes OUTDIR/http_wrk.pcap, http_ab.pcap, memcached_memslap.pcap,
# memcached_etc.pcap. Needs root and the packages
#   nginx-light memcached wrk apache2-utils libmemcached-tools tcpdump python3 iproute2 ethtool
# Tunables (environment): WRK_REQUESTS (200), AB_REQUESTS (50),
# MEMSLAP_EXECUTE (100), ETC_REQUESTS (400), ETC_RATE (2000), SEED (1).
set -eu

OUT=${1:-traces}
HERE=$(cd "$(dirname "$0")" && pwd)
WRK_REQUESTS=${WRK_REQUESTS:-200}
AB_REQUESTS=${AB_REQUESTS:-50}
MEMSLAP_EXECUTE=${MEMSLAP_EXECUTE:-100}
ETC_REQUESTS=${ETC_REQUESTS:-400}
ETC_RATE=${ETC_RATE:-2000}
SEED=${SEED:-1}

die() { echo "capture.sh: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, tcpdump)"
for t in ip ethtool tcpdump nginx memcached wrk ab memcslap python3 timeout; do
  command -v "$t" >/dev/null 2>&1 || die "'$t' is missing (apt-get install nginx-light memcached wrk apache2-utils libmemcached-tools tcpdump python3 iproute2 ethtool)"
done
mkdir -p "$OUT" || die "cannot create '$OUT'"
OUT=$(cd "$OUT" && pwd)

SRV=dlcap-srv-$$
CLI=dlcap-cli-$$
SIP=10.77.0.1
CIP=10.77.0.2
TMP=$(mktemp -d /tmp/dlcap.XXXXXX)
PIDS=""

cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  for p in $PIDS; do wait "$p" 2>/dev/null || true; done
  ip netns del "$SRV" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$SRV"
ip netns add "$CLI"
ip link add vcap-s netns "$SRV" type veth peer name vcap-c netns "$CLI"
ip -n "$SRV" addr add $SIP/24 dev vcap-s
ip -n "$CLI" addr add $CIP/24 dev vcap-c
for ns in "$SRV" "$CLI"; do ip -n "$ns" link set lo up; done
ip -n "$SRV" link set vcap-s up
ip -n "$CLI" link set vcap-c up
# Frames as a NIC would see them: no segmentation or checksum offloads.
for pair in "$SRV vcap-s" "$CLI vcap-c"; do
  set -- $pair
  ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null || die "ethtool -K $2 failed"
done

# Starts a background command, remembering its pid.
bg() { "$@" & PIDS="$PIDS $!"; LAST=$!; }
# Stops one background command started by bg.
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Waits until the server answers on PORT (up to 5 s).
wait_port() {
  i=0
  until ip netns exec "$CLI" python3 -c "import socket;socket.create_connection(('$SIP',$1),timeout=0.2)" 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 50 ] || die "the server on port $1 did not start"
    sleep 0.1
  done
}

# capture NAME FILTER: starts tcpdump into OUT/NAME.pcap.
capture() {
  bg ip netns exec "$SRV" tcpdump -q -i vcap-s -s 0 -U -n --immediate-mode --time-stamp-precision=nano -w "$OUT/$1.pcap" "$2" 2>"$TMP/$1.tcpdump"
  CAP=$LAST
  sleep 1   # tcpdump needs a moment to open the interface
}
endcapture() { sleep 1; stop "$CAP"; echo "capture.sh: $OUT/$1.pcap: $(grep -h 'captured' "$TMP/$1.tcpdump" || true)" >&2; }

# --- nginx ---------------------------------------------------------------
mkdir -p "$TMP/www" "$TMP/nginx"
python3 - "$TMP/www" <<'EOF'
import sys
for name, size in (("1k.html", 1024), ("4k.html", 4096), ("16k.html", 16384)):
    with open(sys.argv[1] + "/" + name, "w") as f:
        f.write(("<p>" + name + "</p>\n" + "abcdefghijklmnopqrstuvwxyz0123456789\n" * size)[:size])
EOF
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 1;
user root;
pid $TMP/nginx/pid;
error_log $TMP/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  keepalive_requests 100000;
  client_body_temp_path $TMP/nginx;
  proxy_temp_path $TMP/nginx;
  server { listen $SIP:80; root $TMP/www; }
}
EOF
bg ip netns exec "$SRV" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;'
NGINX=$LAST
wait_port 80

cat >"$TMP/wrk.lua" <<EOF
-- Cycles through the three documents; stops after $WRK_REQUESTS responses.
local paths = { "/1k.html", "/4k.html", "/16k.html" }
local i, n = 0, 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i - 1) % #paths + 1])
end
response = function(status, headers, body)
  n = n + 1
  if n >= $WRK_REQUESTS then wrk.thread:stop() end
end
EOF
capture http_wrk "tcp port 80"
ip netns exec "$CLI" timeout 20 wrk -t1 -c2 -d5s -s "$TMP/wrk.lua" "http://$SIP/" >"$TMP/wrk.out" 2>&1 || die "wrk failed: $(cat "$TMP/wrk.out")"
endcapture http_wrk

capture http_ab "tcp port 80"
ip netns exec "$CLI" timeout 20 ab -q -n "$AB_REQUESTS" -c 2 "http://$SIP/4k.html" >"$TMP/ab.out" 2>&1 || die "ab failed: $(cat "$TMP/ab.out")"
endcapture http_ab
stop "$NGINX"

# --- memcached -----------------------------------------------------------
bg ip netns exec "$SRV" memcached -u root -l $SIP -p 11211 -U 0 -t 1 -m 64
MEMCACHED=$LAST
wait_port 11211

capture memcached_memslap "tcp port 11211"
ip netns exec "$CLI" timeout 20 memcslap --servers=$SIP:11211 --concurrency=2 --execute-number="$MEMSLAP_EXECUTE" --test=get >"$TMP/memslap.out" 2>&1 || die "memslap failed: $(cat "$TMP/memslap.out")"
endcapture memcached_memslap

capture memcached_etc "tcp port 11211"
ip netns exec "$CLI" timeout 20 python3 "$HERE/etc_client.py" --server $SIP:11211 --requests "$ETC_REQUESTS" --rate "$ETC_RATE" --seconds 10 --seed "$SEED" >"$TMP/etc.out" 2>&1 || die "etc_client failed: $(cat "$TMP/etc.out")"
endcapture memcached_etc
stop "$MEMCACHED"
cat "$TMP/etc.out" >&2
echo "capture.sh: done ($(date -u +%Y-%m-%d), nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), memcached $(memcached -V | cut -d' ' -f2))" >&2
