/* pcicfg.c - the pure logic of a PCI configuration header, host-tested
 * (test/host/test_pcicfg.c): what a BAR is from the write-ones probe, and
 * which writes a driver may make (the policy is explained in pcidev.c). */
#include <stddef.h>
#include "pci.h"

#define CMD_DRIVER_BITS (PCI_CFG_COMMAND_IO | PCI_CFG_COMMAND_MEM | PCI_CFG_COMMAND_MASTER | \
			 PCI_CFG_COMMAND_INTX_OFF)

/* The header's registers a driver may not write: below the device-dependent
 * region, and the BARs among them. */
#define HEADER_END PCI_CFG_DEVSPEC_OFFSET
#define BARS_END   (PCI_CFG_BAR_OFFSET + PCI_CFG_BAR_COUNT * PCI_CFG_BAR_STRIDE)

bool pci_bar_is64(uint32_t lo)
{
	return !pci_cfg_bar_io_extract(lo) &&
	       pci_cfg_bar_type_extract(lo) == PCI_CFG_BAR_TYPE_ANYWHERE_64;
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
	if (pci_cfg_bar_io_extract(lo)) {
		uint32_t mask = pci_io_bar_addr_extract(lo_probe) & 0xffff;
		if (!mask)
			return;
		b->kind = BAR_IO;
		b->base = pci_io_bar_addr_extract(lo) & 0xffff;
		b->size = (~mask & 0xffff) + 1;
		return;
	}
	bool wide = pci_bar_is64(lo);
	uint64_t probed = pci_cfg_bar_addr_extract(lo_probe);   /* the writable address bits */
	if (wide)
		probed |= (uint64_t)hi_probe << 32;
	if (!probed)
		return;                                 /* no address bits: none */
	uint64_t mask = wide ? probed : probed | 0xffffffff00000000ull;
	b->kind = wide ? BAR_MEM64 : BAR_MEM32;
	b->prefetch = pci_cfg_bar_prefetch_extract(lo);
	b->base = pci_cfg_bar_addr_extract(lo) | (wide ? (uint64_t)hi << 32 : 0);
	b->size = ~mask + 1;
}

const char *pci_write_refused(uint32_t off, uint32_t width, uint32_t v, uint16_t cmd_now)
{
	for (uint32_t i = 0; i < width; i++) {
		uint32_t at = off + i;
		if (at >= HEADER_END || at == PCI_CFG_STATUS_OFFSET || at == PCI_CFG_STATUS_OFFSET + 1)
			continue;
		if (at != PCI_CFG_COMMAND_OFFSET && at != PCI_CFG_COMMAND_OFFSET + 1)
			return at >= PCI_CFG_BAR_OFFSET && at < BARS_END ? "a BAR" : "the header";
	}
	/* The command bytes this write carries, merged into the register now. */
	uint32_t want = cmd_now;
	for (uint32_t i = 0; i < width; i++)
		if (off + i == PCI_CFG_COMMAND_OFFSET || off + i == PCI_CFG_COMMAND_OFFSET + 1) {
			unsigned sh = 8 * (unsigned)(off + i - PCI_CFG_COMMAND_OFFSET);
			want = (want & ~(0xffu << sh)) | ((v >> 8 * i) & 0xff) << sh;
		}
	if ((want ^ cmd_now) & ~(uint32_t)CMD_DRIVER_BITS)
		return "a command bit other than I/O, memory, bus master, INTx disable";
	return NULL;
}
