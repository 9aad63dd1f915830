/* test_mc_proto.c - the memcached engine on the host (stack/apps/memcached):
 * exact replies of every command, the script of compare.txt fed whole, split
 * at every byte and with the output refusing room now and then (the same
 * replies), truncated and oversized input, get lines of any length, lines
 * memcached drops the connection for, LRU eviction in a small store, expiry
 * and flush_all in simulated time, the settings of deployment.app_args, and
 * the fuzzer's short run. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_script.h"
#include "test_util.h"

static mc_engine_t eng;

static void eng_up(const char *args)
{
    mc_args_t a;
    char err[256];
    mc_args_default(&a);
    ck_assert_msg(mc_args_parse(args, &a, err, sizeof err) == 0, "%s", err);
    mc_engine_init(&eng, &a);
}

/* Feeds text and checks the replies are exactly want. */
static void talk(const char *in, const char *want)
{
    eng.out.len = 0;
    mc_engine_feed(&eng, in, strlen(in), 0);
    ck_assert_msg(eng.out.len == strlen(want) && !memcmp(eng.out.p, want, eng.out.len),
                  "sent '%s'\ngot  '%.*s'\nwant '%s'", in, (int)eng.out.len, eng.out.p ? eng.out.p : "", want);
}

START_TEST(test_commands)
{
    eng_up("");
    talk("set a 5 0 3\r\nabc\r\n", "STORED\r\n");
    talk("get a b\r\n", "VALUE a 5 3\r\nabc\r\nEND\r\n");
    talk("gets a\r\n", "VALUE a 5 3 1\r\nabc\r\nEND\r\n");
    talk("add a 0 0 1\r\nx\r\nadd b 0 0 1\r\nx\r\n", "NOT_STORED\r\nSTORED\r\n");
    talk("replace c 0 0 1\r\nx\r\nreplace b 3 0 2\r\nyy\r\n", "NOT_STORED\r\nSTORED\r\n");
    talk("append a 0 0 1\r\nd\r\nprepend a 0 0 1\r\n0\r\nget a\r\n", "STORED\r\nSTORED\r\nVALUE a 5 5\r\n0abcd\r\nEND\r\n");
    talk("cas a 0 0 1 1\r\nz\r\ncas nope 0 0 1 1\r\nz\r\n", "EXISTS\r\nNOT_FOUND\r\n");
    talk("gets a\r\n", "VALUE a 5 5 5\r\n0abcd\r\nEND\r\n");
    talk("cas a 0 0 1 5\r\nz\r\nget a\r\n", "STORED\r\nVALUE a 0 1\r\nz\r\nEND\r\n");
    talk("set n 0 0 2\r\n10\r\nincr n 5\r\ndecr n 20\r\nincr x 1\r\nincr a 1\r\n",
         "STORED\r\n15\r\n0\r\nNOT_FOUND\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
    talk("touch n 10\r\ntouch x 10\r\ngat 0 n\r\ngats 0 n\r\n",
         "TOUCHED\r\nNOT_FOUND\r\nVALUE n 0 2\r\n0 \r\nEND\r\nVALUE n 0 2 9\r\n0 \r\nEND\r\n");
    talk("delete n\r\ndelete n\r\n", "DELETED\r\nNOT_FOUND\r\n");
    talk("set q 0 0 1 noreply\r\n1\r\nincr q 1 noreply\r\ndelete q noreply\r\nget q\r\n", "END\r\n");
    talk("flush_all\r\nget a b\r\n", "OK\r\nEND\r\n");
    talk("version\r\nverbosity 1\r\n", "VERSION " MC_VERSION "\r\nOK\r\n");
    talk("bogus\r\n\r\nget\r\n", "ERROR\r\nERROR\r\nERROR\r\n");
    talk("mn\r\nms m 2 c k T0\r\nhi\r\nmg m v s f t k\r\nmg x v\r\nmd m q\r\nmd m\r\n",
         "MN\r\nHD c13 km\r\nVA 2 s2 f0 t-1 km\r\nhi\r\nEN\r\nNF\r\n");
    mc_engine_free(&eng);
}
END_TEST

START_TEST(test_stats_counts)
{
    eng_up("");
    talk("set a 0 0 1\r\n1\r\nget a a b\r\n", "STORED\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nEND\r\n");
    eng.out.len = 0;
    mc_engine_feed(&eng, "stats\r\n", 7, 0);
    ck_assert_ptr_nonnull(strstr(eng.out.p, "STAT get_hits 2\r\n"));
    ck_assert_ptr_nonnull(strstr(eng.out.p, "STAT get_misses 1\r\n"));
    ck_assert_ptr_nonnull(strstr(eng.out.p, "STAT cmd_set 1\r\n"));
    ck_assert_ptr_nonnull(strstr(eng.out.p, "STAT curr_items 1\r\n"));
    ck_assert_ptr_nonnull(strstr(eng.out.p, "STAT limit_maxbytes 67108864\r\n"));
    ck_assert_int_eq(memcmp(eng.out.p + eng.out.len - 5, "END\r\n", 5), 0);
    mc_engine_free(&eng);
}
END_TEST

/* The whole script (compare.txt) fed whole, byte by byte, and with the
 * output refusing every 3rd and every 2nd reservation: the same replies. */
static void run_script(mc_buf_t *all, size_t piece, unsigned refuse, int skip_nosplit)
{
    mc_script_t s;
    mc_script_load("tests/memcached/compare.txt", &s);
    eng_up("");
    eng.refuse = refuse;
    uint64_t cas = 0;
    for (size_t i = 0; i < s.n; i++) {
        mc_buf_t b = { 0 };
        mc_step_bytes(&s.steps[i], cas, &b);
        eng.out.len = 0;
        if (!(skip_nosplit && s.steps[i].nosplit)) mc_engine_feed(&eng, b.p, b.len, piece);
        cas = mc_last_cas(eng.out.p ? eng.out.p : "", eng.out.len, cas);
        char mark[64];
        snprintf(mark, sizeof mark, "<step %d%s>\n", s.steps[i].line, eng.closed ? " closed" : "");
        mc_buf_add(all, mark, strlen(mark));
        if (eng.out.len) mc_buf_add(all, eng.out.p, eng.out.len);
        mc_buf_free(&b);
    }
    mc_engine_free(&eng);
    mc_script_free(&s);
}

static void same(const mc_buf_t *a, const mc_buf_t *b, const char *what)
{
    size_t i = 0;
    while (i < a->len && i < b->len && a->p[i] == b->p[i]) i++;
    ck_assert_msg(a->len == b->len && i == a->len, "%s: replies differ at byte %zu: '%.80s' vs '%.80s'", what, i,
                  a->p + (i < a->len ? i : a->len), b->p + (i < b->len ? i : b->len));
}

START_TEST(test_split_at_every_byte)
{
    mc_buf_t whole = { 0 }, bytes = { 0 };
    run_script(&whole, 0, 0, 1);
    run_script(&bytes, 1, 0, 1);
    ck_assert_uint_gt(whole.len, 1048514);   /* the largest value went through */
    same(&whole, &bytes, "whole vs byte by byte");
    mc_buf_free(&whole);
    mc_buf_free(&bytes);
}
END_TEST

START_TEST(test_output_refusing_room)
{
    mc_buf_t whole = { 0 }, r3 = { 0 }, r2 = { 0 }, r2b = { 0 };
    run_script(&whole, 0, 0, 0);
    run_script(&r3, 0, 3, 0);
    run_script(&r2, 0, 2, 0);
    run_script(&r2b, 7, 2, 1);
    same(&whole, &r3, "every 3rd reservation refused");
    same(&whole, &r2, "every 2nd reservation refused");
    mc_buf_t w1 = { 0 };
    run_script(&w1, 0, 0, 1);
    same(&w1, &r2b, "7-byte pieces, every 2nd reservation refused");
    mc_buf_free(&whole); mc_buf_free(&r3); mc_buf_free(&r2); mc_buf_free(&r2b); mc_buf_free(&w1);
}
END_TEST

START_TEST(test_truncated_and_junk)
{
    eng_up("mem_mb=2");
    /* a data block cut off by the connection's end: its item is freed */
    eng.out.len = 0;
    mc_engine_feed(&eng, "set t 0 0 10\r\n12345", 19, 0);
    ck_assert_uint_eq(eng.out.len, 0);
    mc_conn_end(eng.conn, 0);
    eng.closed = 1;
    talk("get t\r\n", "END\r\n");
    /* an unfinished line over 2048 bytes that is not a get: dropped */
    char *junk = malloc(3000);
    memset(junk, 'x', 3000);
    eng.out.len = 0;
    mc_engine_feed(&eng, "set a 0 0 1\r\n1\r\n", 16, 0);
    mc_engine_feed(&eng, junk, 2049, 0);
    ck_assert_int_eq(eng.closed, 1);
    ck_assert_str_eq(eng.out.p, "STORED\r\n");
    /* 2048 of them are not */
    eng.out.len = 0;
    mc_engine_feed(&eng, junk, 2048, 0);
    ck_assert_int_eq(eng.closed, 0);
    mc_engine_feed(&eng, "\r\n", 2, 0);
    ck_assert_str_eq(eng.out.p, "ERROR\r\n");
    /* a long get line arriving in pieces is served */
    mc_buf_t g = { 0 };
    mc_buf_add(&g, "get", 3);
    for (int i = 0; i < 1500; i++) mc_buf_add(&g, " a", 2);
    mc_buf_add(&g, "\r\n", 2);
    eng.out.len = 0;
    mc_engine_feed(&eng, g.p, g.len, 100);
    ck_assert_int_eq(eng.closed, 0);
    ck_assert_uint_eq(eng.out.len, 1500 * strlen("VALUE a 0 1\r\n1\r\n") + 5);
    free(junk);
    mc_buf_free(&g);
    mc_engine_free(&eng);
}
END_TEST

/* Feeds in pieces (refusing every refuse-th reservation); the replies. */
static void feed_pieces(const mc_buf_t *in, size_t piece, unsigned refuse, mc_buf_t *out)
{
    eng.out.len = 0;
    eng.refuse = refuse;
    mc_engine_feed(&eng, in->p, in->len, piece);
    eng.refuse = 0;
    out->len = 0;
    mc_buf_add(out, eng.out.p ? eng.out.p : "", eng.out.len);
}

/* A get line longer than the line buffer, arriving in pieces (TCP
 * segments), is answered as memcached answers it (any length): the keys
 * answered as they come, the same replies as the line fed whole. */
START_TEST(test_long_get_lines)
{
    eng_up("");
    talk("set k1 0 0 2\r\nv1\r\nset k22 3 0 5\r\nhello\r\n", "STORED\r\nSTORED\r\n");
    const char *v1 = "VALUE k1 0 2\r\nv1\r\n", *v22 = "VALUE k22 3 5\r\nhello\r\n";
    mc_buf_t line = { 0 }, want = { 0 }, got = { 0 };
    /* 200 KB: 25000 x "k1 miss-key k22 ", then a second command */
    mc_buf_add(&line, "get ", 4);
    for (int i = 0; i < 25000; i++) {
        mc_buf_add(&line, "k1 miss-key k22 ", 16);
        mc_buf_add(&want, v1, strlen(v1));
        mc_buf_add(&want, v22, strlen(v22));
    }
    mc_buf_add(&line, "\r\nget k1\r\n", 10);
    mc_buf_add(&want, "END\r\n", 5);
    mc_buf_add(&want, v1, strlen(v1));
    mc_buf_add(&want, "END\r\n", 5);
    static const size_t pieces[] = { 0, 1460, 1, 7, 8191, 8192, 8193, 65536 };
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        for (unsigned refuse = 0; refuse < 3; refuse += 2) {
            feed_pieces(&line, pieces[i], refuse, &got);
            ck_assert_msg(!eng.closed, "pieces of %zu: closed", pieces[i]);
            ck_assert_msg(got.len == want.len && !memcmp(got.p, want.p, want.len),
                          "pieces of %zu, refuse %u: %zu bytes of replies, want %zu", pieces[i], refuse, got.len,
                          want.len);
        }
    }
    /* gets; spaces around the keys; the line ends in spaces (END, not ERROR) */
    line.len = 0;
    mc_buf_add(&line, "gets", 4);
    for (int i = 0; i < 9000; i++) mc_buf_add(&line, " ", 1);
    mc_buf_add(&line, "k22", 3);
    for (int i = 0; i < 20000; i++) mc_buf_add(&line, " ", 1);
    mc_buf_add(&line, "\r\n", 2);
    feed_pieces(&line, 1460, 0, &got);
    ck_assert_str_eq(got.p, "VALUE k22 3 5 2\r\nhello\r\nEND\r\n");
    /* a NUL ends the line's keys (memcached reads it as a C string) */
    line.len = 0;
    mc_buf_add(&line, "get k1 ", 7);
    for (int i = 0; i < 3000; i++) mc_buf_add(&line, "k22 ", 4);
    mc_buf_add(&line, "\0", 1);
    for (int i = 0; i < 3000; i++) mc_buf_add(&line, "k1 ", 3);
    mc_buf_add(&line, "\r\nget k1\r\n", 10);
    want.len = 0;
    mc_buf_add(&want, v1, strlen(v1));
    for (int i = 0; i < 3000; i++) mc_buf_add(&want, v22, strlen(v22));
    mc_buf_add(&want, "END\r\n", 5);
    mc_buf_add(&want, v1, strlen(v1));
    mc_buf_add(&want, "END\r\n", 5);
    for (size_t piece = 1000; piece <= 3000; piece += 2000) {
        feed_pieces(&line, piece, 0, &got);
        ck_assert_msg(got.len == want.len && !memcmp(got.p, want.p, want.len), "NUL, pieces of %zu: '%.60s'",
                      piece, got.p + (got.len > 60 ? got.len - 60 : 0));
    }
    /* one 20 KB key: only the error, the rest of the line skipped */
    line.len = 0;
    mc_buf_add(&line, "get k1 ", 7);
    for (int i = 0; i < 20000; i++) mc_buf_add(&line, "k", 1);
    mc_buf_add(&line, " k1\r\nget k1\r\n", 13);
    feed_pieces(&line, 1460, 0, &got);
    ck_assert_int_eq(eng.closed, 0);
    ck_assert_str_eq(got.p, "CLIENT_ERROR bad command line format\r\nVALUE k1 0 2\r\nv1\r\nEND\r\n");
    /* a key over 250 bytes after the first buffer: memcached answers only
     * the error; the keys answered before it have gone out here */
    line.len = 0;
    mc_buf_add(&line, "get", 3);
    for (int i = 0; i < 4000; i++) mc_buf_add(&line, " k1", 3);
    mc_buf_add(&line, " ", 1);
    for (int i = 0; i < 251; i++) mc_buf_add(&line, "k", 1);
    mc_buf_add(&line, " k1\r\nget k1\r\n", 13);
    feed_pieces(&line, 0, 0, &got);
    ck_assert_str_eq(got.p, "CLIENT_ERROR bad command line format\r\nVALUE k1 0 2\r\nv1\r\nEND\r\n");
    feed_pieces(&line, 1460, 0, &got);
    ck_assert_int_eq(eng.closed, 0);
    const char *tail = "CLIENT_ERROR bad command line format\r\nVALUE k1 0 2\r\nv1\r\nEND\r\n";
    ck_assert_uint_gt(got.len, strlen(tail) + 1000 * strlen(v1));
    ck_assert_str_eq(got.p + got.len - strlen(tail), tail);
    ck_assert_int_eq(memcmp(got.p, v1, strlen(v1)), 0);
    mc_buf_free(&line);
    mc_buf_free(&want);
    mc_buf_free(&got);
    mc_engine_free(&eng);
}
END_TEST

