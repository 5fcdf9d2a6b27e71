/* thread.h - the Thread object: a flow of control in a task, with a priority,
 * a UTCB, a kernel stack, and the IPC state it is in. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <arch/thread.h>
#include "kobj.h"
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
	uint64_t fp_veto;                  /* nonzero: its IPC takes the slow path (fastpath.c) */
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

static inline user_regs_t *thread_regs(struct thread *t) { return t->arch.regs; }
