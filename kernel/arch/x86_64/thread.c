/* thread.c - the x86-64 part of threads: a fresh kernel stack that returns
 * to user mode, the FPU/SSE state, and what changes when a thread is
 * switched in (kernel stack for syscall and interrupt entry, address space).
 *
 * FPU/SSE state is switched lazily (SDM 3A 13.4): the registers keep the
 * state of one thread, this CPU's fpu_owner, across switches, and CR0.TS is
 * set whenever another thread runs (<arch/switch.h>).  That thread's first
 * FPU or SSE instruction raises #NM; only then is the owner's state saved
 * and the new one's loaded.  Threads that never touch the FPU - most
 * servers, and both sides of an integer-only IPC - never cost an fxsave. */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>
#include "k/percpu.h"
#include "x86.h"
#include <arch/switch.h>
#include "k/thread.h"

extern char thread_first_return[];

/* The FPU/SSE state a new thread starts with (after fninit, MXCSR default). */
static struct fpu_state fpu_initial __attribute__((aligned(16)));

void arch_fpu_init(void)
{
	__asm__ volatile("fninit; fxsave %0" : "=m"(fpu_initial));
	fpu_initial.bytes[24] = 0x80;    /* MXCSR = 0x1f80: all SIMD exceptions masked */
	fpu_initial.bytes[25] = 0x1f;
	this_cpu()->arch.fpu_owner = NULL;
	write_cr0(read_cr0() | CR0_TS);  /* nobody owns the FPU yet */
}

/* #NM from user mode: the current thread wants the FPU it does not own. */
void arch_fpu_trap(void)
{
	struct percpu *c = this_cpu();
	struct arch_thread *me = &c->current->arch, *old = c->arch.fpu_owner;
	clts();
	if (unlikely(old == me))         /* TS set under its owner: cannot happen, but harmless */
		return;
	if (old) {
		__asm__ volatile("fxsave %0" : "=m"(old->fpu));
		old->fpu_live = false;
		c->arch.fpu_transfers++;
	}
	__asm__ volatile("fxrstor %0" :: "m"(me->fpu));
	me->fpu_live = true;
	c->arch.fpu_owner = me;
	c->arch.fpu_transfers++;
}

uint64_t arch_fpu_transfers(void) { return this_cpu()->arch.fpu_transfers; }

/* t's memory is about to be reused: the registers' state is nobody's now.
 * TS is already set unless t runs, and a freed thread no longer does. */
void arch_thread_free(struct arch_thread *t)
{
	struct percpu *c = this_cpu();
	if (c->arch.fpu_owner == t) {
		c->arch.fpu_owner = NULL;
		t->fpu_live = false;
		write_cr0(read_cr0() | CR0_TS);
	}
}

void arch_thread_setup(struct arch_thread *t, void *kstack_top, uint64_t rip, uint64_t rsp,
		       uint64_t arg)
{
	struct trapframe *tf = (struct trapframe *)kstack_top - 1;
	memset(tf, 0, sizeof *tf);
	tf->rip = rip;
	tf->rsp = rsp;
	tf->rdi = arg;
	tf->cs = SEL_UCODE;
	tf->ss = SEL_UDATA;
	tf->rflags = RFLAGS_IF | 0x2;
	/* Below the trapframe: what arch_switch pops (six registers), then its
	 * return address. */
	uint64_t *sp = (uint64_t *)tf;
	*--sp = (uint64_t)thread_first_return;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->ksp = (uint64_t)sp;
	t->user_resume = false;
	t->regs = tf;
	t->kstack_top = (uint64_t)kstack_top;
	t->fpu_live = false;
	memcpy(&t->fpu, &fpu_initial, sizeof t->fpu);
}

/* A kernel thread (idle): it starts in fn on its own stack, in ring 0. */
void arch_kthread_setup(struct arch_thread *t, void *kstack_top, void (*fn)(void))
{
	uint64_t *sp = (uint64_t *)kstack_top;
	*--sp = 0;                       /* fn must not return: a zero return address */
	*--sp = (uint64_t)fn;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->ksp = (uint64_t)sp;
	t->kstack_top = (uint64_t)kstack_top;
	t->regs = NULL;
	t->fpu_live = false;
	memcpy(&t->fpu, &fpu_initial, sizeof t->fpu);
}

void arch_thread_switch(struct arch_thread *prev, struct arch_thread *next, struct aspace *as)
{
	arch_switch_state(prev, next, as);
	if (next->user_resume) {
		next->user_resume = false;
		arch_switch_to_user(&prev->ksp, next->regs);
	} else {
		arch_switch(&prev->ksp, next->ksp);
	}
}

/* The boot context (kmain's stack) is not a thread: this switches away from
 * it for good. */
_Noreturn void arch_thread_first(struct arch_thread *next, struct aspace *as)
{
	static struct arch_thread boot;
	arch_thread_switch(&boot, next, as);
	panic("switched back to the boot context");
}