/* Lines of other commands: memcached reads 16 KiB (its read buffer) and
 * drops the connection when they hold no newline; get lines with over 100
 * spaces before the command likewise. */
START_TEST(test_long_other_lines)
{
    eng_up("");
    talk("set k1 0 0 2\r\nv1\r\n", "STORED\r\n");
    mc_buf_t line = { 0 }, got = { 0 };
    for (int extra = 0; extra < 2; extra++) {   /* 16384 bytes with its \r\n, then 16385 */
        line.len = 0;
        mc_buf_add(&line, "gat 0", 5);
        while (line.len < 16384 - 5 - (size_t)extra) mc_buf_add(&line, " k1", 3);
        while (line.len < 16384 - 2 + (size_t)extra) mc_buf_add(&line, "x", 1);
        mc_buf_add(&line, "\r\n", 2);
        ck_assert_uint_eq(line.len, 16384 + (size_t)extra);
        feed_pieces(&line, 0, 0, &got);
        ck_assert_int_eq(eng.closed, extra);
        if (!extra) ck_assert_int_eq(memcmp(got.p, "VALUE k1 0 2\r\n", 14), 0);
    }
    /* split: an unfinished line over 2048 bytes that is not a get is dropped */
    feed_pieces(&line, 4096, 0, &got);
    ck_assert_int_eq(eng.closed, 1);
    line.len = 0;
    for (int i = 0; i < 101; i++) mc_buf_add(&line, " ", 1);
    mc_buf_add(&line, "get", 3);
    for (int i = 0; i < 6000; i++) mc_buf_add(&line, " k1", 3);
    mc_buf_add(&line, "\r\n", 2);
    feed_pieces(&line, 0, 0, &got);
    ck_assert_int_eq(eng.closed, 1);
    feed_pieces(&line, 1460, 0, &got);
    ck_assert_int_eq(eng.closed, 1);
    ck_assert_uint_eq(got.len, 0);
    mc_buf_free(&line);
    mc_buf_free(&got);
    mc_engine_free(&eng);
}
END_TEST

