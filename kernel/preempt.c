/* preempt.c - preemption points and continuations; see preempt.h. */
#include "k/kernel.h"
#include "k/irq.h"
#include "k/preempt.h"
#include "k/thread.h"

struct preempt_cpu preempt_cpu;
uint64_t preempt_budget_ns = PREEMPT_BUDGET_NS;
uint64_t preempt_count;
struct preempt_stretch preempt_stretch;
static struct thread *cont_threads;     /* threads with an active continuation */

bool preempt_due(void)
{
#if CONFIG_KERNEL_DEBUG
	assert(preempt_cpu.open);               /* begun by this call (preempt_begin) */
#endif
	/* The points passed since the last look (all of the count down when
	 * a point calls; a revoke calls with its own units added). */
	preempt_cpu.units += PREEMPT_CHECK_EVERY - preempt_cpu.left;
	preempt_cpu.left = PREEMPT_CHECK_EVERY;
	if (preempt_budget_ns == ~0ull)
		return false;                   /* never: how the kernel was before */
	uint64_t now = arch_time_ns();
	if (!preempt_cpu.t0) {
		preempt_cpu.t0 = now ? now : 1;
		return false;
	}
	/* The units only count where the clock stands still (no TSC): as many
	 * more for a larger budget. */
	uint64_t scale = preempt_budget_ns / PREEMPT_BUDGET_NS;
	return now - preempt_cpu.t0 >= preempt_budget_ns ||
	       preempt_cpu.units >= PREEMPT_MAX_UNITS * (scale ? scale : 1);
}

static void unlink(struct thread *t)
{
	struct preempt_cont *c = &t->cont;
	if (!c->active)
		return;
	if (c->release) {
		c->release(c);              /* dropped part way: give back what it holds */
		c->release = NULL;
	}
	if (c->prev)
		c->prev->cont.next = c->next;
	else
		cont_threads = c->next;
	if (c->next)
		c->next->cont.prev = c->prev;
	c->active = false;
	c->next = c->prev = NULL;
}

/* Word by word (only a repeated call's key is compared). */
static bool same_key(const uint64_t *a, const uint64_t *b)
{
	for (unsigned i = 0; i < 6; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Only for a thread with an active continuation (obj_cont tests first). */
struct preempt_cont *preempt_cont_again(struct thread *t, const uint64_t key[6],
					struct kobj *a, struct kobj *b)
{
	struct preempt_cont *c = &t->cont;
	if (same_key(c->key, key) && c->obj[0] == a && c->obj[1] == b)
		return c;                       /* the same call again: go on */
	unlink(t);                              /* another call: the old one is dropped */
	return preempt_cont_fresh(c, a, b);
}

int preempt_save(struct thread *t, const uint64_t key[6])
{
	struct preempt_cont *c = &t->cont;
	preempt_count++;
	if (!c->active) {
		for (unsigned i = 0; i < 6; i++)
			c->key[i] = key[i];
		c->active = true;
		c->prev = NULL;
		c->next = cont_threads;
		if (cont_threads)
			cont_threads->cont.prev = t;
		cont_threads = t;
	}
	return OBJ_PREEMPTED;
}

void preempt_drop(struct thread *t)
{
	unlink(t);
}

void preempt_forget(const struct kobj *o)
{
	for (struct thread *t = cont_threads, *next; t; t = next) {
		next = t->cont.next;
		if (t->cont.obj[0] == o || t->cont.obj[1] == o || &t->obj == o)
			unlink(t);
	}
}

void preempt_stretch_begin(void)
{
	preempt_stretch.t0 = arch_time_ns();
}

void preempt_stretch_end(void)
{
	if (!preempt_stretch.t0)
		return;
	uint64_t d = arch_time_ns() - preempt_stretch.t0;
	if (d > preempt_stretch.max)
		preempt_stretch.max = d;
	preempt_stretch.t0 = 0;
}
