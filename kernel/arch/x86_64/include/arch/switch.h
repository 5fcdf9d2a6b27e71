/* <arch/switch.h> - moving the CPU from one thread to another once the
 * scheduler has chosen: FPU state, kernel stack for the next entry, user GS
 * base, address space, and the stack switch itself.  Inline, so the IPC
 * fast path stays one straight line (fastpath.c); thread.c uses it too. */
#pragma once
#include <arch/cpu.h>
#include <arch/thread.h>
#include <k/percpu.h>      /* the generic one (kernel/include/k) */

/* switch.S */
void arch_switch(uint64_t *prev_ksp, uint64_t next_ksp);
void arch_switch_to_user(uint64_t *prev_ksp, user_regs_t *next_frame);
_Noreturn void arch_resume(uint64_t ksp);

/* Lazy FPU (thread.c): CR0.TS is clear exactly while the FPU's owner runs.
 * A switch between two threads neither of which owns it changes nothing -
 * no fxsave, no fxrstor, no CR0 write; one test of two flags. */
static inline void arch_switch_fpu(struct arch_thread *prev, struct arch_thread *next)
{
	/* One OR and one branch on its flags (GCC would make it two branches). */
	uint8_t live = next->fpu_live;
	bool any;
	__asm__("orb %2, %1" : "=@ccnz"(any), "+q"(live) : "m"(prev->fpu_live));
	if (unlikely(any)) {
		if (next->fpu_live)
			clts();
		else
			write_cr0(read_cr0() | CR0_TS);
	}
}

/* The thread-private part: FPU, kernel stack for the next entry (syscall
 * takes it from the TSS too, entry.S), user GS base.  The user GS base goes
 * in as its two halves, straight from memory (SDM 2B, WRMSR: edx:eax). */
static inline __attribute__((always_inline)) void
arch_switch_thread_state(struct arch_thread *prev, struct arch_thread *next)
{
	const uint32_t *gs = (const uint32_t *)&next->user_gs;
	arch_switch_fpu(prev, next);
	this_cpu()->arch.tss.rsp[0] = next->kstack_top;
	__asm__ volatile("wrmsr" :: "c"(MSR_KERNEL_GS_BASE), "a"(gs[0]), "d"(gs[1]));
}

/* Into as, which CR3 does not hold now. */
static inline void arch_switch_aspace(struct aspace *as) { write_cr3(as->pml4); }

/* Everything of a switch but the stacks.  Interrupts are off. */
static inline void arch_switch_state(struct arch_thread *prev, struct arch_thread *next,
				     struct aspace *as)
{
	arch_switch_thread_state(prev, next);
	if (as && (read_cr3() & ~0xfffull) != as->pml4)
		write_cr3(as->pml4);
}

/* The IPC fast path's switch: prev blocked at the very end of its system
 * call, so none of its kernel stack is kept (it will leave from its
 * system-call frame: user_resume is only ever set here, and the fast path
 * is entered only by syscall), and next, if it blocked the same way, leaves
 * from its frame at once instead of unwinding a kernel call chain. */
static inline __attribute__((always_inline)) _Noreturn void
arch_thread_switch_final(struct arch_thread *prev, struct arch_thread *next)
{
	assert(prev->regs->vector == 0x100);       /* VECTOR_SYSCALL (x86.h) */
	/* The address space is the caller's business: it knows whether it
	 * changes (arch_switch_aspace). */
	arch_switch_thread_state(prev, next);
	prev->user_resume = true;
	if (next->user_resume) {
		next->user_resume = false;
		__asm__ volatile("mov %0, %%rsp; jmp syscall_exit" :: "m"(next->regs));
		__builtin_unreachable();
	}
	arch_resume(next->ksp);
}
