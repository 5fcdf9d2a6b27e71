/* ipc.h - the Endpoint object and synchronous IPC.
 *
 * An endpoint is a rendezvous point: senders and receivers queue on it until
 * a partner arrives; then the message (untyped words and typed items that
 * carry capabilities) is copied directly from the sender's registers and
 * UTCB into the receiver's, and whoever must wait, waits.  A call leaves the
 * caller waiting for a reply that only the receiver can give (the implicit
 * one-shot reply capability is the pair caller/callee).
 */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include "kobj.h"
#include "thread.h"
#include <arch/regs.h>

struct factory;
struct thread;

struct endpoint {
	struct kobj obj;
	struct factory *factory;           /* [ref] */
	struct thread *send_head, *send_tail;   /* blocked senders, FIFO */
	struct thread *recv_head, *recv_tail;   /* blocked receivers, FIFO */
};

struct endpoint *endpoint_create(struct factory *f, int *err);
void endpoint_destroy(struct endpoint *ep);   /* waiters wake with L4_ECANCELED */

/* The IPC system call of the current thread, flags = enum l4_ipc_flags. */
void ipc_syscall(struct thread *cur, unsigned flags, user_regs_t *r);

/* t stops taking part in IPC: leave any queue, drop reply links (a thread
 * waiting for t's reply wakes with L4_ECANCELED), cancel its timeout. */
void ipc_cancel(struct thread *t);

/* Is t blocked in a receive that its bound notification may end (an
 * endpoint receive, or a sleep)? */
bool ipc_receiving(const struct thread *t);

/* End t's receive with the bits of its bound notification. */
void ipc_wake_notified(struct thread *t, uint64_t bits);

/* t's timeout expired while it waited in an endpoint queue. */
void ipc_timeout(struct thread *t);

/* t faulted: send the fault message (kind = enum thread_fault, mr as in
 * <l4/sys/abi.h>) to its pager or exception handler and wait for the reply.
 * false if it has no handler for this fault. */
bool ipc_fault(struct thread *t, unsigned kind, const uint64_t mr[4]);

/* t exits: if it has an exception handler, deliver L4_LABEL_EXIT with the
 * status to it (waiting in the endpoint's queue until it is received). */
void ipc_exit_notice(struct thread *t, long status);

/* The fast path for call and reply-and-wait (fastpath.c): true if it did
 * the whole operation, false to take the full path. */
/* entry.S calls it for every IPC system call before syscall_handle: it
 * switches to the partner for good, or returns for the full path. */
void fastpath_syscall(user_regs_t *r);
extern uint8_t fastpath_off;   /* 0, or FASTPATH_VETO: every message goes the slow way */

/* t->fp_veto is ORed into the tag's low byte the fast path checks: the
 * items flag sends the message the slow way.  It is set while IPC is switched off
 * (fastpath_off) or while bits are pending on t's bound notification, so the
 * fast path needs no check of its own for either.  Call after either changes. */
#define FASTPATH_VETO ((uint8_t)L4_TAG_ITEMS)
void fastpath_veto_update(struct thread *t);

/* Finish a kernel-object call: the reply goes straight into the caller. */
void ipc_kernel_reply(struct thread *caller, int err, unsigned nwords, const uint64_t *mr);

/* Endpoint and notification queues (FIFO; threads link through q_next and
 * q_prev).  Inline: the fast path uses them too. */
static inline void q_push(struct thread **head, struct thread **tail, struct thread *t)
{
	t->q_next = NULL;
	t->q_prev = *tail;
	if (*tail)
		(*tail)->q_next = t;
	else
		*head = t;
	*tail = t;
}

/* Take the first thread off a non-empty queue. */
static inline struct thread *q_pop(struct thread **head, struct thread **tail)
{
	struct thread *t = *head, *next = t->q_next;
	*head = next;
	if (unlikely(next)) {            /* a server usually waits alone */
		next->q_prev = NULL;
		t->q_next = NULL;        /* (alone, it is NULL already) */
	} else {
		*tail = NULL;
	}
	return t;
}

static inline void q_remove(struct thread **head, struct thread **tail, struct thread *t)
{
	if (t->q_prev)
		t->q_prev->q_next = t->q_next;
	else
		*head = t->q_next;
	if (t->q_next)
		t->q_next->q_prev = t->q_prev;
	else
		*tail = t->q_prev;
	t->q_next = t->q_prev = NULL;
}
