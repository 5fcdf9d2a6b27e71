/* sched.c - fixed-priority round-robin scheduler; see sched.h. */
#include "k/kernel.h"
#include "k/ioport.h"
#include "k/ipc.h"
#include "k/percpu.h"
#include "k/roottask.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include "k/irq.h"
#include "k/kip.h"
#include "k/obj.h"

/* [kernel lock] one queue per priority, and a bitmap of the non-empty ones. */
static struct thread *rq_head[256], *rq_tail[256];
uint64_t rq_bitmap[4];                  /* read inline by sched_best_prio() */
unsigned rq_words;                      /* bit w: rq_bitmap[w] is not 0 */
int rq_top = -1;                        /* sched_best_prio(), kept for the fast path */

static inline int best_prio(void)
{
	if (!rq_words)
		return -1;
	int w = 31 - __builtin_clz(rq_words);
	return w * 64 + 63 - __builtin_clzll(rq_bitmap[w]);
}

/* A priority's queue became non-empty / empty. */
static inline void rq_mark(unsigned p)
{
	rq_bitmap[p >> 6] |= 1ull << (p & 63);
	rq_words |= 1u << (p >> 6);
	if ((int)p > rq_top)
		rq_top = (int)p;
}
static inline void rq_unmark(unsigned p)
{
	rq_bitmap[p >> 6] &= ~(1ull << (p & 63));
	if (!rq_bitmap[p >> 6])
		rq_words &= ~(1u << (p >> 6));
	if ((int)p == rq_top)
		rq_top = best_prio();
}
static struct thread *timeouts;         /* sorted by deadline */
static uint64_t ticks;

struct thread *sched_current(void) { return this_cpu()->current; }
uint64_t sched_ticks(void) { return ticks; }

/* In a ready queue?  The queue links are shared with endpoint and
 * notification queues, so only a ready thread's links count. */
static bool queued(struct thread *t)
{
	return t->state == L4_THREAD_READY && (t->q_prev || rq_head[t->prio] == t);
}

static void rq_push(struct thread *t)
{
	unsigned p = t->prio;
	t->q_next = NULL;
	t->q_prev = rq_tail[p];
	if (rq_tail[p])
		rq_tail[p]->q_next = t;
	else
		rq_head[p] = t;
	rq_tail[p] = t;
	rq_mark(p);
}

void sched_remove(struct thread *t)
{
	if (!queued(t))
		return;            /* in an endpoint or notification queue, or in none */
	unsigned p = t->prio;
	if (t->q_prev)
		t->q_prev->q_next = t->q_next;
	else
		rq_head[p] = t->q_next;
	if (t->q_next)
		t->q_next->q_prev = t->q_prev;
	else
		rq_tail[p] = t->q_prev;
	t->q_next = t->q_prev = NULL;
	if (!rq_head[p])
		rq_unmark(p);
}

static struct thread *rq_best(void)
{
	int p = rq_top;
	return p < 0 ? NULL : rq_head[p];
}

static void switch_to(struct thread *next)
{
	struct percpu *c = this_cpu();
	struct thread *prev = c->current;
	if (next == prev)
		return;
	if (unlikely(preempt_stretch_on()))
		preempt_stretch_end();   /* L4_DBG_STRETCH: the stretch ends at a switch */
	sched_remove(next);
	thread_set_state(next, L4_THREAD_READY);
	if (!next->slice_left)
		next->slice_left = SCHED_SLICE_TICKS;
	c->current = next;
	if (next->task)          /* its task's I/O ports (kernel threads use none) */
		arch_io_bitmap_load(next->task->iobitmap);
	arch_thread_switch(&prev->arch, &next->arch, next->task ? &next->task->as : NULL);
	/* Back on prev's stack: free a thread that died while running. */
	if (c->zombie && c->zombie != c->current) {
		thread_free(c->zombie);
		c->zombie = NULL;
	}
}

void sched_set_zombie(struct thread *t)
{
	this_cpu()->zombie = t;
}

void sched_make_ready(struct thread *t)
{
	struct percpu *c = this_cpu();
	thread_set_state(t, L4_THREAD_READY);
	if (t == c->current || queued(t))
		return;
	rq_push(t);
	if (!c->current)
		return;                  /* still booting: sched_start() picks */
	/* Switch at the next kernel exit (end of the system call or interrupt),
	 * not in the middle of whatever made t ready. */
	if (t->prio > c->current->prio || c->current == c->idle)
		c->need_resched = true;
}

static void rq_push_front(struct thread *t)
{
	unsigned p = t->prio;
	t->q_prev = NULL;
	t->q_next = rq_head[p];
	if (rq_head[p])
		rq_head[p]->q_prev = t;
	else
		rq_tail[p] = t;
	rq_head[p] = t;
	rq_mark(p);
}

/* Pick the best ready thread; the current one competes while it can run.
 * Preempted by a higher priority, it keeps its place at the head of its
 * queue; with its slice used up, it goes to the back with a new one. */
