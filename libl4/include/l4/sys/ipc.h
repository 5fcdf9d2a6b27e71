/* <l4/sys/ipc.h> - IPC: send, receive, call, reply-and-wait, reply.
 *
 * Message registers live in the UTCB (l4_utcb()->mr[]); these functions move
 * MR0..MR3 through registers as the ABI wants (<l4/sys/abi.h>).  Each
 * returns the result tag: l4_error(tag) is 0 or an L4_Exxx code.
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

static inline int l4_error(uint64_t tag) { return (int)L4_TAG_ERROR(tag); }

/* The one IPC system call; badge (may be NULL) receives the sender's badge. */
static inline uint64_t l4_ipc(unsigned flags, uint64_t dest, uint64_t tag, uint64_t rcv,
			      uint64_t timeouts, uint64_t *badge)
{
	struct l4_utcb *u = l4_utcb();
	register uint64_t r8 __asm__("r8") = u->mr[0];
	register uint64_t r9 __asm__("r9") = u->mr[1];
	register uint64_t r10 __asm__("r10") = timeouts;
	register uint64_t r12 __asm__("r12") = u->mr[2];
	register uint64_t r13 __asm__("r13") = u->mr[3];
	uint64_t rax = L4_SYS_IPC | ((uint64_t)flags << L4_IPC_FLAGS_SHIFT);
	__asm__ volatile("syscall"
			 : "+a"(rax), "+D"(dest), "+S"(tag), "+d"(rcv), "+r"(r8), "+r"(r9),
			   "+r"(r10), "+r"(r12), "+r"(r13)
			 :
			 : "rcx", "r11", "memory");
	u->mr[0] = r8;
	u->mr[1] = r9;
	u->mr[2] = r12;
	u->mr[3] = r13;
	if (badge)
		*badge = dest;
	return rax;
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

/* A kernel-object call with up to four arguments; results in l4_utcb()->mr. */
static inline int l4_invoke(uint64_t cap, uint32_t label, uint64_t a0, uint64_t a1,
			    uint64_t a2, uint64_t a3)
{
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = a0;
	u->mr[1] = a1;
	u->mr[2] = a2;
	u->mr[3] = a3;
	return l4_error(l4_call(cap, L4_TAG(label, 4, 0)));
}
