# run_maps.gp - the tile-utilisation map and the UDN link-utilisation map of
# one run, from the data dlmaps writes from its stats.json
# (build/dlmaps RUNDIR PREFIX): each tile a square (colour: its busy share),
# each directed link a bar between neighbours (colour and width: its
# utilisation in words per cycle, the arrow its direction; eastward and
# southward bars run on one side of the centre line, westward and northward
# on the other). Writes OUT_tiles.{png,svg} (when the run has tiles: not in
# mesh-only mode) and OUT_links.{png,svg}; each states the configuration
# and the simulated time it covers.
#
#   gnuplot -e "prefix='results/plots/maps'; out='results/plots/maps'" plots/run_maps.gp
if (!exists("prefix")) prefix = 'results/plots/maps'
if (!exists("out")) out = prefix
load prefix.'.info.gp'
tiles = prefix.'.tiles.dat'
links = prefix.'.links.dat'

sq = 0.30                      # half the side of a tile's square
lmax = map_link_max > 0 ? map_link_max : 1
# a link's bar: centre and half-sizes; the offset keeps the two directions apart
bx(x, dx, dy) = dx != 0 ? x + dx * 0.5 : x + (dy > 0 ? 0.1 : -0.1)
by(y, dx, dy) = dy != 0 ? y + dy * 0.5 : y + (dx > 0 ? -0.1 : 0.1)
half(u) = 0.012 + 0.05 * u / lmax
bw(dx, u) = dx != 0 ? 0.5 - sq : half(u)
bh(dy, u) = dy != 0 ? 0.5 - sq : half(u)

px = 180 * map_w + 260 < 820 ? 820 : 180 * map_w + 260
py = 160 * map_h + 230
set size ratio -1
set xrange [-0.6:map_w - 0.4]
set yrange [map_h - 0.4:-0.6]
set xtics 1 scale 0
set ytics 1 scale 0
set xlabel 'tile x'
set ylabel 'tile y'
set key off
set border 0
set style fill solid 1.0 border lc rgb '#606060'
set palette defined (0 '#ffffe5', 0.2 '#fee391', 0.45 '#fe9929', 0.7 '#d7301f', 1 '#7f0000')

do for [fmt in 'png svg'] {
  if (map_tiles > 0) {
    if (fmt eq 'png') { set terminal pngcairo size px,py noenhanced font ',10' } else { set terminal svg size px,py noenhanced font ',10' }
    set output out.'_tiles.'.fmt
    set title sprintf("Tile utilisation (busy share)\n%s\n%s\nfrom %s", map_config, map_time, map_source)
    set cbrange [0:1]
    set cblabel 'busy cycles / simulated cycles'
    plot tiles using 1:2:(sq):(sq):3 with boxxyerror fc palette z, \
         tiles using 1:2:(sprintf("tile %d\n%s\n%.0f%%", $4, strcol(5), 100 * $3)):($3 > 0.7 ? 0xffffff : 0) \
           with labels tc rgb variable
  }
  if (fmt eq 'png') { set terminal pngcairo size px,py noenhanced font ',10' } else { set terminal svg size px,py noenhanced font ',10' }
  set output out.'_links.'.fmt
  set title sprintf("UDN link utilisation (words per cycle, max %.3g)\n%s\n%s\nfrom %s", map_link_max, map_config, map_time, map_source)
  set cbrange [0:lmax]
  set cblabel 'words / cycle'
  plot tiles using 1:2:(sq):(sq) with boxxyerror fc rgb '#eeeeee', \
       links using (bx($1, $3, $4)):(by($2, $3, $4)):(bw($3, $5)):(bh($4, $5)):5 with boxxyerror fc palette z, \
       links using ($1 + $3 * 0.62 + ($3 == 0 ? (($4 > 0) ? 0.1 : -0.1) : 0)):($2 + $4 * 0.62 + ($4 == 0 ? (($3 > 0) ? -0.1 : 0.1) : 0)):($3 * 0.06):($4 * 0.06) \
         with vectors head filled size 0.05,25 lc rgb '#202020', \
       tiles using 1:2:(sprintf("%d", $4)) with labels tc rgb '#404040'
  unset output
}
