#!/bin/sh
# echo_live.sh - live mode against Linux's TCP: the DLibOS echo
# (tests/dlibos/echo_2x2.ini, client hosts off) on a TAP device in a private
# network namespace (tests/live/live_lib.sh), a Python socket client
# exchanging messages with it on port 7 (every byte checked), a clean stop on
# SIGTERM with stats.json and wire.pcap written (the exchange in it), a run
# ended by run.time_us alone, and the errors that need root to provoke (no
# CAP_NET_ADMIN, no /dev/net/tun, an interface that is not a TAP, a TAP in use),
# and a TAP device created for the run when absent.
# Exit: 0 pass, 1 fail, 77 skipped (says why).   BUILD=build sh tests/live/echo_live.sh
set -u
. tests/live/live_lib.sh
live_init echo
CFG=tests/dlibos/echo_2x2.ini
NOCLIENTS="--set clients.hosts_per_port=0"

check() { # PYTHON-EXPRESSION... on stats.json as j (and wire.pcap's bytes as w): each must hold
  python3 - "$LIVE_OUT" "$@" <<'PY'
import json, sys
j = json.load(open(sys.argv[1] + "/stats.json"))
w = open(sys.argv[1] + "/wire.pcap", "rb").read()
bad = [e for e in sys.argv[2:] if not eval(e)]
print("\n".join("does not hold: " + e for e in bad))
sys.exit(1 if bad else 0)
PY
}

# 1. The echo, every byte checked, then SIGTERM.
# shellcheck disable=SC2086
live_start "$CFG" $NOCLIENTS
live_wait_ready 7 60 || live_fail "the echo on the chip does not accept connections"
live_nsx python3 tests/live/live_client.py echo "$LIVE_CHIP_IP" 7 2 8 120 >"$LIVE_WORK/client.log" 2>&1 ||
  live_fail "echo client: $(cat "$LIVE_WORK/client.log")"
live_log "ok: $(cat "$LIVE_WORK/client.log")"
live_stop TERM || live_fail "dlsim did not exit 0 on SIGTERM (status $?)"
grep -q "ended by SIGTERM" "$LIVE_WORK/dlsim.log" || live_fail "the summary does not say SIGTERM ended the run"
grep -q "live        behind wall time by" "$LIVE_WORK/dlsim.log" || live_fail "the summary does not say how far behind"
check "j['results']['run']['end'] == 'signal'" "j['config']['live'] == {'tap': '$LIVE_TAP', 'port': 0}" \
  "j['results']['live']['signal'] == 'SIGTERM'" \
  "j['results']['live']['frames_from_linux'] > 10 and j['results']['live']['frames_to_linux'] > 10" \
  "j['results']['live']['frames_from_linux'] == j['results']['ports'][0]['rx_frames']" \
  "j['results']['live']['frames_to_linux'] == j['results']['ports'][0]['tx_frames']" \
  "j['host']['live']['behind_max_us'] >= j['host']['live']['behind_end_us'] >= 0" \
  "all(w.count(b'dlsim-live-c%d-m%d.' % (c, m)) >= 2 for c in range(2) for m in range(8))" \
  >"$LIVE_WORK/check.log" || live_fail "stats.json / wire.pcap: $(cat "$LIVE_WORK/check.log")"
# (the last: every message crossed the wire both ways, into the chip and back)
grep -q " 0 rx " "$LIVE_OUT/wire.txt" && grep -q " 0 tx " "$LIVE_OUT/wire.txt" || live_fail "wire.txt lacks a direction"
live_log "ok: SIGTERM ends the run with stats.json and wire.pcap (the exchange in it)"

# 2. run.time_us ends a live run by itself (not before that much wall time).
t0=$(date +%s.%N)
# shellcheck disable=SC2086
live_start "$CFG" $NOCLIENTS --set run.time_us=1500000
live_wait_exit 60 || live_fail "dlsim bounded by run.time_us did not exit 0 (status $?)"
t1=$(date +%s.%N)
grep -q "ended by run.time_us" "$LIVE_WORK/dlsim.log" || live_fail "the summary does not say run.time_us ended it"
check "j['results']['run']['end'] == 'bound'" "$t1 - $t0 >= 1.5" "j['host']['live']['slept_seconds'] > 0.5" \
  >"$LIVE_WORK/check.log" || live_fail "run.time_us: $(cat "$LIVE_WORK/check.log") (1.5 s simulated, idle, paced)"
