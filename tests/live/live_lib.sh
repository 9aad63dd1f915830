# live_lib.sh - helpers for live tests (sourced by tests/live/*.sh): a private
# network namespace with a TAP device in it (Linux LIVE_LINUX_IP/24 on it, the
# chip LIVE_CHIP_IP), dlsim started in it on that TAP, waiting until the chip
# serves a TCP port, a bounded stop by SIGTERM, and removal of everything on
# exit (also on failure). Addresses exist only inside the namespace.
#
#   . tests/live/live_lib.sh
#   live_init echo                      # skips (exit 77) when not root, no tun, no ip, no python3
#   live_start tests/dlibos/echo_2x2.ini --set clients.hosts_per_port=0
#   live_wait_ready 7 60 || live_fail "the echo does not answer"
#   live_nsx python3 tests/live/live_client.py echo "$LIVE_CHIP_IP" 7 2 8 60 || live_fail "echo"
#   live_stop || live_fail "dlsim did not exit 0 on SIGTERM"
#   live_pass
#
# An httpd or memcached test needs only its own lines between live_start and
# live_stop (curl, ab, wrk, memcp, memcat run with live_nsx). dlsim's outputs
# are in $LIVE_OUT, what it printed in $LIVE_WORK/dlsim.log.
BUILD=${BUILD:-build}
DLSIM=${DLSIM:-$BUILD/dlsim}
LIVE_TAP=dltap0
LIVE_LINUX_IP=10.79.0.2
LIVE_CHIP_IP=10.79.0.1
LIVE_PID=""
LIVE_NS=""
LIVE_WORK=""

live_log() { echo "live-$LIVE_NAME: $*"; }
live_skip() { echo "live-$LIVE_NAME: SKIP: $*"; exit 77; }
live_fail() {
  echo "live-$LIVE_NAME: FAIL: $*"
  [ -f "$LIVE_WORK/dlsim.log" ] && sed 's/^/  dlsim| /' "$LIVE_WORK/dlsim.log" | tail -40
  exit 1
}
live_pass() { echo "live-$LIVE_NAME: PASS"; exit 0; }

# Runs a command inside the namespace.
live_nsx() { ip netns exec "$LIVE_NS" "$@"; }

# live_init NAME: checks what the test needs (else skips), creates the
# namespace and the TAP device (persistent, Linux's address on it, up), and
# arranges for their removal on exit.
live_init() {
  LIVE_NAME=$1
  [ "$(id -u)" -eq 0 ] || live_skip "not root (network namespaces and TAP devices need root)"
  [ -c /dev/net/tun ] || live_skip "/dev/net/tun is missing"
  command -v ip >/dev/null 2>&1 || live_skip "ip (iproute2) is not installed"
  command -v python3 >/dev/null 2>&1 || live_skip "python3 is not installed"
  [ -x "$DLSIM" ] || live_fail "$DLSIM is not built"
  LIVE_WORK=$(mktemp -d "/tmp/dlsim-live-$LIVE_NAME-XXXXXX")
  LIVE_OUT=$LIVE_WORK/out
  LIVE_NS=dllive-$LIVE_NAME-$$
  trap live_cleanup EXIT
  trap 'exit 1' INT TERM
  ip netns add "$LIVE_NS" 2>"$LIVE_WORK/err" || { LIVE_NS=""; live_skip "cannot create a network namespace: $(cat "$LIVE_WORK/err")"; }
  live_nsx ip link set lo up || live_fail "lo up"
  live_nsx ip tuntap add dev "$LIVE_TAP" mode tap || live_fail "cannot create TAP device $LIVE_TAP"
  # no IPv6 chatter (router solicitations, MLD) on the chip's port
  live_nsx sh -c "echo 1 >/proc/sys/net/ipv6/conf/$LIVE_TAP/disable_ipv6" 2>/dev/null
  live_nsx ip addr add "$LIVE_LINUX_IP/24" dev "$LIVE_TAP" || live_fail "address"
  live_nsx ip link set "$LIVE_TAP" up || live_fail "link up"
}

# live_start CONFIG [dlsim options...]: dlsim on the TAP device, in the
# background, outputs in $LIVE_OUT.
live_start() {
  cfg=$1
  shift
  ip netns exec "$LIVE_NS" "$DLSIM" -c "$cfg" --tap "$LIVE_TAP" --set net.address="$LIVE_CHIP_IP/24" \
    -o "$LIVE_OUT" "$@" >"$LIVE_WORK/dlsim.log" 2>&1 &
  LIVE_PID=$!
}

# live_wait_ready PORT TIMEOUT_S: until the chip accepts a TCP connection on
# PORT (it has booted and answers ARP); 1 when it does not in time or dlsim
# ended.
live_wait_ready() {
  kill -0 "$LIVE_PID" 2>/dev/null || return 1
  live_nsx python3 tests/live/live_client.py ready "$LIVE_CHIP_IP" "$1" "$2" || return 1
  kill -0 "$LIVE_PID" 2>/dev/null
}

# live_wait_exit TIMEOUT_S: waits for dlsim to end by itself; its exit status,
# or 124 (killed) when it has not ended in time.
live_wait_exit() {
  i=0
  while kill -0 "$LIVE_PID" 2>/dev/null && [ $i -lt $(($1 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 "$LIVE_PID" 2>/dev/null; then
    kill -KILL "$LIVE_PID" 2>/dev/null
    wait "$LIVE_PID" 2>/dev/null
    LIVE_PID=""
    return 124
  fi
  wait "$LIVE_PID"
  rc=$?
  LIVE_PID=""
  return $rc
}

# live_stop [SIGNAL]: SIGTERM (or SIGNAL) to dlsim, at most 30 s to end;
# dlsim's exit status (124 when it had to be killed).
live_stop() {
  [ -n "$LIVE_PID" ] || return 0
  kill -"${1:-TERM}" "$LIVE_PID" 2>/dev/null
  live_wait_exit 30
}

live_cleanup() {
  if [ -n "$LIVE_PID" ]; then
    kill -KILL "$LIVE_PID" 2>/dev/null
    wait "$LIVE_PID" 2>/dev/null
  fi
  [ -n "$LIVE_NS" ] && ip netns del "$LIVE_NS" 2>/dev/null
  [ -n "$LIVE_WORK" ] && rm -rf "$LIVE_WORK"
}
