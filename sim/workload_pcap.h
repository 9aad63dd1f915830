// workload_pcap.h - the workload's traffic as a pcap without a chip
// (dlsim -c CFG --workload-pcap FILE): every client connection of the plan
// as one TCP connection (a synthetic handshake: SYN, the server's SYN-ACK,
// ACK, at the hosts' start) carrying the requests its driver would send,
// drawn from the same seeded streams in the same order (so the bytes are
// those of a run's wire.pcap), at their open-loop arrival times, or in
// closed loop back to back (the server taken to answer at once) after the
// think times. Only the clients' requests and the handshake are written (no
// answers). Bounded by clients.requests and the measured window's end.
// memcached and etc: the same keys, gets and sets, sizes; the versions a
// set writes (flags and value bytes) are counted in the file's generation
// order (connection by connection), not in a run's order.
#ifndef DL_SIM_WORKLOAD_PCAP_H
#define DL_SIM_WORKLOAD_PCAP_H

#include <cstdint>
#include <string>

#include "client_config.h"

// Most requests a file may hold (all connections together).
const uint64_t WORKLOAD_PCAP_MAX_REQUESTS = 10000000;

// Writes path (Ethernet, nanosecond pcap). chip_mac: net.mac. Returns true,
// or false with err saying what is wrong (the keys, or the file).
bool workload_pcap_write(const ClientPlan &plan, uint64_t chip_mac, const std::string &path, uint64_t &requests,
                         std::string &err);

#endif
