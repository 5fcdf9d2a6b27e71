/* consumer.c - receives the ring (attach), empties it, checks every item. */
#include <stdio.h>
#include <l4/sys/debug.h>
#include <parent_client.h>
#include <l4/util/ring_notif.h>
#include "ringtest.h"
#include "ringtest_server.h"

struct got {
	uint64_t addr, size, peer;
	int ok;
};

static int attach(void *ctx, uint64_t badge, struct minnow_idl_mem region, uint64_t wake_producer,
		  uint64_t *wake_consumer)
{
	struct got *g = ctx;
	if (g->ok)
		return -L4_ESTATE;              /* one ring only */
	/* Ours to check: the size and rights the producer claims, and that
	 * the region holds a ring (l4_ring_attach, by the caller). */
	if (L4_FPAGE_ORDER(region.fpage) > RECV_ORDER ||
	    L4_FPAGE_RIGHTS(region.fpage) != (L4_MEM_R | L4_MEM_W))
		return -L4_EINVAL;
	int e = parent_notif_create(L4_ENV_PARENT, NOTIF);
	if (e)
		return e;
	g->addr = region.addr;
	g->size = 1ull << L4_FPAGE_ORDER(region.fpage);
	g->peer = wake_producer;
	g->ok = 1;
	*wake_consumer = MINNOW_IDL_CAP(NOTIF, L4_CAP_WRITE);
	return 0;
}

static const struct ringtest_ops ops = { .attach = attach };

int consumer(void)
{
	struct got g = { 0 };
	uint64_t badge, reply;
	l4_cap_window(PEER_NOTIF, 1);
	l4_mem_window(L4_FPAGE(L4_ENV_RECV_BASE, RECV_ORDER, 0));
	struct l4_ring r = { 0 };
	int bad = 0;
	while (!g.ok) {
		uint64_t tag = l4_recv(L4_ENV_SERVER, &badge);
		ringtest_dispatch(&ops, &g, tag, badge, &reply);
		/* Said before the reply, so that our line precedes the producer's. */
		if (g.ok && (bad = l4_ring_attach(&r, (void *)g.addr, g.size, sizeof(uint64_t),
						  l4_ring_notif_wait, L4_RING_NOTIF(NOTIF),
						  l4_ring_notif_signal, L4_RING_NOTIF(g.peer))))
			printf("%s: the region holds no ring\n", me);
		else if (g.ok)
			printf("%s: ring of %u entries received at 0x%llx\n", me, r.mask + 1,
			       (unsigned long long)g.addr);
		l4_reply(reply);
	}
	if (bad)
		return 1;
	uint64_t sum = 0;
	for (uint32_t i = 0; i < ITEMS; i++) {
		uint64_t v;
		if (l4_ring_pop(&r, &v) != L4_RING_OK || v != item(i)) {
			printf("%s: item %u wrong or the ring broken\n", me, i);
			return 1;
		}
		sum += v;
	}
	printf("%s: %u items, checksum %016llx; slept %llu times, signalled %llu times\n", me, ITEMS,
	       (unsigned long long)sum, (unsigned long long)r.sleeps, (unsigned long long)r.signals);
	l4_notification_signal(g.peer, DONE_BIT);
	/* The producer's end revokes its region, our mapping of it with it:
	 * the touch after that is a fault the root task kills us for. */
	for (int i = 0; i < 500; i++) {
		(void)*(volatile uint32_t *)g.addr;
		l4_sleep_us(10000);
	}
	printf("%s: the region is still mapped 5 s after the producer ended\n", me);
	return 1;
}