live_log "ok: run.time_us ends a live run, paced to wall time, the host asleep while idle"

# 3. SIGINT ends it too.
# shellcheck disable=SC2086
live_start "$CFG" $NOCLIENTS
live_wait_ready 7 60 || live_fail "the echo on the chip does not accept connections (SIGINT run)"
live_stop INT || live_fail "dlsim did not exit 0 on SIGINT (status $?)"
grep -q "ended by SIGINT" "$LIVE_WORK/dlsim.log" || live_fail "the summary does not say SIGINT ended the run"
live_log "ok: SIGINT ends the run"

# 4. Errors that need root to provoke, each exit 2 with its message.
expect_error() { # label text command...
  label=$1 text=$2
  shift 2
  "$@" >"$LIVE_WORK/err.log" 2>&1
  rc=$?
  [ $rc -eq 2 ] || { cat "$LIVE_WORK/err.log"; live_fail "$label: exit $rc, expected 2"; }
  grep -q "$text" "$LIVE_WORK/err.log" || { cat "$LIVE_WORK/err.log"; live_fail "$label: no '$text'"; }
  live_log "ok: $label: exit 2, '$text'"
}
BOUND="--set run.time_us=1000"   # should one of them run after all, it ends at once
if live_nsx setpriv --inh-caps -net_admin --bounding-set -net_admin true 2>/dev/null; then
  # shellcheck disable=SC2086
  expect_error "without CAP_NET_ADMIN" "needs root for the TAP device" live_nsx setpriv --inh-caps -net_admin \
    --bounding-set -net_admin "$DLSIM" -c $CFG $NOCLIENTS $BOUND --tap dlnew0 -o "$LIVE_WORK/e1"
else
  live_log "not checked: without CAP_NET_ADMIN (setpriv cannot drop it here)"
fi
if live_nsx unshare -m true 2>/dev/null; then
  # shellcheck disable=SC2086
  expect_error "without /dev/net/tun" "/dev/net/tun: No such file" live_nsx unshare -m sh -c \
    "mount -t tmpfs tmpfs /dev/net && exec $DLSIM -c $CFG $NOCLIENTS $BOUND --tap dlnew0 -o $LIVE_WORK/e2"
else
  live_log "not checked: without /dev/net/tun (unshare -m does not work here)"
fi
# shellcheck disable=SC2086
expect_error "not a TAP device" "exists and is not a TAP device" live_nsx "$DLSIM" -c $CFG $NOCLIENTS $BOUND \
  --tap lo -o "$LIVE_WORK/e3"
# shellcheck disable=SC2086
live_start "$CFG" $NOCLIENTS
live_wait_ready 7 60 || live_fail "the echo on the chip does not accept connections (TAP in use)"
# shellcheck disable=SC2086
expect_error "TAP in use" "in use by another program" live_nsx "$DLSIM" -c $CFG $NOCLIENTS $BOUND \
  --tap "$LIVE_TAP" -o "$LIVE_WORK/e4"
live_stop || live_fail "dlsim did not exit 0 on SIGTERM"

# 5. A TAP device that does not exist is created for the run, up, and gone after it.
# shellcheck disable=SC2086
ip netns exec "$LIVE_NS" "$DLSIM" -c $CFG $NOCLIENTS --tap dlnew0 --set run.time_us=3000000 -o "$LIVE_OUT" \
  >"$LIVE_WORK/dlsim.log" 2>&1 &
LIVE_PID=$!
i=0
until live_nsx ip link show dlnew0 >"$LIVE_WORK/link" 2>&1 || [ $i -ge 50 ] || ! kill -0 $LIVE_PID 2>/dev/null; do
  sleep 0.1
  i=$((i + 1))
done
live_nsx ip link show dlnew0 >"$LIVE_WORK/link" 2>&1 || live_fail "dlnew0 was not created: $(cat "$LIVE_WORK/link")"
grep -q "[<,]UP[,>]" "$LIVE_WORK/link" || live_fail "dlnew0 is not up: $(cat "$LIVE_WORK/link")"
live_wait_exit 30 || live_fail "dlsim on a created TAP device did not exit 0"
live_nsx ip link show dlnew0 >/dev/null 2>&1 && live_fail "dlnew0 outlived dlsim"
check "j['host']['live']['created_device'] is True" >"$LIVE_WORK/check.log" ||
  live_fail "created TAP: $(cat "$LIVE_WORK/check.log")"
live_log "ok: an absent TAP device is created for the run, up, and removed after it"
live_pass
