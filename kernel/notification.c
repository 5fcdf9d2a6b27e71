/* notification.c - the Notification object; see notification.h.
 *
 * A notification is a word of pending bits and a FIFO of threads waiting
 * for some.  A signal ORs bits in; if a thread waits, the first one gets
 * every pending bit at once and the word is cleared, otherwise the bits stay
 * until the next wait collects them.  Signals never block, so interrupts
 * (irqobj.c) deliver through here too.
 *
 * Waiters link through their q_next/q_prev, as in endpoint queues; a thread
 * is in at most one queue, and t->waiting_notif says which notification's.
 *
 * A notification may also be bound to one thread (seL4's bound
 * notifications): a signal that finds no explicit waiter wakes that thread
 * if it sits in a receive (ipc.c), so a server takes its clients' calls and
 * its interrupts in one loop.  Explicit waiters come first: they asked for
 * this notification alone.
 * Everything runs with the kernel lock held (interrupts off, one CPU).
 */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/cap.h"
#include "k/factory.h"
#include "k/irq.h"
#include "k/ipc.h"
#include "k/notification.h"
#include "k/obj.h"
#include "k/sched.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

struct notification *notification_create(struct factory *f, int *err)
{
	struct notification *n = factory_alloc(f, sizeof *n, err);
	if (!n)
		return NULL;
	n->obj.type = KOBJ_NOTIFICATION;
	n->factory = f;
	return n;
}

/* n->bits changed: its bound thread's fast path must know (fastpath.c). */
static void bound_sync(struct notification *n)
{
	if (n->bound)
		fastpath_veto_update(n->bound);
}

/* ---- the wait queue ---- */

static void wq_append(struct notification *n, struct thread *t)
{
	q_push(&n->wait_head, &n->wait_tail, t);
	t->waiting_notif = n;
}

static void wq_unlink(struct notification *n, struct thread *t)
{
	q_remove(&n->wait_head, &n->wait_tail, t);
	t->waiting_notif = NULL;
	sched_timeout_cancel(t);
}

/* ---- life ---- */

void notification_destroy(struct notification *n)
{
	while (n->wait_head) {
		struct thread *t = n->wait_head;
		wq_unlink(n, t);
		ipc_kernel_reply(t, -L4_ECANCELED, 0, NULL);
		sched_make_ready(t);
	}
	factory_free(n->factory, n, sizeof *n);
}

void notification_signal(struct notification *n, uint64_t bits)
{
	if (!bits)
		return;                      /* nothing to say: nobody wakes */
	n->bits |= bits;
	struct thread *t = n->wait_head;
	if (!t) {
		t = n->bound;
		if (t && ipc_receiving(t)) {
			uint64_t got = n->bits;
			n->bits = 0;
			ipc_wake_notified(t, got);
		}
		bound_sync(n);
		return;                      /* else they wait for the next wait */
	}
	uint64_t got = n->bits;
	n->bits = 0;
	bound_sync(n);
	wq_unlink(n, t);
	ipc_kernel_reply(t, 0, 1, &got);
	sched_make_ready(t);
}

int notification_bind(struct thread *t, struct notification *n)
{
	if (!n) {
		struct notification *old = t->bound_notif;
		if (old) {
			old->bound = NULL;
			t->bound_notif = NULL;
			fastpath_veto_update(t);
			kobj_put(&old->obj, &obj_dead);
		}
		return 0;
	}
	if (unlikely(n->bound || t->bound_notif))
		return -L4_ESTATE;
	kobj_get(&n->obj);
	n->bound = t;
	t->bound_notif = n;
	fastpath_veto_update(t);
	/* Bits already pending end a receive t is blocked in now, as a
	 * signal would (found by pkg/sysfuzz seed 56: the thread went on
	 * waiting with bits pending, an invariant kdebug_check names). */
	if (n->bits && ipc_receiving(t))
		ipc_wake_notified(t, notification_take_bound(t));
	return 0;
}

uint64_t notification_take_bound(struct thread *t)
{
	struct notification *n = t->bound_notif;
	if (!n)
		return 0;
	uint64_t bits = n->bits;
	n->bits = 0;
	fastpath_veto_update(t);
	return bits;
}

void notification_cancel_wait(struct thread *t, int err)
{
	struct notification *n = t->waiting_notif;
	if (!n)
		return;
	wq_unlink(n, t);
	ipc_kernel_reply(t, err, 0, NULL);
	/* A timeout ends the wait and the thread goes on; anything else (a
	 * stop, an unbind) is ipc_cancel's caller, which sets the state. */
	if (err == -L4_ETIMEOUT)
		sched_make_ready(t);
}

/* ---- the calls ---- */

static int notif_wait(struct thread *caller, struct notification *n, uint64_t timeout,
		      uint64_t *out, unsigned *nout)
{
	if (timeout > L4_TIMEOUT_NEVER)
		return EINVAL_AT(0);         /* timeouts are 32-bit microseconds */
	if (n->bits) {
		out[0] = n->bits;
		*nout = 1;
		n->bits = 0;
		bound_sync(n);
		return 0;
	}
	if (timeout == L4_TIMEOUT_ZERO)
		return -L4_ETIMEOUT;
	thread_set_state(caller, L4_THREAD_RECV);
	wq_append(n, caller);
	if (timeout != L4_TIMEOUT_NEVER)
		sched_timeout_add(caller, arch_time_ns() + timeout * 1000);
	return OBJ_REPLY_LATER;              /* the syscall exit schedules us away */
}

int notification_op(struct thread *caller, struct notification *n, uint32_t rights,
		    uint64_t badge, uint32_t label, const uint64_t *mr, uint64_t *out, unsigned *nout)
{
	switch (label) {
	case L4_NOTIF_SIGNAL:
		if (!(rights & CAP_WRITE))
			return -L4_EPERM;
		notification_signal(n, badge ? badge : mr[0]);
		return 0;
	case L4_NOTIF_WAIT:
		if (!(rights & CAP_READ))
			return -L4_EPERM;
		return notif_wait(caller, n, mr[0], out, nout);
	}
	return -L4_ENOSYS;
}
