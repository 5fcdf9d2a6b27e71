/* test_libsocket.c - pkg/libsocket's pure logic: socket()'s and the
 * address arguments' checks with the errno each refusal sets, addresses
 * stored back as BSD does (cut to the caller's room, the full length
 * reported), the descriptor table (3 up, EMFILE past it, EBADF for what
 * it does not hold), the server's errors as errno, and IPv4 address text
 * both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <l4/sys/abi.h>
#include <sock.h>
#include "sk.h"

static void test_socket_args(void **state)
{
	int type;
	bool nb;
	assert_int_equal(sk_check_socket(AF_INET, SOCK_STREAM, 0, &type, &nb), 0);
	assert_int_equal(type, SOCK_STREAM);
	assert_false(nb);
	assert_int_equal(sk_check_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP, &type, &nb), 0);
	assert_int_equal(type, SOCK_DGRAM);
	assert_true(nb);
	assert_int_equal(sk_check_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP, &type, &nb), 0);
	assert_int_equal(sk_check_socket(10 /* AF_INET6 */, SOCK_STREAM, 0, &type, &nb), EAFNOSUPPORT);
	assert_int_equal(sk_check_socket(AF_INET, 3 /* SOCK_RAW */, 0, &type, &nb), EINVAL);
	assert_int_equal(sk_check_socket(AF_INET, 0, 0, &type, &nb), EINVAL);
	assert_int_equal(sk_check_socket(AF_INET, SOCK_STREAM, IPPROTO_UDP, &type, &nb), EPROTONOSUPPORT);
	assert_int_equal(sk_check_socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP, &type, &nb), EPROTONOSUPPORT);
}

static void test_addr_args(void **state)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(8080),
				  .sin_addr = { htonl(0x0a00020f) } };
	uint32_t a;
	uint16_t p;
	assert_int_equal(sk_check_addr((struct sockaddr *)&in, sizeof(in), &a, &p), 0);
	assert_int_equal(a, htonl(0x0a00020f));
	assert_int_equal(p, 8080);
	assert_int_equal(sk_check_addr(NULL, sizeof(in), &a, &p), EFAULT);
	assert_int_equal(sk_check_addr((struct sockaddr *)&in, sizeof(in) - 1, &a, &p), EINVAL);
	assert_int_equal(sk_check_addr((struct sockaddr *)&in, 0, &a, &p), EINVAL);
	in.sin_family = 1;
	assert_int_equal(sk_check_addr((struct sockaddr *)&in, sizeof(in), &a, &p), EAFNOSUPPORT);
	/* misaligned and longer than sockaddr_in: fine */
	uint8_t raw[40] = { 0 };
	struct sockaddr_in in2 = { .sin_family = AF_INET, .sin_port = htons(7) };
	memcpy(raw + 1, &in2, sizeof(in2));
	assert_int_equal(sk_check_addr((struct sockaddr *)(raw + 1), 39, &a, &p), 0);
	assert_int_equal(p, 7);
}

static void test_put_addr(void **state)
{
	struct sockaddr_in in;
	socklen_t len = sizeof(in);
	memset(&in, 0xee, sizeof(in));
	sk_put_addr((struct sockaddr *)&in, &len, htonl(0x7f000001), 4242);
	assert_int_equal(len, sizeof(in));
	assert_int_equal(in.sin_family, AF_INET);
	assert_int_equal(ntohs(in.sin_port), 4242);
	assert_int_equal(in.sin_addr.s_addr, htonl(0x7f000001));
	assert_int_equal(in.sin_zero[0], 0);
	/* room for 4 bytes: those written, the length says 16 */
	uint8_t small[8];
	memset(small, 0xee, sizeof(small));
	len = 4;
	sk_put_addr((struct sockaddr *)small, &len, htonl(0x7f000001), 4242);
	assert_int_equal(len, sizeof(in));
	assert_int_equal(small[0], AF_INET);
	assert_int_equal(small[2], 4242 >> 8);
	assert_int_equal(small[4], 0xee);
	/* no room given: nothing written, nothing read */
	sk_put_addr(NULL, &len, 1, 1);
	sk_put_addr((struct sockaddr *)small, NULL, 1, 1);
	assert_int_equal(small[4], 0xee);
}