/* 4 MiB of item memory (four 1 MiB pages): storing 8 MiB of 1000-byte
 * values evicts the least recently used of their class; a key read all
 * along stays (another class). */
START_TEST(test_lru_eviction)
{
    eng_up("mem_mb=4");
    char cmd[1200];
    char val[1000];
    memset(val, 'v', sizeof val);
    talk("set keep 0 0 1\r\nk\r\n", "STORED\r\n");
    for (int i = -1; i < 8000; i++) {   /* -1: "old", stored first */
        int n = i < 0 ? snprintf(cmd, sizeof cmd, "set old 0 0 1000\r\n")
                      : snprintf(cmd, sizeof cmd, "set key%d 0 0 1000\r\n", i);
        memcpy(cmd + n, val, 1000);
        memcpy(cmd + n + 1000, "\r\n", 2);
        eng.out.len = 0;
        mc_engine_feed(&eng, cmd, (size_t)n + 1002, 0);
        ck_assert_str_eq(eng.out.p, "STORED\r\n");
        if (i % 100 == 0) talk("get keep\r\n", "VALUE keep 0 1\r\nk\r\nEND\r\n");
    }
    mc_store_stats_t *s = mc_store_stats(eng.st);
    ck_assert_uint_gt(s->evictions, 4000);
    ck_assert_uint_lt(s->curr_items, 4000);
    ck_assert_uint_eq(s->evictions + s->curr_items, 8000 + 2);
    talk("get old key0 key1\r\n", "END\r\n");   /* the oldest went */
    eng.out.len = 0;
    mc_engine_feed(&eng, "get key7999\r\n", 13, 0);
    ck_assert_uint_eq(eng.out.len, strlen("VALUE key7999 0 1000\r\n") + 1002 + 5);
    /* an item no class can make room for: every page is taken */
    talk("set huge 0 0 900000\r\n", "SERVER_ERROR out of memory storing object\r\n");
    mc_engine_free(&eng);
}
END_TEST

