#!/bin/sh
# httpd_live.sh - live mode with real HTTP clients: the DLibOS httpd
# (tests/httpd/dlibos_2x2.ini, client hosts off, a 200 KiB document added) on a
# TAP device in a private network namespace (tests/live/live_lib.sh):
# curl fetches documents over one kept-alive connection (GET, HEAD, a 404,
# Connection: close, HTTP/1.0), every head and body checked byte for byte
# against the documents computed by tests/live/httpd_check.py; ab fetches
# documents with and without keep-alive (no failed or non-2xx answer, every
# length right); wrk runs 3 s, once pipelining 8 deep, with every answer
# compared with the expected document (tests/live/wrk_check.lua); then the baseline deployment
# (tests/httpd/baseline_2x2.ini) serves curl once. The clients' timeouts are set
# explicitly so that a stuck chip fails the test in bounded time (the chip
# keeps up with them: answers take a few ms of wall time).
# Exit: 0 pass, 1 fail, 77 skipped (says why).   BUILD=build sh tests/live/httpd_live.sh
set -u
. tests/live/live_lib.sh
live_init httpd
for tool in curl ab wrk; do
  command -v $tool >/dev/null 2>&1 || live_skip "$tool is not installed (make deps)"
done
DOCS=/64:64,/1k:1k,/16k:16k,/index.html:4k,/200k:200k
URL=http://$LIVE_CHIP_IP
CHECK="python3 tests/live/httpd_check.py"

# curl_run DIR SPEC...: one curl, a transfer per SPEC (httpd_check.py's
# METHOD:PATH:STATUS:CONN) joined by --next, which keeps the connection;
# then every transfer checked.
curl_run() {
  dir=$1
  shift
  mkdir -p "$dir"
  specs="$*"
  i=0
  for spec in $specs; do
    [ $i -eq 0 ] && set -- || set -- "$@" --next
    method=${spec%%:*}
    path=${spec#*:}
    path=${path%%:*}
    set -- "$@" -sS --max-time 30 -D "$dir/h$i" -o "$dir/b$i" -w '%{http_code} %{num_connects} %{size_download}\n'
    case $method in
      HEAD) set -- "$@" -I ;;
      GET10) set -- "$@" -0 ;;
      GETCLOSE) set -- "$@" -H "Connection: close" ;;
    esac
    set -- "$@" "$URL$path"
    i=$((i + 1))
  done
  timeout 60 ip netns exec "$LIVE_NS" curl "$@" >"$dir/w" 2>"$dir/err" ||
    live_fail "curl exited $? ($specs): $(cat "$dir/err")"
  # shellcheck disable=SC2086
  $CHECK curl "$DOCS" "$dir" $specs >"$dir/check" || live_fail "$(cat "$dir/check")"
  live_log "ok: $(cat "$dir/check")"
}

# ab_run N DOC [-k]: ab fetches DOC N times over 4 connections at a time;
# none failed (ab compares every length with the first), none non-2xx.
ab_run() {
  n=$1 doc=$2
  shift 2
  timeout 90 ip netns exec "$LIVE_NS" ab -q -s 20 -n "$n" -c 4 "$@" "$URL$doc" >"$LIVE_WORK/ab" 2>&1 ||
    live_fail "ab $* exited $?: $(cat "$LIVE_WORK/ab")"
  size=$(python3 -c "import sys; sys.path.insert(0, 'tests/live'); import httpd_check as h; \
print(h.parse_docs('$DOCS')['$doc'])")
  for want in "Complete requests: *$n\$" "Failed requests: *0\$" "Document Length: *$size bytes" "HTML transferred: *$((n * size)) bytes"; do
    grep -q "^$want" "$LIVE_WORK/ab" || live_fail "ab $* $doc: no '$want' in: $(cat "$LIVE_WORK/ab")"
  done
  ! grep -q "Non-2xx\|Write errors" "$LIVE_WORK/ab" || live_fail "ab $* $doc: non-2xx answers or write errors: $(cat "$LIVE_WORK/ab")"
  if [ "${1:-}" = -k ]; then
    grep -q "^Keep-Alive requests: *$n\$" "$LIVE_WORK/ab" || live_fail "ab -k: not all kept alive: $(cat "$LIVE_WORK/ab")"
  fi
  live_log "ok: ab${*:+ $*} $doc: $n answers of $size bytes, none failed$([ "${1:-}" = -k ] && echo ", all kept alive")"
}

# dlsim ended cleanly, lost no frame, and the httpd reported no error.
stopped_clean() {
  live_stop || live_fail "dlsim did not exit 0 on SIGTERM (status $?)"
  ! grep -q "httpd: \(error\|send refused\)" "$LIVE_WORK/dlsim.log" || live_fail "the httpd reported errors"
  live_check_stats
}

# 1. DLibOS: curl, ab, wrk.
live_start tests/httpd/dlibos_2x2.ini --set clients.hosts_per_port=0 --set "deployment.app_args=docs=$DOCS"
live_wait_ready 80 60 || live_fail "the httpd on the chip does not accept connections"
curl_run "$LIVE_WORK/c1" GET:/64:200:new GET:/1k:200:reused HEAD:/index.html:200:reused \
  GET:/index.html:200:reused GET:/nope:404:reused HEAD:/16k/x:404:reused GET:/16k:200:reused \
  GET:/200k:200:reused HEAD:/200k:200:reused GETCLOSE:/64:200:reused GET:/1k:200:new \
  GET10:/index.html:200:reused GET:/64:200:new
ab_run 200 /1k
ab_run 200 /16k -k
# wrk_run DOC PIPELINE: wrk for 3 s over 4 connections, PIPELINE requests
# at a time on each; every answer compared with DOC's expected bytes.
wrk_run() {
  $CHECK body "$DOCS" "$1" "$LIVE_WORK/expected"
  timeout 30 ip netns exec "$LIVE_NS" wrk -t1 -c4 -d3s --timeout 5s -s tests/live/wrk_check.lua "$URL$1" \
    -- "$LIVE_WORK/expected" "$2" >"$LIVE_WORK/wrk" 2>&1 || live_fail "wrk exited $?: $(cat "$LIVE_WORK/wrk")"
  grep -q "^wrk-check: \([1-9][0-9]*\) requests, \1 answers right, 0 wrong, 0 socket errors" "$LIVE_WORK/wrk" &&
    ! grep -q "Non-2xx\|Socket errors" "$LIVE_WORK/wrk" || live_fail "wrk $1 (pipeline $2): $(cat "$LIVE_WORK/wrk")"
  live_log "ok: wrk $1, 3 s, 4 connections, pipeline $2: $(grep -o "[0-9]* requests, [0-9]* answers right" "$LIVE_WORK/wrk")"
}
wrk_run /index.html 1
wrk_run /1k 8
stopped_clean
live_log "ok: dlibos: dlsim ended cleanly on SIGTERM, nothing lost"

# 2. The baseline deployment: curl.
live_start tests/httpd/baseline_2x2.ini --set clients.hosts_per_port=0 --set "deployment.app_args=docs=$DOCS"
live_wait_ready 80 60 || live_fail "the baseline httpd on the chip does not accept connections"
curl_run "$LIVE_WORK/c2" GET:/64:200:new HEAD:/1k:200:reused GET:/index.html:200:reused GET:/nope:404:reused \
  GET:/200k:200:reused GETCLOSE:/16k:200:reused
stopped_clean
live_log "ok: baseline: dlsim ended cleanly on SIGTERM, nothing lost"
live_pass
