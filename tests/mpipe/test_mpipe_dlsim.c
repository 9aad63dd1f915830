/* test_mpipe_dlsim.c - the mPIPE through the dlsim binary: the echo
 * firmware on configs/echo.ini with the shipped traces/echo.pcap (every
 * frame back, in order, swapped, checksums valid, timestamps exact on the
 * way in and within the pipeline's bounds on the way out, byte-identical
 * across runs), bad pcap inputs and --pcap-in errors, malformed frames
 * counted by cause, and the trace tool reproducing the shipped trace. */
#include <check.h>
#include <cJSON.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mpipe_frames.h"
#include "test_util.h"


typedef struct { uint8_t *data; size_t len; uint64_t ns; } rec;

/* Reads a pcap into recs (max n); returns the count. */
static int read_pcap(const char *path, rec *recs, int n)
{
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, eb);
    ck_assert_msg(p != NULL, "%s: %s", path, eb);
    struct pcap_pkthdr *h;
    const u_char *d;
    int k = 0;
    while (k < n && pcap_next_ex(p, &h, &d) == 1) {
        recs[k].data = malloc(h->caplen);
        memcpy(recs[k].data, d, h->caplen);
        recs[k].len = h->caplen;
        recs[k].ns = (uint64_t)h->ts.tv_sec * 1000000000ULL + (uint64_t)h->ts.tv_usec;
        k++;
    }
    pcap_close(p);
    return k;
}

/* Writes frames as a nanosecond pcap of link type dlt. */
static const char *write_pcap(int dlt, const rec *recs, int n)
{
    const char *path = test_write_temp("");
    pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
    pcap_dumper_t *d = pcap_dump_open(p, path);
    for (int i = 0; i < n; i++) {
        struct pcap_pkthdr h;
        h.ts.tv_sec = 0;
        h.ts.tv_usec = (suseconds_t)recs[i].ns;
        h.caplen = h.len = (bpf_u_int32)recs[i].len;
        pcap_dump((u_char *)d, &h, recs[i].data);
    }
    pcap_dump_close(d);
    pcap_close(p);
    return path;
}

static double stat_num(cJSON *root, const char *a, const char *b, const char *c)
{
    cJSON *o = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "results"), a);
    if (b) o = cJSON_GetObjectItem(o, b);
    if (c) o = cJSON_GetObjectItem(o, c);
    ck_assert_msg(cJSON_IsNumber(o), "no results.%s.%s.%s", a, b ? b : "", c ? c : "");
    return o->valuedouble;
}


/* The frame the echo firmware makes of f: MACs, IPv4 addresses and ports
 * swapped. */
static void echo_of(const uint8_t *f, size_t len, uint8_t *e)
{
    memcpy(e, f, len);
    memcpy(e, f + 6, 6);
    memcpy(e + 6, f, 6);
    size_t l3 = tf_l3(f), l4 = tf_l4(f);
    memcpy(e + l3 + 12, f + l3 + 16, 4);
    memcpy(e + l3 + 16, f + l3 + 12, 4);
    memcpy(e + l4, f + l4 + 2, 2);
    memcpy(e + l4 + 2, f + l4, 2);
}

