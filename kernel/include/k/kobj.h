/* kobj.h - what every kernel object starts with.
 *
 * An object lives as long as something refers to it: each capability to it
 * counts one reference, and so does each kernel-internal link (a thread's
 * task, an Irq's bound thread, ...).  When the count reaches zero the object
 * is not destroyed on the spot - destruction may delete further capabilities
 * - but queued on a dead list that the caller drains afterwards
 * (obj_reap() in obj.c), so no destruction ever runs inside a tree walk.
 */
#pragma once
#include <stdint.h>

enum kobj_type {
	KOBJ_NONE = 0,
	KOBJ_TASK,
	KOBJ_THREAD,
	KOBJ_ENDPOINT,
	KOBJ_NOTIFICATION,
	KOBJ_IRQ,
	KOBJ_FACTORY,
	KOBJ_SIGMA0,              /* the root task's physical resources (one instance) */
	KOBJ_NTYPES
};

struct kobj {
	uint8_t type;             /* enum kobj_type, fixed at creation */
	uint32_t refs;            /* capabilities + internal links */
	struct kobj *dead_next;   /* on a dead list once refs reached 0 */
};

/* Objects whose last reference went away, waiting for obj_reap(). */
struct kobj_list {
	struct kobj *head;
};

static inline void kobj_get(struct kobj *o) { o->refs++; }

/* Drop one reference; at zero the object goes on *dead (never destroyed here). */
static inline void kobj_put(struct kobj *o, struct kobj_list *dead)
{
	if (--o->refs == 0) {
		o->dead_next = dead->head;
		dead->head = o;
	}
}
