/* pci.c - PCI enumeration through configuration mechanism #1 (PCI Local Bus
 * Specification 3.0, 3.2.2.3.2): an address written to port 0xcf8, the
 * data at 0xcfc..0xcff.
 *
 * The walk starts at bus 0 and follows PCI-to-PCI bridges to the buses the
 * firmware numbered behind them (secondary bus, PCI-to-PCI Bridge spec
 * 3.2.5.3), instead of probing all 256 buses: it reads only what exists
 * (8192 probes of empty buses cost as much as the rest of the boot under
 * TCG) and it learns, for each function behind a bridge, the slot and pin
 * its INTx arrives as on bus 0 (the bridge swizzle, Bridge spec 9.1),
 * which interrupt routing needs.  A host bridge with several functions
 * means several root buses (numbered by function), walked the same way.
 *
 * BAR sizes come from the write-ones protocol (PCI 3.0, 6.2.5.1) with the
 * function's decoding off meanwhile, so it never answers at the probe
 * address. */
#include <stdio.h>
#include <l4/sys/debug.h>
#include <l4/sys/sigma0.h>
#include <l4/util/port.h>
#include "pci.h"
#include "roottask.h"

struct pci_fn pci_fns[PCI_MAX_FNS];
unsigned pci_nfns;
static bool bus_seen[256];

#define PCI_ADDR_PORT 0xcf8         /* CONFIG_ADDRESS: a pci_cfg_addr */
#define PCI_DATA_PORT 0xcfc         /* CONFIG_DATA: a dword, 0xcfc..0xcff */

static uint32_t addr(unsigned bus, unsigned dev, unsigned fn, unsigned off)
{
	uint32_t a = pci_cfg_addr_enable_insert(0, 1);
	a = pci_cfg_addr_bus_insert(a, bus);
	a = pci_cfg_addr_device_insert(a, dev);
	a = pci_cfg_addr_function_insert(a, fn);
	return pci_cfg_addr_offset_insert(a, off);     /* the dword holding off */
}

/* The byte lane of off in the data dword: what the dword offset leaves. */
static uint16_t data_port(unsigned off)
{
	return (uint16_t)(PCI_DATA_PORT + off - pci_cfg_addr_offset_extract(off));
}

static uint32_t raw_read(unsigned bus, unsigned dev, unsigned fn, unsigned off, unsigned width)
{
	l4_outl(PCI_ADDR_PORT, addr(bus, dev, fn, off));
	uint16_t port = data_port(off);
	return width == 1 ? l4_inb(port) : width == 2 ? l4_inw(port) : l4_inl(port);
}

/* An absent function reads as all ones, vendor ID 0xffff included. */
static bool present(unsigned bus, unsigned dev, unsigned fn)
{
	return raw_read(bus, dev, fn, PCI_CFG_VENDOR_OFFSET, 2) != PCI_CFG_VENDOR_ID_NONE;
}

uint32_t pci_read(const struct pci_fn *f, unsigned off, unsigned width)
{
	return raw_read(f->bus, f->dev, f->fn, off, width);
}

void pci_write(const struct pci_fn *f, unsigned off, unsigned width, uint32_t v)
{
	l4_outl(PCI_ADDR_PORT, addr(f->bus, f->dev, f->fn, off));
	uint16_t port = data_port(off);
	if (width == 1)
		l4_outb(port, (uint8_t)v);
	else if (width == 2)
		l4_outw(port, (uint16_t)v);
	else
		l4_outl(port, v);
}

/* Write ones to a BAR register and read it back; the value is restored. */
static uint32_t probe(struct pci_fn *f, unsigned off, uint32_t *orig)
{
	*orig = pci_read(f, off, 4);
	pci_write(f, off, 4, 0xffffffffu);
	uint32_t v = pci_read(f, off, 4);
	pci_write(f, off, 4, *orig);
	return v;
}

/* Size BAR i (and its upper half, for a 64-bit one); returns how many
 * BAR registers it used. */
static unsigned size_bar(struct pci_fn *f, unsigned i, unsigned nbars)
{
	uint32_t lo, hi = 0, hi_probe = 0xffffffffu;   /* no upper half: a 32-bit size */
	uint32_t lo_probe = probe(f, PCI_CFG_BAR_OFFSET + i * PCI_CFG_BAR_STRIDE, &lo);
	bool wide = pci_bar_is64(lo) && i + 1 < nbars;
	if (wide)
		hi_probe = probe(f, PCI_CFG_BAR_OFFSET + (i + 1) * PCI_CFG_BAR_STRIDE, &hi);
	pci_bar_decode(lo, lo_probe, hi, hi_probe, &f->bar[i]);
	return wide ? 2 : 1;
}

static void scan_bus(unsigned bus, unsigned root_dev, unsigned swizzle);