START_TEST(echo_end_to_end)
{
    const char *dir = test_temp_dir(), *dir2 = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
                         "--pcap-in 0=traces/echo.pcap,at=60000 -o %s",
                         test_build_dir(), dir);
    ck_assert_out_has("32 frames in, 32 out, 0 dropped");

    static rec in[64], wire[128];
    int nin = read_pcap("traces/echo.pcap", in, 64);
    char path[512];
    snprintf(path, sizeof path, "%s/wire.pcap", dir);
    int nw = read_pcap(path, wire, 128);
    ck_assert_int_eq(nin, 32);
    ck_assert_int_eq(nw, 64);

    /* wire.txt says which records went which way */
    snprintf(path, sizeof path, "%s/wire.txt", dir);
    char *txt = test_read_file(path);
    ck_assert_ptr_nonnull(txt);
    char *line = strchr(txt, '\n') + 1;
    int rx = 0, tx = 0;
    uint64_t rx_end_ns[32] = { 0 };
    const uint64_t cycle_fs = 833333, bit_ps = 100;
    for (int r = 0; r < nw; r++) {
        unsigned long long idx, ns, len;
        int port;
        char dirn[4];
        ck_assert_int_eq(sscanf(line, "%llu %llu %d %3s %llu", &idx, &ns, &port, dirn, &len), 5);
        line = strchr(line, '\n') + 1;
        ck_assert_uint_eq(idx, (unsigned)r + 1);
        ck_assert_uint_eq(ns, wire[r].ns);
        ck_assert_int_eq(port, 0);
        ck_assert_uint_eq(len, wire[r].len);
        if (!strcmp(dirn, "rx")) {
            /* in order, exactly when the trace says (plus at=60000 ns) */
            ck_assert_int_lt(rx, nin);
            ck_assert_uint_eq(wire[r].ns, 60000 + (in[rx].ns - in[0].ns));
            ck_assert_uint_eq(wire[r].len, in[rx].len);
            ck_assert_int_eq(memcmp(wire[r].data, in[rx].data, in[rx].len), 0);
            rx_end_ns[rx] = wire[r].ns * 1000 + (8 + in[rx].len + 4) * 8 * bit_ps;   /* in ps */
            rx++;
        } else {
            ck_assert_str_eq(dirn, "tx");
            ck_assert_int_lt(tx, rx);   /* never before its frame came in */
            static uint8_t e[2048];
            echo_of(in[tx].data, in[tx].len, e);
            ck_assert_uint_eq(wire[r].len, in[tx].len);
            ck_assert_msg(memcmp(wire[r].data, e, in[tx].len) == 0, "echo of frame %d differs", tx);
            ck_assert(tf_ipv4_ok(wire[r].data, wire[r].len) && tf_l4_ok(wire[r].data, wire[r].len));
            /* the pipeline's floor: classify 10, iDMA ceil(len/16) + 80 + 4,
             * then eDMA 80 + ceil(min(len, 1536)/16) cycles (the firmware's
             * own cycles come on top) */
            uint64_t len16 = (in[tx].len + 15) / 16;
            uint64_t floor_ps = rx_end_ns[tx] + (10 + len16 + 84 + 80 + len16) * cycle_fs / 1000;
            ck_assert_msg(wire[r].ns * 1000 >= floor_ps, "frame %d out at %llu ns, before %llu ps", tx,
                          (unsigned long long)wire[r].ns, (unsigned long long)floor_ps);
            ck_assert_msg(wire[r].ns * 1000 < rx_end_ns[tx] + 2000000, "frame %d: echo took over 2 us", tx);
            tx++;
        }
    }
    ck_assert_int_eq(rx, 32);
    ck_assert_int_eq(tx, 32);
    free(txt);

    cJSON *j = test_read_stats(dir);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "total"), 0);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "delivered", NULL), 32);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "egress_frames", NULL), 32);
    cJSON_Delete(j);

    /* the same run again: byte-identical wire */
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
                         "--pcap-in traces/echo.pcap,at=60000 -o %s",
                         test_build_dir(), dir2);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cmp %s/wire.pcap %s/wire.pcap && cmp %s/wire.txt %s/wire.txt", dir, dir2, dir, dir2);
    ck_assert_msg(test_run(cmd, test_out, sizeof test_out) == 0, "runs differ: %s", test_out);
    for (int i = 0; i < nin; i++) free(in[i].data);
    for (int i = 0; i < nw; i++) free(wire[i].data);
}
END_TEST

