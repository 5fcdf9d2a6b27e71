/* pcicfg.c - the pure logic of a PCI configuration header, host-tested
 * (test/host/test_pcicfg.c): what a BAR is from the write-ones probe, and
 * which writes a driver may make (the policy is explained in pcidev.c). */
#include <stddef.h>
#include <l4/util/pciregs.h>
#include "pci.h"

#define CMD_DRIVER_BITS (PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
			 PCI_COMMAND_INTX_DISABLE)

bool pci_bar_is64(uint32_t lo)
{
	return !(lo & PCI_BAR_IO) && (lo & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_64;
}

/* PCI 3.0, 6.2.5.1: the bits that read back as 0 after writing ones are
 * the size; the low bits are the BAR's type.  A 32-bit I/O BAR's upper 16
 * bits may read back 0 (x86 ports are 16 bits): only 16 count. */
void pci_bar_decode(uint32_t lo, uint32_t lo_probe, uint32_t hi, uint32_t hi_probe,
		    struct pci_bar *b)
{
	*b = (struct pci_bar){ .kind = BAR_NONE };
	if (lo_probe == 0)
		return;                                 /* not implemented */
	if (lo & PCI_BAR_IO) {
		uint32_t mask = lo_probe & PCI_BAR_IO_MASK & 0xffff;
		if (!mask)
			return;
		b->kind = BAR_IO;
		b->base = lo & PCI_BAR_IO_MASK & 0xffff;
		b->size = (~mask & 0xffff) + 1;
		return;
	}
	bool wide = pci_bar_is64(lo);
	uint64_t probed = lo_probe & PCI_BAR_MEM_MASK;     /* the writable address bits */
	if (wide)
		probed |= (uint64_t)hi_probe << 32;
	if (!probed)
		return;                                 /* no address bits: none */
	uint64_t mask = wide ? probed : probed | 0xffffffff00000000ull;
	b->kind = wide ? BAR_MEM64 : BAR_MEM32;
	b->prefetch = lo & PCI_BAR_PREFETCH;
	b->base = (lo & PCI_BAR_MEM_MASK) | (wide ? (uint64_t)hi << 32 : 0);
	b->size = ~mask + 1;
}

const char *pci_write_refused(uint32_t off, uint32_t width, uint32_t v, uint16_t cmd_now)
{
	for (uint32_t i = 0; i < width; i++) {
		uint32_t at = off + i;
		if (at >= PCI_HEADER_END || at == PCI_STATUS || at == PCI_STATUS + 1)
			continue;
		if (at != PCI_COMMAND && at != PCI_COMMAND + 1)
			return at >= PCI_BAR0 && at < PCI_BAR0 + 24 ? "a BAR" : "the header";
	}
	/* The command bytes this write carries, merged into the register now. */
	uint32_t want = cmd_now;
	for (uint32_t i = 0; i < width; i++)
		if (off + i == PCI_COMMAND || off + i == PCI_COMMAND + 1) {
			unsigned sh = 8 * (off + i - PCI_COMMAND);
			want = (want & ~(0xffu << sh)) | ((v >> 8 * i) & 0xff) << sh;
		}
	if ((want ^ cmd_now) & ~(uint32_t)CMD_DRIVER_BITS)
		return "a command bit other than I/O, memory, bus master, INTx disable";
	return NULL;
}