void schedule(void)
{
	struct percpu *c = this_cpu();
	struct thread *cur = c->current;
	struct thread *best = rq_best();
	c->need_resched = false;
	/* Once the root task has ended, only the idle thread runs (it tears
	 * everything down): a thread of the old system made ready meanwhile
	 * could otherwise keep the CPU for good (sysfuzz seed 55: a helper's
	 * system calls after the fuzzer's exit, the teardown never reached). */
	if (unlikely(root_task_ending())) {
		switch_to(c->idle);
		return;
	}
	if (cur->state == L4_THREAD_READY && cur != c->idle) {
		if (!best || best->prio < cur->prio ||
		    (best->prio == cur->prio && cur->slice_left))
			return;
		if (best->prio > cur->prio) {
			rq_push_front(cur);
		} else {
			cur->slice_left = SCHED_SLICE_TICKS;
			rq_push(cur);
		}
	}
	switch_to(best ? best : c->idle);
}

void sched_switch_to(struct thread *next)
{
	struct thread *cur = sched_current();
	if (cur->state == L4_THREAD_READY && cur != this_cpu()->idle)
		rq_push(cur);
	switch_to(next);
}

void sched_set_prio(struct thread *t, uint8_t prio)
{
	bool was_queued = queued(t);
	if (was_queued)
		sched_remove(t);
	t->prio = prio;
	if (was_queued)
		rq_push(t);
	schedule();          /* a raised thread may now beat the current one */
}

void sched_yield(void)
{
	sched_current()->slice_left = 0;
	schedule();
}

/* ---- time ---- */

void sched_timeout_add(struct thread *t, uint64_t deadline)
{
	t->deadline_ns = deadline;
	struct thread **p = &timeouts;
	while (*p && (*p)->deadline_ns <= deadline)
		p = &(*p)->tmo_next;
	t->tmo_next = *p;
	*p = t;
}

void sched_timeout_cancel(struct thread *t)
{
	if (!t->deadline_ns)
		return;
	for (struct thread **p = &timeouts; *p; p = &(*p)->tmo_next)
		if (*p == t) {
			*p = t->tmo_next;
			break;
		}
	t->deadline_ns = 0;
	t->tmo_next = NULL;
}

/* Called by the arch timer interrupt, with interrupts off. */
void timer_tick(void)
{
	ticks++;
	uint64_t now = arch_time_ns();
	kip_tick(now);
	while (timeouts && timeouts->deadline_ns <= now) {
		struct thread *t = timeouts;
		timeouts = t->tmo_next;
		t->tmo_next = NULL;
		t->deadline_ns = 0;
		ipc_timeout(t);
	}
	struct thread *cur = sched_current();
	if (cur != this_cpu()->idle && cur->slice_left)
		cur->slice_left--;
	schedule();
}

/* ---- start and idle ---- */

static void idle_loop(void)
{
	for (;;) {
		/* Checked before every schedule(): once the root task has ended,
		 * nothing else may run before the teardown. */
		if (root_task_ending())
			root_task_teardown();
		schedule();
		if (root_task_ending())
			continue;
		/* Nothing to run: go on with a destruction left on the dead list
		 * (obj.c), a budget at a time, letting interrupts in between. */
		if (obj_reap_idle()) {
			__asm__ volatile("sti; nop; cli");
			continue;
		}
		/* Interrupts on only while halted: the kernel is not preemptible. */
		__asm__ volatile("sti; hlt; cli");
	}
}

void sched_init(void)
{
	static struct thread idle;
	static uint8_t idle_stack[8192] __attribute__((aligned(16)));
	idle.obj.type = KOBJ_THREAD;
	thread_set_state(&idle, L4_THREAD_READY);
	memcpy(idle.name, "idle", 5);
	arch_kthread_setup(&idle.arch, idle_stack + sizeof idle_stack, idle_loop);
	this_cpu()->idle = &idle;
}

_Noreturn void sched_start(void)
{
	struct percpu *c = this_cpu();
	struct thread *first = rq_best();
	if (!first)
		first = c->idle;
	sched_remove(first);
	c->current = first;
	first->slice_left = SCHED_SLICE_TICKS;
	arch_thread_first(&first->arch, first->task ? &first->task->as : NULL);
}

bool sched_queues_check(const char **why)
{
	for (unsigned w = 0; w < 4; w++)
		if (!(rq_words & (1u << w)) != !rq_bitmap[w]) {
			*why = "ready bitmap summary disagrees with the bitmap";
			return false;
		}
	if (rq_top != best_prio()) {
		*why = "kept best ready priority disagrees with the bitmap";
		return false;
	}
	for (unsigned p = 0; p < 256; p++) {
		bool bit = rq_bitmap[p >> 6] & (1ull << (p & 63));
		if (bit != (rq_head[p] != NULL)) {
			*why = "ready bitmap disagrees with queue";
			return false;
		}
		struct thread *prev = NULL;
		unsigned n = 0;
		for (struct thread *t = rq_head[p]; t; prev = t, t = t->q_next) {
			if (t->q_prev != prev || t->prio != p || t->state != L4_THREAD_READY ||
			    t == sched_current() || ++n > 100000) {
				*why = "ready queue links, priority or state wrong";
				return false;
			}
		}
		if (rq_tail[p] != prev) {
			*why = "ready queue tail wrong";
			return false;
		}
	}
	return true;
}