START_TEST(bad_pcap_inputs)
{
    ck_assert_dlsim(2, "/nonexistent/x.pcap: cannot read as a pcap file",
                    "-c configs/tiny.ini --pcap-in /nonexistent/x.pcap");

    const char *junk = test_write_temp("this is not a capture file at all, just text\n");
    ck_assert_dlsim(2, junk, "-c configs/tiny.ini --pcap-in %s", junk);
    ck_assert_out_has("cannot read as a pcap file");

    /* truncated inside record 5 */
    char *full = NULL;
    FILE *f = fopen("traces/echo.pcap", "rb");
    ck_assert_ptr_nonnull(f);
    full = malloc(30000);
    size_t n = fread(full, 1, 30000, f);
    fclose(f);
    size_t cut = 24 + (16 + 60) + (16 + 128) + (16 + 590) + (16 + 1514) + 16 + 10;
    ck_assert_uint_gt(n, cut);
    const char *trunc = test_write_temp("");
    f = fopen(trunc, "wb");
    fwrite(full, 1, cut, f);
    fclose(f);
    free(full);
    ck_assert_dlsim(2, trunc, "-c configs/tiny.ini --pcap-in %s", trunc);
    ck_assert_out_has("record 5: truncated");

    /* not Ethernet */
    uint8_t ip[40] = { 0x45 };
    rec r = { ip, sizeof ip, 0 };
    const char *raw = write_pcap(DLT_RAW, &r, 1);
    ck_assert_dlsim(2, raw, "-c configs/tiny.ini --pcap-in %s", raw);
    ck_assert_out_has("link type 101 (RAW), not Ethernet");   /* the number in the file */

    /* a record claiming more captured bytes than the frame had */
    uint8_t bad[24 + 16 + 60] = { 0 };
    uint32_t fh[6] = { 0xa1b23c4d, 0x00040002, 0, 0, 65535, 1 }, rh[4] = { 0, 0, 60, 50 };
    memcpy(bad, fh, 24);
    memcpy(bad + 24, rh, 16);
    const char *over = test_write_temp_bytes(bad, sizeof bad);
    ck_assert_dlsim(2, "record 1: captured length 60 exceeds its original length 50",
                    "-c configs/tiny.ini --pcap-in %s", over);
}
END_TEST

START_TEST(pcap_in_option_errors)
{
    ck_assert_dlsim(2, "has 1 port(s)", "-c configs/tiny.ini --pcap-in 3=traces/echo.pcap");
    ck_assert_dlsim(2, "unknown option 'speed'", "-c configs/tiny.ini --pcap-in traces/echo.pcap,speed=2");
    ck_assert_dlsim(2, "rate=0", "-c configs/tiny.ini --pcap-in traces/echo.pcap,rate=0");
    ck_assert_dlsim(2, "port already has a file",
                    "-c configs/tiny.ini --pcap-in traces/echo.pcap --pcap-in 0=traces/echo.pcap");
    ck_assert_dlsim(2, "no file named", "-c configs/tiny.ini --pcap-in 0=");
    ck_assert_dlsim(2, "option 'loop' given twice",
                    "-c configs/tiny.ini --pcap-in traces/echo.pcap,loop=1,scale=2,loop=2");
    ck_assert_dlsim(2, "rate=10.5 is above the port's line rate (port.rate_gbps = 10)",
                    "-c configs/tiny.ini --pcap-in traces/echo.pcap,rate=10.5");
    ck_assert_dlsim_exit(0, "-c configs/tiny.ini --set port.rate_gbps=40 --set run.cycles=100 "
                            "--pcap-in traces/echo.pcap,rate=10.5");
    /* one port limit, port.count's */
    ck_assert_dlsim(2, "the chip has 16 port(s) (port.count)",
                    "-c configs/tiny.ini --set port.count=16 --pcap-in 16=traces/echo.pcap");
    ck_assert_dlsim_exit(0, "-c configs/tiny.ini --set port.count=16 --set run.cycles=100 "
                            "--pcap-in 15=traces/echo.pcap");
    ck_assert_dlsim(2, "exactly one default",
                    "-c configs/tiny.ini --set 'mpipe.rules=dport=80 stacks=0 buckets=0+4'");
    ck_assert_dlsim(0, "--pcap-in [PORT=]FILE", "--help");
}
END_TEST

