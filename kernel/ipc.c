/* ipc.c - endpoints and the IPC slow path; see ipc.h.
 * All of it runs with the kernel lock held (interrupts off, one CPU). */
#include "k/kernel.h"
#include "k/cap.h"
#include "k/factory.h"
#include "k/ipc.h"
#include "k/kdebug.h"
#include "k/irq.h"
#include "k/ioport.h"
#include "k/irqobj.h"
#include "k/mdb.h"
#include <arch/layout.h>
#include "k/notification.h"
#include "k/obj.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>
#include "k/pmm.h"

struct endpoint *endpoint_create(struct factory *f, int *err)
{
	struct endpoint *ep = factory_alloc(f, sizeof *ep, err);
	if (!ep)
		return NULL;
	ep->obj.type = KOBJ_ENDPOINT;
	ep->factory = f;
	return ep;
}

static void ep_dequeue(struct thread *t)
{
	struct endpoint *ep = t->waiting_on;
	if (!ep)
		return;
	if (t->state == L4_THREAD_SEND)
		q_remove(&ep->send_head, &ep->send_tail, t);
	else
		q_remove(&ep->recv_head, &ep->recv_tail, t);
	t->waiting_on = NULL;
	sched_timeout_cancel(t);
}

/* An error result for t (err = -L4_Exxx, or EINVAL_AT(n)): the code in
 * the tag, the refused argument in its UTCB's error_arg. */
static void set_error(struct thread *t, user_regs_t *r, int err)
{
	if (t->utcb)
		t->utcb->error_arg = ERR_ARG(err);
	regs_set_ipc_result(r, L4_TAG_WITH_ERROR(0, ERR_CODE(err)), 0);
}

/* Wake a blocked thread with an error as its IPC result.  A thread that
 * waits for a fault reply keeps its registers: it retries the instruction
 * and faults again (and, with no handler left, is stopped). */
static void wake_with_error(struct thread *t, int err)
{
	if (t->fault) {
		t->fault = FAULT_NONE;
		t->ipc_kernel_msg = false;
	} else {
		set_error(t, thread_regs(t), err);
	}
	sched_make_ready(t);
}

void endpoint_destroy(struct endpoint *ep)
{
	while (ep->send_head) {
		struct thread *t = ep->send_head;
		ep_dequeue(t);
		wake_with_error(t, -L4_ECANCELED);
	}
	while (ep->recv_head) {
		struct thread *t = ep->recv_head;
		ep_dequeue(t);
		wake_with_error(t, -L4_ECANCELED);
	}
	factory_free(ep->factory, ep, sizeof *ep);
}

void ipc_cancel(struct thread *t)
{
	ep_dequeue(t);
	t->fault = FAULT_NONE;               /* no fault reply is coming any more */
	t->ipc_kernel_msg = false;
	if (t->waiting_notif)
		notification_cancel_wait(t, -L4_ECANCELED);
	if (t->waiting_irq)
		irq_cancel_wait(t, -L4_ECANCELED);
	sched_timeout_cancel(t);
	if (t->callee) {                   /* t waited for a reply: nobody owes it now */
		t->callee->caller = NULL;
		t->callee = NULL;
	}
	if (t->caller) {                   /* t owed a reply: its caller learns so */
		struct thread *c = t->caller;
		t->caller = NULL;
		c->callee = NULL;
		wake_with_error(c, -L4_ECANCELED);
	}
}

void ipc_timeout(struct thread *t)
{
	if (t->waiting_notif) {
		notification_cancel_wait(t, -L4_ETIMEOUT);
		return;
	}
	if (t->waiting_irq) {
		irq_cancel_wait(t, -L4_ETIMEOUT);
		return;
	}
	ep_dequeue(t);
	wake_with_error(t, -L4_ETIMEOUT);
}

/* ---- bound notifications ---- */

bool ipc_receiving(const struct thread *t)
{
	/* RECV is also the state of a notification or Irq wait; those wait for
	 * their own object, not for the bound notification. */
	return t->state == L4_THREAD_RECV && !t->waiting_notif && !t->waiting_irq;
}

