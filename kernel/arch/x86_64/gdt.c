/* gdt.c - segments and the task state segment.  The descriptors and
 * selectors are described in layout/x86_seg.dev (boot.S uses the same
 * constants); the TSS descriptor is built here because its base is only
 * known at run time. */
#include "k/kernel.h"
#include "k/percpu.h"
#include <arch/cpu.h>
#include "x86.h"
#include <layout/x86_seg.h>

struct percpu cpu0;
extern char boot_kstack_top[];

void gdt_init(void)
{
	struct percpu *c = &cpu0;
	struct arch_percpu *a = &c->arch;

	c->self = c;
	a->tss.rsp[0] = (uint64_t)boot_kstack_top;
	for (int i = 0; i < 3; i++)
		a->tss.ist[i] = (uint64_t)a->ist_stack[i] + IST_STACK_SIZE;
	/* The limit covers the I/O bitmap area; until a task with ports runs,
	 * the offset points beyond it: all ports denied (iobitmap.c). */
	a->tss.iopb_offset = TSS_IOPB_NONE;
	memset(a->io_bitmap, 0xff, sizeof a->io_bitmap);
	a->io_active = a->io_copied = NULL;

	a->gdt[0] = 0;
	a->gdt[x86_sel_index_extract(SEL_KCODE)] = X86_SEG_KERNEL_CODE;
	a->gdt[x86_sel_index_extract(SEL_KDATA)] = X86_SEG_KERNEL_DATA;
	a->gdt[x86_sel_index_extract(SEL_UDATA)] = X86_SEG_USER_DATA;
	a->gdt[x86_sel_index_extract(SEL_UCODE)] = X86_SEG_USER_CODE;
	/* A system descriptor is 16 bytes in long mode (SDM 3A 8.2.3). */
	x86_sysdesc_t tss = { { 0, 0 } };
	x86_sysdesc_base_set(&tss, (uint64_t)&a->tss);
	x86_sysdesc_limit_set(&tss, TSS_LIMIT);
	x86_sysdesc_type_set(&tss, X86_SYSDESC_TYPE_TSS_AVAIL);
	x86_sysdesc_p_set(&tss, 1);
	_Static_assert(sizeof tss == 2 * sizeof a->gdt[0], "a TSS descriptor takes two GDT slots");
	memcpy(&a->gdt[x86_sel_index_extract(SEL_TSS)], &tss, sizeof tss);

	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr = {
		sizeof(a->gdt) - 1, (uint64_t)a->gdt
	};
	/* Reload CS with a far return, the data segments and the task register. */
	__asm__ volatile(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %2, %%ax\n\t"
		"mov %%ax, %%ds\n\t"
		"mov %%ax, %%es\n\t"
		"mov %%ax, %%ss\n\t"
		"xor %%eax, %%eax\n\t"
		"mov %%ax, %%fs\n\t"
		"mov %%ax, %%gs\n\t"
		"mov %3, %%ax\n\t"
		"ltr %%ax"
		:: "m"(gdtr), "i"((uint64_t)SEL_KCODE), "i"(SEL_KDATA), "i"(SEL_TSS)
		: "rax", "memory");
	/* Loading %gs zeroed the GS base: point it at this CPU's struct. */
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
