/* nic.c - nic_open(): attach to a driver and to its four rings (<nic.h>). */
#include <l4/sys/ipc.h>
#include <l4/util/ring_notif.h>
#include <nic.h>

int nic_open(struct nic *n, uint64_t ep, uint64_t at, uint64_t mine, uint64_t theirs,
	     const uint64_t held[NIC_HELD_WORDS])
{
	uint64_t h[NIC_HELD_WORDS] = { 0 };
	if (held) {
		for (unsigned i = 0; i < NIC_HELD_WORDS; i++)
			h[i] = held[i];
		h[NIC_HELD_AGAIN_BIT / 64] |= 1ull << (NIC_HELD_AGAIN_BIT % 64);
	}
	struct l4_utcb *u = l4_utcb();
	uint64_t cw = u->cap_window, got;
	u->cap_window = L4_CAP_WINDOW(theirs, 1);
	int e = nic_attach(ep, MINNOW_IDL_CAP(mine, L4_CAP_WRITE), at, h, &got);
	u->cap_window = cw;
	if (e)
		return e;
	/* The region is at `at` now (mapped by the root task); the rings'
	 * headers say whether it is what it should be. */
	n->ep = ep;
	n->base = (uint8_t *)at;
	for (unsigned i = 0; i < NIC_RINGS; i++)
		if (l4_ring_attach(&n->ring[i], n->base + i * NIC_RING_BYTES, NIC_RING_BYTES,
				   sizeof(struct nic_desc), l4_ring_notif_wait, L4_RING_NOTIF(mine),
				   l4_ring_notif_signal, L4_RING_NOTIF(got)))
			return -L4_EINVAL;
	return 0;
}

int nic_alive(const struct nic *n, uint32_t us)
{
	/* A call whose send times out: a driver that is alive is in its
	 * receive loop within us microseconds (its client runs at a higher
	 * priority and is now blocked); a dead one's endpoint has no
	 * receiver.  The reply itself is awaited without a limit. */
	uint64_t tag = l4_ipc(L4_IPC_CALL, n->ep, L4_TAG(NIC_INFO_LABEL, 0, 0), 0,
			      L4_TIMEOUTS(us, L4_TIMEOUT_NEVER), 0);
	return l4_error(tag);
}
