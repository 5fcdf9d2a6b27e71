/* notification.h - the Notification object: a word of pending bits that
 * signals OR in and a wait collects (and clears), for asynchronous events
 * such as interrupts. */
#pragma once
#include <stdint.h>
#include "kobj.h"

struct factory;
struct thread;

struct notification {
	struct kobj obj;
	struct factory *factory;              /* [ref] */
	uint64_t bits;                        /* pending, not yet collected */
	struct thread *wait_head, *wait_tail; /* blocked waiters, FIFO */
	struct thread *bound;                 /* the thread bound to it (not a reference:
	                                         the thread holds one on us and unbinds
	                                         before it goes) */
};

struct notification *notification_create(struct factory *f, int *err);
void notification_destroy(struct notification *n);     /* waiters wake with L4_ECANCELED */
void notification_signal(struct notification *n, uint64_t bits);   /* also from interrupts */

/* A call on a notification capability (enum l4_notification_op).  Returns
 * 0 or -L4_Exxx with the reply in out[], or OBJ_REPLY_LATER when the caller
 * now waits and whoever wakes it writes its reply. */
int notification_op(struct thread *caller, struct notification *n, uint32_t rights,
		    uint64_t badge, uint32_t label, const uint64_t *mr, uint64_t *out, unsigned *nout);

/* Bind n to t (n = NULL: unbind t).  0, or -L4_ESTATE when either is
 * bound elsewhere already. */
int notification_bind(struct thread *t, struct notification *n);

/* The bits pending on t's bound notification, collected (cleared); 0 if
 * it has none or no bound notification. */
uint64_t notification_take_bound(struct thread *t);

/* t waited on a notification and must stop waiting (stopped, timed out). */
void notification_cancel_wait(struct thread *t, int err);