/* The result of a receive that the bound notification ended. */
static void set_notified(user_regs_t *r, uint64_t bits)
{
	uint64_t mr[4];
	regs_get_mrs(r, mr);
	mr[0] = bits;
	regs_set_mrs(r, mr);
	regs_set_ipc_result(r, L4_TAG(L4_LABEL_NOTIFY, 1, 0), 0);
}

void ipc_wake_notified(struct thread *t, uint64_t bits)
{
	ep_dequeue(t);                       /* leaves the receive queue, if in one */
	sched_timeout_cancel(t);             /* a sleep has no queue, only a timeout */
	set_notified(thread_regs(t), bits);
	sched_make_ready(t);
}

/* rcv takes a new call from caller.  The implicit reply capability is one
 * shot and per receiver: an outstanding one is replaced, and the caller it
 * belonged to learns so (L4_ECANCELED) instead of waiting forever. */
static void link_reply(struct thread *rcv, struct thread *caller)
{
	struct thread *old = rcv->caller;
	if (unlikely(old)) {
		old->callee = NULL;
		wake_with_error(old, -L4_ECANCELED);
	}
	rcv->caller = caller;
	caller->callee = rcv;
	thread_set_state(caller, L4_THREAD_REPLY);
}

/* ---- message transfer ---- */

/* Word w of the message src is sending (MR0..3 are in registers). */
static uint64_t msg_word(const struct thread *src, const uint64_t mr[4], unsigned w)
{
	return w < 4 ? mr[w] : src->utcb->mr[w];
}

/* Is [dst, dst + size) inside the receiver's memory window? */
static bool in_window(uint64_t window, uint64_t dst, unsigned order)
{
	unsigned worder = L4_FPAGE_ORDER(window);
	if (!window || worder < PAGE_SHIFT || worder > 47 || order > worder)   /* a window may be large */
		return false;
	uint64_t base = L4_FPAGE_BASE(window), wsize = 1ull << worder, size = 1ull << order;
	return dst >= base && dst - base <= wsize - size;
}

static int item_check(struct thread *src, struct thread *dst, uint64_t w0, uint64_t w1,
		      uint32_t cap_slot_no, uint64_t *pages)
{
	switch (L4_ITEM_TYPE(w0)) {
	case L4_ITEM_MAP:
	case L4_ITEM_GRANT: {
		struct cap *s = cap_slot(&src->task->cs, w1);
		struct cap *d = cap_slot(&dst->task->cs, cap_slot_no);
		if (unlikely(!s || !s->obj))
			return -L4_ENOCAP;
		if (unlikely(!d || d->obj))
			return -L4_ESLOT;
		if (unlikely(L4_ITEM_TYPE(w0) == L4_ITEM_MAP && (L4_ITEM_RIGHTS(w0) & ~s->rights)))
			return -L4_EPERM;
		return 0;
	}
	case L4_ITEM_MEM: {
		if (unlikely(!in_window(dst->utcb->mem_window, l4_mem_item_dest_extract(w0), L4_FPAGE_ORDER(w1))))
			return EINVAL_AT(0);
		/* mdb_map_check names its arguments as L4_TASK_MEM_MAP's: the
		 * flexpage (our word 1) and the destination (our word 0). */
		int e = mdb_map_check(src->task, w1, dst->task, l4_mem_item_dest_extract(w0), pages);
		if (e == MDB_TOO_MANY)
			return EINVAL_AT(1);          /* past L4_IPC_MEM_PAGES_MAX: this flexpage */
		if (ERR_CODE(e) == L4_EINVAL && ERR_ARG(e))
			e = EINVAL_AT(ERR_ARG(e) == 1 ? 1 : 0);
		return e;
	}
	case L4_ITEM_IO: {
		uint32_t first = (uint32_t)l4_io_item_first_extract(w1);
		uint32_t count = (uint32_t)l4_io_item_count_extract(w1);
		if (unlikely(!count || first + count > 0x10000))
			return EINVAL_AT(1);
		return io_allowed(src->task, first, count) ? 0 : -L4_EPERM;
	}
	}
	return EINVAL_AT(0);                  /* no such item type */
}

