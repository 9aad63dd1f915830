// client_config.h - the [clients] and [workload] sections turned into a plan: which ports
// carry client hosts, the hosts' addresses (MAC and IPv4 in the server's
// subnet), the driver's parameters in nanoseconds; and every check no single
// key's range can make (addresses, subnet size, mode against rate, an end).
#ifndef DL_SIM_CLIENT_CONFIG_H
#define DL_SIM_CLIENT_CONFIG_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "replay_trace.h"

struct ClientPlan {
    bool enabled = false;          // clients.hosts_per_port > 0
    std::vector<int> ports;        // ports carrying client hosts, ascending
    unsigned hosts_per_port = 0, conns_per_host = 0;
    uint32_t server_ip = 0, netmask = 0;   // host byte order
    int kind = 0;                  // workload.kind: CFG_WL_*
    uint16_t server_port = 0;
    uint64_t echo_bytes = 0;
    bool open = false;             // open loop (Poisson arrivals) or closed (think times)
    double rate = 0;               // open: requests per second, all connections together
    uint64_t think_ns = 0;         // closed: mean think time
    uint64_t requests = 0;         // per connection; 0: no limit
    uint64_t start_ns = 0, duration_ns = 0, timeout_ns = 0;
    uint64_t warmup_ns = 0;        // answers before start_ns + warmup_ns are not counted
    uint64_t seed = 0;             // workload.seed, or run.seed when 0
    uint32_t window = 0;           // bytes
    uint64_t rto_ns = 0, delack_ns = 0, timer_ns = 0;
    uint64_t switch_frames = 0;
    uint64_t mc_keys = 0, mc_value_bytes = 0;   // kind memcached (etc: its key space, get ratio)
    unsigned mc_multiget = 0;
    double mc_get_ratio = 0;
    double etc_zipf_s = 1;                      // kind etc
    uint64_t etc_value_max = 0;
    bool etc_gpareto = true;
    double port_rate_gbps = 0;     // port.rate_gbps: wire time of frames to the hosts
    // kind web (checked by client_http_mix): the documents, the mix
    std::string app_args, web_paths;
    bool web_zipf = false;         // Zipf popularity over the entries, exponent web_zipf_s
    double web_zipf_s = 1;
    bool web_keepalive = true;
    unsigned web_pipeline = 1;
    // kind replay (client_replay.h): the capture, read and checked here
    std::shared_ptr<const ReplayTrace> replay;
    bool replay_timed = true;
    double replay_speed = 1;
    uint16_t replay_port = 0;

    unsigned hosts() const { return (unsigned)ports.size() * hosts_per_port; }
    uint64_t connections() const
    {
        return replay ? (uint64_t)replay->conns.size() : (uint64_t)hosts() * conns_per_host;
    }
    // The end of the measured window (no request issued, no answer counted
    // from then on); 0: none (the run ends when the requests are answered).
    uint64_t end_ns() const { return duration_ns ? start_ns + warmup_ns + duration_ns : 0; }
};

// Builds the plan from the configuration; traced lists the ports that have a
// --pcap-in trace ("all" leaves them out; naming one is an error). Returns
// true, or false with a message naming the key(s) in err.
bool client_plan(const dl_config &cfg, const std::vector<int> &traced, ClientPlan &plan, std::string &err);

// Parses dotted IPv4 ("10.0.0.1") into host byte order; false if it is not one.
bool client_parse_ipv4(const char *s, uint32_t &ip);

// Address of host h (0 .. hosts_per_port-1) behind the i-th port of plan.ports:
// the subnet's addresses from the first after the network address, in port
// order then host order, skipping the server's.
uint32_t client_host_ip(const ClientPlan &plan, unsigned port_i, unsigned h);

// MAC of host h behind port p: 02:dc:00:PP:HH:HH (locally administered,
// PP = port, HHHH = h + 1).
void client_host_mac(unsigned port, unsigned h, uint8_t mac[6]);

// The host index behind port p that owns mac, or -1.
int client_mac_host(unsigned port, const uint8_t mac[6], unsigned hosts_per_port);

// "10.0.0.1"
std::string client_ip_str(uint32_t ip);

#endif
