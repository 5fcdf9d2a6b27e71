/* test_pcicfg.c - host tests of pcicfg.c: BARs decoded from the write-ones
 * probe (values as QEMU's e1000, PIIX IDE, std-vga and a 64-bit BAR read
 * back), and the configuration writes a driver may and may not make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include "pci.h"

static void bars(void **state)
{
	(void)state;
	struct pci_bar b;
	/* e1000 BAR0: 128 KiB of memory, 32-bit, not prefetchable. */
	pci_bar_decode(0xfebc0000, 0xfffe0000, 0, 0xffffffff, &b);
	assert_int_equal(b.kind, BAR_MEM32);
	assert_true(b.base == 0xfebc0000 && b.size == 0x20000 && !b.prefetch);
	/* e1000 BAR1: 64 ports; the upper half reads back 0 on some devices. */
	pci_bar_decode(0xc001, 0xffffffc1, 0, 0xffffffff, &b);
	assert_int_equal(b.kind, BAR_IO);
	assert_true(b.base == 0xc000 && b.size == 0x40);
	pci_bar_decode(0xc041, 0x0000fff1, 0, 0xffffffff, &b);
	assert_true(b.kind == BAR_IO && b.base == 0xc040 && b.size == 0x10);
	/* std-vga BAR0: 16 MiB prefetchable. */
	pci_bar_decode(0xfd000008, 0xff000008, 0, 0xffffffff, &b);
	assert_true(b.kind == BAR_MEM32 && b.prefetch && b.size == 0x1000000);
	/* A 64-bit BAR of 16 GiB above 4 GiB. */
	assert_true(pci_bar_is64(0x0000000c));
	pci_bar_decode(0x0000000c, 0x0000000c, 0x8, 0xfffffffc, &b);
	assert_int_equal(b.kind, BAR_MEM64);
	assert_true(b.base == 0x800000000ull && b.size == 0x400000000ull && b.prefetch);
	/* Not implemented: reads back 0, or only type bits. */
	pci_bar_decode(0, 0, 0, 0xffffffff, &b);
	assert_int_equal(b.kind, BAR_NONE);
	pci_bar_decode(0x1, 0x1, 0, 0xffffffff, &b);
	assert_int_equal(b.kind, BAR_NONE);
	assert_false(pci_bar_is64(0x5));            /* an I/O BAR with bit 2 set */
}

/* The offsets and bits here are PCI 3.0's numbers (figure 6-1, 6.2.2),
 * written out rather than taken from <devregs/pci.h>: pcicfg.c uses the
 * generated names, so a wrong description fails here. */
enum { VENDOR = 0x00, COMMAND = 0x04, STATUS = 0x06, CACHELINE = 0x0c, BAR0 = 0x10,
       CARDBUS_CIS = 0x28, ROM = 0x30, INTR_LINE = 0x3c, DEVSPEC = 0x40 };
enum { CMD_PARITY = 0x040, CMD_SERR = 0x100, CMD_MASTER = 0x004, CMD_INTX_OFF = 0x400 };

static void writes(void **state)
{
	(void)state;
	const uint16_t cmd = 0x0107;                 /* io, mem, master, SERR */
	/* The command register: the driver's four bits, as any width. */
	assert_null(pci_write_refused(COMMAND, 2, cmd | CMD_INTX_OFF, cmd));
	assert_null(pci_write_refused(COMMAND, 2, cmd & ~CMD_MASTER, cmd));
	assert_null(pci_write_refused(COMMAND, 1, 0x03, cmd));
	assert_null(pci_write_refused(COMMAND + 1, 1, 0x05, cmd));   /* INTx disable */
	assert_null(pci_write_refused(COMMAND, 4, 0xffff0000u | cmd, cmd));   /* + status */
	assert_null(pci_write_refused(STATUS, 2, 0xffff, cmd));
	assert_null(pci_write_refused(DEVSPEC, 4, 0xdeadbeef, cmd));     /* device-specific */
	assert_null(pci_write_refused(0xff, 1, 0, cmd));
	/* Other command bits, set or cleared. */
	assert_non_null(pci_write_refused(COMMAND, 2, cmd & ~CMD_SERR, cmd));
	assert_non_null(pci_write_refused(COMMAND, 2, cmd | CMD_PARITY, cmd));
	assert_non_null(pci_write_refused(COMMAND + 1, 1, 0x00, cmd));  /* clears SERR */
	assert_non_null(pci_write_refused(COMMAND, 4, 0x0000ffffu, cmd));
	/* The rest of the header; the BARs are 0x10..0x27. */
	assert_string_equal(pci_write_refused(BAR0, 4, 0, cmd), "a BAR");
	assert_string_equal(pci_write_refused(BAR0 + 20, 4, 0, cmd), "a BAR");
	assert_string_equal(pci_write_refused(BAR0 + 23, 1, 0, cmd), "a BAR");
	assert_string_equal(pci_write_refused(BAR0 - 1, 1, 0, cmd), "the header");
	assert_string_equal(pci_write_refused(CARDBUS_CIS, 4, 0, cmd), "the header");
	assert_string_equal(pci_write_refused(INTR_LINE, 1, 5, cmd), "the header");
	assert_string_equal(pci_write_refused(VENDOR, 2, 0, cmd), "the header");
	assert_string_equal(pci_write_refused(ROM, 4, 0, cmd), "the header");
	assert_string_equal(pci_write_refused(DEVSPEC - 4, 4, 0, cmd), "the header");
	assert_string_equal(pci_write_refused(CACHELINE, 1, 0x10, cmd), "the header");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bars),
		cmocka_unit_test(writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
