/* <l4/sys/ipc.h> - IPC: send, receive, call, reply-and-wait, reply.
 *
 * Message registers live in the UTCB (l4_utcb()->mr[]).  MR0..MR3 travel
 * in registers both ways (r8, r9, r12, r13; <l4/sys/abi.h>): l4_ipc() loads
 * them from the UTCB before the system call and stores what comes back, so
 * after any call mr[0..3] hold the received words and mr[4..] what the
 * kernel copied.  Each function returns the result tag from rax, the same
 * whether the kernel's fast path or its full path carried the message: the
 * label and word counts of what was received, and in L4_TAG_ERROR 0 or an
 * L4_Exxx code: l4_error(tag) is 0 or -L4_Exxx (every stub in libl4, every
 * IDL stub and every interface returns 0 or a negative -L4_Exxx).
 */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>

static inline struct l4_utcb *l4_utcb(void)
{
	struct l4_utcb *u;
	__asm__("mov %%gs:%c1, %0" : "=r"(u) : "i"(L4_UTCB_SELF_OFFSET));
	return u;
}

static inline int l4_error(uint64_t tag) { return -(int)L4_TAG_ERROR(tag); }

/* After an L4_EINVAL: which message register held the refused value, as
 * 1 + its index (a typed item's word counts from MR0 of the whole message);
 * 0 if no single argument was at fault. */
static inline unsigned l4_error_arg(void) { return (unsigned)l4_utcb()->error_arg; }

/* MR0..MR3 as the system call carries them: in registers.  A message of at
 * most four words sent and received through these never touches memory
 * (the words beyond, if any, are in the UTCB as always). */
struct l4_msgregs {
	uint64_t mr[L4_MR_IN_REGS];
};

/* The one IPC system call, with MR0..3 in *m (in and out); badge (may be
 * NULL) receives the sender's badge. */
static inline uint64_t l4_ipc_regs(unsigned flags, uint64_t dest, uint64_t tag, uint64_t rcv,
				   uint64_t timeouts, struct l4_msgregs *m, uint64_t *badge)
{
	register uint64_t r8 __asm__("r8") = m->mr[0];
	register uint64_t r9 __asm__("r9") = m->mr[1];
	register uint64_t r10 __asm__("r10") = timeouts;
	register uint64_t r12 __asm__("r12") = m->mr[2];
	register uint64_t r13 __asm__("r13") = m->mr[3];
	uint64_t rax = L4_SYS_IPC | ((uint64_t)flags << L4_IPC_FLAGS_SHIFT);
	__asm__ volatile("syscall"
			 : "+a"(rax), "+D"(dest), "+S"(tag), "+d"(rcv), "+r"(r8), "+r"(r9),
			   "+r"(r10), "+r"(r12), "+r"(r13)
			 :
			 : "rcx", "r11", "memory");
	m->mr[0] = r8;
	m->mr[1] = r9;
	m->mr[2] = r12;
	m->mr[3] = r13;
	if (badge)
		*badge = dest;
	return rax;
}

/* The same with MR0..3 mirrored in the UTCB (l4_utcb()->mr), where every
 * other message register is: what the functions below use. */
static inline uint64_t l4_ipc(unsigned flags, uint64_t dest, uint64_t tag, uint64_t rcv,
			      uint64_t timeouts, uint64_t *badge)
{
	/* Volatile: plain loads and stores.  GCC would otherwise pair them
	 * through SSE registers (SLP vectorization), and a thread's first SSE
	 * instruction after a switch costs an FPU state transfer (lazy FPU,
	 * doc/architecture.md): IPC alone must leave the FPU untouched. */
	volatile uint64_t *mr = l4_utcb()->mr;
	struct l4_msgregs m = { { mr[0], mr[1], mr[2], mr[3] } };
	uint64_t ret = l4_ipc_regs(flags, dest, tag, rcv, timeouts, &m, badge);
	mr[0] = m.mr[0];
	mr[1] = m.mr[1];
	mr[2] = m.mr[2];
	mr[3] = m.mr[3];
	return ret;
}

#define L4_NEVER L4_TIMEOUTS(L4_TIMEOUT_NEVER, L4_TIMEOUT_NEVER)

