/* irq_entry.S - the entry stubs for vectors 32..255 (hardware interrupts:
 * legacy PIC, IOAPIC lines, local APIC timer, error and spurious).  Each
 * pushes a zero error code and its vector, so the stack holds the same
 * struct trapframe (x86.h) the exception stubs in entry.S build; the common
 * part saves the registers, calls irq_dispatch (irq.c) and leaves through
 * entry.S's trap_return, which restores them and returns with iretq.
 *
 * Gates are interrupt gates (idt.c): IF is clear on entry.  In 64-bit mode
 * the CPU aligns RSP to 16 before pushing its 5-word frame (SDM 3A 6.14.2),
 * so after error, vector and 15 registers the call below sees the ABI's
 * alignment. */
#include "frame.h"


	.altmacro
.macro IRQ_STUB vec
	.align 16
irq_stub_\vec:
	push $0                         /* error code */
	push $\vec                      /* vector */
	jmp irq_common
.endm

.macro IRQ_STUB_ADDR vec
	.quad irq_stub_\vec
.endm

	.text
	.set vec, 32
	.rept 224
	IRQ_STUB %vec
	.set vec, vec + 1
	.endr

irq_common:
	testb $3, TF_CS(%rsp)           /* from user mode: take the kernel's GS */
	jz 1f
	swapgs
1:	PUSH_GPRS
/* The entry's time stamp, as soon as a register is free: irq_dispatch's
 * second argument.  It takes off the instructions since the vector's first
 * (irq.c, irq_entry_insns; pkg/pingpong/test/irqentry.test counts them with
 * gdb), so that L4_DBG_STAMP 1 is the time stamp at the stub's first
 * instruction (make bench: irq-to-user-handler). */
	.globl irq_entry_stamp
irq_entry_stamp:
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %rsi
	cld
	mov %rsp, %rdi
	call irq_dispatch
	jmp trap_return                 /* entry.S: registers, swapgs if user, iretq */

	.section .rodata
	.align 8
	.globl irq_stubs
irq_stubs:
	.set vec, 32
	.rept 224
	IRQ_STUB_ADDR %vec
	.set vec, vec + 1
	.endr

	.section .note.GNU-stack, "", @progbits
