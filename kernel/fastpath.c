/* fastpath.c - call and reply-and-wait with an untyped message, when
 * the partner is already waiting: a straight line of checks, each falling
 * back to the full path in ipc.c, then a direct switch to the partner.
 *
 * What it must keep equal to the slow path: the message (MR0..3 in
 * registers, the rest of up to FASTPATH_WORDS in the UTCBs), the result tag and badge, the reply link, the endpoint
 * queues and thread states, and the scheduling decision: it only switches
 * to a partner no ready thread outranks.  The debug build checks those invariants after
 * every kernel test; ktest's message tests and the benchmark also run with
 * the fast path switched off (L4_DBG_FASTPATH).
 */
#include "k/kernel.h"
#include "k/cap.h"
#include "k/ipc.h"
#include "k/kdebug.h"
#include "k/arch.h"
#include <arch/switch.h>
#include "k/ioport.h"
#include "k/notification.h"
#include "k/percpu.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

/* Switched off (L4_DBG_FASTPATH, for the benchmark's slow-path figures),
 * every message looks to the fast path as if it carried a typed item: one
 * OR of the thread's fp_veto in the check it makes anyway. */
uint8_t fastpath_off;

void fastpath_veto_update(struct thread *t)
{
	struct notification *n = t->bound_notif;
	t->fp_veto = fastpath_off | (n && n->bits ? FASTPATH_VETO : 0);
}

/* Endpoint in slot of the task's cspace with right, or NULL. */
static inline struct endpoint *fp_endpoint(struct task *task, uint64_t slot, uint32_t right,
					   uint64_t *badge)
{
	struct cspace *cs = &task->cs;
	if (unlikely(slot >= cs->nslots))
		return NULL;
	struct cap *c = &cs->slots[slot];
	if (unlikely(!c->obj || c->obj->type != KOBJ_ENDPOINT || !(c->rights & right)))
		return NULL;
	*badge = c->badge;
	return (struct endpoint *)c->obj;
}

/* Every valid untyped message takes the fast path: MR0..3 in registers,
 * the rest copied UTCB to UTCB (at most 123 words: a bounded stretch with
 * interrupts off, as in the slow path).  The tag check below relies on the
 * layout: the untyped count fills bits 0..6, each of its values a valid
 * length, and the items flag is bit 7 (the sign of the byte). */
#define FASTPATH_WORDS L4_MR_COUNT
_Static_assert(L4_TAG_UNTYPED_MASK == 0x7f && FASTPATH_WORDS >= 0x7f + 1, "tag check: every count valid");
_Static_assert(L4_TAG_ITEMS_MASK == 0x80 && FASTPATH_VETO == 0x80, "tag check: the byte's sign bit");

/* The n words beyond the registers (1 <= n <= 0x7f - 4), from's
 * UTCB to to's.  Both have one: a thread in IPC is bound (thread_unbind
 * cancels IPC first), as the slow path's transfer() also relies on;
 * utcb_mr_ext points at their fifth message register.  rep movsq: one
 * load and one store per word, no call, no loop of our own.  The memory
 * operands name exactly what it reads and writes, not "memory", so that
 * the compiler keeps what it loaded from the thread and endpoint objects. */
static inline void fp_copy_utcb(struct thread *from, struct thread *to, uint64_t n)
{
	assert(from->utcb && to->utcb);
	uint64_t *d = to->utcb_mr_ext;
	const uint64_t *s = from->utcb_mr_ext;
	__asm__("rep movsq"
		: "+D"(d), "+S"(s), "+c"(n),
		  "=m"(*(uint64_t (*)[FASTPATH_WORDS - L4_MR_IN_REGS])to->utcb_mr_ext)
		: "m"(*(const uint64_t (*)[FASTPATH_WORDS - L4_MR_IN_REGS])from->utcb_mr_ext));
}

/* Hand over the message in cur's registers to to's registers. */
static inline void fp_copy(user_regs_t *from, struct thread *to, uint64_t tag, uint64_t badge)
{
	user_regs_t *r = thread_regs(to);
	regs_copy_mrs(r, from);
	regs_set_ipc_result(r, L4_TAG(L4_TAG_LABEL(tag), L4_TAG_UNTYPED(tag), 0), badge);
	if (CONFIG_KDB)
		kdebug_trace_ipc(sched_current(), to, tag, badge, 0);
}

/* A task with I/O ports on one side: rare, so out of line - the straight
 * line then keeps nothing across a call and needs no saved registers. */
static __attribute__((noinline, noreturn)) void fp_switch_bitmap(struct thread *cur,
								 struct thread *next)
{
	arch_io_bitmap_load(next->task->iobitmap);
	arch_thread_switch_final(&cur->arch, &next->arch);
}

/* The switch: cur has just blocked for good (nothing of its kernel stack
 * is kept), next was blocked and sits in no queue; no queue, slice or
 * zombie work is due.  from is cur's task as the caller loaded it for the
 * capability lookup (read again here, it was reloaded around rep movsq). */
