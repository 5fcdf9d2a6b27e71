/* obj.c - object destruction and kernel-object calls.
 *
 * Every operation on a kernel object is a call on its capability: the label
 * of the message says which operation, MR0.. carry the arguments, and the
 * reply (error in the tag, results in MR0..) goes back at once.
 */
#include "k/kernel.h"
#include "k/cap.h"
#include "k/factory.h"
#include "k/ipc.h"
#include "k/mdb.h"
#include "k/irqobj.h"
#include "k/notification.h"
#include "k/sigma0.h"
#include "k/obj.h"
#include "k/preempt.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include <arch/layout.h>
#include <l4/sys/abi.h>

struct kobj_list obj_dead;

/* A task is destroyed in steps (task_destroy_step): stopped at a
 * preemption point, it stays on the dead list with how far it got, and the
 * next reap (anyone's) goes on with it; everything else goes in one go.
 *
 * How reaps differ is in what a stopped task does to the caller:
 *   REAP_CALL  (L4_TASK_CAP_DELETE) the call stops too (OBJ_PREEMPTED) and
 *              goes on with the list when issued again: it ends once all
 *              that died of it is gone;
 *   REAP_STEP  (every other call that drops references, and the idle
 *              thread) the task is left on the list and the reap goes on
 *              with the rest: a destruction it only came across (one a
 *              stopped or killed deleter left behind) costs it a budget,
 *              not the whole task (2^18 pages were 0.1 s in one stretch);
 *   REAP_ALL   (the teardown at the end of the system) all of it at once. */
enum reap_mode { REAP_CALL, REAP_STEP, REAP_ALL };

static int reap(enum reap_mode mode)
{
	struct kobj *left = NULL;            /* REAP_STEP: tasks stopped part way */
	int ret = 0;
	while (obj_dead.head) {
		struct kobj *o = obj_dead.head;
		obj_dead.head = o->dead_next;
		if (o->type == KOBJ_TASK) {
			struct task *t = (struct task *)o;
			if (!t->destroy_phase)
				preempt_forget(o);   /* no continuation may name it now */
			if (task_destroy_step(t, mode != REAP_ALL))
				continue;
			if (mode == REAP_CALL) {
				o->dead_next = obj_dead.head;
				obj_dead.head = o;   /* the next reap goes on with it */
				ret = OBJ_PREEMPTED;
				break;
			}
			o->dead_next = left;
			left = o;
			continue;
		}
		preempt_forget(o);           /* no continuation may name it now */
		switch (o->type) {
		case KOBJ_THREAD:   thread_destroy((struct thread *)o); break;
		case KOBJ_ENDPOINT: endpoint_destroy((struct endpoint *)o); break;
		case KOBJ_FACTORY:  factory_destroy((struct factory *)o); break;
		case KOBJ_NOTIFICATION: notification_destroy((struct notification *)o); break;
		case KOBJ_IRQ:      irq_destroy((struct irq *)o); break;
		case KOBJ_SIGMA0:   break;           /* static: outlives every capability */
		default:            panic("reaping object of unknown type %d", o->type);
		}
	}
	while (left) {                       /* back on the list for the next reap */
		struct kobj *o = left;
		left = o->dead_next;
		o->dead_next = obj_dead.head;
		obj_dead.head = o;
	}
	return ret;
}

/* A reap outside a call with a continuation (which began the budget and
 * reaps with reap(REAP_STEP) itself: a revoke) gets a budget of its own;
 * with nothing dead there is nothing to stop. */
void obj_reap(void)
{
	if (!obj_dead.head)
		return;
	preempt_begin();
	reap(REAP_STEP);
}

int obj_reap_preemptible(void)
{
	return reap(REAP_CALL);
}

void obj_reap_all(void)
{
	reap(REAP_ALL);
}

