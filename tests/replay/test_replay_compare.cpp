// test_replay_compare.cpp - the replay's comparison of answers on the host
// (sim/replay_compare.cpp): what each protocol compares, what it leaves out
// (the listed exempt fields, no more), and what it says when they differ.
#include <check.h>
#include <string>

#include "replay_compare.h"
extern "C" {
#include "trace.h"
}

namespace {

const std::string get11 = "GET /4k.html HTTP/1.1\r\nHost: 10.77.0.1\r\n\r\n";
const std::string get10 = "GET /4k.html HTTP/1.0\r\nHost: 10.77.0.1\r\n\r\n";

std::string nginx(const std::string &conn, const std::string &len = "5", const std::string &body = "hello")
{
    return "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 30 Nov 2026 07:38:38 GMT\r\n"
           "Content-Type: text/html\r\nContent-Length: " + len +
           "\r\nLast-Modified: Mon, 30 Nov 2026 07:38:33 GMT\r\n" +
           conn + "ETag: \"6b0d27f9-400\"\r\nAccept-Ranges: bytes\r\n\r\n" + body;
}

std::string ours(const std::string &conn, const std::string &extra = "", const std::string &body = "HELLO")
{
    return "HTTP/1.1 200 OK\r\nServer: dlibos-httpd   \r\nContent-Length: 5\r\nContent-Type: text/html\r\n" + conn +
           extra + "\r\n" + body;
}

bool http(const std::string &req, const std::string &ref, const std::string &got, std::string &why,
          const http_docs_t *docs = nullptr)
{
    why.clear();
    return replay_compare(PROTO_HTTP, req, ref, got, docs, why);
}

} // namespace

// The exempt headers, their order, Connection by meaning and body bytes:
// left out. Everything else of the head compared.
START_TEST(http_exempt_fields_only)
{
    std::string why;
    ck_assert_msg(http(get11, nginx("Connection: keep-alive\r\n"), ours(""), why), "%s", why.c_str());
    ck_assert_msg(http(get10, nginx("Connection: close\r\n"), ours(""), why), "%s", why.c_str());
    ck_assert_msg(http(get10, nginx("Connection: close\r\n"), ours("Connection: close\r\n"), why), "%s", why.c_str());
    ck_assert(!http(get11, nginx("Connection: keep-alive\r\n"), ours("Connection: close\r\n"), why));
    ck_assert_str_eq(why.c_str(), "the connection is closed where the real server kept it");
    ck_assert(!http(get11, nginx(""), ours("", "X-Extra: 1\r\n"), why));
    ck_assert_str_eq(why.c_str(), "header 'x-extra: 1' the real server did not send");
    ck_assert(!http(get11, nginx("", "6", "hello!"), ours(""), why));
    ck_assert_str_eq(why.c_str(), "'content-length: 5' where the real server sent 'content-length: 6'");
    std::string noct = ours("");
    noct.replace(noct.find("Content-Type: text/html\r\n"), 25, "");
    ck_assert(!http(get11, nginx(""), noct, why));
    ck_assert_str_eq(why.c_str(), "no content-type header (the real server sent 'content-type: text/html')");
    ck_assert(!http(get11, nginx(""), "HTTP/1.1 200 OK\r\nContent-Len", why));
    ck_assert(why.find("answer without a complete head") == 0);
    // the body's length is compared (a body cut short with a right head)
    ck_assert(!http(get11, nginx(""), ours("", "", "HELL"), why));
    ck_assert_str_eq(why.c_str(), "a body of 4 bytes where the real server's had 5");
}
END_TEST

// Status lines byte for byte; a 404 for a document the real server had
// names the path; error answers compared by status line only.
START_TEST(http_status_and_errors)
{
    std::string why;
    std::string nf = "HTTP/1.1 404 Not Found\r\nServer: dlibos-httpd\r\nContent-Type: text/plain\r\n"
                     "Content-Length: 14\r\n\r\n404 Not Found\n";
    ck_assert(!http("GET /4k.html?x=1 HTTP/1.1\r\n\r\n", nginx(""), nf, why));
    ck_assert_str_eq(why.c_str(), "status 'HTTP/1.1 404 Not Found' where the real server answered 'HTTP/1.1 200 OK' "
                                  "(/4k.html is not a document of deployment.app_args)");
    std::string nginx404 = "HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                           "Content-Length: 153\r\nConnection: keep-alive\r\n\r\n" + std::string(153, 'x');
    ck_assert_msg(http("GET /none HTTP/1.1\r\n\r\n", nginx404, nf, why), "%s", why.c_str());
}
END_TEST