/* Check what a message asks before anything moves: the sizes, and each
 * typed item (a source capability and a free slot in the receive window; a
 * mappable memory range inside the memory window; ports the sender has). */
static int transfer_check(struct thread *src, struct thread *dst, uint64_t tag, bool may_grant)
{
	unsigned u = L4_TAG_UNTYPED(tag), n = L4_TAG_TYPED(tag);
	if (unlikely(u + 2 * n > L4_MR_COUNT))
		return -L4_EINVAL;
	if (unlikely((tag & L4_TAG_ITEMS) && !n))
		return -L4_EINVAL;            /* "items follow", but none counted */
	if (!n)
		return 0;
	if (unlikely(!may_grant))
		return -L4_EPERM;
	uint64_t window = dst->utcb->cap_window, mr[4];
	uint32_t first = (uint32_t)l4_cap_window_first_extract(window);
	uint32_t count = (uint32_t)l4_cap_window_count_extract(window), caps = 0;
	/* A message is one stretch with interrupts off: its memory items may
	 * map this many pages in all (the check counts them, and stops there). */
	uint64_t pages = L4_IPC_MEM_PAGES_MAX;
	regs_get_mrs(thread_regs(src), mr);
	for (unsigned i = 0; i < n; i++) {
		uint64_t w0 = msg_word(src, mr, u + 2 * i), w1 = msg_word(src, mr, u + 2 * i + 1);
		bool is_cap = L4_ITEM_TYPE(w0) == L4_ITEM_MAP || L4_ITEM_TYPE(w0) == L4_ITEM_GRANT;
		if (is_cap && unlikely(caps >= count))
			return EINVAL_AT(u + 2 * i);   /* the receiver did not ask for that many */
		int e = item_check(src, dst, w0, w1, first + caps, &pages);
		if (e && ERR_CODE(e) == L4_EINVAL && ERR_ARG(e))
			e = EINVAL_AT(u + 2 * i + ERR_ARG(e) - 1);   /* the item's word in the message */
		if (e)
			return e;
		/* A slot granted away cannot be named again by a later item: the
		 * checks above saw it full, the transfer would find it empty. */
		for (unsigned k = 0; is_cap && k < i; k++) {
			uint64_t k0 = msg_word(src, mr, u + 2 * k), k1 = msg_word(src, mr, u + 2 * k + 1);
			bool k_cap = L4_ITEM_TYPE(k0) == L4_ITEM_MAP || L4_ITEM_TYPE(k0) == L4_ITEM_GRANT;
			if (unlikely(k_cap && k1 == w1 && (L4_ITEM_TYPE(k0) == L4_ITEM_GRANT ||
							   L4_ITEM_TYPE(w0) == L4_ITEM_GRANT)))
				return EINVAL_AT(u + 2 * i + 1);
		}
		caps += is_cap;
	}
	return 0;
}

/* Copy the message from src to dst (checked by transfer_check) and set dst's
 * IPC result.  Capability items are rewritten to name the receiver's slots.
 * What the checks cannot foresee - kernel memory running out for a mapping
 * node or an I/O bitmap, two memory items of one message overlapping at the
 * destination - ends the transfer at that item: the receiver's tag counts
 * the typed items that were delivered (doc/kernel-api.md 2.6). */
