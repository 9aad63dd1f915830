# latency_load.gp - latency percentiles (p50, p90, p99) versus offered load,
# one colour per deployment (solid p99, dashed p90, dotted p50), from a
# dlsweep table with the columns workload.rate, deployment and
# results.clients.latency_ns.{p50,p90,p99} (an open-loop sweep such as
# configs/experiments/httpd_latency.ini). States the experiment and the
# simulated time of its points. Writes OUT_percentiles.png and .svg.
#
#   gnuplot -e "load 'results/httpd_latency/plot.gp'" plots/latency_load.gp
if (!exists("data") || !exists("out")) {
  print "latency_load.gp: set data and out (e.g. load 'results/NAME/plot.gp')"
  exit status 2
}
if (!exists("source")) source = data
if (!exists("app")) app = 'Webserver'
header = system(sprintf("head -n 1 '%s' 2>/dev/null", data))
col(name) = sum [i = 2:words(header)] (word(header, i) eq name ? i - 1 : 0)
xi = col('workload.rate'); li = col('deployment'); ti = col('results.time_ns')
p50 = col('results.clients.latency_ns.p50'); p90 = col('results.clients.latency_ns.p90')
p99 = col('results.clients.latency_ns.p99')
if (xi == 0 || li == 0 || p50 == 0 || p90 == 0 || p99 == 0) {
  print sprintf("latency_load.gp: %s: expected the columns workload.rate, deployment and results.clients.latency_ns.p50, p90, p99", data)
  exit status 2
}
lines = system(sprintf("awk '!/^#/ && !seen[$%d]++ {printf \"%%s \", $%d}' '%s'", li, li, data))
simtime = ''
if (ti > 0) {
  stats data using (column(ti) / 1000.0) nooutput
  simtime = sprintf('; %.0f to %.0f us simulated per point', STATS_min, STATS_max)
}
rows(v) = sprintf("< awk '!/^#/ && $%d == \"%s\"' '%s' | sort -g -k%d,%d", li, v, data, xi, xi)

set title sprintf("%s latency percentiles versus offered load (open loop)\nfrom %s%s", app, source, simtime)
set xlabel 'offered load (requests / s, Poisson arrivals)'
set ylabel 'latency (us), log scale'
set logscale y
set grid
set key top left box opaque
set format x '%.1s%c'
do for [fmt in 'png svg'] {
  if (fmt eq 'png') { set terminal pngcairo size 900,560 noenhanced font ',10' } else { set terminal svg size 900,560 noenhanced font ',10' }
  set output out.'_percentiles.'.fmt
  plot for [k = 1:words(lines)] rows(word(lines, k)) using xi:(column(p99) / 1000.0) with linespoints lc k lw 2 pt 7 dt 1 \
         title word(lines, k).' p99', \
       for [k = 1:words(lines)] rows(word(lines, k)) using xi:(column(p90) / 1000.0) with linespoints lc k lw 1.5 pt 6 dt 2 \
         title word(lines, k).' p90', \
       for [k = 1:words(lines)] rows(word(lines, k)) using xi:(column(p50) / 1000.0) with linespoints lc k lw 1.5 pt 4 dt 3 \
         title word(lines, k).' p50'
  unset output
}
