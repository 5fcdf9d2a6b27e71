/* <arch/thread.h> - the x86-64 part of struct thread. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <arch/regs.h>
#include <arch/aspace.h>

struct fpu_state {
	uint8_t bytes[512];        /* fxsave area (SDM 1, 10.5.1) */
} __attribute__((aligned(16)));

struct arch_thread {
	uint64_t ksp;              /* saved kernel rsp while switched out */
	uint64_t kstack_top;       /* loaded into TSS.rsp0: the stack of syscall and interrupt entry */
	user_regs_t *regs;         /* user registers: the trapframe at kstack_top */
	uint64_t user_gs;          /* user GS base: the thread's UTCB */
	bool user_resume;          /* its kernel stack holds only its system-call frame:
	                              it goes back to user mode from there (sysret),
	                              not through ksp (<arch/switch.h>) */
	bool fpu_live;             /* the FPU registers hold its state, not fpu:
	                              it is this CPU's fpu_owner (thread.c) */
	struct fpu_state fpu;      /* its FPU/SSE state while someone else owns the FPU */
};

void arch_fpu_init(void);
void arch_fpu_trap(void);
uint64_t arch_fpu_transfers(void);
void arch_thread_free(struct arch_thread *t);
void arch_thread_setup(struct arch_thread *t, void *kstack_top, uint64_t rip, uint64_t rsp,
		       uint64_t arg);
void arch_kthread_setup(struct arch_thread *t, void *kstack_top, void (*fn)(void));
void arch_thread_switch(struct arch_thread *prev, struct arch_thread *next, struct aspace *as);
/* <arch/switch.h>: arch_thread_switch_final(), for a prev that has nothing
 * left to do in the kernel. */
_Noreturn void arch_thread_first(struct arch_thread *next, struct aspace *as);
