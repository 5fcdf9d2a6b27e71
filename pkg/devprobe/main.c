/* devprobe - drives QEMU's devices from user level through the headers
 * pkg/devregs generates, so that a wrong offset, field or value in those
 * descriptions shows up as a wrong line on the serial console:
 *   pci     scan bus 0 through configuration mechanism #1 (ports 0xcf8-0xcff)
 *   e1000   find the 82540EM, map its BAR 0 (parent mmio_map), print its
 *           status, the MAC in receive address 0 and the MAC in the EEPROM
 *   uart    read COM1's line control, write and read its scratch register
 * The root task gives it the ports and memory (test/devprobe.cfg). */
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/abi.h>
#include <l4/sys/debug.h>
#include <l4/util/port.h>
#include <parent_client.h>
#include <devregs/pci.h>
#include <devregs/e1000.h>
#include <devregs/uart16550.h>

#define PCI_ADDR_PORT 0xcf8
#define PCI_DATA_PORT 0xcfc
#define COM1 0x3f8
#define E1000_DEVICE 0x100e         /* 82540EM */
#define INTEL 0x8086

static const char *me = "devprobe";

/* One configuration register of bus 0 (offset and width from pci.dev):
 * the data port carries the aligned dword; the register is a part of it. */
static uint32_t cfg_read(unsigned dev, unsigned fn, unsigned off, unsigned bits)
{
	uint32_t a = pci_cfg_addr_enable_insert(0, 1);
	a = pci_cfg_addr_device_insert(a, dev);
	a = pci_cfg_addr_function_insert(a, fn);
	a = pci_cfg_addr_offset_insert(a, off & ~3u);
	l4_outl(PCI_ADDR_PORT, a);
	uint32_t v = l4_inl(PCI_DATA_PORT) >> (8 * (off & 3));
	return bits == 32 ? v : v & ((1u << bits) - 1);
}

/* Bus 0: every function, and the e1000's memory BAR (0 if none). */
static uint32_t pci_scan(void)
{
	uint32_t e1000_bar = 0;
	for (unsigned dev = 0; dev < 32; dev++) {
		for (unsigned fn = 0; fn < 8; fn++) {
			uint32_t vendor = cfg_read(dev, fn, PCI_CFG_VENDOR_OFFSET, 16);
			if (vendor == 0xffff) {
				if (fn == 0)
					break;
				continue;
			}
			uint32_t device = cfg_read(dev, fn, PCI_CFG_DEVICE_OFFSET, 16);
			uint32_t class = cfg_read(dev, fn, PCI_CFG_CLASS_OFFSET, 8);
			uint32_t bar0 = cfg_read(dev, fn, PCI_CFG_BAR_OFFSET, 32);
			uint32_t pin = cfg_read(dev, fn, PCI_CFG_INTR_PIN_OFFSET, 8);
			printf("%s: pci 00:%02x.%u %04x:%04x class %02x%s bar0 %s 0x%x pin %u\n", me,
			       dev, fn, vendor, device, class,
			       class == PCI_CFG_CLASS_CODE_NETWORK ? " (network)" : "",
			       pci_cfg_bar_io_extract(bar0) ? "io" : "mem",
			       pci_cfg_bar_io_extract(bar0) ? pci_io_bar_addr_extract(bar0)
							    : pci_cfg_bar_addr_extract(bar0), pin);
			if (vendor == INTEL && device == E1000_DEVICE && !pci_cfg_bar_io_extract(bar0))
				e1000_bar = pci_cfg_bar_addr_extract(bar0);
			uint32_t hdr = cfg_read(dev, fn, PCI_CFG_HEADER_OFFSET, 8);
			if (fn == 0 && !pci_cfg_header_multifunction_extract(hdr))
				break;
		}
	}
	return e1000_bar;
}

