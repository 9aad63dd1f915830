/* test_trace.c - the trace library on crafted conversations: HTTP
 * (pipelining, bodies, HEAD, chunked, 1xx), memcached (classic and meta
 * commands, noreply, quiet mode, errors), TCP echo; reassembly
 * (retransmission, out of order, a hole, sequence wrap, a capture starting
 * mid-connection, port reuse); frames it cannot decode. */
#include <check.h>
#include <string.h>

#include "trace.h"
#include "trace_craft.h"

#define S(x) x, sizeof(x) - 1

static struct trace *t;
static struct craft c;

static void setup(void) { t = trace_new(); }
static void teardown(void) { trace_free(t); }

static const char *type_of(size_t i) { return t->types[t->txns[i].type]; }

static const struct trace_issue *issue(const char *what)
{
    for (int i = 0; i < t->nissues; i++)
        if (!strcmp(t->issues[i].what, what)) return &t->issues[i];
    return NULL;
}

START_TEST(http_pipelined_requests_and_bodies)
{
    craft_init(&c, t, NULL, 40000, 80, 1000, 5000);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel"));
    craft_send(&c, 0, 11000, S("lo"));
    craft_send(&c, 1, 20000, S("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 404 Not Found\r\nContent-Len"));
    craft_send(&c, 1, 25000, S("gth: 2\r\n\r\nno"));
    trace_finish(t);
    ck_assert_int_eq(t->nflows, 1);
    ck_assert_int_eq(t->flows[0].proto, PROTO_HTTP);
    ck_assert_uint_eq(t->ntxns, 2);
    ck_assert_str_eq(type_of(0), "GET /a");
    ck_assert_str_eq(type_of(1), "POST /b");
    ck_assert_int_eq(t->txns[0].req_ns, 10000);
    ck_assert_int_eq(t->txns[1].req_ns, 10000);
    ck_assert_int_eq(t->txns[0].resp_ns, 20000);
    ck_assert_int_eq(t->txns[1].resp_ns, 25000);
    ck_assert_uint_eq(t->txns[1].req_bytes, 44);   /* 18 + 19 + 2 + 5 */
    ck_assert_str_eq(t->txns[0].status, "200");
    ck_assert_str_eq(t->txns[1].status, "404");
    ck_assert_int_eq(t->txns[0].error, 0);
    ck_assert_int_eq(t->txns[1].error, 1);
    ck_assert_int_eq(t->nissues, 0);
}
END_TEST

START_TEST(http_head_chunked_and_interim)
{
    craft_init(&c, t, NULL, 40000, 8080, 7, 9);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("HEAD /h HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n"));
    craft_send(&c, 1, 20000, S("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"));
    craft_send(&c, 1, 30000, S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"));
    craft_send(&c, 1, 40000, S("0\r\n\r\n"));
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 2);
    ck_assert_str_eq(type_of(0), "HEAD /h");
    ck_assert_int_eq(t->txns[0].resp_ns, 20000);
    ck_assert_int_eq(t->txns[1].resp_ns, 40000);
    ck_assert_str_eq(t->txns[1].status, "200");
    ck_assert_int_eq(t->nissues, 0);
}
END_TEST

START_TEST(retransmission_and_out_of_order)
{
    craft_init(&c, t, NULL, 40000, 80, 100, 200);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("GET / HTTP/1.1\r\n\r\n"));
    const char *r = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    size_t n = strlen(r);
    uint32_t s0 = c.seq[1];
    craft_raw(&c, 1, 20000, 0x10, s0, r, 20);
    craft_raw(&c, 1, 21000, 0x10, s0 + 30, r + 30, n - 30);   /* ahead of a hole */
    craft_raw(&c, 1, 22000, 0x10, s0, r, 20);                 /* retransmission */
    craft_raw(&c, 1, 23000, 0x10, s0 + 15, r + 15, 15);       /* overlap fills the hole */
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 1);
    ck_assert_str_eq(t->txns[0].status, "200");
    ck_assert_int_eq(t->txns[0].resp_ns, 23000);   /* complete when the hole filled */
    ck_assert_uint_eq(t->txns[0].resp_bytes, n);
    ck_assert_uint_eq(t->flows[0].retrans[1], 2);
    ck_assert_uint_eq(t->flows[0].ooo[1], 1);
    ck_assert_uint_eq(t->flows[0].holes[1], 0);
}
END_TEST

