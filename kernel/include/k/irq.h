/* irq.h - device interrupts and the timer, between the generic kernel and
 * the architecture.
 *
 * Lines are numbered by GSI (ACPI "global system interrupt": the IOAPIC
 * input, or the legacy PIC's IRQ 0..15 when there is no IOAPIC).  ISA
 * devices know their ISA IRQ; arch_isa_irq_to_gsi() applies the firmware's
 * overrides (QEMU wires ISA IRQ 0, the PIT, to GSI 2).
 *
 * Every line starts masked.  A level-triggered line is masked by the arch
 * code when it fires; the driver unmasks it (arch_irq_unmask) once the
 * device is quiet.  The interrupt controller has had its EOI before a hook
 * runs, so a hook may switch threads and come back much later.  Hooks run
 * with interrupts disabled. */
#pragma once
#include <stdint.h>
#include <stdbool.h>

/* ---- provided by the architecture ---- */

/* After arch_vm_init and mm_init: find the ACPI MADT, enable the local APIC,
 * program the IOAPIC(s) (all lines masked; GSI n -> vector 0x30 + n), or fall
 * back to the legacy PIC.  Prints one line saying which. */
void arch_irq_init(void);
unsigned arch_irq_lines(void);      /* number of usable GSIs: IOAPIC pins, or 16 */
/* The GSI an ISA IRQ arrives on, and its trigger mode and polarity (either
 * pointer may be NULL).  Without an override the GSI is the ISA IRQ, edge,
 * active high. */
unsigned arch_isa_irq_to_gsi(unsigned isa, bool *level, bool *active_low);
int arch_irq_config(unsigned gsi, bool level, bool active_low);   /* 0, or -1: no such line */
/* Lines the kernel keeps (its tick, the debugger's key, the PIC cascade). */
bool arch_irq_reserved(unsigned gsi);
void arch_irq_mask(unsigned gsi);
void arch_irq_unmask(unsigned gsi);

/* The periodic tick at hz (LAPIC timer calibrated against the PIT; the PIT
 * itself when there is no LAPIC), and the clock: monotonic nanoseconds since
 * arch_irq_init (the TSC calibrated against the PIT). */
void arch_timer_init(unsigned hz);
uint64_t arch_time_ns(void);
uint64_t arch_tsc_khz(void);        /* 0 if calibration failed */

void arch_irq_enable_cpu(void);     /* sti */
void arch_irq_disable_cpu(void);    /* cli */

/* ---- called by the architecture, provided by the generic kernel ---- */

void irq_handle(unsigned gsi);      /* a device interrupt on gsi */
void timer_tick(void);              /* each tick */
