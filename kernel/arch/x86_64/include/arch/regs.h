/* <arch/regs.h> - a thread's saved user registers, and where the system call
 * ABI (<l4/sys/abi.h>) keeps each argument.  Generic code touches user
 * registers only through these accessors. */
#pragma once
#include <stdint.h>

/* Built by entry.S on every kernel entry (field order = push order
 * reversed).  The last five words are what the CPU pushes on an interrupt
 * (SDM 3A 6.14.2, figure 6-9); syscall entry builds the same shape. */
struct trapframe {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;           /* exception number, or VECTOR_SYSCALL */
	uint64_t error;            /* CPU error code, 0 where there is none */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trapframe) == 22 * 8, "entry.S pushes 22 words");

typedef struct trapframe user_regs_t;

/* System call arguments. */
static inline uint64_t regs_sysno(const user_regs_t *r)  { return r->rax; }
static inline uint64_t regs_arg0(const user_regs_t *r)   { return r->rdi; }
static inline uint64_t regs_arg1(const user_regs_t *r)   { return r->rsi; }
static inline uint64_t regs_arg2(const user_regs_t *r)   { return r->rdx; }
static inline uint64_t regs_arg3(const user_regs_t *r)   { return r->r10; }
static inline void regs_set_ret(user_regs_t *r, uint64_t v) { r->rax = v; }
static inline uint64_t regs_get_ret(const user_regs_t *r) { return r->rax; }

/* IPC: MR0..MR3 travel in r8, r9, r12, r13; the result tag in rax and the
 * sender's badge in rdi. */
static inline void regs_get_mrs(const user_regs_t *r, uint64_t mr[4])
{
	mr[0] = r->r8; mr[1] = r->r9; mr[2] = r->r12; mr[3] = r->r13;
}
static inline void regs_set_mrs(user_regs_t *r, const uint64_t mr[4])
{
	r->r8 = mr[0]; r->r9 = mr[1]; r->r12 = mr[2]; r->r13 = mr[3];
}
/* The same, from one thread's registers straight into another's (not the
 * same frame): a word at a time, so that one scratch register does. */
static inline void regs_copy_mrs(user_regs_t *to, const user_regs_t *from)
{
	to->r8 = from->r8; to->r9 = from->r9; to->r12 = from->r12; to->r13 = from->r13;
}
static inline void regs_set_ipc_result(user_regs_t *r, uint64_t tag, uint64_t badge)
{
	r->rax = tag;
	r->rdi = badge;
}
static inline uint64_t regs_ip(const user_regs_t *r) { return r->rip; }
static inline uint64_t regs_sp(const user_regs_t *r) { return r->rsp; }
static inline void regs_set_ip(user_regs_t *r, uint64_t v) { r->rip = v; }
/* Issue the system call again (a preempted operation, preempt.h): rip back
 * onto the `syscall` instruction (0f 05, two bytes: SDM 2B, SYSCALL) that
 * saved the address after it. */
static inline void regs_restart_syscall(user_regs_t *r) { r->rip -= 2; }

/* The whole user register file in enum l4_reg order (<l4/sys/abi.h>). */
#define REGS_COUNT 18
static inline void regs_get_all(const user_regs_t *r, uint64_t v[REGS_COUNT])
{
	const uint64_t in[REGS_COUNT] = { r->rip, r->rsp, r->rflags, r->rax, r->rbx, r->rcx,
		r->rdx, r->rsi, r->rdi, r->rbp, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13,
		r->r14, r->r15 };
	for (int i = 0; i < REGS_COUNT; i++)
		v[i] = in[i];
}

/* Only user-safe values: the caller checked rip and rsp; rflags keeps the
 * arithmetic flags, TF and DF, with IF on and IOPL 0 (SDM 1, 3.4.3). */
static inline void regs_set_all(user_regs_t *r, const uint64_t v[REGS_COUNT])
{
	r->rip = v[0]; r->rsp = v[1];
	r->rflags = (v[2] & 0xdd5) | 0x202;
	r->rax = v[3]; r->rbx = v[4]; r->rcx = v[5]; r->rdx = v[6]; r->rsi = v[7];
	r->rdi = v[8]; r->rbp = v[9]; r->r8 = v[10]; r->r9 = v[11]; r->r10 = v[12];
	r->r11 = v[13]; r->r12 = v[14]; r->r13 = v[15]; r->r14 = v[16]; r->r15 = v[17];
}
static inline void regs_set_sp(user_regs_t *r, uint64_t v) { r->rsp = v; }