static void test_fd_table(void **state)
{
	int fds[SK_FDS];
	for (int i = 0; i < SK_FDS; i++) {
		fds[i] = sk_new();
		assert_int_equal(fds[i], SK_FD_BASE + i);
		assert_non_null(sk_get(fds[i]));
	}
	errno = 0;
	assert_int_equal(sk_new(), -1);
	assert_int_equal(errno, EMFILE);
	sk_free(fds[7]);
	errno = 0;
	assert_null(sk_get(fds[7]));
	assert_int_equal(errno, EBADF);
	assert_int_equal(sk_new(), fds[7]);            /* the lowest free one */
	const int bad[] = { -1, 0, 1, 2, SK_FD_BASE + SK_FDS, 1 << 30 };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		assert_null(sk_get(bad[i]));
		assert_int_equal(errno, EBADF);
		sk_free(bad[i]);                        /* harmless */
	}
	for (int i = 0; i < SK_FDS; i++)
		sk_free(fds[i]);
	assert_int_equal(sk_new(), SK_FD_BASE);
	sk_free(SK_FD_BASE);
}

static void test_errno(void **state)
{
	/* <sock.h>'s numbers are <errno.h>'s */
	assert_int_equal(sk_errno(SOCK_EAGAIN), EAGAIN);
	assert_int_equal(sk_errno(SOCK_EMFILE), EMFILE);
	assert_int_equal(sk_errno(SOCK_ECONNREFUSED), ECONNREFUSED);
	assert_int_equal(sk_errno(SOCK_ECONNRESET), ECONNRESET);
	assert_int_equal(sk_errno(SOCK_EADDRINUSE), EADDRINUSE);
	assert_int_equal(sk_errno(SOCK_ENOBUFS), ENOBUFS);
	assert_int_equal(sk_errno(SOCK_ENOTCONN), ENOTCONN);
	assert_int_equal(sk_errno(SOCK_ETIMEDOUT), ETIMEDOUT);
	assert_int_equal(sk_errno(SOCK_EINPROGRESS), EINPROGRESS);
	assert_int_equal(sk_errno(SOCK_EBADF), EBADF);
	/* IPC errors */
	assert_int_equal(sk_errno(-L4_EPERM), EACCES);
	assert_int_equal(sk_errno(-L4_EINVAL), EINVAL);
	assert_int_equal(sk_errno(-L4_ECANCELED), ENETDOWN);
	assert_int_equal(sk_errno(-L4_ENOCAP), ENETDOWN);
}

static void test_inet(void **state)
{
	struct in_addr a;
	assert_int_equal(inet_addr("10.0.2.15"), htonl(0x0a00020f));
	assert_int_equal(inet_addr("0.0.0.0"), 0);
	assert_int_equal(inet_aton("255.255.255.255", &a), 1);
	assert_int_equal(a.s_addr, 0xffffffffu);
	const char *bad[] = { "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4",
			      "1..2.3", "1.2.3.", "a.b.c.d", "1.2.3.1000", "-1.2.3.4" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(inet_aton(bad[i], &a), 0);
		assert_int_equal(inet_addr(bad[i]), INADDR_NONE);
	}
	assert_int_equal(inet_aton(NULL, &a), 0);
	char buf[INET_ADDRSTRLEN];
	uint8_t b[4] = { 192, 168, 100, 255 };
	assert_string_equal(inet_ntop(AF_INET, b, buf, sizeof(buf)), "192.168.100.255");
	errno = 0;
	assert_null(inet_ntop(AF_INET, b, buf, 15));    /* 15 chars and the NUL */
	assert_int_equal(errno, ENOSPC);
	errno = 0;
	assert_null(inet_ntop(10, b, buf, sizeof(buf)));
	assert_int_equal(errno, EAFNOSUPPORT);
	a.s_addr = htonl(0x0a000202);
	assert_string_equal(inet_ntoa(a), "10.0.2.2");
	uint8_t out[4];
	assert_int_equal(inet_pton(AF_INET, "1.2.3.4", out), 1);
	assert_memory_equal(out, ((uint8_t[]){ 1, 2, 3, 4 }), 4);
	assert_int_equal(inet_pton(AF_INET, "1.2.3", out), 0);
	assert_int_equal(inet_pton(10, "::1", out), -1);
	assert_int_equal(errno, EAFNOSUPPORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_args),
		cmocka_unit_test(test_addr_args),
		cmocka_unit_test(test_put_addr),
		cmocka_unit_test(test_fd_table),
		cmocka_unit_test(test_errno),
		cmocka_unit_test(test_inet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
