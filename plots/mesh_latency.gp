# mesh_latency.gp - UDN message latency versus offered load (mesh-only sweep).
#
# Input: a sweep file of rows "rate offered accepted lat_mean lat_p99 lat_max
# link_max" ('#' lines ignored), one row per `dlsim --mesh-only` run: the
# mesh.dat files of the runs concatenated (`make mesh-sweep` writes
# results/mesh_sweep/latency.dat). Latency is from message creation to the
# last word being readable, in cycles; loads in words per tile per cycle.
#
#   gnuplot -e "data='results/mesh_sweep/latency.dat'; out='mesh_latency.png'" plots/mesh_latency.gp
if (!exists("data")) data = 'results/mesh_sweep/latency.dat'
if (!exists("out")) out = 'results/mesh_sweep/mesh_latency.png'
if (!exists("title")) title = 'UDN 6x6, uniform traffic'

set terminal pngcairo size 900,560 noenhanced
set output out
set title title
set xlabel 'offered load (words / tile / cycle)'
set ylabel 'latency (cycles)'
set y2label 'accepted load (words / tile / cycle)'
set logscale y
set yrange [*:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set grid
set key top left
plot data using 2:4 with linespoints pt 7 title 'mean latency', \
     data using 2:5 with linespoints pt 5 title 'p99 latency', \
     data using 2:3 axes x1y2 with linespoints pt 9 dt 2 title 'accepted load'