bool obj_reap_idle(void)
{
	if (!obj_dead.head)
		return false;
	preempt_begin();                     /* a fresh budget for this step */
	if (unlikely(preempt_stretch_on()))
		preempt_stretch_begin();     /* a stretch too (L4_DBG_STRETCH) */
	reap(REAP_STEP);
	if (unlikely(preempt_stretch_on()))
		preempt_stretch_end();
	return true;
}

/* What a continuation is known by: label, invoked slot, MR0..MR3. */
static void obj_key(uint64_t key[6], struct thread *caller, uint64_t tag, const uint64_t *mr)
{
	key[0] = L4_TAG_LABEL(tag);
	key[1] = regs_arg0(thread_regs(caller));
	for (unsigned i = 0; i < 4; i++)
		key[2 + i] = mr[i];
}

static __attribute__((noinline)) struct preempt_cont *
obj_cont_again(struct thread *caller, uint64_t tag, const uint64_t *mr,
	       struct kobj *a, struct kobj *b)
{
	uint64_t key[6];
	obj_key(key, caller, tag, mr);
	return preempt_cont_again(caller, key, a, b);
}

struct preempt_cont *obj_cont(struct thread *caller, uint64_t tag, const uint64_t *mr,
			      struct kobj *a, struct kobj *b)
{
	preempt_begin();                     /* each issued call: a fresh budget */
	if (unlikely(caller->cont.active))
		return obj_cont_again(caller, tag, mr, a, b);
	return preempt_cont_fresh(&caller->cont, a, b);
}

/* A call stopped at a preemption point: its continuation is kept, with
 * the call's key (preempt_save), and the caller will issue it again. */
static __attribute__((noinline)) void obj_stopped(struct thread *caller, uint64_t tag,
						   const uint64_t *mr)
{
	uint64_t key[6];
	obj_key(key, caller, tag, mr);
	preempt_save(caller, key);
	regs_restart_syscall(thread_regs(caller));
}

static const uint32_t obj_type_abi[KOBJ_NTYPES] = {
	[KOBJ_TASK] = L4_OBJ_TASK, [KOBJ_THREAD] = L4_OBJ_THREAD,
	[KOBJ_ENDPOINT] = L4_OBJ_ENDPOINT, [KOBJ_NOTIFICATION] = L4_OBJ_NOTIFICATION,
	[KOBJ_IRQ] = L4_OBJ_IRQ, [KOBJ_FACTORY] = L4_OBJ_FACTORY, [KOBJ_SIGMA0] = L4_OBJ_SIGMA0,
};

/* Capabilities revoked between two looks at the budget. */
#define REVOKE_CHUNK 32

static int cap_err_to_l4(enum cap_err e)
{
	switch (e) {
	case CAP_OK:      return 0;
	case CAP_ERANGE:  return -L4_ENOCAP;
	case CAP_EEMPTY:  return -L4_ENOCAP;
	case CAP_EFULL:   return -L4_ESLOT;
	case CAP_ERIGHTS: return -L4_EPERM;
	case CAP_EBADGE:  return EINVAL_AT(3);      /* L4_TASK_CAP_MAP's badge */
	case CAP_ESAME:   return EINVAL_AT(1);      /* the destination is the source */
	}
	return -L4_EINVAL;
}

void *caller_obj(struct thread *caller, uint64_t slot, enum kobj_type type, uint32_t rights,
		 int *err)
{
	struct cap *c = caller->task ? cap_slot(&caller->task->cs, slot) : NULL;
	if (!c || !c->obj)
		*err = -L4_ENOCAP;
	else if (c->obj->type != type)
		*err = -L4_ETYPE;
	else if ((c->rights & rights) != rights)
		*err = -L4_EPERM;
	else
		return c->obj;
	return NULL;
}

/* ---- factory ---- */

