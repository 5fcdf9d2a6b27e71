/* trap.c - CPU exceptions.  One from user mode goes as IPC to the thread's
 * pager (page faults) or exception handler (everything else; ipc_fault);
 * a thread with none is reported and stopped (thread_fault), and the root
 * task's end ends the system.  One from kernel mode is a kernel bug: panic
 * with the full register state. */
#include "k/kernel.h"
#include <arch/cpu.h>
#include "x86.h"
#include "k/task.h"
#include "k/thread.h"
#include "k/ipc.h"
#include <l4/sys/abi.h>
#include "k/percpu.h"

static const char *const exc_name[32] = {
	[0] = "#DE divide error",        [1] = "#DB debug",
	[2] = "NMI",                     [3] = "#BP breakpoint",
	[4] = "#OF overflow",            [5] = "#BR bound range",
	[6] = "#UD invalid opcode",      [7] = "#NM device not available",
	[8] = "#DF double fault",        [10] = "#TS invalid TSS",
	[11] = "#NP segment not present", [12] = "#SS stack fault",
	[13] = "#GP general protection", [14] = "#PF page fault",
	[16] = "#MF x87 error",          [17] = "#AC alignment check",
	[18] = "#MC machine check",      [19] = "#XM SIMD error",
	[20] = "#VE virtualization",     [21] = "#CP control protection",
};

static const char *name_of(uint64_t vec)
{
	return vec < 32 && exc_name[vec] ? exc_name[vec] : "reserved vector";
}

/* Page-fault error code bits (SDM 3A 4.7, figure 4-12). */
static void describe_pf(uint64_t err, char *buf, size_t n)
{
	ksnprintf(buf, n, " [%s %s %s%s]",
		  err & 4 ? "user" : "kernel",
		  err & 16 ? "fetch" : err & 2 ? "write" : "read",
		  err & 1 ? "protection" : "not-present",
		  err & 8 ? " reserved-bit" : "");
}

void dump_trapframe(const struct trapframe *tf)
{
	kprintf("  rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
	kprintf("  rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
	kprintf("  r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
	kprintf("  r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
	kprintf("  rip=%016lx cs=%04lx rflags=%08lx ss=%04lx cr2=%016lx cr3=%016lx\n",
		tf->rip, tf->cs, tf->rflags, tf->ss, read_cr2(), read_cr3());
}

void trap_dispatch(struct trapframe *tf)
{
	char detail[64] = "";
	uint64_t cr2 = read_cr2();

	if (tf->vector == 14)
		describe_pf(tf->error, detail, sizeof detail);

	if (unlikely(!(tf->cs & 3))) {
		kprintf("minnow: kernel exception %s (vector %lu) error=%#lx%s rip=%#lx cr2=%#lx\n",
			name_of(tf->vector), tf->vector, tf->error, detail, tf->rip, cr2);
		dump_trapframe(tf);
		panic("exception in kernel mode");
	}

	struct thread *t = this_cpu()->current;
	if (tf->vector == 7) {           /* #NM: CR0.TS, the FPU is another thread's */
		arch_fpu_trap();
		return;
	}
	/* To the pager (page faults) or the exception handler, as IPC. */
	uint64_t mr[4];
	unsigned kind;
	if (tf->vector == 14) {
		kind = FAULT_PAGE;
		mr[0] = cr2;
		mr[1] = (tf->error & 2 ? L4_PF_WRITE : 0) | (tf->error & 16 ? L4_PF_EXEC : 0) |
			(tf->error & 1 ? L4_PF_PRESENT : 0);
		mr[2] = tf->rip;
		mr[3] = 0;
	} else {
		kind = FAULT_EXCEPTION;
		mr[0] = tf->vector;
		mr[1] = tf->error;
		mr[2] = tf->rip;
		mr[3] = tf->rsp;
	}
	if (ipc_fault(t, kind, mr))
		return;

	kprintf("minnow: task '%s': %s (vector %lu) error=%#lx%s rip=%#lx rsp=%#lx",
		t->task ? t->task->name : "?", name_of(tf->vector), tf->vector, tf->error, detail,
		tf->rip, tf->rsp);
	if (tf->vector == 14)
		kprintf(" cr2=%#lx", cr2);
	kprintf("\n");
	if (CONFIG_BOOT_VERBOSE)
		dump_trapframe(tf);
	/* No handler: the thread stops, the kernel goes on. */
	thread_fault(t, name_of(tf->vector));
}
