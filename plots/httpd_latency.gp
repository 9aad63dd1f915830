# httpd_latency.gp - make plots' figure of configs/experiments/httpd_latency.ini:
# the webserver's latency percentiles versus offered load (latency_load.gp).
# make plots sets dir (results/httpd_latency).
load dir.'/plot.gp'
app = 'Webserver (TILE-Gx36)'
load 'plots/latency_load.gp'