static void transfer(struct thread *src, struct thread *dst, uint64_t tag, uint64_t badge)
{
	unsigned u = L4_TAG_UNTYPED(tag), n = L4_TAG_TYPED(tag), words = u + 2 * n;
	user_regs_t *sr = thread_regs(src), *dr = thread_regs(dst);
	uint64_t mr[4], out[4];
	regs_get_mrs(sr, mr);
	memcpy(out, mr, sizeof out);
	if (words > 4)
		memcpy(&dst->utcb->mr[4], &src->utcb->mr[4], (words - 4) * sizeof(uint64_t));
	uint32_t caps = 0;
	unsigned done;
	for (done = 0; done < n; done++) {
		unsigned w = u + 2 * done;
		uint64_t w0 = msg_word(src, mr, w), w1 = msg_word(src, mr, w + 1);
		int e = 0;
		switch (L4_ITEM_TYPE(w0)) {
		case L4_ITEM_MAP:
		case L4_ITEM_GRANT: {
			uint64_t slot = l4_cap_window_first_extract(dst->utcb->cap_window) + caps++;
			struct cap *s = cap_slot(&src->task->cs, w1);
			struct cap *d = cap_slot(&dst->task->cs, slot);
			e = L4_ITEM_TYPE(w0) == L4_ITEM_MAP ? cap_derive(s, d, L4_ITEM_RIGHTS(w0), 0)
							    : cap_move(s, d);
			if (w + 1 < 4)
				out[w + 1] = slot;
			else
				dst->utcb->mr[w + 1] = slot;
			break;
		}
		case L4_ITEM_MEM:
			/* Checked again: an earlier item of this message may
			 * have taken a page (then this item maps nothing). */
			e = mdb_map_fpage(src->task, w1, dst->task, l4_mem_item_dest_extract(w0), NULL);
			break;
		case L4_ITEM_IO:
			e = io_grant(dst->task, (uint32_t)l4_io_item_first_extract(w1),
				     (uint32_t)l4_io_item_count_extract(w1));
			break;
		}
		if (unlikely(e))
			break;
	}
	regs_set_mrs(dr, out);
	regs_set_ipc_result(dr, L4_TAG(L4_TAG_LABEL(tag), u, done), badge);
	kdebug_trace_ipc(src, dst, L4_TAG(L4_TAG_LABEL(tag), u, done), badge, caps);
}

/* A message the kernel composed for src (a fault). */
static void transfer_kmsg(struct thread *src, struct thread *dst, uint64_t badge)
{
	regs_set_mrs(thread_regs(dst), src->kmsg);
	regs_set_ipc_result(thread_regs(dst), src->kmsg_tag, badge);
	kdebug_trace_ipc(src, dst, src->kmsg_tag, badge, 0);
}

/* The handler answered t's fault: map what it sent, set what it asked. */
static void fault_reply(struct thread *handler, struct thread *t, uint64_t tag)
{
	unsigned kind = t->fault;
	t->fault = FAULT_NONE;
	if (L4_TAG_LABEL(tag) == L4_FAULT_STOP) {
		kprintf("minnow: thread '%s' stopped by its %s\n", t->name,
			kind == FAULT_PAGE ? "pager" : "exception handler");
		thread_set_state(t, L4_THREAD_INACTIVE);
		return;
	}
	uint64_t mr[4];
	unsigned u = L4_TAG_UNTYPED(tag), n = L4_TAG_TYPED(tag);
	regs_get_mrs(thread_regs(handler), mr);
	if (u + 2 * n <= L4_MR_COUNT) {
		user_regs_t *r = thread_regs(t);
		if (kind == FAULT_EXCEPTION && u >= 1 && mr[0] < USER_TOP)
			regs_set_ip(r, mr[0]);
		if (kind == FAULT_EXCEPTION && u >= 2 && mr[1] <= USER_TOP)
			regs_set_sp(r, mr[1]);
		uint64_t pages = L4_IPC_MEM_PAGES_MAX;      /* as for any message */
		for (unsigned i = 0; i < n; i++) {
			uint64_t w0 = msg_word(handler, mr, u + 2 * i);
			uint64_t w1 = msg_word(handler, mr, u + 2 * i + 1);
			uint64_t dst = l4_mem_item_dest_extract(w0);
			if (L4_ITEM_TYPE(w0) == L4_ITEM_MEM &&
			    !mdb_map_check(handler->task, w1, t->task, dst, &pages))
				mdb_map_checked(handler->task, w1, t->task, dst);
		}
	}
	sched_make_ready(t);
}

void ipc_kernel_reply(struct thread *caller, int err, unsigned nwords, const uint64_t *mr)
{
	user_regs_t *r = thread_regs(caller);
	uint64_t regs_mr[4];
	regs_get_mrs(r, regs_mr);
	for (unsigned i = 0; i < nwords && i < L4_MR_COUNT; i++) {
		if (i < 4)
			regs_mr[i] = mr[i];
		else if (caller->utcb)           /* unbound by its own call: no UTCB */
			caller->utcb->mr[i] = mr[i];
	}
	regs_set_mrs(r, regs_mr);
	if (err && caller->utcb)
		caller->utcb->error_arg = ERR_ARG(err);
	regs_set_ipc_result(r, L4_TAG_WITH_ERROR(L4_TAG(0, nwords, 0), ERR_CODE(err)), 0);
}

