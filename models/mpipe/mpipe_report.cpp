// mpipe_report.cpp - the mPIPE's and the ports' results for stats.json,
// read from the model's counters after the run (mpipe_model.h).
#include "mpipe/mpipe_model.h"

#include <cjson/cJSON.h>

cJSON *mpipe_report(const Mpipe &m)
{
    cJSON *r = cJSON_CreateObject();
    cJSON *drops = cJSON_AddObjectToObject(r, "drops");
    for (int c = 0; c < DROP_CAUSES; c++)
        cJSON_AddNumberToObject(drops, mpipe_drop_name(c), (double)m.drops(c));
    cJSON_AddNumberToObject(drops, "total", (double)m.drops_total());
    cJSON_AddNumberToObject(r, "classified", (double)m.classified);
    cJSON_AddNumberToObject(r, "delivered", (double)m.delivered);
    cJSON_AddNumberToObject(r, "classifier_busy_cycles", (double)m.classifier_busy_cycles);
    cJSON_AddNumberToObject(r, "egress_frames", (double)m.egress_frames);
    cJSON_AddNumberToObject(r, "egress_errors", (double)m.egress_errors);
    cJSON_AddNumberToObject(r, "buffer_push_overflow", (double)m.push_overflow);
    cJSON *rings = cJSON_AddArrayToObject(r, "rings");
    for (int i = 0; i < MPIPE_RINGS; i++) {
        if (!m.ring_enabled(i) && !m.ring_stats[i].written) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "ring", i);
        cJSON_AddNumberToObject(o, "descriptors", (double)m.ring_stats[i].written);
        cJSON_AddNumberToObject(o, "max_occupancy", (double)m.ring_stats[i].max_occupancy);
        cJSON_AddNumberToObject(o, "occupancy_at_end", (double)m.ring_occupancy(i));
        cJSON_AddItemToArray(rings, o);
    }
    return r;
}

cJSON *mpipe_port_report(const EthPort &p)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "port", p.index);
    cJSON_AddNumberToObject(o, "rate_gbps", p.rate_gbps);
    cJSON_AddNumberToObject(o, "rx_frames", (double)p.rx_frames);
    cJSON_AddNumberToObject(o, "rx_bytes", (double)p.rx_bytes);
    cJSON_AddNumberToObject(o, "tx_frames", (double)p.tx_frames);
    cJSON_AddNumberToObject(o, "tx_bytes", (double)p.tx_bytes);
    return o;
}