/* An EEPROM word through EERD (8254x SDM 5.3.1), or -1 on a timeout. */
static int eeprom_word(volatile void *regs, unsigned addr)
{
	e1000_eerd_wr(regs, e1000_eerd_addr_insert(E1000_EERD_START, addr));
	for (int i = 0; i < 100000; i++) {
		uint32_t v = e1000_eerd_rd(regs);
		if (e1000_eerd_done_extract(v))
			return (int)e1000_eerd_data_extract(v);
	}
	return -1;
}

static int e1000(uint32_t bar)
{
	uint64_t va;
	int e = parent_mmio_map(L4_ENV_PARENT, bar, E1000_SPACE_SIZE, &va);
	if (e) {
		printf("%s: e1000: mmio_map 0x%x: %s\n", me, bar, l4_strerror(e));
		return 1;
	}
	volatile void *regs = (volatile void *)va;
	uint32_t st = e1000_status_rd(regs);
	static const char *const speed[] = { "10", "100", "1000", "1000" };
	printf("%s: e1000 status 0x%x: link %s, %s duplex, %s Mb/s\n", me, st,
	       e1000_status_lu_extract(st) ? "up" : "down",
	       e1000_status_fd_extract(st) ? "full" : "half", speed[e1000_status_speed_extract(st)]);

	uint32_t ral = e1000_ral_rd(regs, 0), rah = e1000_rah_rd(regs, 0);
	uint8_t mac[6] = {
		e1000_ral_byte0_extract(ral), e1000_ral_byte1_extract(ral),
		e1000_ral_byte2_extract(ral), e1000_ral_byte3_extract(ral),
		e1000_rah_byte4_extract(rah), e1000_rah_byte5_extract(rah),
	};
	printf("%s: e1000 receive address 0: %02x:%02x:%02x:%02x:%02x:%02x%s\n", me,
	       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
	       e1000_rah_av_extract(rah) ? " (valid)" : " (not valid)");

	uint8_t rom[6];
	for (unsigned w = 0; w < 3; w++) {
		int v = eeprom_word(regs, w);
		if (v < 0) {
			printf("%s: e1000 eeprom: word %u timed out\n", me, w);
			return 1;
		}
		rom[2 * w] = (uint8_t)v;
		rom[2 * w + 1] = (uint8_t)(v >> 8);
	}
	printf("%s: e1000 eeprom: %02x:%02x:%02x:%02x:%02x:%02x, %s\n", me,
	       rom[0], rom[1], rom[2], rom[3], rom[4], rom[5],
	       memcmp(rom, mac, 6) ? "differs" : "the same");
	return 0;
}

static int uart(void)
{
	uint8_t lcr = uart16550_lcr_rd(COM1);
	printf("%s: uart lcr 0x%02x: %u data bits, %s parity, %u stop bit%s\n", me, lcr,
	       5 + (unsigned)uart16550_lcr_wls_extract(lcr),
	       uart16550_lcr_pen_extract(lcr) ? "with" : "no",
	       1 + (unsigned)uart16550_lcr_stb_extract(lcr), uart16550_lcr_stb_extract(lcr) ? "s" : "");
	uint8_t old = uart16550_scr_rd(COM1);
	uart16550_scr_wr(COM1, 0x5a);
	uint8_t a = uart16550_scr_rd(COM1);
	uart16550_scr_wr(COM1, 0xa5);
	uint8_t b = uart16550_scr_rd(COM1);
	uart16550_scr_wr(COM1, old);
	printf("%s: uart scratch: wrote 0x5a 0xa5, read 0x%02x 0x%02x\n", me, a, b);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t bar = 0;
	for (int i = 1; i < argc; i++) {
		int e;
		if (!strcmp(argv[i], "pci"))
			e = (bar = pci_scan(), 0);
		else if (!strcmp(argv[i], "e1000") && bar)
			e = e1000(bar);
		else if (!strcmp(argv[i], "e1000"))
			e = (printf("%s: no 82540EM found on bus 0 (run pci first)\n", me), 1);
		else if (!strcmp(argv[i], "uart"))
			e = uart();
		else
			e = (printf("%s: usage: devprobe [pci] [e1000] [uart]\n", me), 2);
		if (e)
			return e;
	}
	return 0;
}