static int factory_op(struct thread *caller, struct factory *f, uint32_t label,
		      const uint64_t *mr, uint64_t *out, unsigned *nout)
{
	if (label == L4_FACTORY_INFO) {
		out[0] = f->quota;
		out[1] = f->used;
		*nout = 2;
		return 0;
	}
	if (label != L4_FACTORY_CREATE)
		return -L4_ENOSYS;
	struct cap *dst = cap_slot(&caller->task->cs, mr[1]);
	if (!dst)
		return -L4_ENOCAP;
	if (dst->obj)
		return -L4_ESLOT;
	uint64_t before = f->used;
	int err = 0;
	struct kobj *o = NULL;
	switch (mr[0]) {
	case L4_OBJ_TASK: {
		struct task *t = task_create(f, mr[2] ? (uint32_t)mr[2] : 256, &err);
		if (t) {
			t->all_next = all_tasks;
			all_tasks = t;
		}
		o = t ? &t->obj : NULL;
		break;
	}
	case L4_OBJ_THREAD: {
		struct thread *t = thread_create(f, &err);
		o = t ? &t->obj : NULL;
		break;
	}
	case L4_OBJ_ENDPOINT: {
		struct endpoint *ep = endpoint_create(f, &err);
		o = ep ? &ep->obj : NULL;
		break;
	}
	case L4_OBJ_FACTORY: {
		struct factory *nf = factory_create(f, mr[2], &err);
		o = nf ? &nf->obj : NULL;
		break;
	}
	case L4_OBJ_NOTIFICATION: {
		struct notification *n = notification_create(f, &err);
		o = n ? &n->obj : NULL;
		break;
	}
	default:
		return EINVAL_AT(0);
	}
	if (!o)
		return err;
	cap_install(dst, o, CAP_ALL, 0);
	out[0] = f->used - before;
	*nout = 1;
	return 0;
}

/* ---- task ---- */

static int task_op(struct thread *caller, struct task *t, uint32_t rights, uint64_t tag,
		   const uint64_t *mr, uint64_t *out, unsigned *nout)
{
	uint32_t label = L4_TAG_LABEL(tag);
	if (label != L4_TASK_CAP_INFO && !(rights & CAP_CONTROL))
		return -L4_EPERM;
	struct cap *c;
	switch (label) {
	case L4_TASK_CAP_MAP: {
		struct task *from = caller->task;
		if (L4_TAG_UNTYPED(tag) > 4 && caller->utcb->mr[4]) {
			int err = 0;
			if (!(from = caller_obj(caller, caller->utcb->mr[4], KOBJ_TASK, CAP_CONTROL, &err)))
				return err;
		}
		struct cap *src = cap_slot(&from->cs, mr[0]);
		struct cap *dst = cap_slot(&t->cs, mr[1]);
		if (!src || !dst)
			return -L4_ENOCAP;
		return cap_err_to_l4(cap_derive(src, dst, (uint32_t)mr[2], mr[3]));
	}
	case L4_TASK_CAP_MOVE: {
		struct cap *src = cap_slot(&caller->task->cs, mr[0]);
		struct cap *dst = cap_slot(&t->cs, mr[1]);
		if (!src || !dst)
			return -L4_ENOCAP;
		return cap_err_to_l4(cap_move(src, dst));
	}
	case L4_TASK_CAP_REVOKE: {
		if (!(c = cap_slot(&t->cs, mr[0])) || !c->obj)
			return -L4_ENOCAP;
		/* Progress is in the tree itself (what is gone is gone); the
		 * continuation only adds up the count across restarts. */
		struct preempt_cont *pc = obj_cont(caller, tag, mr, &t->obj, c->obj);
		for (bool more = true; more; ) {
			size_t n = cap_revoke_bounded(c, &obj_dead, REVOKE_CHUNK, &more);
			pc->count += n;
			reap(REAP_STEP);             /* within this call's budget */
			preempt_cpu.units += (uint32_t)n;
			if (more && preempt_due())
				return OBJ_PREEMPTED;
		}
		out[0] = pc->count;
		*nout = 1;
		return 0;
	}
	case L4_TASK_CAP_DELETE: {
		/* Phase 0 deletes the capability; phase 1 reaps what died of it
		 * (a task's destruction is long: its pages, its capabilities),
		 * stopping at preemption points. */
		struct preempt_cont *pc = obj_cont(caller, tag, mr, &t->obj, NULL);
		if (pc->phase == 0) {
			if (!(c = cap_slot(&t->cs, mr[0])) || !c->obj)
				return -L4_ENOCAP;
			cap_delete(c, &obj_dead);
			pc->phase = 1;
		}
		return obj_reap_preemptible();
	}
	case L4_TASK_MEM_MAP: {
		struct task *from = caller->task;
		int err = 0;
		if (mr[2] && !(from = caller_obj(caller, mr[2], KOBJ_TASK, CAP_CONTROL, &err)))
			return err;
		return mdb_map_fpage(from, mr[0], t, mr[1], obj_cont(caller, tag, mr, &t->obj, &from->obj));
	}
	case L4_TASK_MEM_UNMAP: {
		uint64_t n = 0;
		int e = mdb_unmap_fpage(t, mr[0], mr[1] != 0, obj_cont(caller, tag, mr, &t->obj, NULL), &n);
		if (e)
			return e;
		out[0] = n;
		*nout = 1;
		return 0;
	}
	case L4_TASK_CAP_INFO:
		if (!(c = cap_slot(&t->cs, mr[0])))
			return -L4_ENOCAP;
		out[0] = c->obj ? obj_type_abi[c->obj->type] : 0;
		out[1] = c->rights;
		out[2] = c->badge;
		out[3] = c->obj ? cap_descendants(c) : 0;
		*nout = 4;
		return 0;
	}
	return -L4_ENOSYS;
}

