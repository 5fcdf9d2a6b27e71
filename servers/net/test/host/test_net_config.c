/* test_net_config.c - servers/net's args= parser (server/config.c): every
 * accepted form, and refusals that name the argument and the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"

static uint32_t ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t v[4] = { a, b, c, d };
	uint32_t r;
	memcpy(&r, v, 4);
	return r;
}

#define PARSE(cfg, err, ...) ({ \
	char *argv_[] = { "net", __VA_ARGS__ }; \
	net_config_parse(cfg, (int)(sizeof(argv_) / sizeof(argv_[0])), argv_, err, sizeof(err)); })

static void test_default_is_dhcp(void **state)
{
	struct net_config c;
	char err[128];
	char *argv[] = { "net" };
	assert_int_equal(net_config_parse(&c, 1, argv, err, sizeof(err)), 0);
	assert_true(c.dhcp);
	assert_int_equal(c.addr, 0);
	assert_int_equal(c.link, NET_LINK_DUMMY);
}

static void test_static(void **state)
{
	struct net_config c;
	char err[128];
	assert_int_equal(PARSE(&c, err, "addr=10.0.2.15/24", "gw=10.0.2.2", "link=dummy"), 0);
	assert_false(c.dhcp);
	assert_int_equal(c.addr, ip(10, 0, 2, 15));
	assert_int_equal(c.mask, ip(255, 255, 255, 0));
	assert_int_equal(c.gw, ip(10, 0, 2, 2));
	assert_int_equal(PARSE(&c, err, "addr=192.168.200.1/17"), 0);
	assert_int_equal(c.mask, ip(255, 255, 128, 0));
	assert_int_equal(c.gw, 0);
	assert_int_equal(PARSE(&c, err, "addr=10.1.2.3/8"), 0);
	assert_int_equal(c.mask, ip(255, 0, 0, 0));
	assert_int_equal(PARSE(&c, err, "addr=255.255.255.1/30", "link=e1000"), 0);
	assert_int_equal(c.link, NET_LINK_E1000);
	assert_int_equal(c.mask, ip(255, 255, 255, 252));
}

static void test_fallback_and_iperf(void **state)
{
	struct net_config c;
	char err[128];
	assert_int_equal(PARSE(&c, err, "fallback=10.0.3.1/24", "gw=10.0.3.2", "dhcp-wait=2000"), 0);
	assert_true(c.dhcp);
	assert_true(c.fallback);
	assert_int_equal(c.addr, ip(10, 0, 3, 1));
	assert_int_equal(c.mask, ip(255, 255, 255, 0));
	assert_int_equal(c.gw, ip(10, 0, 3, 2));
	assert_int_equal(c.dhcp_wait_ms, 2000);
	assert_int_equal(c.iperf_port, 0);
	assert_int_equal(c.iperf_to_port, 0);
	assert_int_equal(PARSE(&c, err, "fallback=10.0.3.1/24"), 0);
	assert_int_equal(c.dhcp_wait_ms, NET_DHCP_WAIT_DEFAULT);
	assert_int_equal(c.gw, 0);
	assert_int_equal(PARSE(&c, err, "iperf=5001", "iperf-to=10.0.2.100:65535", "tx-buffers=8"), 0);
	assert_int_equal(c.tx_buffers, 8);
	assert_true(c.offload);                 /* the default */
	assert_true(c.dhcp);
	assert_false(c.fallback);
	assert_int_equal(c.iperf_port, 5001);
	assert_int_equal(c.iperf_to, ip(10, 0, 2, 100));
	assert_int_equal(c.iperf_to_port, 65535);
}

static void test_socket_limits(void **state)
{
	struct net_config c;
	char err[128];
	assert_int_equal(PARSE(&c, err, "link=dummy"), 0);
	assert_int_equal(c.socks, 16);
	assert_int_equal(c.sockmem, 256 * 1024);
	assert_int_equal(PARSE(&c, err, "socks=256", "sockmem=16M"), 0);
	assert_int_equal(c.socks, 256);
	assert_int_equal(c.sockmem, 16u << 20);
	assert_int_equal(PARSE(&c, err, "socks=1", "sockmem=4096"), 0);
	assert_int_equal(c.socks, 1);
	assert_int_equal(c.sockmem, 4096);
	assert_int_equal(PARSE(&c, err, "sockmem=64K"), 0);
	assert_int_equal(c.sockmem, 65536);
	assert_int_equal(PARSE(&c, err, "offload=off"), 0);
	assert_false(c.offload);
	assert_int_equal(PARSE(&c, err, "offload=on"), 0);
	assert_true(c.offload);
}

