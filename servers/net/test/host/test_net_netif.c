/* test_net_netif.c - servers/net's netif layer (server/netif.c) over the
 * link interface (server/link.h), with the real lwIP: two interfaces of
 * one stack on a "pipe" link of this file's (each end's transmit queues a
 * copy for the other's receive), as the e1000 link will be driven - the
 * loop calls net_netif_poll, lwIP calls transmit.  ARP across the pipe,
 * counters on both sides, a refused transmit counted, the receive budget
 * kept, a link without carrier silent, DHCP started without addr=.
 * Checksum offload: csum.c's requests carried out as the 8254x would
 * (this file's own sum), UDP across with lwIP's transmit checksums left
 * to that "device" and checked by lwIP on the other side; the receive
 * verdict: lwIP skips a check only for a frame the device verified,
 * drops what it found wrong, and ignores verdicts with offload=off. */
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
#include <lwip/udp.h>
#include <l4/sys/abi.h>
#include "csum.h"
#include "netif.h"

#define QLEN 256

struct pipe_end {
	struct net_link link;
	struct pbuf *q[QLEN];
	unsigned head, count;
	int refuse;                     /* transmit says "no buffer" */
	unsigned verdict;               /* given with each received frame (net_netif_input) */
	unsigned offloaded;             /* frames whose checksums the "device" inserted */
	int zero_l4;                    /* frames that left lwIP with a TCP/UDP checksum of 0 */
	struct pipe_end *peer;
};

