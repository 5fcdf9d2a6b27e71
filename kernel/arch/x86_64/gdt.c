/* gdt.c - segments and the task state segment.
 * Long mode ignores base and limit of code/data segments; what matters is
 * L (64-bit code), DPL and present (SDM 3A 3.4.5).  The order of the user
 * segments is fixed by sysret (see enum gdt_selector in cpu.h). */
#include "kernel.h"
#include "percpu.h"
#include <arch/cpu.h>
#include "x86.h"

enum seg_desc {
	SEG_KCODE = 0x00af9a000000ffffull,   /* P, DPL 0, code read/exec, L */
	SEG_KDATA = 0x00cf92000000ffffull,   /* P, DPL 0, data read/write */
	SEG_UDATA = 0x00cff2000000ffffull,   /* P, DPL 3, data read/write */
	SEG_UCODE = 0x00affa000000ffffull,   /* P, DPL 3, code read/exec, L */
	TSS_TYPE_AVAIL = 0x9,                /* 64-bit TSS, available */
};

struct percpu cpu0;
extern char boot_kstack_top[];

void gdt_init(void)
{
	struct percpu *c = &cpu0;
	struct arch_percpu *a = &c->arch;

	c->self = c;
	c->kernel_rsp = (uint64_t)boot_kstack_top;
	a->tss.rsp[0] = (uint64_t)boot_kstack_top;
	for (int i = 0; i < 3; i++)
		a->tss.ist[i] = (uint64_t)a->ist_stack[i] + IST_STACK_SIZE;
	/* The limit covers the I/O bitmap area; until a task with ports runs,
	 * the offset points beyond it: all ports denied (iobitmap.c). */
	a->tss.iopb_offset = TSS_IOPB_NONE;
	memset(a->io_bitmap, 0xff, sizeof a->io_bitmap);
	a->io_active = a->io_copied = NULL;

	a->gdt[0] = 0;
	a->gdt[SEL_KCODE >> 3] = SEG_KCODE;
	a->gdt[SEL_KDATA >> 3] = SEG_KDATA;
	a->gdt[SEL_UDATA >> 3] = SEG_UDATA;
	a->gdt[SEL_UCODE >> 3] = SEG_UCODE;
	/* A system descriptor is 16 bytes in long mode (SDM 3A 8.2.3). */
	uint64_t base = (uint64_t)&a->tss, limit = TSS_LIMIT;
	a->gdt[SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		((uint64_t)TSS_TYPE_AVAIL << 40) | (1ull << 47) /* P */ |
		((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	a->gdt[(SEL_TSS >> 3) + 1] = base >> 32;

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