static const struct {
	const char *args[3];
	const char *message;
} refused[] = {
	{ { "addr=10.0.2.15" }, "argument 'addr=10.0.2.15': expected addr=A.B.C.D/N" },
	{ { "addr=10.0.2/24" }, "argument 'addr=10.0.2/24': expected addr=A.B.C.D/N" },
	{ { "addr=10.0.2.256/24" }, "argument 'addr=10.0.2.256/24': expected addr=A.B.C.D/N" },
	{ { "addr=10.0.02.1/24" }, "argument 'addr=10.0.02.1/24': expected addr=A.B.C.D/N" },
	{ { "addr=10.0.2.1000/24" }, "argument 'addr=10.0.2.1000/24': expected addr=A.B.C.D/N" },
	{ { "addr=-1.0.2.1/24" }, "argument 'addr=-1.0.2.1/24': expected addr=A.B.C.D/N" },
	{ { "addr=10.0.2.15/" }, "argument 'addr=10.0.2.15/': the prefix length must be 1..30" },
	{ { "addr=10.0.2.15/0" }, "argument 'addr=10.0.2.15/0': the prefix length must be 1..30" },
	{ { "addr=10.0.2.15/31" }, "argument 'addr=10.0.2.15/31': the prefix length must be 1..30" },
	{ { "addr=10.0.2.15/24x" }, "argument 'addr=10.0.2.15/24x': the prefix length must be 1..30" },
	{ { "addr=10.0.2.15/0024" }, "argument 'addr=10.0.2.15/0024': the prefix length must be 1..30" },
	{ { "addr=10.0.2.0/24" }, "argument 'addr=10.0.2.0/24': the network's or its broadcast address" },
	{ { "addr=10.0.2.255/24" }, "argument 'addr=10.0.2.255/24': the network's or its broadcast address" },
	{ { "addr=10.0.2.1/24", "addr=10.0.2.2/24" }, "argument 'addr=10.0.2.2/24': a second address (addr= or fallback=)" },
	{ { "addr=10.0.2.1/24", "fallback=10.0.2.2/24" }, "argument 'fallback=10.0.2.2/24': a second address (addr= or fallback=)" },
	{ { "fallback=10.0.2.1/24", "addr=10.0.2.2/24" }, "argument 'addr=10.0.2.2/24': a second address (addr= or fallback=)" },
	{ { "fallback=10.0.2.1" }, "argument 'fallback=10.0.2.1': expected fallback=A.B.C.D/N" },
	{ { "fallback=10.0.2.1/31" }, "argument 'fallback=10.0.2.1/31': the prefix length must be 1..30" },
	{ { "fallback=10.0.2.1/24", "dhcp-wait=99" }, "argument 'dhcp-wait=99': expected milliseconds, 100..600000" },
	{ { "fallback=10.0.2.1/24", "dhcp-wait=600001" }, "argument 'dhcp-wait=600001': expected milliseconds, 100..600000" },
	{ { "fallback=10.0.2.1/24", "dhcp-wait=01000" }, "argument 'dhcp-wait=01000': expected milliseconds, 100..600000" },
	{ { "fallback=10.0.2.1/24", "dhcp-wait=" }, "argument 'dhcp-wait=': expected milliseconds, 100..600000" },
	{ { "fallback=10.0.2.1/24", "dhcp-wait=100", "dhcp-wait=200" }, "argument 'dhcp-wait=200': a second dhcp-wait=" },
	{ { "dhcp-wait=1000" }, "argument 'dhcp-wait=': only with fallback= (without one DHCP keeps asking)" },
	{ { "addr=10.0.2.1/24", "dhcp-wait=1000" }, "argument 'dhcp-wait=': only with fallback= (without one DHCP keeps asking)" },
	{ { "tx-buffers=0" }, "argument 'tx-buffers=0': expected a number of buffers, 1..4096" },
	{ { "tx-buffers=4097" }, "argument 'tx-buffers=4097': expected a number of buffers, 1..4096" },
	{ { "tx-buffers=8", "tx-buffers=9" }, "argument 'tx-buffers=9': a second tx-buffers=" },
	{ { "offload=yes" }, "argument 'offload=yes': expected offload=on or offload=off" },
	{ { "offload=" }, "argument 'offload=': expected offload=on or offload=off" },
	{ { "offload=on", "offload=off" }, "argument 'offload=off': a second offload=" },
	{ { "iperf=0" }, "argument 'iperf=0': expected a TCP port, 1..65535" },
	{ { "iperf=65536" }, "argument 'iperf=65536': expected a TCP port, 1..65535" },
	{ { "iperf=5001", "iperf=5002" }, "argument 'iperf=5002': a second iperf=" },
	{ { "iperf-to=10.0.2.2" }, "argument 'iperf-to=10.0.2.2': expected iperf-to=A.B.C.D:PORT" },
	{ { "iperf-to=10.0.2.2:x" }, "argument 'iperf-to=10.0.2.2:x': expected iperf-to=A.B.C.D:PORT" },
	{ { "iperf-to=10.0.2.2:5001", "iperf-to=10.0.2.2:5001" }, "argument 'iperf-to=10.0.2.2:5001': a second iperf-to=" },
	{ { "gw=10.0.2.2" }, "argument 'gw=': a gateway needs addr= or fallback= (DHCP gives its own)" },
	{ { "addr=10.0.2.1/24", "gw=10.0.3.1" }, "argument 'gw=': the gateway is not in the address's network" },
	{ { "fallback=10.0.2.1/24", "gw=10.0.3.1" }, "argument 'gw=': the gateway is not in the address's network" },
	{ { "addr=10.0.2.1/24", "gw=10.0.2.2", "gw=10.0.2.3" }, "argument 'gw=10.0.2.3': a second gw=" },
	{ { "gw=10.0.2" }, "argument 'gw=10.0.2': expected gw=A.B.C.D" },
	{ { "socks=0" }, "argument 'socks=0': expected socks=1..256" },
	{ { "socks=257" }, "argument 'socks=257': expected socks=1..256" },
	{ { "socks=1K" }, "argument 'socks=1K': expected socks=1..256" },
	{ { "sockmem=4095" }, "argument 'sockmem=4095': expected sockmem=4K..16M" },
	{ { "sockmem=17M" }, "argument 'sockmem=17M': expected sockmem=4K..16M" },
	{ { "sockmem=1G" }, "argument 'sockmem=1G': expected sockmem=4K..16M" },
	{ { "sockmem=9999999999" }, "argument 'sockmem=9999999999': expected sockmem=4K..16M" },
	{ { "link=ne2000" }, "argument 'link=ne2000': unknown link (known: dummy, e1000)" },
	{ { "addr" }, "argument 'addr': unknown (known: addr= fallback= gw= dhcp-wait= link= tx-buffers= offload= iperf= iperf-to= socks= sockmem=)" },
	{ { "" }, "argument '': unknown (known: addr= fallback= gw= dhcp-wait= link= tx-buffers= offload= iperf= iperf-to= socks= sockmem=)" },
};

static void test_refused(void **state)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct net_config c;
		char err[128] = "";
		char *argv[4] = { "net" };
		int argc = 1;
		while (argc < 4 && refused[i].args[argc - 1])
			argv[argc] = (char *)refused[i].args[argc - 1], argc++;
		if (net_config_parse(&c, argc, argv, err, sizeof(err)) != -1)
			fail_msg("case %zu (%s) accepted", i, refused[i].args[0]);
		assert_string_equal(err, refused[i].message);
	}
}

/* A message longer than the buffer is cut, never overrun (ASan). */
static void test_short_buffer(void **state)
{
	struct net_config c;
	char err[8];
	assert_int_equal(PARSE(&c, err, "nonsense-argument-of-some-length"), -1);
	assert_string_equal(err, "argumen");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_is_dhcp),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_fallback_and_iperf),
		cmocka_unit_test(test_socket_limits),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_short_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
