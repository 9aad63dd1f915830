#!/bin/sh
# interop.sh - Linux's own TCP against the host build of the stack (dlnet) on
# a TAP device, all inside a private network namespace created here and
# removed on exit: ping, echo both ways (small, larger than the window, and
# across induced loss), HTTP downloads with curl, and a clean SIGTERM stop.
#
# Linux is 10.77.0.1/24 on the TAP device, dlnet 10.77.0.2, both only inside
# the namespace; nothing is sent anywhere else. Every wait is bounded.
# Exit: 0 pass, 1 fail, 77 skipped (says why).
#   BUILD=build sh tests/net/interop.sh
set -u
BUILD=${BUILD:-build}
DLNET=$BUILD/dlnet
CLIENT=$BUILD/net_echo_client
NS=dltest-$$
TAP=dltap0
LINUX_IP=10.77.0.1
STACK_IP=10.77.0.2
WORK=$(mktemp -d /tmp/dlnet-interop-XXXXXX)
PID=""

skip() { echo "interop: SKIP: $*"; rm -rf "$WORK"; exit 77; }
fail() {
  echo "interop: FAIL: $*"
  [ -f "$WORK/dlnet.log" ] && sed 's/^/  dlnet| /' "$WORK/dlnet.log" | tail -40
  exit 1
}

[ "$(id -u)" -eq 0 ] || skip "not root (network namespaces and TAP devices need root)"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) is not installed"
command -v curl >/dev/null 2>&1 || skip "curl is not installed"
[ -x "$DLNET" ] && [ -x "$CLIENT" ] || fail "$DLNET or $CLIENT not built"

ip netns add "$NS" 2>"$WORK/err" || skip "cannot create a network namespace: $(cat "$WORK/err")"

stop_dlnet() {
  if [ -n "$PID" ]; then
    kill -TERM "$PID" 2>/dev/null
    i=0
    while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
    RC=$?
    PID=""
    return $RC
  fi
  return 0
}
cleanup() {
  stop_dlnet
  ip netns del "$NS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

nsx() { ip netns exec "$NS" "$@"; }

nsx ip link set lo up || fail "lo up"
nsx ip tuntap add dev "$TAP" mode tap || fail "cannot create TAP device $TAP"
nsx ip addr add "$LINUX_IP/24" dev "$TAP" || fail "address"
nsx ip link set "$TAP" up || fail "link up"

start_dlnet() { # app [extra options]
  ip netns exec "$NS" "$DLNET" --tap "$TAP" --ip "$STACK_IP/24" --app "$@" >"$WORK/dlnet.log" 2>&1 &
  PID=$!
  sleep 0.3
  kill -0 "$PID" 2>/dev/null || fail "dlnet did not start"
}

echo_test() { # bytes timeout label
  nsx "$CLIENT" "$STACK_IP" 7 "$1" "$2" >"$WORK/client.log" 2>&1 ||
    { cat "$WORK/client.log"; fail "echo of $1 bytes ($3)"; }
  echo "interop: ok: echo $1 bytes both ways ($3)"
}

http_test() { # bytes label
  nsx curl -s -S --max-time 60 -o "$WORK/body" "http://$STACK_IP/$1" 2>"$WORK/curl.err" ||
    fail "curl of $1 bytes ($2): $(cat "$WORK/curl.err")"
  size=$(wc -c <"$WORK/body")
  [ "$size" -eq "$1" ] || fail "curl got $size of $1 bytes ($2)"
  yes 0123456789 | tr -d '\n' | head -c "$1" | cmp -s - "$WORK/body" || fail "curl body differs ($2)"
  echo "interop: ok: HTTP GET of $1 bytes ($2)"
}

# 1. Echo: ICMP, small, larger than the window (32 KiB), several at once.
start_dlnet echo
if command -v ping >/dev/null 2>&1; then
  nsx ping -c 2 -W 2 "$STACK_IP" >"$WORK/ping" 2>&1 || fail "ping: $(cat "$WORK/ping")"
  echo "interop: ok: ping"
fi
echo_test 1000 20 "one segment"
echo_test 4000000 60 "larger than the window"
for i in 1 2 3 4; do ip netns exec "$NS" "$CLIENT" "$STACK_IP" 7 300000 60 >"$WORK/c$i.log" 2>&1 & eval "C$i=\$!"; done
for i in 1 2 3 4; do eval "wait \$C$i" || { cat "$WORK/c$i.log"; fail "parallel echo $i"; }; done
echo "interop: ok: 4 parallel echo connections"
stop_dlnet || fail "dlnet did not exit 0 on SIGTERM"
grep -q "stopped" "$WORK/dlnet.log" || fail "dlnet did not report its stop"
echo "interop: ok: SIGTERM stops dlnet cleanly"

# 2. HTTP with curl.
start_dlnet http
nsx curl -s -S --max-time 20 "http://$STACK_IP/" >"$WORK/page" 2>&1 || fail "curl /: $(cat "$WORK/page")"
grep -q dlnet "$WORK/page" || fail "unexpected page: $(cat "$WORK/page")"
echo "interop: ok: HTTP GET /"
http_test 3000000 "larger than the window"
stop_dlnet || fail "dlnet (http) did not exit 0"

# 3. Across induced loss: every 13th (11th) frame dropped in the TAP glue,
# in both directions. Heavier loss works too but slowly (every 7th: about
# 20 s per megabyte echoed, mostly Linux's RTOs).
start_dlnet echo --drop-every 13
echo_test 1000000 60 "every 13th frame dropped"
stop_dlnet || fail "dlnet (loss) did not exit 0"
grep -q "tcp_rto\|tcp_fast_rexmit" "$WORK/dlnet.log" || fail "no retransmission counted under loss"
start_dlnet http --drop-every 11
http_test 500000 "every 11th frame dropped"
stop_dlnet || fail "dlnet (http, loss) did not exit 0"

echo "interop: PASS"
exit 0
