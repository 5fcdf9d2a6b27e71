/* <l4/util/ring_notif.h> - <l4/util/ring.h>'s wait and signal on Minnow
 * Notifications: each side waits on a notification of its own (read
 * right) and signals the other side's (write right), passed by IPC.  The
 * context is the capability slot:
 *
 *     l4_ring_attach(&r, mem, bytes, sizeof(struct item),
 *                    l4_ring_notif_wait, L4_RING_NOTIF(mine),
 *                    l4_ring_notif_signal, L4_RING_NOTIF(theirs));
 *
 * A notification keeps its bits until they are waited for, which is what
 * the ring's sleep protocol needs: a signal that comes before the wait is
 * not lost. */
#pragma once
#include <stdint.h>
#include <l4/sys/notification.h>
#include <l4/util/ring.h>

#define L4_RING_NOTIF(slot) ((void *)(uintptr_t)(slot))

static inline void l4_ring_notif_wait(void *slot)
{
	l4_notification_wait((uint64_t)(uintptr_t)slot, L4_TIMEOUT_NEVER, 0);
}

static inline void l4_ring_notif_signal(void *slot)
{
	l4_notification_signal((uint64_t)(uintptr_t)slot, 1);
}
