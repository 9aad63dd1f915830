#!/bin/sh
# slurm_local.sh - a private single-node Slurm (Debian slurm-wlm: munged,
# slurmctld, slurmd, all as root) in a temporary folder, on ports of its
# own, for the Slurm test of tests/sweep (test_slurm.c):
#   slurm_local.sh start DIR   writes DIR/slurm.conf and DIR/munge.key, starts the
#                              daemons, waits until the node is idle; DIR/env
#                              holds the SLURM_CONF=... the clients need.
#                              Exit 0, 3 when Slurm cannot run here (why on
#                              stderr), 1 on another failure.
#   slurm_local.sh stop DIR    stops the daemons named by DIR's pid files and
#                              removes DIR (also after a failed start).
set -u
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: slurm_local.sh start|stop DIR" >&2; exit 2; }

stop() {
  for d in slurmd slurmctld munged; do
    f="$dir/$d.pid"
    [ -s "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null
  done
  # job steps slurmd started and left behind (slurmstepd of this cluster only)
  for p in $(pgrep -f "slurmstepd.*$dir" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  rm -rf "$dir"
}

if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "slurm_local.sh: $cmd: expected start or stop" >&2; exit 2; }

for t in munged slurmctld slurmd sbatch sinfo; do
  command -v $t >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
  command -v $t >/dev/null 2>&1 || { echo "slurm_local.sh: $t not installed (Debian: slurm-wlm, munge; make deps)" >&2; exit 3; }
done
[ "$(id -u)" -eq 0 ] || { echo "slurm_local.sh: slurmd runs jobs as their user and must be root here" >&2; exit 3; }

mkdir -p "$dir/state" "$dir/spool" && chmod 700 "$dir" || exit 1
node=$(hostname -s)
cpus=$(nproc)
# ports of our own: two consecutive ones from the pid, in 21000..40999
base=$((21000 + ($$ % 10000) * 2))

head -c 1024 /dev/urandom > "$dir/munge.key" && chmod 400 "$dir/munge.key"
munged --socket="$dir/munge.sock" --key-file="$dir/munge.key" --pid-file="$dir/munged.pid" \
  --log-file="$dir/munged.log" --seed-file="$dir/munge.seed" --force 2>"$dir/munged.err" || {
  echo "slurm_local.sh: munged did not start: $(cat "$dir/munged.err" "$dir/munged.log" 2>/dev/null | tail -3)" >&2
  stop; exit 3; }

cat > "$dir/slurm.conf" <<CONF
# written by tests/sweep/slurm_local.sh: a private single-node cluster
ClusterName=dlsweeptest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.sock
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=dltest Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
echo "SLURM_CONF=$dir/slurm.conf" > "$dir/env"
export SLURM_CONF="$dir/slurm.conf"

slurmctld -f "$dir/slurm.conf" 2>"$dir/slurmctld.err" || {
  echo "slurm_local.sh: slurmctld did not start: $(tail -3 "$dir/slurmctld.err" "$dir/slurmctld.log" 2>/dev/null)" >&2
  stop; exit 3; }
slurmd -f "$dir/slurm.conf" -N "$node" 2>"$dir/slurmd.err" || {
  echo "slurm_local.sh: slurmd did not start: $(tail -3 "$dir/slurmd.err" "$dir/slurmd.log" 2>/dev/null)" >&2
  stop; exit 3; }

# the node idle within 30 s
i=0
while [ $i -lt 300 ]; do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
  [ "$state" = idle ] && exit 0
  sleep 0.1; i=$((i + 1))
done
echo "slurm_local.sh: the node is not idle after 30 s (state '$state'); the end of the logs:" >&2
tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 2>/dev/null
stop
exit 3
