/* pciirq.c - which IOAPIC input (GSI) a PCI function's INTx pin arrives
 * on, and how.  Without an ACPI interpreter (the _PRT tables are AML) the
 * answer comes from the chipset, recognised by its ISA/LPC bridge:
 *
 * - PIIX3/PIIX4 (QEMU -M pc): INTA-D of each slot go through the PIRQ
 *   router (PIIX3 datasheet: PIRQRC[A:D], config 0x60-0x63) to an ISA
 *   IRQ, which the firmware programmed and wrote into the function's
 *   interrupt line register (PCI 3.0, 6.2.4).  QEMU delivers that ISA IRQ
 *   to the IOAPIC input of the same number, and its MADT carries an
 *   interrupt source override for each PCI IRQ (5, 9, 10, 11: level,
 *   active high; QEMU hw/i386/acpi-common.c build_madt).  So: the line
 *   register as an ISA IRQ (L4_S0_IRQ_ISA: the kernel applies that
 *   override), level-triggered whatever the override says, as PCI INTx is.
 *
 * - ICH9 (QEMU -M q35): in APIC mode PIRQA-H drive IOAPIC inputs 16-23
 *   directly (ICH9 datasheet, interrupt interface and PIRQ[n]_ROUT: the routing
 *   to ISA IRQs is for the 8259 only), level-triggered, active low (the
 *   PCI INTx# signals are active low; MP spec 1.4: a PCI interrupt
 *   "conforms to the bus": level, low).  Which PIRQ a slot's pin uses is
 *   the board's wiring; QEMU's is INT[A-D] of slot s -> PIRQ[E-H] by
 *   (s + pin) mod 4 (hw/isa/lpc_ich9.c ich9_cc_init, the same table as its
 *   ACPI _PRT in hw/i386/acpi-build.c).  The ICH9's own devices (slots
 *   25-31) are routed by chipset registers in RCBA space that we do not
 *   read: refused.  QEMU's IOAPIC model ignores the polarity bit
 *   (hw/intc/ioapic.c ioapic_set_irq), so only real hardware would tell.
 *
 * - Anything else: the interrupt line register as an ISA IRQ, level, as
 *   the PC convention has it; printed as a guess. */
#include <stdio.h>
#include <l4/sys/sigma0.h>
#include "pci.h"

enum chipset { CS_UNKNOWN, CS_PIIX, CS_ICH9 };

static enum chipset chipset(void)
{
	for (unsigned i = 0; i < pci_nfns; i++) {
		const struct pci_fn *f = &pci_fns[i];
		if (f->vendor != 0x8086)
			continue;
		if (f->device == 0x7000 || f->device == 0x7110)   /* PIIX3, PIIX4 ISA bridge */
			return CS_PIIX;
		if (f->device == 0x2918)                          /* ICH9 LPC bridge (82801IB) */
			return CS_ICH9;
	}
	return CS_UNKNOWN;
}

int pci_irq_route(const struct pci_fn *f, unsigned *line, unsigned *flags, const char **why)
{
	if (!f->pin || f->pin > 4) {
		*why = "the function has no interrupt pin";
		return -1;
	}
	enum chipset cs = chipset();
	if (cs == CS_ICH9) {
		if (f->root_dev >= 25) {
			*why = "ICH9's own devices (slots 25-31) are routed by RCBA registers, not supported";
			return -1;
		}
		unsigned pirq = (f->root_dev + f->root_pin - 1) % 4 + 4;     /* E..H */
		*line = 16 + pirq;
		*flags = L4_S0_IRQ_LEVEL | L4_S0_IRQ_LOW;
		return 0;
	}
	if (f->line == 0 || f->line >= 16 || f->line == 2) {
		*why = "the firmware routed its interrupt to no ISA IRQ (line register)";
		return -1;
	}
	if (cs == CS_UNKNOWN)
		printf("roottask: pci: unknown chipset; guessing INTx from the line register (IRQ %u)\n",
		       f->line);
	*line = f->line;
	*flags = L4_S0_IRQ_ISA | L4_S0_IRQ_LEVEL;
	return 0;
}
