# sock_test.mk - Check suites of the socket interface (tests/sock): the
# messages of abi/sock.h, the app library against a fake stack, the stack
# side against honest and hostile apps, over an in-memory fabric.
TEST_SRCS   += tests/sock/sock_fake.c tests/sock/test_sock_abi.c tests/sock/test_sock_app.c \
               tests/sock/test_sock_stack.c
TEST_SUITES += sock_abi_suite sock_app_suite sock_stack_suite
