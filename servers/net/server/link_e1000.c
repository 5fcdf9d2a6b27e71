/* link_e1000.c - the link over servers/e1000's session (<nic.h>, after
 * seL4 sDDF): four rings of buffer descriptors in a region the driver
 * shares, notifications both ways (see link.h for the contract).
 *
 * Receive is zero copy: a received buffer becomes a custom pbuf over the
 * buffer itself (lwIP's pbuf_alloced_custom, PBUF_REF), and when lwIP
 * frees it the buffer goes back to the driver on NIC_RX_FREE.  Transmit
 * copies the frame into a buffer from NIC_TX_FREE (lwIP's pbuf may be a
 * chain and lives on after the call) and queues it on NIC_TX_ACTIVE.
 * Nothing from the driver is trusted: a descriptor naming no buffer, one
 * lwIP still holds, or a length no frame has, is counted and dropped (the
 * buffer given back only in the last case).
 *
 * When NIC_TX_FREE is empty a frame waits (txwait.c) instead of being
 * dropped, and the loop sleeps with NIC_TX_FREE armed: the driver's next
 * sent buffer wakes it and the waiting frames go first, in order.
 * net_link_e1000_tx_buffers() lets the link use fewer transmit buffers
 * than the driver gives (args= tx-buffers=N), which makes them run out
 * as on a busy link (iperfout.test).
 *
 * The driver may die and be restarted (doc/restart.md).  The region is
 * mapped to us by the root task, not by the driver, so it stays while the
 * driver is gone, and so do the frames lwIP holds in it.  The root task
 * signals NET_LINK_EVENT_BIT when the driver has started again
 * (parent_watch); we attach to the new one through the same endpoint,
 * telling it which buffers lwIP still holds, and it hands the others
 * round again.  Frames in the rings meanwhile are lost (TCP resends). */
#include <stdio.h>
#include <string.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <l4/sys/abi.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/task.h>
#include <l4/util/rdtsc.h>
#include <parent_client.h>
#include <nic.h>
#include "csum.h"
#include "link.h"
#include "netif.h"
#include "txwait.h"

_Static_assert(NET_CSUM_IP == NIC_TX_CSUM_IP && NET_CSUM_TCP == NIC_TX_CSUM_TCP &&
	       NET_CSUM_UDP == NIC_TX_CSUM_UDP, "csum.h's requests are <nic.h>'s");

struct rx_buf {
	struct pbuf_custom pc;          /* first: lwIP hands us this pointer back */
	uint32_t off;
	int held;                       /* lwIP has it: the driver must not hand it again */
};

#define ETH_FRAME_MIN 60        /* without FCS */

static struct nic nic;
static struct rx_buf rx_bufs[NIC_NBUF];
static unsigned tx_cap;                 /* tx-buffers=: 0 for all */
static struct nic_desc tx_own[NIC_NBUF]; /* with tx_cap: the buffers we use first */
static unsigned tx_own_n;

static void tx_flush(struct net_link *l);
static uint64_t nic_ep, my_notif, their_notif;
static unsigned attaches;               /* 1 + restarts of the driver we attached to */
static uint64_t reattached_us;          /* when we last attached again; 0: no frame pending */

static void rx_free(struct pbuf *p)
{
	struct rx_buf *b = (struct rx_buf *)p;
	struct nic_desc d = { b->off, 0, 0, 0 };
	b->held = 0;
	/* every ring holds every buffer (<nic.h>), so this cannot be full
	 * unless the driver broke it; then the buffer is lost to it */
	l4_ring_put(&nic.ring[NIC_RX_FREE], &d);
}

