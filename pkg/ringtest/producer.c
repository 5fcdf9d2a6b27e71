/* producer.c - owns the region: asks the parent for it, formats the ring,
 * hands it to the consumer, fills it. */
#include <stdio.h>
#include <l4/sys/debug.h>
#include <l4/util/ring_notif.h>
#include <parent_client.h>
#include "ringtest.h"
#include "ringtest_client.h"

int producer(void)
{
	uint64_t cons = l4_env_cap("consumer"), va;
	int e;
	if (!cons) {
		printf("%s: no capability 'consumer'\n", me);
		return 1;
	}
	if ((e = parent_shm_alloc(L4_ENV_PARENT, RING_BYTES, &va)) ||
	    (e = parent_notif_create(L4_ENV_PARENT, NOTIF))) {
		printf("%s: cannot make the region or the notification: %s\n", me, l4_strerror(e));
		return 1;
	}
	uint32_t n = l4_ring_format((void *)va, RING_BYTES, sizeof(uint64_t));
	/* The whole region, read-write, at the start of the consumer's window. */
	struct minnow_idl_mem m = { L4_FPAGE(va, 16, L4_MEM_R | L4_MEM_W), L4_ENV_RECV_BASE };
	uint64_t peer;
	l4_cap_window(PEER_NOTIF, 1);
	if ((e = ringtest_attach(cons, m, MINNOW_IDL_CAP(NOTIF, L4_CAP_WRITE), &peer))) {
		printf("%s: attach: %s\n", me, l4_strerror(e));
		return 1;
	}
	struct l4_ring r;
	if (!n || l4_ring_attach(&r, (void *)va, RING_BYTES, sizeof(uint64_t), l4_ring_notif_wait,
				 L4_RING_NOTIF(NOTIF), l4_ring_notif_signal, L4_RING_NOTIF(peer))) {
		printf("%s: no ring in %u bytes\n", me, RING_BYTES);
		return 1;
	}
	printf("%s: ring of %u entries at 0x%llx handed over\n", me, n, (unsigned long long)va);
	uint64_t sum = 0;
	for (uint32_t i = 0; i < ITEMS; i++) {
		uint64_t v = item(i);
		sum += v;
		if (l4_ring_push(&r, &v) != L4_RING_OK) {
			printf("%s: the ring is broken at item %u\n", me, i);
			return 1;
		}
	}
	/* Our end takes the region away: first let the consumer empty it and
	 * say so (DONE_BIT; a late ring wakeup may come first). */
	for (uint64_t bits = 0; !(bits & DONE_BIT); ) {
		if (l4_notification_wait(NOTIF, 5000000, &bits)) {
			printf("%s: the consumer did not finish\n", me);
			return 1;
		}
	}
	if (__atomic_load_n(&r.s->tail, __ATOMIC_ACQUIRE) != r.s->head) {
		printf("%s: the consumer left items in the ring\n", me);
		return 1;
	}
	printf("%s: %u items, checksum %016llx; slept %llu times, signalled %llu times\n", me, ITEMS,
	       (unsigned long long)sum, (unsigned long long)r.sleeps, (unsigned long long)r.signals);
	return 0;
}
