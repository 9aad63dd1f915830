# mc_latency.gp - make plots' figure of configs/experiments/mc_latency.ini:
# memcached's latency percentiles versus offered load (latency_load.gp).
# make plots sets dir (results/mc_latency).
load dir.'/plot.gp'
app = 'memcached (TILE-Gx36, 90 % gets, 100-byte values)'
load 'plots/latency_load.gp'
