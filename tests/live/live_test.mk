# live_test.mk - Check suite of live mode (dlsim --tap, sim/live_*): usage
# errors, and as root the DLibOS echo on the chip against Linux's TCP in a
# private network namespace (tests/live/echo_live.sh), the httpd against
# curl, ab and wrk (tests/live/httpd_live.sh), memcached against a Python
# client and libmemcached's tools (tests/live/memcached_live.sh; helpers in
# tests/live/live_lib.sh).
TEST_SRCS   += tests/live/test_live.c
TEST_SUITES += live_suite
