/* test_net_netif.c - servers/net's netif layer (server/netif.c) over the
 * link interface (server/link.h), with the real lwIP: two interfaces of
 * one stack on a "pipe" link of this file's (each end's transmit queues a
 * copy for the other's receive), as the e1000 link will be driven - the
 * loop calls net_netif_poll, lwIP calls transmit.  ARP across the pipe,
 * counters on both sides, a refused transmit counted, the receive budget
 * kept, a link without carrier silent, DHCP started without addr=. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lwip/dhcp.h>
#include <lwip/etharp.h>
#include <lwip/init.h>
#include <lwip/stats.h>
#include <l4/sys/abi.h>
#include "netif.h"

#define QLEN 256

struct pipe_end {
	struct net_link link;
	struct pbuf *q[QLEN];
	unsigned head, count;
	int refuse;                     /* transmit says "no buffer" */
	struct pipe_end *peer;
};

static int pipe_transmit(struct net_link *l, struct pbuf *p)
{
	struct pipe_end *self = l->priv, *peer = self->peer;
	if (self->refuse || peer->count == QLEN)
		return -L4_ENOMEM;
	struct pbuf *q = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_POOL);
	if (q == NULL)
		return -L4_ENOMEM;
	pbuf_copy(q, p);                /* lwIP keeps p (link.h) */
	peer->q[(peer->head + peer->count++) % QLEN] = q;
	return 0;
}

static unsigned pipe_receive(struct net_link *l, struct netif *netif, unsigned budget)
{
	struct pipe_end *self = l->priv;
	unsigned n = 0;
	while (n < budget && self->count) {
		struct pbuf *p = self->q[self->head];
		self->head = (self->head + 1) % QLEN;
		self->count--;
		if (netif->input(p, netif) != ERR_OK)
			pbuf_free(p);
		n++;
	}
	return n;
}

static int pipe_idle(struct net_link *l)
{
	return ((struct pipe_end *)l->priv)->count != 0;
}

static const struct net_link_ops pipe_ops = { pipe_transmit, pipe_receive, pipe_idle, 0 };

static struct pipe_end end[2];
static struct netif nif[2];

static uint32_t ip(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	uint8_t v[4] = { a, b, c, d };
	uint32_t r;
	memcpy(&r, v, 4);
	return r;
}

static void pipe_init(int i, int up)
{
	memset(&end[i], 0, sizeof(end[i]));
	end[i].peer = &end[!i];
	end[i].link = (struct net_link){
		.ops = &pipe_ops, .kind = "pipe", .mac = { 2, 0, 0, 0, 7, (uint8_t)(i + 1) },
		.mtu = 1500, .up = up, .wake_bits = 1, .priv = &end[i],
	};
}

static int setup(void **state)
{
	static int lwip_up;
	if (!lwip_up) {
		lwip_init();
		lwip_up = 1;
	}
	pipe_init(0, 1);        /* both ends before either speaks */
	pipe_init(1, 1);
	for (int i = 0; i < 2; i++) {
		struct net_config cfg = { .addr = ip(10, 0, 7, (uint8_t)(i + 1)),
					  .mask = ip(255, 255, 255, 0) };
		if (net_netif_add(&nif[i], &end[i].link, &cfg))
			return -1;
	}
	return 0;
}

static void drain(struct pipe_end *e)
{
	while (e->count) {
		pbuf_free(e->q[e->head]);
		e->head = (e->head + 1) % QLEN;
		e->count--;
	}
}

static int teardown(void **state)
{
	for (int i = 0; i < 2; i++) {
		netif_remove(&nif[i]);
		drain(&end[i]);
	}
	return 0;
}

/* What the event loop does when a link's bit wakes it. */
static void run(void)
{
	for (int round = 0; round < 100; round++)
		for (int i = 0; i < 2; i++)
			net_netif_poll(&nif[i], 64);
}

static void test_arp_over_the_links(void **state)
{
	/* carrier up: each end announced itself (gratuitous ARP) */
	assert_int_equal(end[0].link.tx, 1);
	assert_int_equal(end[1].link.tx, 1);
	assert_true(netif_is_link_up(&nif[0]));
	run();
	assert_int_equal(end[0].link.rx, 1);
	ip4_addr_t b;
	ip4_addr_set_u32(&b, ip(10, 0, 7, 2));
	assert_int_equal(etharp_query(&nif[0], &b, NULL), ERR_OK);
	run();
	struct eth_addr *eth;
	const ip4_addr_t *found;
	assert_true(etharp_find_addr(&nif[0], &b, &eth, &found) >= 0);
	assert_memory_equal(eth->addr, end[1].link.mac, 6);
	/* request and reply each crossed once more */
	assert_int_equal(end[0].link.tx, 2);
	assert_int_equal(end[1].link.rx, 2);
	assert_int_equal(end[1].link.tx, 2);
	assert_int_equal(end[0].link.rx, 2);
	assert_int_equal(end[0].link.tx_drop + end[1].link.tx_drop, 0);
}

static void test_refused_transmit_is_counted(void **state)
{
	STAT_COUNTER drops = lwip_stats.link.drop;
	end[0].refuse = 1;
	ip4_addr_t b;
	ip4_addr_set_u32(&b, ip(10, 0, 7, 2));
	etharp_query(&nif[0], &b, NULL);        /* (lwIP's ARP ignores linkoutput's result) */
	assert_int_equal(end[0].link.tx_drop, 1);
	assert_int_equal(end[0].link.tx, 1);    /* the gratuitous ARP only */
	assert_int_equal(lwip_stats.link.drop, drops + 1);
	assert_int_equal(end[1].count, 1);      /* nothing reached the peer */
}

static void test_receive_budget(void **state)
{
	run();
	for (int i = 0; i < 100; i++)   /* 100 announcements from end 1 */
		etharp_gratuitous(&nif[1]);
	assert_int_equal(end[0].count, 100);
	assert_int_equal(net_netif_poll(&nif[0], 64), 64);
	assert_int_equal(net_netif_poll(&nif[0], 64), 36);
	assert_int_equal(net_netif_poll(&nif[0], 64), 0);
	assert_int_equal(end[0].link.rx, 101);
}

static void test_no_carrier_no_dhcp_address(void **state)
{
	struct netif n;
	static struct pipe_end saved;
	saved = end[0];
	pipe_init(0, 0);
	struct net_config cfg = { .dhcp = 1 };
	assert_int_equal(net_netif_add(&n, &end[0].link, &cfg), 0);
	assert_false(netif_is_link_up(&n));
	assert_non_null(netif_dhcp_data(&n));   /* DHCP waits for the carrier */
	run();
	assert_int_equal(end[0].link.tx, 0);    /* and sends nothing without it */
	assert_int_equal(ip4_addr_get_u32(netif_ip4_addr(&n)), 0);
	dhcp_stop(&n);
	dhcp_cleanup(&n);
	netif_remove(&n);
	drain(&end[0]);
	end[0] = saved;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arp_over_the_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_transmit_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_carrier_no_dhcp_address, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
