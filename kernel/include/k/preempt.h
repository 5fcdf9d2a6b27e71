/* preempt.h - preemption points in long system calls.
 *
 * The kernel runs with interrupts off (doc/architecture.md), so a system
 * call that does a lot of work in one go - a 2^18-page device map, the
 * revoke of 40,000 capabilities - would keep the machine deaf for as long
 * (0.40 s before these points existed).  As in seL4 (preemptionPoint() in
 * its revoke and deletion loops), such an operation calls preempt_point()
 * after each unit of work.  Once the operation has run for its budget
 * (PREEMPT_BUDGET_NS of guest time, counted from its first point), the
 * point says stop: the operation records how far it got in the calling
 * thread's continuation (struct preempt_cont) and returns OBJ_PREEMPTED;
 * obj_invoke() then leaves the caller's registers as they were and moves
 * its user rip back onto the `syscall` instruction.  On the way out
 * interrupts come on, whatever is pending is served (a better thread may
 * run first), and when the caller runs again it issues the same call once
 * more.  That call finds its continuation (same operation, same arguments,
 * same objects) and goes on where it stopped.
 *
 * A continuation is dropped - and the repeated call starts afresh - when
 * its thread is started again, gets new registers or loses its task, and
 * when an object it names is destroyed (obj_reap -> preempt_forget), so
 * it never points at freed memory; what a dropped call held is given back
 * then (the release hook).  doc/kernel-api.md section 2.10 says
 * which calls can be preempted and what a restart sees.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "kobj.h"

struct thread;

/* The default budget: well under the 1 ms aim, leaving room for the work
 * between the last point and the return to user mode. */
#define PREEMPT_BUDGET_NS 200000ull
/* Points between two looks at the clock (a unit is a page or a capability:
 * tens to a few thousand instructions). */
#define PREEMPT_CHECK_EVERY 8u
/* Without a calibrated TSC the clock stands still while interrupts are off
 * (it counts ticks): then a fixed number of units is the budget. */
#define PREEMPT_MAX_UNITS 4096u

/* Returned by an operation that stopped at a preemption point. */
#define OBJ_PREEMPTED 2

struct preempt_cont {
	bool active;                /* a preempted call is recorded here */
	uint64_t key[6];            /* label, invoked slot, MR0..MR3 */
	struct kobj *obj[2];        /* the objects it works on (NULL: none) */
	unsigned phase;             /* the operation's own stage (check, do, ...) */
	uint64_t pos;               /* how far: a page offset, a count */
	uint64_t count;             /* a result accumulated across restarts */
	uint64_t aux;               /* another result (a physical address) */
	struct thread *next, *prev; /* in the list of threads with one */
	/* What the call holds that is not yet anyone's (a contiguous run's
	 * frames not yet handed over): given back when the continuation is
	 * dropped before the call ends (a new call, a restart, new registers,
	 * the thread's task or an object it names gone).  An operation clears
	 * it before it ends; NULL: nothing held. */
	void (*release)(struct preempt_cont *);
};

/* Budget state of the current system call (per CPU). */
struct preempt_cpu {
	uint32_t units;             /* points passed in this system call */
	uint64_t t0;                /* clock at its first look, 0: not yet */
};
extern struct preempt_cpu preempt_cpu;
extern uint64_t preempt_budget_ns;      /* L4_DBG_PREEMPT sets it; ~0: never */
extern uint64_t preempt_count;          /* operations stopped, since boot */

/* At each system call's start (syscall_handle): a fresh budget. */
static inline void preempt_syscall_enter(void)
{
	preempt_cpu.units = 0;
	preempt_cpu.t0 = 0;
}

bool preempt_due(void);

/* After one unit of work: true if the operation must stop now. */
static inline bool preempt_point(void)
{
	if (++preempt_cpu.units % PREEMPT_CHECK_EVERY)
		return false;
	return preempt_due();
}

/* The continuation for this call of t's: its own if it matches key and
 * objects (a repeated call), else a fresh one (phase, pos, count 0). */
struct preempt_cont *preempt_cont_for(struct thread *t, const uint64_t key[6],
				      struct kobj *a, struct kobj *b);
/* The operation stopped: keep the continuation (returns OBJ_PREEMPTED). */
int preempt_save(struct thread *t);
/* The operation ended (done or refused): forget the continuation. */
void preempt_drop(struct thread *t);
/* An object is being destroyed: drop every continuation naming it. */
void preempt_forget(const struct kobj *o);

/* The longest stretch (ns of guest time) from a system call's entry to its
 * end or its first thread switch, while measuring (L4_DBG_STRETCH). */
struct preempt_stretch {
	bool on;
	uint64_t t0, max;
};
extern struct preempt_stretch preempt_stretch;
void preempt_stretch_begin(void);
void preempt_stretch_end(void);