START_TEST(malformed_frames_counted_by_cause)
{
    static uint8_t good[100], badsum[100], badver[100], big[1600], tiny[10];
    tf_build(good, 100, 17, 1, 2, 3, 4, 0, 0);
    memcpy(badsum, good, 100);
    badsum[24] ^= 0x40;
    memcpy(badver, good, 100);
    badver[14] = 0x35;
    tf_build(big, 1600, 17, 1, 2, 3, 4, 0, 0);
    rec r[5] = { { good, 100, 0 }, { badsum, 100, 1000 }, { badver, 100, 2000 }, { big, 1600, 3000 },
                 { tiny, 10, 5000 } };
    const char *p = write_pcap(DLT_EN10MB, r, 5);
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c configs/tiny.ini --set run.cycles=60000 --pcap-in %s,scale=2,loop=2 -o %s", p,
                         dir);
    cJSON *j = test_read_stats(dir);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "bad_ipv4_csum"), 2);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "parse_error"), 2);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "oversize"), 2);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "runt"), 2);
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "no_ring"), 2);   /* no firmware set it up */
    ck_assert_int_eq((int)stat_num(j, "mpipe", "drops", "total"), 10);
    cJSON *ports = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "results"), "ports");
    ck_assert_int_eq((int)cJSON_GetObjectItem(cJSON_GetArrayItem(ports, 0), "rx_frames")->valuedouble, 10);
    cJSON_Delete(j);
    /* scale=2: gaps doubled; the second pass follows the first */
    char path[512];
    snprintf(path, sizeof path, "%s/wire.txt", dir);
    char *txt = test_read_file(path);
    ck_assert_ptr_nonnull(strstr(txt, "\n2 2000 0 rx 100\n"));
    ck_assert_ptr_nonnull(strstr(txt, "\n5 10000 0 rx 10\n"));
    free(txt);
}
END_TEST

START_TEST(replay_at_a_rate_and_looped)
{
    static uint8_t a[60], b[200];
    tf_build(a, 60, 17, 1, 2, 3, 4, 0, 0);
    tf_build(b, 200, 6, 1, 2, 3, 4, 0, 0);
    rec r[2] = { { a, 60, 0 }, { b, 200, 999999 } };   /* timestamps ignored at a rate */
    const char *p = write_pcap(DLT_EN10MB, r, 2);
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0, "-c configs/tiny.ini --pcap-in %s,rate=5,loop=3,at=100 -o %s", p, dir);
    char path[512];
    snprintf(path, sizeof path, "%s/wire.txt", dir);
    char *txt = test_read_file(path);
    /* at 5 Gb/s a 60-byte frame's 84 wire bytes take 134.4 ns, a 200-byte
     * frame's 224 bytes 358.4 ns: a pass lasts 492.8 ns */
    ck_assert_msg(strstr(txt, "\n1 100 0 rx 60\n2 234 0 rx 200\n3 592 0 rx 60\n4 727 0 rx 200\n"
                              "5 1085 0 rx 60\n6 1220 0 rx 200\n") != NULL, "%s", txt);
    ck_assert_ptr_null(strstr(txt, "\n7 "));
    free(txt);
}
END_TEST

/* A trace read from a named pipe and from a shell pipe: read once, looped
 * from memory. */
START_TEST(pcap_from_fifo_and_pipe)
{
    const char *dir = test_temp_dir();
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "mkfifo %s/in.fifo && (cat traces/echo.pcap > %s/in.fifo &) && "
             "timeout 60 %s -c configs/tiny.ini --set run.cycles=0 --pcap-in %s/in.fifo,loop=2 -o %s 2>&1",
             dir, dir, test_dlsim(), dir, dir);
    ck_assert_msg(test_run(cmd, test_out, sizeof test_out) == 0, "fifo: %s", test_out);
    ck_assert_out_has("64 of 64 frames offered, 0 not offered");
    snprintf(cmd, sizeof cmd, "cat traces/echo.pcap | timeout 60 %s -c configs/tiny.ini --set run.cycles=0 "
             "--pcap-in /dev/stdin,loop=2 -o %s 2>&1", test_dlsim(), dir);
    ck_assert_msg(test_run(cmd, test_out, sizeof test_out) == 0, "pipe: %s", test_out);
    ck_assert_out_has("64 of 64 frames offered, 0 not offered");
    snprintf(cmd, sizeof cmd, "cat traces/echo.pcap | timeout 60 %s -c configs/tiny.ini --set run.cycles=0 "
             "--pcap-in -,loop=3 -o %s 2>&1", test_dlsim(), dir);
    ck_assert_msg(test_run(cmd, test_out, sizeof test_out) == 0, "stdin: %s", test_out);
    ck_assert_out_has("96 of 96 frames offered, 0 not offered");
    cJSON *j = test_read_stats(dir);
    ck_assert_int_eq((int)cJSON_GetObjectItem(cJSON_GetArrayItem(
                         cJSON_GetObjectItem(cJSON_GetObjectItem(j, "results"), "ports"), 0), "rx_frames")->valuedouble, 96);
    cJSON_Delete(j);
}
END_TEST