START_TEST(missing_segment_is_a_reported_hole)
{
    craft_init(&c, t, NULL, 40000, 80, 100, 200);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("GET /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\n\r\n"));
    const char *r = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    craft_send(&c, 1, 20000, r, strlen(r));
    uint32_t s1 = c.seq[1];
    craft_raw(&c, 1, 21000, 0x10, s1 + 10, r + 10, strlen(r) - 10);   /* bytes s1..s1+9 never captured */
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 2);
    ck_assert_int_eq(t->txns[0].resp_ns, 20000);
    ck_assert_int_lt(t->txns[1].resp_ns, 0);
    ck_assert_int_eq(t->txns[1].error, 1);
    ck_assert_uint_eq(t->flows[0].holes[1], 1);
    ck_assert_uint_eq(t->flows[0].hole_bytes[1], 10);
    const struct trace_issue *is = issue("hole in a TCP stream (segments missing)");
    ck_assert_ptr_nonnull(is);
    ck_assert_uint_eq(is->first[0], 6);   /* the frame after the hole */
}
END_TEST

START_TEST(memcached_classic_commands)
{
    craft_init(&c, t, NULL, 40000, 11211, 1, 2);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("get a b\r\nset k 0 0 3\r\nxyz\r\nset q 0 0 1 noreply\r\nz\r\ngets zz\r\n"));
    craft_send(&c, 0, 11000, S("delete k\r\nincr n 1\r\nbogus_cmd\r\nstats\r\n"));
    craft_send(&c, 1, 20000, S("VALUE a 0 2\r\nhi\r\nVALUE b 5 1 77\r\nx\r\nEND\r\nSTORED\r\n"));
    craft_send(&c, 1, 21000, S("END\r\nDELETED\r\n5\r\nERROR\r\nSTAT pid 1\r\nSTAT x y\r\nEND\r\n"));
    trace_finish(t);
    ck_assert_int_eq(t->flows[0].proto, PROTO_MEMCACHED);
    ck_assert_uint_eq(t->ntxns, 8);
    const char *types[] = { "get", "set", "set", "gets", "delete", "incr", "other", "stats" };
    const char *st[] = { "hit", "STORED", "noreply", "miss", "DELETED", "value", "ERROR", "END" };
    int64_t resp[] = { 20000, 20000, -1, 21000, 21000, 21000, 21000, 21000 };
    for (size_t i = 0; i < 8; i++) {
        ck_assert_str_eq(type_of(i), types[i]);
        ck_assert_str_eq(t->txns[i].status, st[i]);
        ck_assert_int_eq(t->txns[i].resp_ns, resp[i]);
        ck_assert_int_eq(t->txns[i].error, i == 6);
    }
    ck_assert_int_eq(t->nissues, 0);
}
END_TEST

START_TEST(memcached_meta_and_quiet)
{
    craft_init(&c, t, NULL, 40000, 11211, 1, 2);
    craft_handshake(&c, 0);
    /* k2 misses: quiet mode sends nothing; the opaques tell that HD is ms's. */
    craft_send(&c, 0, 10000, S("mg k1 v q O1\r\nmg k2 v q O2\r\nms k3 2 T0 O3\r\nhi\r\nmg k4 v O4\r\nmn\r\n"));
    craft_send(&c, 1, 20000, S("VA 2 O1\r\nab\r\nHD O3\r\nEN\r\nMN\r\n"));
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 5);
    const char *st[] = { "hit", "quiet", "HD", "miss", "MN" };
    for (size_t i = 0; i < 5; i++) ck_assert_str_eq(t->txns[i].status, st[i]);
    ck_assert_int_lt(t->txns[1].resp_ns, 0);
    ck_assert_int_eq(t->nissues, 0);
}
END_TEST

START_TEST(memcached_binary_is_reported)
{
    craft_init(&c, t, NULL, 40000, 11211, 1, 2);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("get a\r\n\x80\x00\x00\x01garbage\r\n"));
    craft_send(&c, 1, 20000, S("END\r\n"));
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 1);
    const struct trace_issue *is = issue("memcached: unparsable request");
    ck_assert_ptr_nonnull(is);
    ck_assert_uint_eq(is->first[0], 4);
    ck_assert_uint_eq(t->flows[0].unparsed_bytes[0], 13);
}
END_TEST

