/* test_lwip_port.c - Minnow's lwIP port on the host (cmocka, ASan/UBSan):
 * lwIP built from the fetched Debian source with pkg/lwip's lwipopts.h and
 * arch/cc.h, two netifs of the one stack joined by memlink (frames through
 * a queue), and the scenarios pkg/lwiptest runs in the guest.  Each case
 * starts from a fresh link (its ARP cache empty).
 *
 * The 1 MiB stream's FNV-1a 64, computed in Python from lt_stream_byte's
 * definition (x = (i + 1) * 0x9e3779b97f4a7c15 mod 2^64, byte = (x ^ x >> 29)
 * >> 24 & 0xff), is 75bf57b2517d53b3; the guest's run script expects it too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lwip/stats.h>
#include <lwip/memp.h>
#include <string.h>
#include "scenarios.h"

#define STREAM_1MIB_FNV 0x75bf57b2517d53b3ull

static int setup(void **state)
{
	static struct lt_ctx ctx;
	if (lt_setup(&ctx)) {
		print_error("%s\n", ctx.why);
		return -1;
	}
	*state = &ctx;
	return 0;
}

static int teardown(void **state)
{
	lt_teardown(*state);
	return 0;
}

#define CHECK_SCENARIO(c, call) do { \
	int r_ = (call); \
	if (r_) \
		fail_msg("%s", (c)->why); \
} while (0)

static void test_stream_hash(void **state)
{
	uint64_t h = LT_FNV_INIT;
	for (uint64_t i = 0; i < 1024 * 1024; i++) {
		uint8_t b = lt_stream_byte(i);
		h = lt_fnv1a(h, &b, 1);
	}
	assert_int_equal(h, STREAM_1MIB_FNV);
}

static void test_arp(void **state)
{
	struct lt_ctx *c = *state;
	CHECK_SCENARIO(c, lt_arp(c));
}

static void test_ping(void **state)
{
	struct lt_ctx *c = *state;
	u32_t before = lwip_stats.icmp.xmit;
	CHECK_SCENARIO(c, lt_ping(c, 16));
	/* the replies came from lwIP's ICMP at 10.0.9.2, one each */
	assert_int_equal(lwip_stats.icmp.xmit - before, 16);
}

static void test_udp(void **state)
{
	struct lt_ctx *c = *state;
	CHECK_SCENARIO(c, lt_udp(c, 1000));
	assert_int_equal(c->link.end[0].dropped + c->link.end[1].dropped, 0);
}

static void test_tcp_echo_1mib(void **state)
{
	struct lt_ctx *c = *state;
	uint64_t sent, recv;
	CHECK_SCENARIO(c, lt_tcp_echo(c, 1024 * 1024, &sent, &recv));
	assert_int_equal(sent, STREAM_1MIB_FNV);
	assert_int_equal(recv, STREAM_1MIB_FNV);
	assert_int_equal(lwip_stats.tcp.chkerr, 0);
	assert_int_equal(c->link.end[0].dropped + c->link.end[1].dropped, 0);
}

/* Frames lost on the wire: a segment of the stream to 10.0.9.2 and one of
 * the echo to 10.0.9.1; TCP retransmits, and the stream arrives whole. */
static void test_tcp_after_loss(void **state)
{
	struct lt_ctx *c = *state;
	uint64_t sent, recv;
	/* counted from now: ARP, the handshake, then data both ways */
	c->link.end[0].drop_at = c->link.end[0].sent_to + 50;
	c->link.end[1].drop_at = c->link.end[1].sent_to + 40;
	CHECK_SCENARIO(c, lt_tcp_echo(c, 256 * 1024, &sent, &recv));
	assert_int_equal(sent, recv);
	assert_int_equal(c->link.end[0].dropped + c->link.end[1].dropped, 2);
}

/* Every pool back to where it was: the scenarios free what they take. */
static void test_no_leak(void **state)
{
	struct lt_ctx *c = *state;
	uint64_t sent, recv;
	CHECK_SCENARIO(c, lt_udp(c, 10));
	u16_t pbufs = lwip_stats.memp[MEMP_PBUF_POOL]->used;
	u16_t udp = lwip_stats.memp[MEMP_UDP_PCB]->used;
	CHECK_SCENARIO(c, lt_udp(c, 100));
	CHECK_SCENARIO(c, lt_tcp_echo(c, 256 * 1024, &sent, &recv));
	assert_int_equal(lwip_stats.memp[MEMP_PBUF_POOL]->used, pbufs);
	assert_int_equal(lwip_stats.memp[MEMP_UDP_PCB]->used, udp);
	assert_int_equal(lwip_stats.memp[MEMP_TCP_PCB_LISTEN]->used, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_hash),
		cmocka_unit_test_setup_teardown(test_arp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_echo_1mib, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tcp_after_loss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_leak, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
