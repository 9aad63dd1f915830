#!/bin/sh
# memcached_live.sh - live mode with real memcached clients: the DLibOS
# memcached (tests/memcached/dlibos_2x2.ini, client hosts off) on a TAP device
# in a private network namespace (tests/live/live_lib.sh): a Python socket
# client's text commands, every reply checked byte for byte
# (tests/live/memcached_check.py); libmemcached's memcp and memcat (Debian:
# memccp, memccat) store files of 1 byte to 500 KB as keys and read them
# back, each compared with its file, with flags, add on a present key and
# a missing key refused; memslap (memcslap) sets, gets and multi-gets 800
# keys from two threads (400 in one get line) without an error; then the baseline
# deployment (tests/memcached/baseline_2x2.ini) stores and reads files once.
# The clients' own timeouts suffice (the chip answers in a few ms of wall
# time); each runs under timeout(1) so that a stuck chip fails in bounded time.
# Exit: 0 pass, 1 fail, 77 skipped (says why).   BUILD=build sh tests/live/memcached_live.sh
set -u
. tests/live/live_lib.sh
live_init memcached
for tool in memccp memccat memcslap; do
  command -v $tool >/dev/null 2>&1 || live_skip "$tool is not installed (libmemcached-tools; make deps)"
done
SERVER=$LIVE_CHIP_IP:11211
FILES=$LIVE_WORK/files
mkdir -p "$FILES" "$LIVE_WORK/got"
# Files named as their keys, of several sizes, contents from their name.
for spec in one:1 small:100 kilo:1000 ten-k:10000 hundred-k:100000 half-m:500000; do
  python3 -c "import sys; n, size = sys.argv[1], int(sys.argv[2]); \
sys.stdout.buffer.write(bytes((len(n) * 17 + i * 31 + i // 251) % 256 for i in range(size)))" \
    "${spec%%:*}" "${spec#*:}" >"$FILES/${spec%%:*}"
done
KEYS="one small kilo ten-k hundred-k half-m"

mc() { # TOOL ARGS...: a libmemcached tool in the namespace, bounded
  tool=$1
  shift
  timeout 60 ip netns exec "$LIVE_NS" "$tool" -s "$SERVER" "$@"
}

# memcp the files, memcat each back into a file: byte for byte the same.
copy_and_read() {
  (cd "$FILES" && mc memccp $KEYS) >"$LIVE_WORK/cp.log" 2>&1 || live_fail "memcp: $(cat "$LIVE_WORK/cp.log")"
  for key in $KEYS; do
    rm -f "$LIVE_WORK/got/$key"
    mc memccat -f "$LIVE_WORK/got/$key" "$key" >"$LIVE_WORK/cat.log" 2>&1 ||
      live_fail "memcat $key: $(cat "$LIVE_WORK/cat.log")"
    cmp "$FILES/$key" "$LIVE_WORK/got/$key" >"$LIVE_WORK/cmp.log" 2>&1 ||
      live_fail "memcat $key: not what memcp stored: $(cat "$LIVE_WORK/cmp.log")"
  done
  live_log "ok: memcp stored $(echo $KEYS | wc -w) files (1 byte to 500 KB), memcat read each back the same"
}

# 1. DLibOS.
live_start tests/memcached/dlibos_2x2.ini --set clients.hosts_per_port=0
live_wait_ready 11211 60 || live_fail "memcached on the chip does not accept connections"
live_nsx python3 tests/live/memcached_check.py text "$LIVE_CHIP_IP" 11211 60 >"$LIVE_WORK/text.log" 2>&1 ||
  live_fail "$(cat "$LIVE_WORK/text.log")"
live_log "ok: $(cat "$LIVE_WORK/text.log")"
copy_and_read
# several keys at once: memcat writes each value and a newline
mc memccat one small kilo >"$LIVE_WORK/multi" 2>"$LIVE_WORK/cat.log" || live_fail "memcat of 3 keys: $(cat "$LIVE_WORK/cat.log")"
{ cat "$FILES/one"; echo; cat "$FILES/small"; echo; cat "$FILES/kilo"; echo; } | cmp - "$LIVE_WORK/multi" ||
  live_fail "memcat of 3 keys: not the 3 values"
# flags kept, add of a present key and a missing key refused
(cd "$FILES" && mc memccp -F 1234 small) >"$LIVE_WORK/cp.log" 2>&1 || live_fail "memcp -F: $(cat "$LIVE_WORK/cp.log")"
mc memccat -F small >"$LIVE_WORK/flags" 2>&1 || live_fail "memcat -F: $(cat "$LIVE_WORK/flags")"
[ "$(head -n 1 "$LIVE_WORK/flags")" = 1234 ] || live_fail "memcat -F: flags $(head -n 1 "$LIVE_WORK/flags"), expected 1234"
(cd "$FILES" && mc memccp -A kilo) >"$LIVE_WORK/cp.log" 2>&1 && live_fail "memcp -A of a present key succeeded"
grep -q "NOT STORED" "$LIVE_WORK/cp.log" || live_fail "memcp -A of a present key: $(cat "$LIVE_WORK/cp.log")"
mc memccat -v no-such-key >"$LIVE_WORK/cat.log" 2>&1 && live_fail "memcat of a missing key succeeded"
grep -q "NOT FOUND" "$LIVE_WORK/cat.log" || live_fail "memcat of a missing key: $(cat "$LIVE_WORK/cat.log")"
live_log "ok: memcat of 3 keys, flags (memcp -F), add of a present key and a missing key refused"
# memslap: set, then get and multi-get (each loads its keys first), 2
# threads, 400 keys: memslap's mget asks all its keys in one get line, ~40
# bytes a key (random lengths): ~16 KB, twice the firmware's line buffer,
# whose keys it answers as they come (stack/apps/memcached/README.md;
# memcached takes get lines of any length; 200 keys are ~8.1 KB).
for t in set get mget; do
  mc memcslap -t $t -c 2 -e 400 >"$LIVE_WORK/slap" 2>"$LIVE_WORK/slap.err" || live_fail "memslap -t $t exited $?"
  [ ! -s "$LIVE_WORK/slap.err" ] || live_fail "memslap -t $t: $(head -5 "$LIVE_WORK/slap.err")"
  want="Time to $t *800 keys by *2 threads"
  grep -q "$want" "$LIVE_WORK/slap" || live_fail "memslap -t $t: no '$want' in: $(cat "$LIVE_WORK/slap")"
  [ $t = set ] || grep -q "Time to set *400 keys:" "$LIVE_WORK/slap" ||
    live_fail "memslap -t $t: it did not load its 400 keys: $(cat "$LIVE_WORK/slap")"
done
live_log "ok: memslap set, get and mget of 800 keys over 2 threads, no error"
live_stop || live_fail "dlsim did not exit 0 on SIGTERM (status $?)"
live_check_stats
live_log "ok: dlibos: dlsim ended cleanly on SIGTERM, nothing lost"

# 2. The baseline deployment: memcp and memcat.
live_start tests/memcached/baseline_2x2.ini --set clients.hosts_per_port=0
live_wait_ready 11211 60 || live_fail "the baseline memcached on the chip does not accept connections"
copy_and_read
live_stop || live_fail "dlsim did not exit 0 on SIGTERM (status $?)"
live_check_stats
live_log "ok: baseline: dlsim ended cleanly on SIGTERM, nothing lost"
live_pass