/* ---- thread ---- */

static int thread_op(struct thread *caller, struct thread *t, uint32_t rights, uint32_t label,
		     const uint64_t *mr, uint64_t *out, unsigned *nout)
{
	if (label != L4_THREAD_INFO && label != L4_THREAD_REGS_GET && !(rights & CAP_CONTROL))
		return -L4_EPERM;
	int err = 0;
	switch (label) {
	case L4_THREAD_BIND: {
		struct task *task = caller_obj(caller, mr[0], KOBJ_TASK, CAP_CONTROL, &err);
		return task ? thread_bind(t, task, mr[1]) : err;
	}
	case L4_THREAD_START:
		return thread_start(t, mr[0], mr[1], mr[2]);
	case L4_THREAD_STOP:
		if (t->state == L4_THREAD_DEAD)
			return -L4_ESTATE;
		thread_stop(t);
		return 0;
	case L4_THREAD_SET_PRIO:
		if (mr[0] > caller->mcp || mr[1] > caller->mcp)
			return -L4_EPERM;
		/* The mcp first: sched_set_prio may switch to t, and t may delete
		 * its own last capability before we run again. */
		t->mcp = (uint8_t)mr[1];
		sched_set_prio(t, (uint8_t)mr[0]);
		return 0;
	case L4_THREAD_SET_HANDLERS: {
		struct endpoint *pager = NULL, *exc = NULL;
		if (mr[0] && !(pager = caller_obj(caller, mr[0], KOBJ_ENDPOINT, CAP_WRITE, &err)))
			return err;
		if (mr[1] && !(exc = caller_obj(caller, mr[1], KOBJ_ENDPOINT, CAP_WRITE, &err)))
			return err;
		if (pager) {
			kobj_get(&pager->obj);
			t->pager_badge = cap_slot(&caller->task->cs, mr[0])->badge;
		}
		if (exc) {
			kobj_get(&exc->obj);
			t->exc_badge = cap_slot(&caller->task->cs, mr[1])->badge;
		}
		if (t->pager)
			kobj_put(&t->pager->obj, &obj_dead);
		if (t->exc_handler)
			kobj_put(&t->exc_handler->obj, &obj_dead);
		t->pager = pager;
		t->exc_handler = exc;
		obj_reap();
		return 0;
	}
	case L4_THREAD_INFO:
		out[0] = t->state;
		out[1] = t->prio;
		out[2] = t->mcp;
		*nout = 3;
		return 0;
	case L4_THREAD_SET_NAME:
		memcpy(t->name, mr, 15);
		t->name[15] = '\0';
		/* A task is known by its first named thread (the debugger, the
		 * IPC trace and the gdb helpers show it). */
		if (t->task && !strcmp(t->task->name, "task"))
			task_set_name(t->task, t->name);
		return 0;
	case L4_THREAD_REGS_GET:
		if (!t->arch.regs)
			return -L4_ESTATE;              /* never started: no registers yet */
		regs_get_all(thread_regs(t), out);
		*nout = REGS_COUNT;
		return 0;
	case L4_THREAD_REGS_SET: {
		/* Only a stopped thread: a running or blocked one would race. */
		if (t->state != L4_THREAD_INACTIVE || !t->arch.regs)
			return -L4_ESTATE;
		uint64_t v[REGS_COUNT];
		for (int i = 0; i < REGS_COUNT; i++)
			v[i] = i < 4 ? mr[i] : caller->utcb->mr[i];
		if (v[L4_REG_RIP] >= USER_TOP)
			return EINVAL_AT(L4_REG_RIP);
		if (v[L4_REG_RSP] > USER_TOP)
			return EINVAL_AT(L4_REG_RSP);
		regs_set_all(thread_regs(t), v);
		preempt_drop(t);              /* a preempted call is not to go on */
		return 0;
	}
	case L4_THREAD_RESUME:
		if (t->state != L4_THREAD_INACTIVE || !t->arch.regs || !t->task)
			return -L4_ESTATE;
		sched_make_ready(t);
		return 0;
	case L4_THREAD_BIND_NOTIF: {
		struct notification *n = NULL;
		if (mr[0] && !(n = caller_obj(caller, mr[0], KOBJ_NOTIFICATION, CAP_READ, &err)))
			return err;
		err = notification_bind(t, n);
		obj_reap();                   /* an unbind may drop the last reference */
		return err;
	}
	}
	return -L4_ENOSYS;
}

