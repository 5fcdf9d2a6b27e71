/* <l4/sys/notification.h> - notifications: a word of pending bits.
 *
 * Create one with l4_factory_create(factory, L4_OBJ_NOTIFICATION, slot, 0).
 * A signal ORs bits in (through a badged capability: the badge, whatever
 * the argument says); a wait returns every pending bit and clears them, or
 * blocks until a signal comes. */
#pragma once
#include <l4/sys/ipc.h>

/* Needs the write right. */
static inline int l4_notification_signal(uint64_t notif, uint64_t bits)
{
	return l4_invoke(notif, L4_NOTIF_SIGNAL, bits, 0, 0, 0);
}

/* Needs the read right.  timeout_us: L4_TIMEOUT_NEVER, L4_TIMEOUT_ZERO (poll)
 * or microseconds; L4_ETIMEOUT when it expires with no bits.  *bits (may be
 * NULL) receives the bits collected. */
static inline int l4_notification_wait(uint64_t notif, uint32_t timeout_us, uint64_t *bits)
{
	int e = l4_invoke(notif, L4_NOTIF_WAIT, timeout_us, 0, 0, 0);
	if (!e && bits)
		*bits = l4_utcb()->mr[0];
	return e;
}