static unsigned e1000_receive(struct net_link *l, struct netif *netif, unsigned budget)
{
	struct nic_desc d;
	unsigned n = 0;
	tx_flush(l);                    /* woken by sent buffers, perhaps */
	while (n < budget && l4_ring_get(&nic.ring[NIC_RX_ACTIVE], &d) == L4_RING_OK) {
		if (reattached_us) {
			uint64_t now = l4_tsc_us();
			printf("net: first frame from the restarted driver at %llu.%06llu s, %llu us "
			       "after attaching again\n", (unsigned long long)(now / 1000000),
			       (unsigned long long)(now % 1000000),
			       (unsigned long long)(now - reattached_us));
			reattached_us = 0;
		}
		uint8_t *buf = nic_buf(&nic, d.off);
		if (buf == NULL) {
			l->rx_refused++;              /* not a buffer: nothing to give back */
			continue;
		}
		if (d.len < NIC_FRAME_MIN || d.len > NIC_FRAME_MAX) {
			l->rx_refused++;
			d.len = 0;
			l4_ring_put(&nic.ring[NIC_RX_FREE], &d);
			continue;
		}
		struct rx_buf *b = &rx_bufs[(d.off - NIC_BUF_BASE) / NIC_BUF_SIZE];
		if (b->held) {
			l->rx_refused++;              /* handed twice: lwIP still has it */
			continue;
		}
		b->held = 1;
		b->off = d.off;
		b->pc.custom_free_function = rx_free;
		struct pbuf *p = pbuf_alloced_custom(PBUF_RAW, (u16_t)d.len, PBUF_REF, &b->pc,
						     buf, NIC_BUF_SIZE);
		n++;
		unsigned verdict = 0;           /* the device's (<nic.h>): lwIP skips only what it verified */
		if (d.csum & (NIC_RX_CSUM_IP_BAD | NIC_RX_CSUM_L4_BAD))
			verdict = NET_RX_CSUM_BAD;
		else
			verdict = (d.csum & NIC_RX_CSUM_IP_OK ? NET_RX_CSUM_IP_OK : 0) |
				  (d.csum & NIC_RX_CSUM_L4_OK ? NET_RX_CSUM_L4_OK : 0);
		if (net_netif_input(netif, p, verdict) != ERR_OK)
			pbuf_free(p);
	}
	return n;
}

/* A free transmit buffer: 0, or -L4_ENOMEM when there is none now. */
static int tx_buffer(struct net_link *l, struct nic_desc *d, uint8_t **buf)
{
	for (;;) {
		if (tx_own_n)
			*d = tx_own[--tx_own_n];
		else if (l4_ring_get(&nic.ring[NIC_TX_FREE], d) != L4_RING_OK)
			return -L4_ENOMEM;
		if ((*buf = nic_buf(&nic, d->off)))
			return 0;
		l->rx_refused++;                /* not a buffer: the next one */
	}
}

/* Copy p into a transmit buffer and queue it: 0, or -L4_ENOMEM. */
static int tx_one(struct net_link *l, struct pbuf *p)
{
	struct nic_desc d;
	uint8_t *buf;
	if (tx_buffer(l, &d, &buf))
		return -L4_ENOMEM;
	d.len = pbuf_copy_partial(p, buf, p->tot_len, 0);
	if (d.len < ETH_FRAME_MIN) {
		/* lwIP's ARP frames are 42 bytes: pad to Ethernet's minimum
		 * (IEEE 802.3 4.2.3.3) rather than rely on the device's padding */
		memset(buf + d.len, 0, ETH_FRAME_MIN - d.len);
		d.len = ETH_FRAME_MIN;
	}
	d.csum = d.l4 = 0;
	if (l->csum & NET_LINK_CSUM_TX && (d.csum = (uint8_t)net_csum_tx(buf, d.len, &d.l4)))
		l->tx_csum++;           /* lwIP left these checksums to the device */
	if (l4_ring_put(&nic.ring[NIC_TX_ACTIVE], &d) != L4_RING_OK)
		return -L4_ENOMEM;      /* every ring holds every buffer: a broken driver */
	return 0;
}

/* The frames that waited, as far as buffers go. */
static void tx_flush(struct net_link *l)
{
	struct pbuf *p;
	while ((p = net_txwait_first()) && !tx_one(l, p))
		net_txwait_pop();
}