/* The Internet checksum of f[from, to) (RFC 1071), this file's own. */
static unsigned sum16(const uint8_t *f, unsigned from, unsigned to, uint32_t sum)
{
	for (unsigned i = from; i < to; i += 2)
		sum += (uint32_t)f[i] << 8 | (i + 1 < to ? f[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* What the 8254x does with csum.c's request (SDM 3.3.5-3.3.7: a context
 * of IPCSS 14, IPCSO 24, IPCSE l4 - 1, TUCSS l4, TUCSO l4 + 16 or 6,
 * TUCSE 0): each checksum over its range, the field included, stored
 * complemented (a UDP 0 sent as 0xffff, as QEMU's e1000 does). */
static void device_insert(uint8_t *f, unsigned len, unsigned csum, unsigned l4)
{
	if (csum & NET_CSUM_IP) {
		unsigned c = ~sum16(f, 14, l4, 0) & 0xffff;
		f[24] = (uint8_t)(c >> 8);
		f[25] = (uint8_t)c;
	}
	if (csum & (NET_CSUM_TCP | NET_CSUM_UDP)) {
		unsigned at = l4 + (csum & NET_CSUM_TCP ? 16 : 6);
		unsigned c = ~sum16(f, l4, len, 0) & 0xffff;
		if (!c)
			c = 0xffff;
		f[at] = (uint8_t)(c >> 8);
		f[at + 1] = (uint8_t)c;
	}
}

static int pipe_transmit(struct net_link *l, struct pbuf *p)
{
	struct pipe_end *self = l->priv, *peer = self->peer;
	if (self->refuse || peer->count == QLEN)
		return -L4_ENOMEM;
	struct pbuf *q = pbuf_alloc(PBUF_RAW, p->tot_len, PBUF_POOL);
	if (q == NULL)
		return -L4_ENOMEM;
	pbuf_copy(q, p);                /* lwIP keeps p (link.h) */
	if (l->csum & NET_LINK_CSUM_TX) {
		static uint8_t f[1600];
		uint8_t l4;
		unsigned len = pbuf_copy_partial(q, f, q->tot_len, 0);
		unsigned udp_at = 14 + (f[14] & 15u) * 4 + 6;     /* lwIP's UDP checksum field */
		if (f[12] == 8 && f[13] == 0 && f[23] == 17 && !f[udp_at] && !f[udp_at + 1])
			self->zero_l4++;
		unsigned c = net_csum_tx(f, len, &l4);
		device_insert(f, len, c, l4);
		if (c)
			self->offloaded++;
		pbuf_take(q, f, (u16_t)len);
	}
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
		if (net_netif_input(netif, p, self->verdict) != ERR_OK)
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

static uint16_t be16at(const uint8_t *f, unsigned at)
{
	return (uint16_t)(f[at] << 8 | f[at + 1]);
}

/* An IPv4 frame 10.0.7.2 -> 10.0.7.1 of protocol proto with payload pl
 * (the L4 header with a 0 checksum, then data), IHL ihl words; frag the
 * flags-and-offset word.  Its length. */
static unsigned frame(uint8_t *f, unsigned proto, const uint8_t *pl, unsigned n, unsigned ihl,
		      unsigned frag)
{
	static const uint8_t hdr[14] = { 2, 0, 0, 0, 7, 1, 2, 0, 0, 0, 7, 2, 8, 0 };
	memcpy(f, hdr, 14);
	uint8_t *ip = f + 14;
	unsigned total = ihl * 4 + n;
	memset(ip, 0, ihl * 4);
	ip[0] = (uint8_t)(0x40 | ihl);
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[6] = (uint8_t)(frag >> 8);
	ip[7] = (uint8_t)frag;
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	ip[10] = 0x12;                  /* garbage: the device's sum must not include it */
	ip[11] = 0x34;
	uint8_t a[8] = { 10, 0, 7, 2, 10, 0, 7, 1 };
	memcpy(ip + 12, a, 8);
	for (unsigned i = 20; i < ihl * 4; i++)
		ip[i] = 1;              /* NOP options */
	memcpy(ip + ihl * 4, pl, n);
	return 14 + total;
}

/* Whether frame f's IPv4 header and TCP/UDP checksums verify (RFC 1071:
 * the sum over all is 0xffff), by this file's own sum. */
static int verifies(const uint8_t *f, unsigned len)
{
	unsigned ihl = (f[14] & 15u) * 4, total = be16at(f, 16), proto = f[23];
	if (sum16(f, 14, 14 + ihl, 0) != 0xffff)
		return 0;
	uint32_t pseudo = be16at(f, 26) + be16at(f, 28) + be16at(f, 30) + be16at(f, 32) + proto +
			  (total - ihl);
	(void)len;
	return sum16(f, 14 + ihl, 14 + total, pseudo) == 0xffff;
}

static void test_csum_requests(void **state)
{
	static uint8_t f[1600], pl[1500];
	uint8_t l4;
	for (unsigned i = 0; i < sizeof pl; i++)
		pl[i] = (uint8_t)(i * 7 + 3);
	memset(pl, 0, 20);              /* TCP/UDP headers: checksum fields 0 */
	pl[12] = 0x50;                  /* TCP's data offset */
	unsigned sizes[] = { 20, 21, 57, 1000, 1473, 1480 };
	for (unsigned k = 0; k < 6; k++) {
		for (unsigned ihl = 5; ihl <= 15; ihl += 5) {
			unsigned n = sizes[k];
			/* TCP */
			unsigned len = frame(f, 6, pl, n, ihl, 0x4000 /* DF */);
			assert_int_equal(net_csum_tx(f, len, &l4), NET_CSUM_IP | NET_CSUM_TCP);
			assert_int_equal(l4, 14 + ihl * 4);
			device_insert(f, len, NET_CSUM_IP | NET_CSUM_TCP, l4);
			assert_true(verifies(f, len));
			/* UDP, its length field right */
			memset(pl, 0, 8);
			pl[4] = (uint8_t)(n >> 8);
			pl[5] = (uint8_t)n;
			len = frame(f, 17, pl, n, ihl, 0);
			assert_int_equal(net_csum_tx(f, len, &l4), NET_CSUM_IP | NET_CSUM_UDP);
			device_insert(f, len, NET_CSUM_IP | NET_CSUM_UDP, l4);
			assert_true(verifies(f, len));
			memset(pl, 0, 20);
			pl[12] = 0x50;
		}
	}
	/* a frame padded to 60 bytes: the device sums the zeros too */
	unsigned len = frame(f, 17, pl, 8, 5, 0);
	memset(f + len, 0, 60 - len);
	assert_int_equal(net_csum_tx(f, 60, &l4), NET_CSUM_IP | NET_CSUM_UDP);
	device_insert(f, 60, NET_CSUM_IP | NET_CSUM_UDP, l4);
	assert_true(verifies(f, 60));
	/* fragments (MF, or an offset): the header only, TCP/UDP's field untouched */
	unsigned frags[] = { 0x2000, 0x0001, 0x2010 };
	for (unsigned k = 0; k < 3; k++) {
		len = frame(f, 17, pl, 100, 5, frags[k]);
		f[34 + 6] = 0xab;
		assert_int_equal(net_csum_tx(f, len, &l4), NET_CSUM_IP);
		assert_int_equal(l4, 34);
		assert_int_equal(f[34 + 6], 0xab);
		device_insert(f, len, NET_CSUM_IP, l4);
		assert_int_equal(sum16(f, 14, 34, 0), 0xffff);
	}
	/* ICMP: the header only */
	len = frame(f, 1, pl, 64, 5, 0);
	assert_int_equal(net_csum_tx(f, len, &l4), NET_CSUM_IP);
	/* nothing for what is not an IPv4 packet that fits */
	len = frame(f, 17, pl, 100, 5, 0);
	f[12] = 0x08, f[13] = 0x06;     /* ARP */
	assert_int_equal(net_csum_tx(f, len, &l4), 0);
	assert_int_equal(l4, 0);
	len = frame(f, 17, pl, 100, 5, 0);
	assert_int_equal(net_csum_tx(f, len - 1, &l4), 0);       /* total length past the end */
	f[14] = 0x44;                                            /* IHL 4 */
	assert_int_equal(net_csum_tx(f, len, &l4), 0);
	f[14] = 0x65;                                            /* version 6 */
	assert_int_equal(net_csum_tx(f, len, &l4), 0);
	assert_int_equal(net_csum_tx(f, 33, &l4), 0);            /* no whole header */
	/* a TCP segment too short for its header: the IPv4 header only */
	len = frame(f, 6, pl, 19, 5, 0);
	assert_int_equal(net_csum_tx(f, len, &l4), NET_CSUM_IP);
}

static int setup_offload(void **state)
{
	static int lwip_up;
	if (!lwip_up) {
		lwip_init();
		lwip_up = 1;
	}
	pipe_init(0, 1);
	pipe_init(1, 1);
	for (int i = 0; i < 2; i++) {
		end[i].link.csum = NET_LINK_CSUM_TX | NET_LINK_CSUM_RX;
		struct net_config cfg = { .addr = ip(10, 0, 7, (uint8_t)(i + 1)),
					  .mask = ip(255, 255, 255, 0), .offload = i == 0 };
		if (net_netif_add(&nif[i], &end[i].link, &cfg))
			return -1;
	}
	return 0;
}

static unsigned got_n, got_bytes;
static uint8_t got_first;

static void udp_got(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
	got_n++;
	got_bytes += p->tot_len;
	got_first = pbuf_get_at(p, 0);
	pbuf_free(p);
}

/* UDP from end 0 (offload=on) to end 1 (offload=off): lwIP on end 0
 * leaves its UDP checksums out (0 in the frame it sends), the "device"
 * inserts them, lwIP on end 1 checks them all and takes every one. */
static void test_udp_with_offload(void **state)
{
	assert_int_equal(end[0].link.csum, NET_LINK_CSUM_TX | NET_LINK_CSUM_RX);
	assert_int_equal(end[1].link.csum, 0);          /* offload=off clears it */
	struct udp_pcb *rx = udp_new(), *tx = udp_new();
	assert_int_equal(udp_bind(rx, IP4_ADDR_ANY, 7), ERR_OK);
	udp_recv(rx, udp_got, NULL);
	got_n = got_bytes = 0;
	STAT_COUNTER chkerr = lwip_stats.udp.chkerr;
	ip_addr_t to = IPADDR4_INIT(ip(10, 0, 7, 2));
	unsigned sent = 0, bytes = 0;
	for (unsigned n = 1; n <= 1472; n += 97) {
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)n, PBUF_RAM);
		for (unsigned i = 0; i < n; i++)
			pbuf_put_at(p, (u16_t)i, (u8_t)(i * 13 + n));
		assert_int_equal(udp_sendto_if(tx, p, &to, 7, &nif[0]), ERR_OK);
		pbuf_free(p);
		run();
		sent++;
		bytes += n;
	}
	assert_int_equal(got_n, sent);
	assert_int_equal(got_bytes, bytes);
	assert_int_equal(lwip_stats.udp.chkerr, chkerr);
	assert_int_equal(end[0].zero_l4, sent);          /* lwIP left every UDP checksum out */
	assert_true(end[0].offloaded >= sent);
	assert_int_equal(end[1].offloaded, 0);
	udp_remove(rx);
	udp_remove(tx);
}

/* One UDP datagram to end 1's port 9 with a wrong checksum, received with
 * `verdict`; whether lwIP took it. */
static int bad_udp_taken(unsigned verdict)
{
	static uint8_t f[100], pl[40];
	memset(pl, 0x5a, sizeof pl);
	pl[0] = 0x9c, pl[1] = 0x40, pl[2] = 0, pl[3] = 9, pl[4] = 0, pl[5] = sizeof pl;
	unsigned len = frame(f, 17, pl, sizeof pl, 5, 0);
	memcpy(f, end[1].link.mac, 6);
	uint8_t l4;
	unsigned c = net_csum_tx(f, len, &l4);
	device_insert(f, len, c, l4);
	assert_true(verifies(f, len));
	f[34 + 6] ^= 0x01;              /* the UDP checksum off by one bit */
	struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	pbuf_take(p, f, (u16_t)len);
	end[1].q[(end[1].head + end[1].count++) % QLEN] = p;
	end[1].verdict = verdict;
	unsigned before = got_n;
	net_netif_poll(&nif[1], 64);
	end[1].verdict = 0;
	return got_n != before;
}

static void test_receive_verdict(void **state)
{
	struct udp_pcb *rx = udp_new();
	assert_int_equal(udp_bind(rx, IP4_ADDR_ANY, 9), ERR_OK);
	udp_recv(rx, udp_got, NULL);
	got_n = 0;
	end[1].link.csum = NET_LINK_CSUM_RX;            /* the device checks on receive */
	STAT_COUNTER chkerr = lwip_stats.udp.chkerr;
	assert_false(bad_udp_taken(0));                 /* not checked by the device: lwIP drops it */
	assert_int_equal(lwip_stats.udp.chkerr, chkerr + 1);
	assert_false(bad_udp_taken(NET_RX_CSUM_IP_OK)); /* only the header verified: the same */
	assert_int_equal(lwip_stats.udp.chkerr, chkerr + 2);
	assert_false(bad_udp_taken(NET_RX_CSUM_BAD));   /* the device found it wrong */
	assert_int_equal(lwip_stats.udp.chkerr, chkerr + 3);
	assert_int_equal(end[1].link.rx_csum_bad, 1);
	/* verified by the device: lwIP does not look again (which is why the
	 * driver must say so only for what the device checked) */
	assert_true(bad_udp_taken(NET_RX_CSUM_IP_OK | NET_RX_CSUM_L4_OK));
	assert_int_equal(lwip_stats.udp.chkerr, chkerr + 3);
	assert_int_equal(end[1].link.rx_csum_ok, 2);    /* this and the header-only one */
	/* and the checks are back for the next frame */
	assert_false(bad_udp_taken(0));
	assert_int_equal(lwip_stats.udp.chkerr, chkerr + 4);
	/* offload=off: a verdict counts for nothing */
	end[1].link.csum = 0;
	assert_false(bad_udp_taken(NET_RX_CSUM_IP_OK | NET_RX_CSUM_L4_OK));
	assert_int_equal(lwip_stats.udp.chkerr, chkerr + 5);
	assert_int_equal(end[1].link.rx_csum_ok, 2);
	udp_remove(rx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arp_over_the_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_transmit_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_receive_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_carrier_no_dhcp_address, setup, teardown),
		cmocka_unit_test(test_csum_requests),
		cmocka_unit_test_setup_teardown(test_udp_with_offload, setup_offload, teardown),
		cmocka_unit_test_setup_teardown(test_receive_verdict, setup_offload, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
