/* thread.c - threads of a program besides its first (parent_thread_create).
 *
 * We make them, not the program, so that they are like the first thread:
 * charged to the program's own kernel-memory factory (p->kmem, sized for
 * threads= of them; the kernel charges each UTCB page there too), their
 * stacks counted against its mem= quota, and their page faults, exceptions and exit notices coming to us
 * with a badge that names program, incarnation and thread.  A fault in any
 * thread kills the program; the exit of one that is not the first only
 * ends that thread, and we signal its notification so that whoever joins
 * it wakes (the program holds a read-only copy next to the thread's).
 *
 * A program may have threads= of them at once.  Record k keeps its
 * objects for the whole incarnation and is started again for the next
 * thread: the kernel keeps a UTCB page in the task until the task dies, so
 * a fresh thread object per create would need a fresh UTCB address each
 * time and the program could use up its address space and our quota
 * account by creating and joining in a loop. */
#include <stdio.h>
#include <l4/sys/factory.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include "roottask.h"

#define PAGE 4096ull

/* Record k's objects and its stack (counted against mem=). */
static int make(struct prog *p, unsigned k)
{
	struct rthread *t = &p->thr[k];
	int e;
	if (!t->stack) {
		if ((e = mem_region(p, P_TSTACK_TOP(k) - P_STACK_SIZE, P_STACK_SIZE,
				    L4_MEM_R | L4_MEM_W, R_LAZY, 0)))
			return e;
		t->stack = true;
	}
	/* Objects made here that fail later stay in the record (not made)
	 * and go with the program; a retry starts from an empty record.  The
	 * bind comes last: its UTCB page stays in the task whatever becomes
	 * of the thread, so nothing may fail after it. */
	thread_drop_one(p, k);
	t->thread = slot_alloc();
	t->notif = slot_alloc();
	t->handler = slot_alloc();
	if ((e = l4_factory_create(p->kmem, L4_OBJ_THREAD, t->thread, 0)) ||
	    (e = l4_factory_create(p->kmem, L4_OBJ_NOTIFICATION, t->notif, 0)) ||
	    (e = l4_task_cap_map(L4_CAP_SELF, rt_service_ep, t->handler, L4_CAP_WRITE,
				 BADGE(p->idx, p->gen) | BADGE_THREAD(k))) ||
	    (e = l4_thread_set_prio(t->thread, p->cfg->prio, p->cfg->prio)) ||
	    (e = l4_thread_set_handlers(t->thread, t->handler, t->handler)) ||
	    (e = l4_thread_set_name(t->thread, p->cfg->name)) ||
	    (e = l4_thread_bind(t->thread, p->task, P_UTCB(k))))
		return e;
	t->made = true;
	return 0;
}

/* Start a thread of p at entry (rdi = arg, rsp = its stack's top - 8, as
 * after a call); its capability goes to slot and its notification (read
 * right: wait, bit 1 = ended) to slot + 1 of the program. */
int thread_create(struct prog *p, uint64_t entry, uint64_t arg, uint64_t slot, uint32_t *id)
{
	if (slot < L4_ENV_FIRST_FREE || slot >= RT_TASK_SLOTS - 1)
		return -L4_EINVAL;
	unsigned k = 0;
	while (k < p->cfg->threads && p->thr[k].busy)
		k++;
	if (k == p->cfg->threads)
		return -L4_ENOMEM;              /* threads= of them run already */
	struct rthread *t = &p->thr[k];
	int e;
	if (!t->made && (e = make(p, k)))
		return e;
	l4_notification_wait(t->notif, L4_TIMEOUT_ZERO, 0);   /* the last one's end, unjoined */
	if ((e = l4_task_cap_map(p->task, t->thread, slot, L4_CAP_READ, 0)))
		return e;
	if ((e = l4_task_cap_map(p->task, t->notif, slot + 1, L4_CAP_READ, 0))) {
		l4_task_cap_delete(p->task, slot);
		return e;
	}
	if ((e = l4_thread_start(t->thread, entry, P_TSTACK_TOP(k) - 8, arg))) {
		l4_task_cap_delete(p->task, slot);
		l4_task_cap_delete(p->task, slot + 1);
		return e;
	}
	t->busy = true;
	*id = k;
	return 0;
}

/* Thread k's exit notice: it is dead now, its record free for the next. */
void thread_ended(struct prog *p, unsigned k)
{
	if (k >= p->cfg->threads || !p->thr[k].busy)
		return;
	p->thr[k].busy = false;
	l4_notification_signal(p->thr[k].notif, 1);
}

void thread_drop_one(struct prog *p, unsigned k)
{
	struct rthread *t = &p->thr[k];
	slot_drop(&t->thread);
	slot_drop(&t->handler);
	slot_drop(&t->notif);
	t->made = t->busy = false;
}

/* The program has ended (its task is gone, so are the threads' bindings). */
void thread_drop_all(struct prog *p)
{
	for (unsigned k = 0; k < CFG_MAX_THREADS; k++) {
		thread_drop_one(p, k);
		p->thr[k].stack = false;
	}
}