START_TEST(test_expiry_in_simulated_time)
{
    eng_up("epoch=1700000000");
    talk("set r 0 10 1\r\n1\r\nset a 0 1700000005 1\r\n2\r\nset n 0 0 1\r\n3\r\n", "STORED\r\nSTORED\r\nSTORED\r\n");
    eng.now_ns = 4900000000ull;   /* 4.9 s */
    talk("get r a n\r\n", "VALUE r 0 1\r\n1\r\nVALUE a 0 1\r\n2\r\nVALUE n 0 1\r\n3\r\nEND\r\n");
    eng.now_ns = 5000000000ull;
    talk("get r a\r\n", "VALUE r 0 1\r\n1\r\nEND\r\n");
    talk("mg r t\r\n", "HD t5\r\n");
    eng.now_ns = 10000000000ull;
    talk("get r n\r\n", "VALUE n 0 1\r\n3\r\nEND\r\n");
    talk("touch n 2\r\nflush_all 3\r\nset m 0 0 1\r\n4\r\n", "TOUCHED\r\nOK\r\nSTORED\r\n");
    eng.now_ns = 11500000000ull;
    talk("get n m\r\n", "VALUE n 0 1\r\n3\r\nVALUE m 0 1\r\n4\r\nEND\r\n");
    eng.now_ns = 12000000000ull;   /* n's 2 s are over; the flush acts 1 s before its time, as memcached's */
    talk("get n m\r\n", "END\r\n");
    eng.now_ns = 13000000000ull;
    talk("set z 0 0 1\r\n5\r\n", "STORED\r\n");
    eng.now_ns = 14000000000ull;   /* what was stored after it stays */
    talk("get z m\r\n", "VALUE z 0 1\r\n5\r\nEND\r\n");
    mc_engine_free(&eng);
}
END_TEST