static void add_fn(unsigned bus, unsigned dev, unsigned fn, unsigned root_dev, unsigned swizzle)
{
	if (pci_nfns == PCI_MAX_FNS) {
		printf("roottask: pci: more than %d functions; %02x:%02x.%x and later ignored\n",
		       PCI_MAX_FNS, bus, dev, fn);
		return;
	}
	struct pci_fn *f = &pci_fns[pci_nfns++];
	*f = (struct pci_fn){ .bus = (uint8_t)bus, .dev = (uint8_t)dev, .fn = (uint8_t)fn,
			      .owner = -1 };
	f->vendor = (uint16_t)pci_read(f, PCI_CFG_VENDOR_OFFSET, 2);
	f->device = (uint16_t)pci_read(f, PCI_CFG_DEVICE_OFFSET, 2);
	f->class_code = pci_cfg_class24_code_extract(pci_read(f, PCI_CFG_CLASS24_OFFSET, 4));
	f->hdr = pci_cfg_header_layout_extract((uint8_t)pci_read(f, PCI_CFG_HEADER_OFFSET, 1));
	f->pin = (uint8_t)pci_read(f, PCI_CFG_INTR_PIN_OFFSET, 1);
	f->line = (uint8_t)pci_read(f, PCI_CFG_INTR_LINE_OFFSET, 1);
	/* On bus 0 a device's INTx is its own; behind bridges it was swizzled
	 * by (device number) at each bridge on the way up. */
	f->root_dev = (uint8_t)(bus == 0 ? dev : root_dev);
	f->root_pin = f->pin ? (uint8_t)((f->pin - 1 + (bus == 0 ? 0 : swizzle + dev)) % 4 + 1) : 0;
	unsigned nbars = f->hdr == PCI_CFG_HEADER_LAYOUT_GENERAL ? PCI_CFG_BAR_COUNT :
			 f->hdr == PCI_CFG_HEADER_LAYOUT_PCI_BRIDGE ? PCI_BRIDGE_CFG_BAR_COUNT : 0;
	uint16_t cmd = (uint16_t)pci_read(f, PCI_CFG_COMMAND_OFFSET, 2);
	pci_write(f, PCI_CFG_COMMAND_OFFSET, 2,
		  cmd & ~(uint32_t)(PCI_CFG_COMMAND_IO | PCI_CFG_COMMAND_MEM));
	for (unsigned i = 0; i < nbars;)
		i += size_bar(f, i, nbars);
	pci_write(f, PCI_CFG_COMMAND_OFFSET, 2, cmd);
	if (f->hdr == PCI_CFG_HEADER_LAYOUT_PCI_BRIDGE) {
		unsigned sec = pci_read(f, PCI_BRIDGE_CFG_SECONDARY_BUS_OFFSET, 1);
		if (sec > bus)      /* numbered by the firmware, and no loop */
			scan_bus(sec, bus == 0 ? dev : root_dev, bus == 0 ? 0 : swizzle + dev);
	}
}

static void scan_bus(unsigned bus, unsigned root_dev, unsigned swizzle)
{
	if (bus_seen[bus])
		return;
	bus_seen[bus] = true;
	for (unsigned dev = 0; dev < 32; dev++) {
		if (!present(bus, dev, 0))
			continue;
		bool multi = raw_read(bus, dev, 0, PCI_CFG_HEADER_OFFSET, 1) &
			     PCI_CFG_HEADER_MULTIFUNCTION;
		for (unsigned fn = 0; fn < (multi ? 8u : 1u); fn++)
			if (present(bus, dev, fn))
				add_fn(bus, dev, fn, root_dev, swizzle);
	}
}

static const char *class_name(uint32_t class_code)
{
	static const char *const names[] = {
		"unclassified", "storage", "network", "display", "multimedia", "memory",
		"bridge", "communication", "system", "input", "docking", "processor",
		"serial bus",
	};
	unsigned c = pci_class_code_class_extract(class_code);
	return c < sizeof names / sizeof names[0] ? names[c] : "other";
}

/* One line per function and one per BAR, as lspci -v would say it. */
static void list(void)
{
	static const char *const kinds[] = { "", "mem32", "mem64", "io" };
	printf("roottask: pci: %u function%s\n", pci_nfns, pci_nfns == 1 ? "" : "s");
	for (unsigned i = 0; i < pci_nfns; i++) {
		const struct pci_fn *f = &pci_fns[i];
		char irq[48] = "no interrupt";
		if (f->pin)
			snprintf(irq, sizeof irq, "INT%c, line %u", 'A' + (f->pin - 1) % 4, f->line);
		printf("roottask: pci %02x:%02x.%x %04x:%04x class %06x (%s), %s\n", f->bus, f->dev,
		       f->fn, f->vendor, f->device, f->class_code, class_name(f->class_code), irq);
		for (unsigned b = 0; b < PCI_CFG_BAR_COUNT; b++)
			if (f->bar[b].kind != BAR_NONE)
				printf("roottask: pci %02x:%02x.%x   bar%u %s%s 0x%llx size 0x%llx\n",
				       f->bus, f->dev, f->fn, b, kinds[f->bar[b].kind],
				       f->bar[b].prefetch ? " prefetchable" : "",
				       (unsigned long long)f->bar[b].base,
				       (unsigned long long)f->bar[b].size);
	}
}

int pci_scan(bool verbose)
{
	int e = l4_sigma0_io_grant(L4_CAP_SIGMA0, L4_CAP_SELF, PCI_ADDR_PORT, 8);
	if (e) {
		printf("roottask: pci: ports 0x%x-0x%x refused: %s\n", PCI_ADDR_PORT,
		       PCI_ADDR_PORT + 7, l4_strerror(e));
		return -1;
	}
	scan_bus(0, 0, 0);
	/* Several host bridges behind 00:00: function N's root bus is bus N. */
	if (raw_read(0, 0, 0, PCI_CFG_HEADER_OFFSET, 1) & PCI_CFG_HEADER_MULTIFUNCTION)
		for (unsigned fn = 1; fn < 8; fn++)
			if (present(0, 0, fn))
				scan_bus(fn, 0, 0);
	if (verbose)
		list();
	return 0;
}
