/* <arch/switch.h> - moving the CPU from one thread to another once the
 * scheduler has chosen: FPU state, kernel stack for the next entry, user GS
 * base, address space, and the stack switch itself.  Inline, so the IPC
 * fast path stays one straight line (fastpath.c); thread.c uses it too. */
#pragma once
#include <arch/cpu.h>
#include <arch/thread.h>
#include <percpu.h>      /* the generic one (kernel/include) */

/* switch.S */
void arch_switch(uint64_t *prev_ksp, uint64_t next_ksp);
void arch_switch_to_user(uint64_t *prev_ksp, user_regs_t *next_frame);
_Noreturn void arch_resume(uint64_t ksp);

/* Everything of a switch but the stacks.  Interrupts are off. */
static inline void arch_switch_state(struct arch_thread *prev, struct arch_thread *next,
				     struct aspace *as)
{
	struct percpu *c = this_cpu();
	__asm__ volatile("fxsave %0" : "=m"(prev->fpu));
	__asm__ volatile("fxrstor %0" :: "m"(next->fpu));
	c->kernel_rsp = next->kstack_top;
	c->arch.tss.rsp[0] = next->kstack_top;
	wrmsr(MSR_KERNEL_GS_BASE, next->user_gs);   /* swapgs makes it GS in user mode */
	if (as && (read_cr3() & ~0xfffull) != as->pml4)
		write_cr3(as->pml4);
}

/* The IPC fast path's switch: prev blocked at the very end of its system
 * call, so none of its kernel stack is kept (it will leave from its
 * system-call frame: user_resume is only ever set here, and the fast path
 * is entered only by syscall), and next, if it blocked the same way, leaves
 * from its frame at once instead of unwinding a kernel call chain. */
static inline __attribute__((always_inline)) _Noreturn void
arch_thread_switch_final(struct arch_thread *prev, struct arch_thread *next, struct aspace *as)
{
	assert(prev->regs->vector == 0x100);       /* VECTOR_SYSCALL (x86.h) */
	arch_switch_state(prev, next, as);
	prev->user_resume = true;
	if (next->user_resume) {
		next->user_resume = false;
		__asm__ volatile("mov %0, %%rsp; jmp syscall_exit" :: "r"(next->regs));
		__builtin_unreachable();
	}
	arch_resume(next->ksp);
}