/* ---- the system call ---- */


static uint64_t deadline_of(uint32_t timeout)
{
	return arch_time_ns() + (uint64_t)timeout * 1000;
}

/* Block cur in a queue of ep until a partner or the timeout comes. */
static void block_on(struct thread *cur, struct endpoint *ep, bool send, uint32_t timeout)
{
	thread_set_state(cur, send ? L4_THREAD_SEND : L4_THREAD_RECV);
	cur->waiting_on = ep;
	if (send)
		q_push(&ep->send_head, &ep->send_tail, cur);
	else
		q_push(&ep->recv_head, &ep->recv_tail, cur);
	if (timeout != L4_TIMEOUT_NEVER)
		sched_timeout_add(cur, deadline_of(timeout));
	schedule();
}

static void do_reply(struct thread *cur, uint64_t tag)
{
	struct thread *caller = cur->caller;
	if (!caller)
		return;                      /* nobody to reply to: a no-op, as in seL4 */
	cur->caller = NULL;
	caller->callee = NULL;
	if (caller->fault) {
		fault_reply(cur, caller, tag);
		return;
	}
	int e = transfer_check(cur, caller, tag, true);
	if (e) {
		wake_with_error(caller, e);  /* the caller learns the reply was bad */
		return;
	}
	transfer(cur, caller, tag, 0);
	sched_make_ready(caller);
}

/* Take a message from a waiting sender; false if the queue held nobody
 * whose message could be delivered. */
static bool receive_from_queue(struct thread *cur, struct endpoint *ep)
{
	while (ep->send_head) {
		struct thread *s = ep->send_head;
		ep_dequeue(s);
		if (s->ipc_kernel_msg) {
			s->ipc_kernel_msg = false;
			transfer_kmsg(s, cur, s->ipc_badge);
		} else {
			uint64_t stag = regs_arg1(thread_regs(s));
			int e = transfer_check(s, cur, stag, s->ipc_may_grant);
			if (e) {
				wake_with_error(s, e);
				continue;
			}
			transfer(s, cur, stag, s->ipc_badge);
		}
		if (s->ipc_is_call) {
			link_reply(cur, s);
		} else {
			regs_set_ipc_result(thread_regs(s), 0, 0);
			sched_make_ready(s);
		}
		return true;
	}
	return false;
}

/* Send the message the kernel composed in t->kmsg_tag/kmsg on t's behalf
 * to ep, as a call (a fault: t waits for the reply) or one-way (an exit
 * notice: t waits only until the message is taken).  Returns when done. */
static void send_kmsg(struct thread *t, struct endpoint *ep, uint64_t badge, bool call)
{
	struct thread *rcv = ep->recv_head;
	if (rcv) {
		ep_dequeue(rcv);
		transfer_kmsg(t, rcv, badge);
		if (call) {
			link_reply(rcv, t);
			sched_switch_to(rcv);
		} else {
			sched_make_ready(rcv);
		}
		return;
	}
	t->ipc_badge = badge;
	t->ipc_is_call = call;
	t->ipc_kernel_msg = true;
	t->ipc_may_grant = false;
	block_on(t, ep, true, L4_TIMEOUT_NEVER);
}

bool ipc_fault(struct thread *t, unsigned kind, const uint64_t mr[4])
{
	struct endpoint *ep = kind == FAULT_PAGE ? t->pager : t->exc_handler;
	if (!ep)
		return false;
	t->kmsg_tag = L4_TAG(kind == FAULT_PAGE ? L4_LABEL_PAGEFAULT : L4_LABEL_EXCEPTION, 4, 0);
	memcpy(t->kmsg, mr, sizeof t->kmsg);
	t->fault = (uint8_t)kind;
	send_kmsg(t, ep, kind == FAULT_PAGE ? t->pager_badge : t->exc_badge, true);
	return true;          /* the reply has been handled; the thread goes on */
}

