/* power.c - leaving the machine: report a status to the host and stop. */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>

enum {
	DEBUG_EXIT_PORT = 0xf4,    /* QEMU isa-debug-exit: QEMU exits with (v << 1) | 1 */
	QEMU_ACPI_PM1A  = 0x604,   /* QEMU's ACPI PM1a control block */
	ACPI_SLP_S5     = 0x2000,  /* SLP_EN with sleep type 0 = soft off on QEMU */
};

_Noreturn void arch_shutdown(unsigned status)
{
	__asm__ volatile("cli");
	outb(DEBUG_EXIT_PORT, (uint8_t)status);   /* ends QEMU when the device exists */
	outw(QEMU_ACPI_PM1A, ACPI_SLP_S5);        /* else try a plain ACPI power-off */
	kprintf("minnow: could not power off; halted\n");
	cpu_halt_forever();
}
