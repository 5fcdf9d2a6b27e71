/* preempt.h - preemption points in long system calls.
 *
 * The kernel runs with interrupts off (doc/architecture.md), so a system
 * call that does a lot of work in one go - a 2^18-page device map, the
 * revoke of 40,000 capabilities - would keep the machine deaf for as long
 * (0.40 s before these points existed).  As in seL4 (preemptionPoint() in
 * its revoke and deletion loops), such an operation calls preempt_point()
 * after each unit of work.  Once the operation has run for its budget
 * (PREEMPT_BUDGET_NS of guest time, counted from its first point; the
 * operation starts it with preempt_begin), the point says stop: the
 * operation records how far it got in the calling thread's continuation
 * (struct preempt_cont) and returns OBJ_PREEMPTED;
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
 *
 * What the common calls pay for this is kept small (make bench; figures
 * in doc/testing.md): a call that passes no point (the null system call,
 * IPC) starts no budget; a call that passes some but is not stopped keeps
 * no key (a flag test finds that the thread has no continuation) and
 * writes where it got only when it stops (map, unmap); a point is a count
 * down, a decrement and a branch; the stretch measurement shares the word
 * the way out of a system call tests anyway.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"
#include "kobj.h"
#include "percpu.h"

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

/* Budget state of the current operation (per CPU). */
struct preempt_cpu {
	uint32_t left;              /* points to the next look at the clock */
	uint32_t units;             /* points passed until the last look */
	uint64_t t0;                /* clock at its first look, 0: not yet */
#if CONFIG_KERNEL_DEBUG
	bool open;                  /* begun in this system call (syscall_handle clears it) */
#endif
};
extern struct preempt_cpu preempt_cpu;
extern uint64_t preempt_budget_ns;      /* L4_DBG_PREEMPT sets it; ~0: never */
extern uint64_t preempt_count;          /* operations stopped, since boot */

/* A fresh budget, started by each operation that can be preempted, once
 * per issued call, before its first point: obj_cont (every call with a
 * continuation), obj_reap (a reap outside such a call), obj_reap_idle.
 * Not at every system call's entry: the null system call and IPC, which
 * pass no point, do not pay for it (make bench's syscall-null and
 * ipc-slow-*: two stores each time).  Debug builds check that no point is
 * passed without a budget begun in the same system call. */
static inline void preempt_begin(void)
{
	preempt_cpu.left = PREEMPT_CHECK_EVERY;   /* one 8-byte store with units */
	preempt_cpu.units = 0;
	preempt_cpu.t0 = 0;
#if CONFIG_KERNEL_DEBUG
	preempt_cpu.open = true;
#endif
}

/* At a system call's entry (debug builds only): no budget yet. */
static inline void preempt_debug_enter(void)
{
#if CONFIG_KERNEL_DEBUG
	preempt_cpu.open = false;
#endif
}

bool preempt_due(void);

/* After one unit of work: true if the operation must stop now.  A count
 * down (a decrement and a branch, in every page of a map or unmap: make
 * bench's map-2m), the clock looked at when it reaches 0. */
static inline bool preempt_point(void)
{
#if CONFIG_KERNEL_DEBUG
	assert(preempt_cpu.open);       /* a budget of this call's (preempt_begin) */
#endif
	if (likely(--preempt_cpu.left))
		return false;
	return preempt_due();
}

/* The continuation for this call of t's, c = &t->cont: its own if it
 * matches key and objects (a repeated call), else a fresh one (phase, pos,
 * count, aux 0).  A thread without an active continuation (every call but
 * a repeated one) costs a flag test and the fresh fields: the key is
 * neither compared nor kept (preempt_save keeps it, if the call stops), so
 * a small map or unmap pays no bookkeeping for a stop it never makes. */
struct preempt_cont *preempt_cont_again(struct thread *t, const uint64_t key[6],
					struct kobj *a, struct kobj *b);
static inline struct preempt_cont *preempt_cont_fresh(struct preempt_cont *c,
						      struct kobj *a, struct kobj *b)
{
	assert(!c->release);            /* an inactive continuation holds nothing */
	c->obj[0] = a;
	c->obj[1] = b;
	c->phase = 0;
	c->pos = c->count = c->aux = 0;
	return c;
}
/* The operation stopped: keep the continuation, with key, the call's (as
 * for preempt_cont_again); returns OBJ_PREEMPTED. */
int preempt_save(struct thread *t, const uint64_t key[6]);
/* The operation ended (done or refused): forget the continuation. */
void preempt_drop(struct thread *t);
/* An object is being destroyed: drop every continuation naming it. */
void preempt_forget(const struct kobj *o);

/* The longest stretch (ns of guest time) from a system call's entry to its
 * end or its first thread switch, while measuring (L4_DBG_STRETCH: it sets
 * each CPU's stretch flag, in the word syscall_handle tests on its way out
 * anyway, percpu.h, so the measuring costs the common exit nothing). */
struct preempt_stretch {
	uint64_t t0, max;
};
static inline bool preempt_stretch_on(void)
{
	return this_cpu()->stretch;
}
extern struct preempt_stretch preempt_stretch;
void preempt_stretch_begin(void);
void preempt_stretch_end(void);
