/* idt.c - the interrupt descriptor table: the 32 exception vectors, each an
 * interrupt gate (IF cleared on entry) to a stub in entry.S.  #DF, NMI and
 * #MC run on their own IST stacks, so that a broken kernel stack still gets
 * a report (SDM 3A 6.14.5). */
#include "kernel.h"
#include <arch/cpu.h>
#include "x86.h"
#include "apic.h"

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;          /* IST index 1..7, 0 = none */
	uint8_t type_attr;    /* P | DPL | type */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "SDM 3A figure 6-8");

enum { GATE_INTR = 0x8e };   /* present, DPL 0, 64-bit interrupt gate */

static struct idt_gate idt[256];

static void set_gate(unsigned vec, uint64_t handler, unsigned ist)
{
	idt[vec] = (struct idt_gate){
		.off_lo = handler & 0xffff, .sel = SEL_KCODE, .ist = (uint8_t)ist,
		.type_attr = GATE_INTR, .off_mid = (handler >> 16) & 0xffff,
		.off_hi = (uint32_t)(handler >> 32),
	};
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