START_TEST(echo_requests_are_client_segments)
{
    craft_init(&c, t, NULL, 40000, 7, 1, 2);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("hello"));
    craft_send(&c, 1, 12000, S("hel"));
    craft_send(&c, 0, 13000, S("world!"));
    craft_send(&c, 1, 14000, S("lo"));
    craft_send(&c, 1, 19000, S("worle!"));
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 2);
    ck_assert_int_eq(t->txns[0].resp_ns, 14000);
    ck_assert_str_eq(t->txns[0].status, "ok");
    ck_assert_int_eq(t->txns[1].req_ns, 13000);
    ck_assert_int_eq(t->txns[1].resp_ns, 19000);
    ck_assert_str_eq(t->txns[1].status, "mismatch");
    ck_assert_int_eq(t->txns[1].error, 1);
}
END_TEST

START_TEST(sequence_numbers_wrap)
{
    craft_init(&c, t, NULL, 40000, 80, 0xfffffff0u, 0xfffffffau);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("GET /wrap HTTP/1.1\r\n\r\n"));
    craft_send(&c, 1, 20000, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 1);
    ck_assert_str_eq(type_of(0), "GET /wrap");
    ck_assert_int_eq(t->txns[0].resp_ns, 20000);
    ck_assert_uint_eq(t->flows[0].retrans[0] + t->flows[0].retrans[1] + t->flows[0].ooo[1], 0);
}
END_TEST

START_TEST(capture_starting_mid_connection)
{
    /* No SYN: the server is the side on the well-known port, even when the
     * first frame comes from it. */
    craft_init(&c, t, NULL, 40000, 11211, 500, 900);
    craft_send(&c, 1, 5000, S("END\r\n"));          /* reply to a request before the capture */
    craft_send(&c, 0, 10000, S("get k\r\n"));
    craft_send(&c, 1, 20000, S("END\r\n"));
    trace_finish(t);
    ck_assert_uint_eq(t->flows[0].port[1], 11211);
    ck_assert_uint_eq(t->ntxns, 1);
    ck_assert_int_eq(t->txns[0].resp_ns, 20000);
    ck_assert_uint_eq(issue("bytes before the first request (capture started mid-connection)")->first[0], 1);
    ck_assert_uint_eq(t->flows[0].unparsed_bytes[1], 5);
}
END_TEST

