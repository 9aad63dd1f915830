#!/bin/sh
# bench_net.sh - make bench-net: RV64 instructions per request on the ISS
# (build/fw/net_bench.elf under dlsim --elf), host ns per request natively,
# then host instructions per request counted by callgrind (when valgrind is
# there): the whole round trip (client and server stacks) and the server
# stack's input path alone; each for the copy API and the zero-copy API.
#   BUILD=build sh tests/net/bench_net.sh
set -eu
BUILD=${BUILD:-build}
DLSIM=${DLSIM:-$BUILD/dlsim}
BENCH=$BUILD/net_bench
ISS=$("$DLSIM" --elf "$BUILD/fw/net_bench.elf" 2>&1) || { echo "$ISS"; exit 1; }
echo "$ISS" | sed -n 's/^\[tile 0\] net_bench: /bench-net: ISS: /p'
"$BENCH" 200000
"$BENCH" 200000 zc
command -v valgrind >/dev/null 2>&1 || { echo "bench-net: valgrind not installed: no instruction counts"; exit 0; }
N=20000
OUT=$BUILD/bench
mkdir -p "$OUT"
count() { # function mode
  valgrind --tool=callgrind --callgrind-out-file="$OUT/net-$1.callgrind" --collect-atstart=no \
    --toggle-collect="$1" "$BENCH" "$N" $2 >/dev/null 2>&1
  awk '/^(summary|totals):/ { print $2; exit }' "$OUT/net-$1.callgrind"
}
ALL=$(count bench_measured copy)
SRV=$(count bench_server_input copy)
echo "bench-net: copy API: host instructions/request (callgrind, $N requests of 64 bytes):" \
  "$((ALL / N)) client+server round trip, $((SRV / N)) server stack input path"
ALL=$(count bench_measured zc)
SRV=$(count bench_server_input_ref zc)
echo "bench-net: zero-copy API: host instructions/request (callgrind, $N requests of 64 bytes):" \
  "$((ALL / N)) client+server round trip, $((SRV / N)) server stack input path"
