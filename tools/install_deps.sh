#!/bin/sh
# install_deps.sh - installs the Debian packages the build, tests and plots
# need, skipping those already installed. Idempotent; `make deps` runs it.
set -eu

PACKAGES="make gcc g++ pkg-config libc6-dev
  libsystemc-dev libpcap-dev check libsubunit-dev libinih-dev libcjson-dev
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  gnuplot-nox
  clang libclang-rt-14-dev iproute2 curl valgrind
  memcached"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "deps: these Debian packages are missing and we are not root:$missing" >&2
    exit 1
  fi
else
  SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done" >&2
