/* thread.c - the Thread object; see thread.h. */
#include "k/kernel.h"
#include "k/factory.h"
#include "k/ipc.h"
#include "k/irqobj.h"
#include "k/mm.h"
#include "k/notification.h"
#include "k/obj.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include "k/roottask.h"
#include <arch/layout.h>

struct thread *all_threads;            /* every thread (debugger, checks) */

struct thread *thread_create(struct factory *f, int *err)
{
	struct thread *t = factory_alloc(f, sizeof *t, err);
	if (!t)
		return NULL;
	t->kstack = factory_alloc(f, THREAD_KSTACK_SIZE, err);
	if (!t->kstack) {
		factory_free(f, t, sizeof *t);
		return NULL;
	}
	t->obj.type = KOBJ_THREAD;
	t->factory = f;
	t->all_next = all_threads;
	all_threads = t;
	t->state = L4_THREAD_INACTIVE;       /* the first state, not a transition */
	t->prio = 1;
	t->fp_veto = fastpath_off;
	memcpy(t->name, "thread", 7);
	return t;
}

int thread_bind(struct thread *t, struct task *task, uint64_t utcb_uva)
{
	if (unlikely(t->task))
		return -L4_ESTATE;
	if (unlikely(utcb_uva & (PAGE_SIZE - 1) || !utcb_uva))
		return EINVAL_AT(1);
	/* The UTCB page, and the page tables its mapping needs, live as long
	 * as the task (a UTCB is never reused): the task's factory pays, as for
	 * the tables of its mappings (mdb.c); task.c refunds at its end. */
	int e = factory_charge(task->factory, 4 * PAGE_SIZE);
	if (e)
		return e;
	uint64_t pa = frame_alloc_zeroed();
	if (!pa) {
		factory_refund(task->factory, 4 * PAGE_SIZE);
		return -L4_ENOMEM;
	}
	uint64_t before = as_frames(&task->as);
	e = as_map(&task->as, utcb_uva, pa, VM_READ | VM_WRITE | VM_OWNED | VM_PINNED);
	uint64_t used = (as_frames(&task->as) - before) * PAGE_SIZE;   /* tables + the UTCB */
	factory_refund(task->factory, 4 * PAGE_SIZE - used);
	task->table_charge += used;
	if (e) {
		frame_free(pa);
		return e;
	}
	t->utcb = phys_to_virt(pa);
	t->utcb_mr_ext = &t->utcb->mr[L4_MR_IN_REGS];
	t->utcb_uva = utcb_uva;
	t->utcb->self = utcb_uva;
	t->arch.user_gs = utcb_uva;
	t->task = task;
	t->task_next = task->threads;
	task->threads = t;
	return 0;
}

int thread_start(struct thread *t, uint64_t ip, uint64_t sp, uint64_t arg)
{
	if (unlikely(!t->task))
		return -L4_ESTATE;
	/* Only user addresses: sysret would fault on a non-canonical rip. */
	if (unlikely(ip >= USER_TOP))
		return EINVAL_AT(0);
	if (unlikely(sp > USER_TOP))
		return EINVAL_AT(1);
	if (t->state != L4_THREAD_INACTIVE)
		thread_stop(t);
	thread_set_state(t, L4_THREAD_INACTIVE);  /* a fresh start, even after an exit */
	arch_thread_setup(&t->arch, (uint8_t *)t->kstack + THREAD_KSTACK_SIZE, ip, sp, arg);
	sched_make_ready(t);
	return 0;
}

_Noreturn void thread_bad_transition(const struct thread *t, unsigned to)
{
	panic("thread '%s': state %u -> %u is not a transition of the state machine (thread.h)",
	      t->name, t->state, to);
}

void thread_stop(struct thread *t)
{
	/* A system call it was blocked in returns L4_ECANCELED if it is resumed;
	 * a thread stopped in a fault retries the instruction instead. */
	if ((t->state == L4_THREAD_SEND || t->state == L4_THREAD_RECV ||
	     t->state == L4_THREAD_REPLY) && !t->fault)
		regs_set_ipc_result(thread_regs(t), L4_TAG_WITH_ERROR(0, L4_ECANCELED), 0);
	ipc_cancel(t);
	sched_remove(t);
	if (t->state != L4_THREAD_DEAD)
		thread_set_state(t, L4_THREAD_INACTIVE);
	if (t == sched_current())
		schedule();
}

void thread_unbind(struct thread *t)
{
	struct task *task = t->task;
	if (!task)
		return;
	ipc_cancel(t);
	sched_remove(t);
	if (t->state != L4_THREAD_DEAD)
		thread_set_state(t, L4_THREAD_INACTIVE);   /* an exited thread stays dead: nothing to resume */
	for (struct thread **p = &task->threads; *p; p = &(*p)->task_next)
		if (*p == t) {
			*p = t->task_next;
			break;
		}
	t->task = NULL;
	t->utcb = NULL;           /* the page belongs to the task's address space */
	t->utcb_mr_ext = NULL;
	t->utcb_uva = 0;
	t->arch.user_gs = 0;
}

void thread_destroy(struct thread *t)
{
	thread_unbind(t);
	irq_thread_gone(t);
	notification_bind(t, NULL);
	if (t->pager)
		kobj_put(&t->pager->obj, &obj_dead);
	if (t->exc_handler)
		kobj_put(&t->exc_handler->obj, &obj_dead);
	thread_set_state(t, L4_THREAD_DEAD);
	if (t == sched_current()) {
		/* Still running on its stack: free it after switching away. */
		sched_set_zombie(t);
		return;
	}
	thread_free(t);
}

void thread_free(struct thread *t)
{
	for (struct thread **p = &all_threads; *p; p = &(*p)->all_next)
		if (*p == t) {
			*p = t->all_next;
			break;
		}
	arch_thread_free(&t->arch);
	struct factory *f = t->factory;
	factory_free(f, t->kstack, THREAD_KSTACK_SIZE);
	factory_free(f, t, sizeof *t);
}

_Noreturn void thread_exit_current(long status)
{
	struct thread *t = sched_current();
	if (t == root_thread())
		root_task_end(status, NULL);
	if (status && !t->exc_handler)
		kprintf("minnow: thread '%s' exited with status %ld\n", t->name, status);
	ipc_exit_notice(t, status);     /* its handler learns, if it has one */
	ipc_cancel(t);
	thread_set_state(t, L4_THREAD_DEAD);
	schedule();
	panic("dead thread scheduled");
}

void thread_fault(struct thread *t, const char *what)
{
	if (t == root_thread())
		root_task_end(-1, what);
	kprintf("minnow: thread '%s' in task '%s' stopped (%s, no handler)\n", t->name,
		t->task ? t->task->name : "-", what);
	ipc_cancel(t);
	thread_set_state(t, L4_THREAD_INACTIVE);    /* stopped: its owner may restart or resume it */
	schedule();
	/* Resumed (L4_THREAD_RESUME): back to user mode through the trap
	 * frame, where the faulting instruction runs again - or wherever new
	 * registers (L4_THREAD_REGS_SET) say. */
}
