# sweep_lines.gp - a result of a sweep versus one of its axes, one line per
# value of another column (e.g. requests/s versus stack tiles, a line per
# deployment), from the table dlsweep writes (results/NAME/table.dat).
# Columns are found by name in the table's header comment. The figure
# states the experiment it came from and, when the table has a
# results.time_ns column, the simulated time its points cover.
# Writes OUT.png and OUT.svg.
#
# Variables (make plots sets them from results/NAME/plot.gp, which dlsweep
# writes from the experiment's [plot] section):
#   data, out, x, line, y   table, output prefix, and the three columns
#   xlabel, ylabel, title   optional labels (default: the column names, the experiment)
#   source                  the experiment file, stated under the title
#
#   gnuplot -e "load 'results/echo_tiles/plot.gp'" plots/sweep_lines.gp
if (!exists("data") || !exists("out") || !exists("x") || !exists("line") || !exists("y")) {
  print "sweep_lines.gp: set data, out, x, line and y (e.g. load 'results/NAME/plot.gp')"
  exit status 2
}
if (!exists("source")) source = data
if (!exists("xlabel")) xlabel = x
if (!exists("ylabel")) ylabel = y
if (!exists("title")) title = y.' versus '.x

header = system(sprintf("head -n 1 '%s' 2>/dev/null", data))
if (words(header) < 2 || word(header, 1) ne '#') {
  print sprintf("sweep_lines.gp: %s: expected a dlsweep table (a first line '# COLUMN ...')", data)
  exit status 2
}
xi = 0; li = 0; yi = 0; ti = 0
do for [i = 2:words(header)] {
  w = word(header, i)
  if (w eq x) { xi = i - 1 }
  if (w eq line) { li = i - 1 }
  if (w eq y) { yi = i - 1 }
  if (w eq 'results.time_ns') { ti = i - 1 }
}
do for [c in x.' '.line.' '.y] {
  found = 0
  do for [i = 2:words(header)] { if (word(header, i) eq c) { found = 1 } }
  if (!found) {
    print sprintf("sweep_lines.gp: %s: no column '%s' (the columns:%s)", data, c, header[2:])
    exit status 2
  }
}
# the values of the line column, in table order
lines = system(sprintf("awk '!/^#/ && !seen[$%d]++ {printf \"%%s \", $%d}' '%s'", li, li, data))
if (words(lines) == 0) {
  print sprintf("sweep_lines.gp: %s: no rows", data)
  exit status 2
}
simtime = ''
if (ti > 0) {
  stats data using (column(ti) / 1000.0) nooutput
  simtime = STATS_min == STATS_max ? sprintf('; %.1f us simulated per point', STATS_min) \
            : sprintf('; %.1f to %.1f us simulated per point', STATS_min, STATS_max)
}
rows(v) = sprintf("< awk '!/^#/ && $%d == \"%s\"' '%s' | sort -g -k%d,%d", li, v, data, xi, xi)

set title sprintf("%s\nfrom %s%s", title, source, simtime)
set xlabel xlabel
set ylabel ylabel
set key top left box opaque title line
set grid
set yrange [0:*]
set offsets graph 0.05, graph 0.05, graph 0.08, 0
set format y '%.1s%c'
set style data linespoints
do for [fmt in 'png svg'] {
  if (fmt eq 'png') { set terminal pngcairo size 900,560 noenhanced font ',10' } else { set terminal svg size 900,560 noenhanced font ',10' }
  set output out.'.'.fmt
  plot for [v in lines] rows(v) using xi:yi:xtic(xi) pt 7 ps 1.2 lw 2 title v
  unset output
}