static inline __attribute__((always_inline)) _Noreturn void fp_switch(struct thread *cur, struct thread *next,
									struct task *from)
{
	struct percpu *c = this_cpu();
	struct task *to = next->task;
	next->state = L4_THREAD_READY;
	c->current = next;
	/* CR3 holds cur's task's address space (cur runs in it): within one
	 * task neither it nor the I/O bitmap changes, across tasks CR3 does. */
	if (to != from) {
		if (unlikely(to->iobitmap != from->iobitmap)) {
			arch_switch_aspace(&to->as);
			fp_switch_bitmap(cur, next);
		}
		arch_switch_aspace(&to->as);
	}
	arch_thread_switch_final(&cur->arch, &next->arch);
}

_Static_assert(L4_SYS_IPC == 2, "entry.S tests for 2");

/* Call or reply-and-wait of an untyped message (no typed items); utcb_words:
 * it has ext words beyond the four the registers carry (a constant in each
 * of the two copies below, so that the common case does not test for it). */
static inline __attribute__((always_inline)) void
fp_ipc(user_regs_t *r, struct thread *cur, unsigned flags, uint64_t tag, uint64_t ext,
       bool utcb_words)
{
	uint64_t badge;
	struct task *task = cur->task;
	if (flags == L4_IPC_CALL) {
		struct endpoint *ep = fp_endpoint(task, regs_arg0(r), CAP_WRITE, &badge);
		if (unlikely(!ep))
			return;
		struct thread *rcv = ep->recv_head;
		if (unlikely(!rcv || rcv->deadline_ns || rcv->caller || rcv->prio < sched_best_prio()))
			return;
		/* Commit: the receiver leaves the queue and gets the message. */
		q_pop(&ep->recv_head, &ep->recv_tail);
		rcv->waiting_on = NULL;
		fp_copy(r, rcv, tag, badge);
		cur->state = L4_THREAD_REPLY;
		cur->callee = rcv;
		rcv->caller = cur;
		if (utcb_words)
			fp_copy_utcb(cur, rcv, ext);
		fp_switch(cur, rcv, task);
	}

	if (flags == (L4_IPC_REPLY | L4_IPC_RECV)) {
		struct thread *caller = cur->caller;
		if (unlikely(!caller || caller->fault || caller->prio < sched_best_prio()))
			return;
		struct endpoint *ep = fp_endpoint(task, regs_arg2(r), CAP_READ, &badge);
		/* The receive timeout must be "never"; compared as a signed 32-bit
		 * value: one cmpl with an immediate (-1), not a 64-bit compare. */
		if (unlikely(!ep || ep->send_head ||
			     (int32_t)l4_timeouts_rcv_extract(regs_arg3(r)) != (int32_t)L4_TIMEOUT_NEVER))
			return;
		/* Commit: reply, then wait on the endpoint, then run the caller. */
		fp_copy(r, caller, tag, 0);
		cur->caller = NULL;
		caller->callee = NULL;
		cur->state = L4_THREAD_RECV;
		cur->waiting_on = ep;
		q_push(&ep->recv_head, &ep->recv_tail, cur);
		if (utcb_words)
			fp_copy_utcb(cur, caller, ext);
		fp_switch(cur, caller, task);
	}
}

void fastpath_syscall(user_regs_t *r)
{
	struct thread *cur = this_cpu()->current;
	unsigned flags = (unsigned)(regs_sysno(r) >> L4_IPC_FLAGS_SHIFT) & 0xff;
	uint64_t tag = regs_arg1(r);
	if (CONFIG_KDB_TRACE_ALL)
		return;
	/* The tag's low byte is the untyped count (0..127, every value a
	 * valid length: L4_MR_COUNT is 128) and the items flag (bit 7, set
	 * whenever typed items follow; abi_layout.dev); fp_veto sets that
	 * flag when the fast path is off or a bound notification has bits
	 * pending (a receive must return those at once).  One byte-wide
	 * subtraction of four sorts every tag:
	 *   unsigned not above: 0..4 words, all in registers;
	 *   signed greater:     5..127 words, the rest copied UTCB to UTCB,
	 *                       and the byte's result is that rest's count;
	 *   otherwise:          the flag is set - the slow path.
	 * GCC would mask, compare and subtract apart, and tests a second flag
	 * output through setcc; so the sorting is one asm goto.  Byte
	 * operations on the zero-extended veto leave the rest of the register
	 * zero: no mask either. */
	uint64_t ext = cur->fp_veto;
	__asm__ goto("orb %b[tag], %b[ext]\n\t"
		     "subb %[regs], %b[ext]\n\t"
		     "jbe %l[in_regs]\n\t"
		     "jle %l[slow]"
		     : [ext] "+r"(ext)
		     : [regs] "i"(L4_MR_IN_REGS), [tag] "r"(tag)
		     : "cc"
		     : in_regs, slow);
	fp_ipc(r, cur, flags, tag, ext, true);
	return;
in_regs:
	fp_ipc(r, cur, flags, tag, 0, false);
slow:
	return;
}