static inline uint64_t l4_send(uint64_t dest, uint64_t tag)
{
	return l4_ipc(L4_IPC_SEND, dest, tag, 0, L4_NEVER, 0);
}
static inline uint64_t l4_send_timeout(uint64_t dest, uint64_t tag, uint32_t us)
{
	return l4_ipc(L4_IPC_SEND, dest, tag, 0, L4_TIMEOUTS(us, L4_TIMEOUT_NEVER), 0);
}
static inline uint64_t l4_recv(uint64_t src, uint64_t *badge)
{
	return l4_ipc(L4_IPC_RECV, 0, 0, src, L4_NEVER, badge);
}
static inline uint64_t l4_recv_timeout(uint64_t src, uint64_t *badge, uint32_t us)
{
	return l4_ipc(L4_IPC_RECV, 0, 0, src, L4_TIMEOUTS(L4_TIMEOUT_NEVER, us), badge);
}
static inline uint64_t l4_call(uint64_t dest, uint64_t tag)
{
	return l4_ipc(L4_IPC_CALL, dest, tag, 0, L4_NEVER, 0);
}
static inline uint64_t l4_reply_wait(uint64_t src, uint64_t tag, uint64_t *badge)
{
	return l4_ipc(L4_IPC_REPLY | L4_IPC_RECV, 0, tag, src, L4_NEVER, badge);
}
static inline uint64_t l4_reply(uint64_t tag)
{
	return l4_ipc(L4_IPC_REPLY, 0, tag, 0, L4_NEVER, 0);
}

/* Call and reply-and-wait with MR0..3 in *m instead of the UTCB. */
static inline uint64_t l4_call_regs(uint64_t dest, uint64_t tag, struct l4_msgregs *m)
{
	return l4_ipc_regs(L4_IPC_CALL, dest, tag, 0, L4_NEVER, m, 0);
}
static inline uint64_t l4_reply_wait_regs(uint64_t src, uint64_t tag, struct l4_msgregs *m,
					  uint64_t *badge)
{
	return l4_ipc_regs(L4_IPC_REPLY | L4_IPC_RECV, 0, tag, src, L4_NEVER, m, badge);
}

/* Sleep about us microseconds (the kernel's resolution is one timer tick):
 * a receive from nothing, which only its timeout ends.  0, or an error. */
static inline int l4_sleep_us(uint32_t us)
{
	if (us == L4_TIMEOUT_NEVER)
		us--;
	uint64_t tag = l4_ipc(L4_IPC_RECV, 0, 0, L4_CAP_NULL, L4_TIMEOUTS(L4_TIMEOUT_NEVER, us ? us : 1), 0);
	return l4_error(tag) == -L4_ETIMEOUT ? 0 : l4_error(tag);
}

/* ---- typed items and receive windows ----
 * A message is `untyped` words MR0.. and then `typed` items of two words
 * each (<l4/sys/abi.h>).  Each builder writes one item at mr[n], mr[n+1]
 * and returns n + 2, the place of the next:
 *
 *     unsigned n = 2;                         // two untyped words first
 *     n = l4_item_map(n, ep, L4_CAP_WRITE);   // a send-only copy of ep
 *     l4_send(dest, L4_TAG(label, 2, 1));
 */
static inline unsigned l4_item_put(unsigned n, uint64_t w0, uint64_t w1)
{
	struct l4_utcb *u = l4_utcb();
	u->mr[n] = w0;
	u->mr[n + 1] = w1;
	return n + 2;
}
/* A copy of our capability in slot, with rights reduced to rights. */
static inline unsigned l4_item_map(unsigned n, uint64_t slot, unsigned rights)
{
	return l4_item_put(n, L4_ITEM(L4_ITEM_MAP, rights), slot);
}
/* Our capability in slot itself, moved to the receiver. */
static inline unsigned l4_item_grant(unsigned n, uint64_t slot)
{
	return l4_item_put(n, L4_ITEM(L4_ITEM_GRANT, 0), slot);
}
/* Our pages fpage (L4_FPAGE) at dst in the receiver (inside its memory window;
 * the reply of a pager: in the faulting task). */
static inline unsigned l4_item_mem(unsigned n, uint64_t fpage, uint64_t dst)
{
	return l4_item_put(n, L4_ITEM(L4_ITEM_MEM, 0) | (dst & ~0xfffull), fpage);
}
/* I/O ports [first, first + count) for the receiver too. */
static inline unsigned l4_item_io(unsigned n, unsigned first, unsigned count)
{
	return l4_item_put(n, L4_ITEM(L4_ITEM_IO, 0), (uint64_t)first | (uint64_t)count << 16);
}
/* Where capabilities we receive go: count slots from first (0: refuse them). */
static inline void l4_cap_window(uint64_t first, unsigned count)
{
	l4_utcb()->cap_window = L4_CAP_WINDOW(first, count);
}
/* Where memory we receive may go: an L4_FPAGE of our space (0: nowhere). */
static inline void l4_mem_window(uint64_t fpage)
{
	l4_utcb()->mem_window = fpage;
}

/* A kernel-object call with up to four arguments; results in l4_utcb()->mr. */
static inline int l4_invoke(uint64_t cap, uint32_t label, uint64_t a0, uint64_t a1,
			    uint64_t a2, uint64_t a3)
{
	volatile uint64_t *mr = l4_utcb()->mr;     /* no SSE: see l4_ipc */
	mr[0] = a0;
	mr[1] = a1;
	mr[2] = a2;
	mr[3] = a3;
	return l4_error(l4_call(cap, L4_TAG(label, 4, 0)));
}
