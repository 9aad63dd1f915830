# mesh_heatmap.gp - UDN link utilisation of one mesh-only run as a heatmap.
#
# Input: links.dat written by `dlsim --mesh-only` (mesh_traffic.h): a
# (2H-1) x (2W-1) matrix, row 0 at y = 0; cell (2y,2x+1) is the link between
# tiles (x,y) and (x+1,y), cell (2y+1,2x) the link between (x,y) and (x,y+1)
# (the busier direction), cell (2y,2x) the words ejected at tile (x,y), all
# in words per cycle; odd/odd cells are NaN (no link) and stay blank.
#
#   gnuplot -e "data='results/last/links.dat'; out='links.png'" plots/mesh_heatmap.gp
if (!exists("data")) data = 'results/last/links.dat'
if (!exists("out")) out = 'results/last/mesh_heatmap.png'
if (!exists("title")) title = 'UDN link utilisation (words / cycle)'

set terminal pngcairo size 700,640 noenhanced
set output out
set title title
set size ratio -1
set autoscale fix
set yrange [*:*] reverse
set xlabel 'tile x (links at half steps)'
set ylabel 'tile y (links at half steps)'
set cbrange [0:*]
set palette defined (0 '#f7fbff', 0.25 '#6baed6', 0.5 '#2171b5', 0.75 '#fd8d3c', 1 '#bd0026')
set xtics 1
set ytics 1
# No-link cells (NaN) are left out and show this grey background.
set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb '#c8c8c8' fillstyle solid noborder
plot data matrix using ($1/2.0):($2/2.0):3 with image notitle