/* at= past the end of simulated time (fs in 64 bits, about 5.12 h) is an
 * error, not a frame at 60 us. */
START_TEST(at_beyond_time_limit)
{
    ck_assert_dlsim(2, "at=18446804073709: beyond the end of simulated time (18446744073709 ns",
                    "-c configs/tiny.ini --pcap-in traces/echo.pcap,at=18446804073709");
    ck_assert_dlsim_exit(2, "-c configs/tiny.ini --pcap-in traces/echo.pcap,at=18446744073710");
    const char *dir = test_temp_dir();
    ck_assert_dlsim(0, "0 frames in",
                    "-c configs/tiny.ini --pcap-in traces/echo.pcap,at=18446744073709 -o %s", dir);
    ck_assert_out_has("0 of 32 frames offered, 32 not offered");
}
END_TEST

/* 500 frames 2 us apart through configs/echo.ini: by default the run lasts
 * until all are replayed and echoed; bounded, it says how many were never
 * offered. stats.json's config names the trace and its options. */
START_TEST(run_lasts_until_traces_replayed)
{
    static uint8_t f[60];
    tf_build(f, 60, 17, 1, 2, 3, 4, 0, 0);
    static rec r[500];
    for (int i = 0; i < 500; i++) r[i] = (rec){ f, 60, (uint64_t)i * 2000 };
    const char *p = write_pcap(DLT_EN10MB, r, 500);
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
                         "--pcap-in 0=%s,at=60000 -o %s",
                         test_build_dir(), p, dir);
    ck_assert_out_has("500 frames in, 500 out, 0 dropped");
    ck_assert_out_has("500 of 500 frames offered, 0 not offered");
    ck_assert_out_has("ended by the traces replayed and the chip drained");
    cJSON *j = test_read_stats(dir);
    ck_assert_str_eq(test_json_at(j, "results.run.end")->valuestring, "drained");
    ck_assert(cJSON_IsNull(test_json_at(j, "results.run.bound_cycles")));
    cJSON *t = cJSON_GetArrayItem(test_json_at(j, "results.traces"), 0);
    ck_assert_int_eq((int)cJSON_GetObjectItem(t, "not_offered")->valuedouble, 0);
    /* the last frame starts at 60 + 998 us; the run ends within a few us of its echo */
    double end_us = stat_num(j, "time_ns", NULL, NULL) / 1000;
    ck_assert_msg(end_us > 1058 && end_us < 1070, "ended at %g us", end_us);
    ck_assert_str_eq(test_json_at(j, "config.mode")->valuestring, "chip");
    cJSON *c = cJSON_GetArrayItem(test_json_at(j, "config.traces"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(c, "file")->valuestring, p);
    ck_assert_int_eq(cJSON_GetObjectItem(c, "port")->valueint, 0);
    ck_assert_double_eq(cJSON_GetObjectItem(c, "at_ns")->valuedouble, 60000);
    ck_assert_double_eq(cJSON_GetObjectItem(c, "loop")->valuedouble, 1);
    ck_assert_double_eq(cJSON_GetObjectItem(c, "scale")->valuedouble, 1);
    cJSON_Delete(j);

    /* bounded at 200 us, as the run: 70 offered, 430 said not to be */
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
                         "--set run.cycles=240000 --pcap-in 0=%s,at=60000,loop=1 -o %s",
                         test_build_dir(), p, dir);
    ck_assert_out_has("70 of 500 frames offered, 430 not offered");
    ck_assert_out_has("430 of its 500 frames were not offered");
    j = test_read_stats(dir);
    ck_assert_str_eq(test_json_at(j, "results.run.end")->valuestring, "bound");
    t = cJSON_GetArrayItem(test_json_at(j, "results.traces"), 0);
    ck_assert_int_eq((int)cJSON_GetObjectItem(t, "offered")->valuedouble, 70);
    ck_assert_int_eq((int)cJSON_GetObjectItem(t, "not_offered")->valuedouble, 430);
    ck_assert_int_eq((int)stat_num(j, "cycles", NULL, NULL), 240000);
    cJSON_Delete(j);

    /* no time allowed to drain: the run stops at once, and says so */
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
                         "--set run.drain_us=0 --pcap-in 0=traces/echo.pcap,at=60000 -o %s",
                         test_build_dir(), dir);
    ck_assert_out_has("the chip had not drained 0 us after the traces ended");
    ck_assert_out_has("ended by the chip did not drain within run.drain_us");
    j = test_read_stats(dir);
    ck_assert_str_eq(test_json_at(j, "results.run.end")->valuestring, "drain_limit");
    cJSON_Delete(j);

    /* an endless loop needs a bound */
    ck_assert_dlsim(2, "loop=0 replays for ever: bound the run",
                    "-c configs/echo.ini --pcap-in 0=%s,loop=0 -o %s", p, dir);
    /* the make run command line still exits 0 (the application tiles exit 0) */
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf "
                         "--pcap-in traces/echo.pcap,at=60000 --set run.cycles=240000 -o %s",
                         test_build_dir(), dir);
    ck_assert_out_has("32 of 32 frames offered, 0 not offered");
}
END_TEST

