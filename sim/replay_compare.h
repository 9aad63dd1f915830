// replay_compare.h - the simulated server's answer to a replayed request
// held against the real server's, by protocol: byte for byte except the
// fields that legitimately differ, which replay_exempt lists (the report
// and stats.json print the list; nothing else is left out).
//
// HTTP: the status line byte for byte; the header fields as a set (order
// not compared), names case-insensitive, values byte for byte, except
// Date, Server, Last-Modified, ETag and Accept-Ranges (the real server's
// clock, name, file times and range support), and Connection, compared by
// meaning (whether the connection is kept or closed); 2xx bodies by length,
// their bytes checked against the simulated server's own document of
// deployment.app_args instead (the real server's documents are not ours);
// 4xx/5xx answers by status line only (error pages differ). A 404 where the
// real server answered 2xx is a mismatch naming the path.
// memcached: byte for byte except the CAS values (VALUE lines of gets and
// gats, c tokens of meta replies), the output of stats (any STAT lines then
// END) and the version string (VERSION then anything).
// TCP echo: byte for byte.
#ifndef DL_SIM_REPLAY_COMPARE_H
#define DL_SIM_REPLAY_COMPARE_H

#include <string>
#include <vector>

extern "C" {
#include "apps/httpd/http_docs.h"
}

// True when got (the simulated server's answer to req) matches ref (the
// real server's); else false with why (one line, what differs first).
// docs: the simulated httpd's documents (HTTP bodies), or null.
bool replay_compare(int proto, const std::string &req, const std::string &ref, const std::string &got,
                    const http_docs_t *docs, std::string &why);

// The fields replay_compare does not compare (or compares otherwise than
// byte for byte) for protocol proto, one line each.
std::vector<std::string> replay_exempt(int proto);

// s made printable and cut to max characters ("\r\n" shown as such).
std::string replay_show(const std::string &s, size_t max);

#endif
