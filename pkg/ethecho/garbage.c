/* garbage.c - a client that writes garbage into its rings: every kind
 * of bad descriptor the driver must refuse, then impossible indices. */
#include <stdio.h>
#include <l4/sys/ipc.h>
#include <l4/sys/notification.h>
#include "ethecho.h"

void garbage_descriptors(struct nic *n)
{
	/* Two buffers of our own (from tx_free), for the bad lengths: the
	 * driver gives them back. */
	struct nic_desc mine[7];
	for (unsigned i = 0; i < 7; i++)
		l4_ring_get(&n->ring[NIC_TX_FREE], &mine[i]);
	const struct nic_desc bad[] = {
		{ 0, 60, 0, 0 },                            /* the rings, not a buffer */
		{ NIC_REGION_SIZE, 60, 0, 0 },              /* past the region */
		{ 0xfffff000u, 60, 0, 0 },                  /* far past it */
		{ NIC_BUF_BASE + 100, 60, 0, 0 },           /* inside a buffer */
		{ NIC_BUF_BASE, 60, 0, 0 },                 /* buffer 0: the device holds it */
		{ mine[0].off, 0, 0, 0 },                   /* ours, length 0 */
		{ mine[1].off, 5000, 0, 0 },                /* ours, longer than a frame */
		/* checksum offload requests the device could not carry out (<nic.h>) */
		{ mine[2].off, 60, 0x80, 34 },              /* an unknown bit */
		{ mine[3].off, 60, NIC_TX_CSUM_TCP | NIC_TX_CSUM_UDP, 34 },
		{ mine[4].off, 60, NIC_TX_CSUM_IP, 30 },    /* a 16-byte IPv4 header */
		{ mine[5].off, 60, 0, 34 },                 /* an offset, no request */
		{ mine[6].off, 50, NIC_TX_CSUM_TCP, 34 },   /* no room for the TCP header */
	};
	unsigned count = sizeof bad / sizeof bad[0];
	/* Into tx_active, and the out-of-range ones into rx_free too. */
	for (unsigned i = 0; i < count; i++)
		l4_ring_put(&n->ring[NIC_TX_ACTIVE], &bad[i]);
	for (unsigned i = 0; i < 5; i++)
		l4_ring_put(&n->ring[NIC_RX_FREE], &bad[i]);
	printf("%s: wrote %u bad descriptors into tx_active and 5 into rx_free\n", me, count);
	/* Let the driver see them (it runs while we sleep a little). */
	l4_sleep_us(20000);
}

void garbage_indices(struct nic *n)
{
	struct l4_ring_shared *s = n->ring[NIC_TX_ACTIVE].s;
	__atomic_store_n(&s->head, __atomic_load_n(&s->tail, __ATOMIC_RELAXED) + 100000, __ATOMIC_SEQ_CST);
	l4_notification_signal((uint64_t)(uintptr_t)n->ring[NIC_TX_ACTIVE].signal_ctx, 1);
	printf("%s: tx_active's head moved 100000 entries past its tail\n", me);
	l4_sleep_us(20000);
}