START_TEST(trace_tool_reproduces_shipped_trace)
{
    const char *t = test_write_temp("");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/mktrace %s && cmp %s traces/echo.pcap", test_build_dir(), t, t);
    ck_assert_msg(test_run(cmd, test_out, sizeof test_out) == 0, "%s", test_out);
    static rec r[32];
    ck_assert_int_eq(read_pcap(t, r, 32), 32);
    for (int i = 0; i < 32; i++) {
        ck_assert(tf_ipv4_ok(r[i].data, r[i].len) && tf_l4_ok(r[i].data, r[i].len));
        free(r[i].data);
    }
}
END_TEST

/* echo cuts the rings region into slices of whole pages of the region (its
 * page_size in the boot block), not of a page size of its own: with one
 * port a slice is 40 KiB, three 16 KiB pages, so 144 KiB holds three. */
START_TEST(echo_slices_rings_by_the_region_page)
{
    const char *dir = test_temp_dir();
    ck_assert_dlsim_exit(0,
                         "-c configs/echo.ini --set deployment.firmware=%s/fw/echo.elf --set port.count=1 "
                         "--set deployment.stack_tiles=3 --set mem.rings_page=16k --set mem.rings_kib=144 "
                         "--pcap-in 0=traces/echo.pcap,at=60000 -o %s",
                         test_build_dir(), dir);
    ck_assert_out_has("32 frames in, 32 out, 0 dropped");
    cJSON *j = test_read_stats(dir);
    cJSON *rings = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "results"), "mpipe"), "rings");
    ck_assert_int_eq(cJSON_GetArraySize(rings), 3);
    cJSON_Delete(j);
}
END_TEST

Suite *mpipe_dlsim_suite(void)
{
    Suite *s = suite_create("mpipe_dlsim");
    TCase *t = tcase_create("dlsim");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, echo_end_to_end);
    tcase_add_test(t, echo_slices_rings_by_the_region_page);
    tcase_add_test(t, bad_pcap_inputs);
    tcase_add_test(t, pcap_in_option_errors);
    tcase_add_test(t, malformed_frames_counted_by_cause);
    tcase_add_test(t, replay_at_a_rate_and_looped);
    tcase_add_test(t, trace_tool_reproduces_shipped_trace);
    tcase_add_test(t, pcap_from_fifo_and_pipe);
    tcase_add_test(t, at_beyond_time_limit);
    tcase_add_test(t, run_lasts_until_traces_replayed);
    suite_add_tcase(s, t);
    return s;
}