// 2xx body bytes: checked against the simulated httpd's own document.
START_TEST(http_body_against_the_document)
{
    http_docs_t docs;
    char e[256];
    ck_assert_int_eq(http_docs_parse("docs=/4k.html:5", &docs, e, sizeof e), 0);
    std::string body(5, 0);
    http_doc_fill(&docs.doc[0], 0, (uint8_t *)&body[0], 5);
    std::string why;
    ck_assert_msg(http(get11, nginx(""), ours("", "", body), why, &docs), "%s", why.c_str());
    body[3] ^= 1;
    ck_assert(!http(get11, nginx(""), ours("", "", body), why, &docs));
    ck_assert_str_eq(why.c_str(), "body byte 3 is not the byte of /4k.html in deployment.app_args");
    // HEAD: no body on either side
    ck_assert_msg(http("HEAD /4k.html HTTP/1.1\r\n\r\n", nginx("", "5", ""), ours("", "", ""), why, &docs), "%s",
                  why.c_str());
}
END_TEST

START_TEST(memcached_exempt_fields_only)
{
    std::string why;
    auto mc = [&](const std::string &req, const std::string &ref, const std::string &got) {
        why.clear();
        return replay_compare(PROTO_MEMCACHED, req, ref, got, nullptr, why);
    };
    ck_assert(mc("gets a b\r\n", "VALUE a 0 2 17\r\nxy\r\nVALUE b 1 1 18\r\nz\r\nEND\r\n",
                 "VALUE a 0 2 901\r\nxy\r\nVALUE b 1 1 902\r\nz\r\nEND\r\n"));
    ck_assert(!mc("gets a\r\n", "VALUE a 0 2 17\r\nxy\r\nEND\r\n", "VALUE a 0 2 17\r\nxz\r\nEND\r\n"));
    ck_assert(!mc("get a\r\n", "VALUE a 0 2\r\nxy\r\nEND\r\n", "VALUE a 0 2 5\r\nxy\r\nEND\r\n"));   // a CAS unasked
    ck_assert(!mc("get a\r\n", "VALUE a 0 2\r\nxy\r\nEND\r\n", "END\r\n"));
    ck_assert_str_eq(why.c_str(), "answer 'END\\r\\n' where the real server answered 'VALUE a 0 2\\r\\n' (byte 0)");
    ck_assert(mc("mg a v c\r\n", "VA 2 c17\r\nxy\r\n", "VA 2 c4\r\nxy\r\n"));
    ck_assert(mc("stats\r\n", "STAT pid 1\r\nSTAT uptime 5\r\nEND\r\n", "STAT pid 77\r\nEND\r\n"));
    ck_assert(!mc("stats\r\n", "STAT pid 1\r\nEND\r\n", "ERROR\r\n"));
    ck_assert(mc("version\r\n", "VERSION 1.6.18\r\n", "VERSION dlibos 0.1\r\n"));
    ck_assert(!mc("version\r\n", "VERSION 1.6.18\r\n", "ERROR\r\n"));
    ck_assert(!mc("set k 0 0 1\r\nv\r\n", "STORED\r\n", "NOT_STORED\r\n"));
    ck_assert_str_eq(why.c_str(), "answer 'NOT_STORED\\r\\n' where the real server answered 'STORED\\r\\n' (byte 0)");
}
END_TEST

START_TEST(echo_byte_for_byte_and_the_list)
{
    std::string why;
    ck_assert(replay_compare(PROTO_ECHO, "abc", "abc", "abc", nullptr, why));
    ck_assert(!replay_compare(PROTO_ECHO, "abc", "abc", "abd", nullptr, why));
    ck_assert_str_eq(why.c_str(), "answer 'abd' where the real server answered 'abc' (byte 2)");
    ck_assert(replay_exempt(PROTO_ECHO).empty());
    ck_assert_uint_eq(replay_exempt(PROTO_HTTP).size(), 5);
    ck_assert_uint_eq(replay_exempt(PROTO_MEMCACHED).size(), 3);
}
END_TEST

extern "C" Suite *replay_compare_suite(void);
Suite *replay_compare_suite(void)
{
    Suite *s = suite_create("replay_compare");
    TCase *tc = tcase_create("compare");
    tcase_add_test(tc, http_exempt_fields_only);
    tcase_add_test(tc, http_status_and_errors);
    tcase_add_test(tc, http_body_against_the_document);
    tcase_add_test(tc, memcached_exempt_fields_only);
    tcase_add_test(tc, echo_byte_for_byte_and_the_list);
    suite_add_tcase(s, tc);
    return s;
}
