/* idt.c - the interrupt descriptor table: the 32 exception vectors, each an
 * interrupt gate (IF cleared on entry) to a stub in entry.S.  #DF, NMI and
 * #MC run on their own IST stacks, so that a broken kernel stack still gets
 * a report (SDM 3A 6.14.5). */
#include "k/kernel.h"
#include <arch/cpu.h>
#include "x86.h"
#include "apic.h"
#include <layout/x86_seg.h>

static x86_gate_t idt[256];

static void set_gate(unsigned vec, uint64_t handler, unsigned ist)
{
	x86_gate_t g = { { 0, 0 } };
	x86_gate_offset_set(&g, handler);
	x86_gate_sel_set(&g, SEL_KCODE);
	x86_gate_ist_set(&g, ist);
	x86_gate_type_set(&g, X86_GATE_TYPE_INTR);   /* DPL 0: no int n from user mode */
	x86_gate_p_set(&g, 1);
	idt[vec] = g;
}

void idt_init(void)
{
	for (unsigned v = 0; v < 32; v++)
		set_gate(v, trap_stubs[v], 0);
	for (unsigned v = 32; v < 256; v++)
		set_gate(v, irq_stubs[v - 32], 0);
	set_gate(2, trap_stubs[2], 2);    /* NMI  -> IST2 */
	set_gate(8, trap_stubs[8], 1);    /* #DF  -> IST1 */
	set_gate(18, trap_stubs[18], 3);  /* #MC  -> IST3 */
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) idtr = {
		sizeof(idt) - 1, (uint64_t)idt
	};
	__asm__ volatile("lidt %0" :: "m"(idtr));
}
