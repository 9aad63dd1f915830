# protection_cost.gp - make plots' figure of configs/experiments/protection_cost.ini:
# the cost of protection per request, measured from the runs' counters
# (build/dlcost: the difference of two runs with 4 and 12 requests per
# connection, so start-up cancels). Left: busy cycles per request of the
# whole chip, split into TLB refills, memory-hierarchy stalls (estimated:
# counters times configured latencies) and the rest (instructions executed,
# among them sending and receiving UDN messages and validating requests);
# right: the events behind them per request. Writes DIR/protection_cost.png
# and .svg. make plots sets dir and dlcost (the tool's path); few and many
# name the runs' clients.requests (default 4 and 12, as the experiment).
load dir.'/plot.gp'
dat = dir.'/cost.dat'
if (!exists("few")) few = 4      # the two runs of each deployment: clients.requests
if (!exists("many")) many = 12
run(d, n) = sprintf("'%s/deployment=%s,requests=%d'", dir, d, n)
rc = system(sprintf("%s '%s' dlibos:%s:%s baseline:%s:%s >&2; echo $?", dlcost, dat, \
                    run('dlibos', few), run('dlibos', many), run('baseline', few), run('baseline', many)))
if (int(rc) != 0) { print 'protection_cost.gp: dlcost failed'; exit status 2 }
load dat.'.info.gp'

set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb '#404040'
set boxwidth 0.6
set grid ytics
set key below box
set yrange [0:*]
do for [fmt in 'png svg'] {
  if (fmt eq 'png') { set terminal pngcairo size 1200,700 noenhanced font ',10' } else { set terminal svg size 1200,700 noenhanced font ',10' }
  set output dir.'/protection_cost.'.fmt
  set multiplot layout 1,2 title sprintf("The cost of protection per request, by source: webserver on the TILE-Gx36, measured from stats.json counters\nfrom %s\n%s", source, cost_source)
  set style histogram rowstacked
  set title 'busy cycles per request, all tiles'
  set ylabel 'cycles / request'
  set xlabel ''
  plot dat using 3:xtic(1) title 'TLB refills (misses x mem.tlb_refill)' lc rgb '#d7301f', \
       '' using 4 title 'memory stalls (L2, remote, DRAM accesses x latency)' lc rgb '#fe9929', \
       '' using 5 title 'the rest: instructions (UDN send/receive, validation, TCP, HTTP)' lc rgb '#9ecae1'
  set style histogram clustered gap 1
  set title 'events per request, all tiles (log scale)'
  set ylabel 'events / request'
  set logscale y
  set yrange [0.01:*]
  plot dat using 7:xtic(1) title 'TLB misses' lc rgb '#d7301f', \
       '' using 8 title 'L1D misses' lc rgb '#fe9929', \
       '' using 9 title 'L2 misses' lc rgb '#fee391', \
       '' using 10 title 'UDN messages' lc rgb '#3182bd', \
       '' using 11 title 'socket requests validated' lc rgb '#31a354'
  unset logscale y
  set yrange [0:*]
  unset multiplot
  unset output
}