static int e1000_transmit(struct net_link *l, struct pbuf *p)
{
	if (p->tot_len > NIC_FRAME_MAX)
		return -L4_EINVAL;
	tx_flush(l);
	if (!net_txwait_count() && !tx_one(l, p))
		return 0;
	int e = net_txwait_put(p);      /* after the others: in order */
	if (!e)
		l->tx_waited++;
	return e;
}

static int e1000_idle(struct net_link *l)
{
	/* received frames wake us; sent buffers only while frames wait for
	 * one (else they stay on NIC_TX_FREE until the next transmit) */
	tx_flush(l);
	if (net_txwait_count() && !l4_ring_consumer_arm(&nic.ring[NIC_TX_FREE]))
		return 1;
	return !l4_ring_consumer_arm(&nic.ring[NIC_RX_ACTIVE]);
}

/* With tx-buffers=N: take what the driver gave and keep N of it (the rest
 * is never sent, so never comes back).  At every attach: a restarted
 * driver hands out all its buffers again, those of tx_own[] included. */
static void tx_take_own(void)
{
	struct nic_desc d;
	unsigned got = 0;
	tx_own_n = 0;
	if (!tx_cap)
		return;
	while (l4_ring_get(&nic.ring[NIC_TX_FREE], &d) == L4_RING_OK)
		if (got++ < tx_cap)
			tx_own[tx_own_n++] = d;
}

/* The root task says the driver has started again (or ended for good). */
static void e1000_event(struct net_link *l)
{
	uint64_t held[NIC_HELD_WORDS] = { 0 };
	unsigned nheld = 0;
	for (unsigned b = 0; b < NIC_NBUF; b++)
		if (rx_bufs[b].held) {
			held[b / 64] |= 1ull << (b % 64);
			nheld++;
		}
	/* the dead driver's notification went with it; the slot is empty
	 * again unless the driver still lives (then attach says ESTATE) */
	l4_task_cap_delete(L4_CAP_SELF, their_notif);
	int e = nic_open(&nic, nic_ep, L4_ENV_RECV_BASE, my_notif, their_notif, held);
	if (e) {
		printf("net: e1000 link: the driver %s: %s\n", e == -L4_ESTATE ? "did not restart" :
		       "is gone", l4_strerror(e));
		if (e != -L4_ESTATE)
			l->up = 0;
		return;
	}
	attaches++;
	tx_take_own();
	reattached_us = l4_tsc_us();
	printf("net: e1000 link: attached to the driver again (restart %u) at %llu.%06llu s; "
	       "lwIP holds %u of its buffers\n", attaches - 1,
	       (unsigned long long)(reattached_us / 1000000),
	       (unsigned long long)(reattached_us % 1000000), nheld);
}

static const struct net_link_ops e1000_ops = {
	.transmit = e1000_transmit,
	.receive = e1000_receive,
	.idle = e1000_idle,
	.event = e1000_event,
};

int net_link_e1000(struct net_link *l, uint64_t ep, uint64_t mine, uint64_t theirs)
{
	uint32_t link, mbps;
	*l = (struct net_link){ .ops = &e1000_ops, .kind = "e1000", .mtu = 1500,
				.event_bits = NET_LINK_EVENT_BIT,
				.csum = NET_LINK_CSUM_TX | NET_LINK_CSUM_RX };
	nic_ep = ep;
	my_notif = mine;
	their_notif = theirs;
	int e = nic_open(&nic, ep, L4_ENV_RECV_BASE, mine, theirs, 0);
	if (!e)
		e = nic_info(ep, l->mac, &link, &mbps);
	/* tell us when the driver has started again: our notification is
	 * the one bound to the loop's thread */
	if (!e)
		e = parent_watch(L4_ENV_PARENT, ep, mine, NET_LINK_EVENT_BIT);
	if (e)
		return e;
	attaches = 1;
	l->up = link != 0;
	tx_take_own();
	return 0;
}

void net_link_e1000_tx_buffers(unsigned n)
{
	tx_cap = n < NIC_NBUF ? n : NIC_NBUF;
}