void ipc_exit_notice(struct thread *t, long status)
{
	if (!t->exc_handler)
		return;
	t->kmsg_tag = L4_TAG(L4_LABEL_EXIT, 1, 0);
	t->kmsg[0] = (uint64_t)status;
	t->kmsg[1] = t->kmsg[2] = t->kmsg[3] = 0;
	send_kmsg(t, t->exc_handler, t->exc_badge, false);   /* until the handler takes it */
}

void ipc_syscall(struct thread *cur, unsigned flags, user_regs_t *r)
{
	uint64_t tag = regs_arg1(r), timeouts = regs_arg3(r);
	uint32_t snd_to = (uint32_t)l4_timeouts_snd_extract(timeouts);
	uint32_t rcv_to = (uint32_t)l4_timeouts_rcv_extract(timeouts);
	int err = 0;

	if (flags & L4_IPC_REPLY)
		do_reply(cur, tag);

	if (flags & (L4_IPC_SEND | L4_IPC_CALL)) {
		bool call = flags & L4_IPC_CALL;
		struct cap *c = cap_slot(&cur->task->cs, regs_arg0(r));
		if (unlikely(!c || !c->obj))
			return set_error(cur, r, -L4_ENOCAP);
		if (c->obj->type != KOBJ_ENDPOINT) {
			obj_invoke(cur, c, tag);     /* the kernel answers at once */
			return;
		}
		if (unlikely(!(c->rights & CAP_WRITE)))
			return set_error(cur, r, -L4_EPERM);
		struct endpoint *ep = (struct endpoint *)c->obj;
		bool may_grant = c->rights & CAP_GRANT;
		struct thread *rcv = ep->recv_head;
		if (rcv) {
			if ((err = transfer_check(cur, rcv, tag, may_grant)))
				return set_error(cur, r, err);
			ep_dequeue(rcv);
			transfer(cur, rcv, tag, c->badge);
			if (call) {
				link_reply(rcv, cur);
				sched_switch_to(rcv);         /* the receiver runs on our time */
				return;                       /* our registers hold the reply */
			}
			regs_set_ipc_result(r, 0, 0);
			sched_make_ready(rcv);
			schedule();
		} else {
			if (snd_to == L4_TIMEOUT_ZERO)
				return set_error(cur, r, -L4_ETIMEOUT);
			cur->ipc_badge = c->badge;
			cur->ipc_is_call = call;
			cur->ipc_may_grant = may_grant;
			block_on(cur, ep, true, snd_to);
			if (call || L4_TAG_ERROR(regs_get_ret(r)))
				return;                       /* reply or error is in our registers */
		}
		if (!(flags & L4_IPC_RECV))
			return;
	}

	if (flags & L4_IPC_RECV) {
		/* Signals pending on the bound notification end any receive at
		 * once, before a waiting sender's message (interrupts first). */
		uint64_t bits = notification_take_bound(cur);
		if (bits)
			return set_notified(r, bits);
		/* Receiving from nothing (slot 0) is a sleep: no message can come;
		 * the timeout or a bound notification's signal ends it. */
		if (regs_arg2(r) == L4_CAP_NULL && (rcv_to != L4_TIMEOUT_NEVER || cur->bound_notif)) {
			if (rcv_to == L4_TIMEOUT_ZERO)
				return set_error(cur, r, -L4_ETIMEOUT);
			thread_set_state(cur, L4_THREAD_RECV);
			if (rcv_to != L4_TIMEOUT_NEVER)
				sched_timeout_add(cur, deadline_of(rcv_to));
			schedule();
			return;
		}
		struct endpoint *ep = caller_obj(cur, regs_arg2(r), KOBJ_ENDPOINT, CAP_READ, &err);
		if (!ep)
			return set_error(cur, r, err);
		if (receive_from_queue(cur, ep))
			return;
		if (rcv_to == L4_TIMEOUT_ZERO)
			return set_error(cur, r, -L4_ETIMEOUT);
		block_on(cur, ep, false, rcv_to);
	}
}