START_TEST(test_app_args)
{
    mc_args_t a;
    char err[256];
    mc_args_default(&a);
    ck_assert_int_eq(mc_args_parse("mem_mb=8,item_max=65536,factor=1.5,hash_power=10,port=1234,epoch=1800000000",
                                   &a, err, sizeof err), 0);
    ck_assert_uint_eq(a.s.mem_bytes, 8u << 20);
    ck_assert_uint_eq(a.s.item_max, 65536);
    ck_assert_uint_eq(a.s.factor_pct, 150);
    ck_assert_uint_eq(a.port, 1234);
    static const char *const bad[][2] = {
        { "mem_mb=0", "mem_mb = '0': expected" }, { "memmb=1", "unknown key 'memmb'" },
        { "item_max=12x", "item_max = '12x'" }, { "factor=5", "factor = '5'" }, { "mem_mb", "is not key=value" },
        { "port=70000", "port = '70000'" }, { "mem_mb=1,item_max=2097152", "item_max = 2097152 is larger" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mc_args_default(&a);
        ck_assert_int_eq(mc_args_parse(bad[i][0], &a, err, sizeof err), -1);
        ck_assert_msg(strstr(err, bad[i][1]) && strstr(err, "deployment.app_args"), "'%s': %s", bad[i][0], err);
    }
}
END_TEST

START_TEST(fuzz_short_run_finds_nothing)
{
    char cmd[1024], out[65536];
    const char *dir = test_temp_dir();
    snprintf(cmd, sizeof cmd, "%s/mc_fuzz -runs=30000 -seed=1 -max_len=4096 -artifact_prefix=%s/ %s 2>&1",
             test_build_dir(), dir, dir);
    int rc = test_run(cmd, out, sizeof out);
    ck_assert_msg(rc == 0 && strstr(out, "Done 30000 runs"), "mc_fuzz failed (exit %d):\n%s", rc, out);
}
END_TEST

Suite *mc_proto_suite(void);
Suite *mc_proto_suite(void)
{
    Suite *s = suite_create("mc_proto");
    TCase *tc = tcase_create("engine");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_commands);
    tcase_add_test(tc, test_stats_counts);
    tcase_add_test(tc, test_split_at_every_byte);
    tcase_add_test(tc, test_output_refusing_room);
    tcase_add_test(tc, test_truncated_and_junk);
    tcase_add_test(tc, test_long_get_lines);
    tcase_add_test(tc, test_long_other_lines);
    tcase_add_test(tc, test_lru_eviction);
    tcase_add_test(tc, test_expiry_in_simulated_time);
    tcase_add_test(tc, test_app_args);
    tcase_add_test(tc, fuzz_short_run_finds_nothing);
    suite_add_tcase(s, tc);
    return s;
}
