/* thread.h - the Thread object: a flow of control in a task, with a priority,
 * a UTCB, a kernel stack, and the IPC state it is in. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <arch/thread.h>
#include "config.h"
#include "kobj.h"
#include "preempt.h"
#include <l4/sys/abi.h>

struct task;
struct endpoint;
struct factory;
struct notification;
struct irq;

#define THREAD_KSTACK_SIZE 16384

enum thread_fault { FAULT_NONE, FAULT_PAGE, FAULT_EXCEPTION };

struct thread {
	struct kobj obj;
	struct arch_thread arch;           /* saved registers, kernel stack, FPU */
	void *kstack;                      /* THREAD_KSTACK_SIZE bytes */
	struct factory *factory;           /* [ref] charged for this object */

	/* Binding: written by thread control, read by IPC. */
	struct task *task;                 /* NULL until bound; not a reference */
	struct thread *task_next;          /* in task->threads */
	struct l4_utcb *utcb;              /* kernel view of its UTCB page */
	uint64_t *utcb_mr_ext;             /* &utcb->mr[L4_MR_IN_REGS]: the fast path's copy (fastpath.c) */
	uint64_t utcb_uva;
	struct endpoint *pager;            /* [ref] page faults go here */
	struct endpoint *exc_handler;      /* [ref] other exceptions go here */

	/* Scheduling [kernel lock]. */
	enum l4_thread_state state;
	uint8_t prio;                      /* 0..255, higher runs first */
	uint8_t mcp;                       /* highest priority it may give */
	uint32_t slice_left;               /* ticks left in this time slice */
	struct thread *q_next, *q_prev;    /* ready queue, or an endpoint queue */

	/* IPC [kernel lock]. */
	struct endpoint *waiting_on;       /* endpoint queue it sits in, if any */
	struct notification *waiting_notif; /* notification it waits on, if any */
	struct irq *waiting_irq;           /* Irq it waits on, if any */
	struct notification *bound_notif;  /* [ref] its receives take these signals too */
	uint8_t fp_veto;                   /* nonzero: its IPC takes the slow path (fastpath.c) */
	uint64_t ipc_badge;                /* badge of the capability it sends with */
	bool ipc_is_call;                  /* a blocked sender that wants a reply */
	bool ipc_may_grant;                /* its capability has CAP_GRANT */
	struct thread *caller;             /* whom this thread owes a reply */
	struct thread *callee;             /* who owes this thread a reply */
	bool ipc_kernel_msg;               /* a blocked sender whose message is kmsg */
	uint8_t fault;                     /* waits for a fault reply: enum thread_fault */
	uint64_t kmsg_tag, kmsg[4];        /* a fault message the kernel sends for it */
	uint64_t pager_badge, exc_badge;   /* badges of the handler capabilities */
	uint64_t deadline_ns;              /* timeout, 0 = none */
	struct thread *tmo_next;           /* in the timeout list */

	struct preempt_cont cont;          /* a long call preempted part way (preempt.h) */

	char name[16];
	struct thread *all_next;           /* every thread, for the debugger and checks */
};

/* Allocate a thread charged to factory f; it starts inactive and unbound. */
struct thread *thread_create(struct factory *f, int *err);
void thread_destroy(struct thread *t);
void thread_free(struct thread *t);      /* the memory, once it is not running */

/* Bind to task at utcb_uva (maps a fresh UTCB page there). */
int thread_bind(struct thread *t, struct task *task, uint64_t utcb_uva);
int thread_start(struct thread *t, uint64_t ip, uint64_t sp, uint64_t arg);
void thread_stop(struct thread *t);              /* -> inactive, leaves any queue */
void thread_unbind(struct thread *t);            /* its task is going away */
_Noreturn void thread_exit_current(long status); /* the exit system call */
/* t faulted with nobody to tell: stop it.  Returns if it is resumed. */
void thread_fault(struct thread *t, const char *what);

extern struct thread *all_threads;

/* ---- the thread state machine ----
 *
 *   INACTIVE  created, stopped (STOP, an unhandled fault, L4_FAULT_STOP),
 *             or unbound by its task's death
 *   READY     running or in a ready queue
 *   SEND, RECV, REPLY   blocked in IPC (RECV also waits on a notification
 *             or an Irq); only the running thread blocks
 *   DEAD      exited, or destroyed
 *
 * Allowed transitions (anything else is a kernel bug, caught in debug
 * builds by thread_set_state):
 *
 *   INACTIVE -> READY     start, resume (registers and a task needed)
 *   READY    -> SEND RECV REPLY   the running thread blocks
 *   SEND     -> REPLY     its call was received; now it waits for the reply
 *   SEND RECV REPLY -> READY      delivered, replied, timed out, cancelled
 *   any but DEAD -> INACTIVE      stop, fault without handler, unbind
 *   any      -> DEAD      exit, destruction, the root task's end
 *   DEAD     -> INACTIVE  start only (a fresh register set), never a wake-up
 *   s        -> s         for INACTIVE and READY (a stop of a stopped
 *                         thread, a wake-up of a ready one) and DEAD
 *
 * So nothing wakes or resumes a dead thread, and no blocked state is
 * entered but from running.  (fastpath.c writes the state directly: its
 * READY <-> REPLY/RECV switches are in the table.) */
#define TS_(s) (1u << L4_THREAD_##s)
static const uint8_t thread_next_states[] = {
	[L4_THREAD_INACTIVE] = TS_(INACTIVE) | TS_(READY) | TS_(DEAD),
	[L4_THREAD_READY]    = TS_(READY) | TS_(SEND) | TS_(RECV) | TS_(REPLY) |
			       TS_(INACTIVE) | TS_(DEAD),
	[L4_THREAD_SEND]     = TS_(READY) | TS_(REPLY) | TS_(INACTIVE) | TS_(DEAD),
	[L4_THREAD_RECV]     = TS_(READY) | TS_(INACTIVE) | TS_(DEAD),
	[L4_THREAD_REPLY]    = TS_(READY) | TS_(INACTIVE) | TS_(DEAD),
	[L4_THREAD_DEAD]     = TS_(DEAD) | TS_(INACTIVE),
};
#undef TS_

static inline bool thread_transition_ok(unsigned from, unsigned to)
{
	return from <= L4_THREAD_DEAD && to <= L4_THREAD_DEAD &&
	       (thread_next_states[from] >> to & 1);
}

_Noreturn void thread_bad_transition(const struct thread *t, unsigned to);

/* Every state change but the fast path's goes through here. */
static inline void thread_set_state(struct thread *t, enum l4_thread_state to)
{
#if CONFIG_KERNEL_DEBUG
	if (__builtin_expect(!thread_transition_ok(t->state, to), 0))
		thread_bad_transition(t, to);
#endif
	t->state = to;
}

static inline user_regs_t *thread_regs(struct thread *t) { return t->arch.regs; }