void obj_invoke(struct thread *caller, struct cap *c, uint64_t tag)
{
	uint64_t mr[4], out[REGS_COUNT] = { 0 };
	unsigned nout = 0;
	uint32_t label = L4_TAG_LABEL(tag);
	int err;
	regs_get_mrs(thread_regs(caller), mr);
	switch (c->obj->type) {
	case KOBJ_FACTORY:
		err = (c->rights & CAP_CONTROL)
			? factory_op(caller, (struct factory *)c->obj, label, mr, out, &nout)
			: -L4_EPERM;
		break;
	case KOBJ_TASK:
		err = task_op(caller, (struct task *)c->obj, c->rights, tag, mr, out, &nout);
		break;
	case KOBJ_THREAD:
		err = thread_op(caller, (struct thread *)c->obj, c->rights, label, mr, out, &nout);
		break;
	case KOBJ_NOTIFICATION:
		err = notification_op(caller, (struct notification *)c->obj, c->rights, c->badge,
				      label, mr, out, &nout);
		break;
	case KOBJ_IRQ:
		err = irq_op(caller, (struct irq *)c->obj, c->rights, label, mr, out, &nout);
		break;
	case KOBJ_SIGMA0:
		err = (c->rights & CAP_CONTROL)
			? sigma0_op(caller, tag, mr, out, &nout) : -L4_EPERM;
		break;
	default:
		err = -L4_ENOSYS;
	}
	if (err == OBJ_REPLY_LATER)
		return;                      /* the caller waits; its waker replies */
	if (err == OBJ_PREEMPTED) {
		/* Stopped at a preemption point: no reply, registers as they
		 * came, rip back on the syscall, so that the caller (after the
		 * interrupts pending now) issues it again and goes on. */
		obj_stopped(caller, tag, mr);
		return;
	}
	if (unlikely(caller->cont.active))
		preempt_drop(caller);        /* done (or refused): nothing to go on with */
	ipc_kernel_reply(caller, err, nout, out);
}