START_TEST(port_reuse_makes_a_new_connection)
{
    craft_init(&c, t, NULL, 40000, 80, 100, 200);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("GET /1 HTTP/1.1\r\n\r\n"));
    craft_send(&c, 1, 20000, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    craft_raw(&c, 0, 30000, 0x11, c.seq[0], NULL, 0);
    craft_init(&c, t, NULL, 40000, 80, 77777, 88888);
    craft_handshake(&c, 40000);
    craft_send(&c, 0, 50000, S("GET /2 HTTP/1.1\r\n\r\n"));
    craft_send(&c, 1, 60000, S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    trace_finish(t);
    ck_assert_int_eq(t->nflows, 2);
    ck_assert_uint_eq(t->ntxns, 2);
    ck_assert_str_eq(type_of(1), "GET /2");
    ck_assert_int_eq(t->txns[1].resp_ns, 60000);
}
END_TEST

START_TEST(undecodable_frames_are_counted_with_first_frames)
{
    uint8_t arp[60] = { 0 }, v6[60] = { 0 }, udp[60] = { 0 }, shortf[10] = { 0 };
    arp[12] = 0x08; arp[13] = 0x06;
    v6[12] = 0x86; v6[13] = 0xdd;
    udp[12] = 0x08; udp[14] = 0x45; udp[17] = 46; udp[23] = 17;
    trace_frame(t, TRACE_LINK_ETHERNET, arp, 60, 60, 1);
    trace_frame(t, TRACE_LINK_ETHERNET, v6, 60, 60, 2);
    trace_frame(t, TRACE_LINK_ETHERNET, udp, 60, 60, 3);
    trace_frame(t, TRACE_LINK_ETHERNET, shortf, 10, 10, 4);
    trace_frame(t, TRACE_LINK_ETHERNET, arp, 60, 60, 5);
    craft_init(&c, t, NULL, 40000, 9999, 1, 2);
    craft_handshake(&c, 10);
    craft_send(&c, 0, 20, S("\x01\x02"));
    trace_finish(t);
    ck_assert_uint_eq(issue("ARP")->count, 2);
    ck_assert_uint_eq(issue("ARP")->first[1], 5);
    ck_assert_uint_eq(issue("IPv6 (not supported)")->first[0], 2);
    ck_assert_uint_eq(issue("UDP (not matched)")->first[0], 3);
    ck_assert_uint_eq(issue("link header truncated")->first[0], 4);
    ck_assert_uint_eq(issue("TCP connection of an unknown protocol")->first[0], 9);
    ck_assert_int_eq(t->flows[0].proto, PROTO_UNKNOWN);
}
END_TEST

START_TEST(every_link_type_decodes)
{
    static const int links[] = { TRACE_LINK_ETHERNET, TRACE_LINK_RAW, TRACE_LINK_NULL, TRACE_LINK_LINUX_SLL,
                                 TRACE_LINK_LINUX_SLL2 };
    for (int i = 0; i < 5; i++) {
        ck_assert(trace_link_supported(links[i]));
        craft_init(&c, t, NULL, (uint16_t)(40000 + i), 11211, 1, 2);
        c.link = links[i];
        craft_handshake(&c, i * 100000);
        craft_send(&c, 0, i * 100000 + 10000, S("get k\r\n"));
        craft_send(&c, 1, i * 100000 + 20000, S("END\r\n"));
    }
    ck_assert(!trace_link_supported(147));
    trace_finish(t);
    ck_assert_int_eq(t->nflows, 5);
    ck_assert_uint_eq(t->ntxns, 5);
    for (int i = 0; i < 5; i++) {
        ck_assert_str_eq(t->txns[i].status, "miss");
        ck_assert_int_eq(t->txns[i].resp_ns - t->txns[i].req_ns, 10000);
    }
    ck_assert_int_eq(t->nissues, 0);
}
END_TEST

/* The offsets of each request and response in their streams (what the
 * replay sends and compares), a capture starting mid-connection included. */
START_TEST(offsets_in_the_streams)
{
    craft_init(&c, t, NULL, 40000, 80, 1000, 5000);
    craft_handshake(&c, 0);
    craft_send(&c, 0, 10000, S("GET /a HTTP/1.1\r\n\r\n\r\nGET /b HTTP/1.1\r\n\r\n"));
    craft_send(&c, 1, 20000, S("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 100 Continue\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nyz"));
    struct craft m;   /* memcached, no SYN: the server's first bytes come before any request */
    craft_init(&m, t, NULL, 40001, 11211, 7000, 9000);
    craft_send(&m, 1, 30000, S("END\r\n"));
    craft_send(&m, 0, 31000, S("get k\r\nset k 0 0 1 noreply\r\nv\r\nget k\r\n"));
    craft_send(&m, 1, 32000, S("END\r\nVALUE k 0 1\r\nv\r\nEND\r\n"));
    trace_finish(t);
    ck_assert_uint_eq(t->ntxns, 5);
    struct trace_stream cs, ss;
    trace_flow_stream(t, 0, 0, &cs);
    trace_flow_stream(t, 0, 1, &ss);
    ck_assert_uint_eq(t->txns[0].req_off, 0);
    ck_assert_uint_eq(t->txns[1].req_off, 21);   /* after the blank line */
    ck_assert_uint_eq(t->txns[0].resp_off, 0);
    ck_assert_uint_eq(t->txns[1].resp_off, 64);  /* after the interim answer */
    ck_assert_int_eq(memcmp(cs.data + t->txns[1].req_off, "GET /b", 6), 0);
    ck_assert_int_eq(memcmp(ss.data + t->txns[1].resp_off + t->txns[1].resp_bytes - 2, "yz", 2), 0);
    trace_flow_stream(t, 1, 1, &ss);
    ck_assert_uint_eq(t->txns[2].resp_off, 5);   /* the early END set aside */
    ck_assert_uint_eq(t->txns[4].req_off, 31);
    ck_assert_uint_eq(t->txns[4].resp_off, 10);
    ck_assert_int_eq(memcmp(ss.data + t->txns[4].resp_off, "VALUE k", 7), 0);
}
END_TEST

/* trace_response: where a response ends, given its request. */
START_TEST(response_framing)
{
    uint64_t a, b;
    char st[24];
    const char *get = "GET / HTTP/1.1\r\n\r\n", *head = "HEAD / HTTP/1.1\r\n\r\n";
    const char *r = "\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcNEXT";
    ck_assert_int_eq(trace_response(PROTO_HTTP, (const uint8_t *)get, strlen(get), (const uint8_t *)r, strlen(r), 0,
                                    &a, &b, st, sizeof st), 1);
    ck_assert_uint_eq(a, 27);
    ck_assert_uint_eq(b, strlen(r) - 4);
    ck_assert_str_eq(st, "200");
    ck_assert_int_eq(trace_response(PROTO_HTTP, (const uint8_t *)head, strlen(head), (const uint8_t *)r, strlen(r), 0,
                                    &a, &b, st, sizeof st), 1);
    ck_assert_uint_eq(b, strlen(r) - 7);   /* no body after HEAD */
    for (size_t n = 0; n < strlen(r) - 4; n++)
        ck_assert_int_eq(trace_response(PROTO_HTTP, (const uint8_t *)get, strlen(get), (const uint8_t *)r, n, 0, &a, &b,
                                        st, sizeof st), 0);
    ck_assert_int_eq(trace_response(PROTO_HTTP, (const uint8_t *)get, strlen(get), (const uint8_t *)"HTTX/1.1 200\r\n\r\n",
                                    16, 0, &a, &b, st, sizeof st), -1);
    ck_assert_int_eq(trace_response(PROTO_HTTP, (const uint8_t *)"get", 3, (const uint8_t *)r, strlen(r), 0, &a, &b,
                                    st, sizeof st), -1);
    const char *v = "VALUE k 0 2\r\nab\r\nEND\r\nSTORED\r\n";
    ck_assert_int_eq(trace_response(PROTO_MEMCACHED, (const uint8_t *)"get k\r\n", 7, (const uint8_t *)v, strlen(v), 0,
                                    &a, &b, st, sizeof st), 1);
    ck_assert_uint_eq(a, 0);
    ck_assert_uint_eq(b, 22);
    ck_assert_str_eq(st, "hit");
    ck_assert_int_eq(trace_response(PROTO_MEMCACHED, (const uint8_t *)"get k\r\n", 7, (const uint8_t *)v, 20, 0,
                                    &a, &b, st, sizeof st), 0);
    ck_assert_int_eq(trace_response(PROTO_MEMCACHED, (const uint8_t *)"set k 0 0 1 noreply\r\nv\r\n", 24,
                                    (const uint8_t *)v, strlen(v), 0, &a, &b, st, sizeof st), 1);
    ck_assert_uint_eq(b, 0);
    ck_assert_str_eq(st, "noreply");
    ck_assert_int_eq(trace_response(PROTO_MEMCACHED, (const uint8_t *)"quit\r\n", 6, (const uint8_t *)"", 0, 1, &a, &b,
                                    st, sizeof st), 1);
    ck_assert_str_eq(st, "quit");
    ck_assert_int_eq(trace_response(PROTO_ECHO, (const uint8_t *)"abc", 3, (const uint8_t *)"ab", 2, 0, &a, &b, st,
                                    sizeof st), 0);
    ck_assert_int_eq(trace_response(PROTO_ECHO, (const uint8_t *)"abc", 3, (const uint8_t *)"abd!", 4, 0, &a, &b, st,
                                    sizeof st), 1);
    ck_assert_uint_eq(b, 3);
    ck_assert_str_eq(st, "mismatch");
}
END_TEST

Suite *trace_parse_suite(void);
Suite *trace_parse_suite(void)
{
    Suite *s = suite_create("trace_parse");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, http_pipelined_requests_and_bodies);
    tcase_add_test(tc, http_head_chunked_and_interim);
    tcase_add_test(tc, retransmission_and_out_of_order);
    tcase_add_test(tc, missing_segment_is_a_reported_hole);
    tcase_add_test(tc, memcached_classic_commands);
    tcase_add_test(tc, memcached_meta_and_quiet);
    tcase_add_test(tc, memcached_binary_is_reported);
    tcase_add_test(tc, echo_requests_are_client_segments);
    tcase_add_test(tc, sequence_numbers_wrap);
    tcase_add_test(tc, capture_starting_mid_connection);
    tcase_add_test(tc, port_reuse_makes_a_new_connection);
    tcase_add_test(tc, undecodable_frames_are_counted_with_first_frames);
    tcase_add_test(tc, every_link_type_decodes);
    tcase_add_test(tc, offsets_in_the_streams);
    tcase_add_test(tc, response_framing);
    suite_add_tcase(s, tc);
    return s;
}
