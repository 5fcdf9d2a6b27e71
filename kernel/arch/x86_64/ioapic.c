/* ioapic.c - I/O APICs (Intel 82093AA datasheet, 3.0 "Register
 * description").
 *
 * Two MMIO registers per chip: IOREGSEL at +0x00 selects an internal
 * register, IOWIN at +0x10 reads or writes it.  Internal registers: 0x00
 * ID, 0x01 version (bits 23:16 = number of redirection entries - 1), 0x10 +
 * 2n / 0x11 + 2n the low / high half of redirection entry n.
 *
 * Redirection entry: vector 7:0, delivery mode 10:8 (000 fixed), destination
 * mode 11 (0 physical), delivery status 12 (RO), polarity 13 (1 = active
 * low), remote IRR 14 (RO), trigger 15 (1 = level), mask 16, destination
 * APIC ID 63:56.
 *
 * A chip serves GSIs gsi_base .. gsi_base + pins - 1 (ACPI MADT). */
#include "k/kernel.h"
#include "apic.h"

enum {
	IOREGSEL = 0x00 / 4, IOWIN = 0x10 / 4,   /* as uint32_t indexes */
	IOAPIC_REG_VER = 0x01, IOAPIC_REG_REDTBL = 0x10,
	RTE_ACTIVE_LOW = 1u << 13,
	RTE_LEVEL = 1u << 15,
	RTE_MASKED = 1u << 16,
};

struct ioapic {
	volatile uint32_t *regs;
	uint64_t pa;
	uint32_t gsi_base;
	unsigned pins;
	uint8_t id;
};

static struct ioapic chips[MADT_MAX_IOAPICS];
static unsigned nchips;

static uint32_t ioa_read(const struct ioapic *c, uint32_t reg)
{
	uint64_t f = irq_save();
	c->regs[IOREGSEL] = reg;
	uint32_t v = c->regs[IOWIN];
	irq_restore(f);
	return v;
}

static void ioa_write(const struct ioapic *c, uint32_t reg, uint32_t v)
{
	uint64_t f = irq_save();
	c->regs[IOREGSEL] = reg;
	c->regs[IOWIN] = v;
	irq_restore(f);
}

/* The chip serving gsi and the pin number there, or NULL. */
static const struct ioapic *chip_of(unsigned gsi, unsigned *pin)
{
	for (unsigned i = 0; i < nchips; i++)
		if (gsi >= chips[i].gsi_base && gsi - chips[i].gsi_base < chips[i].pins) {
			*pin = gsi - chips[i].gsi_base;
			return &chips[i];
		}
	return NULL;
}

bool ioapic_add(uint8_t id, uint64_t pa, uint32_t gsi_base)
{
	if (nchips == MADT_MAX_IOAPICS || !pa)
		return false;
	struct ioapic c = { .pa = pa, .gsi_base = gsi_base, .id = id };
	c.regs = arch_map_mmio(pa, 0x20);
	if (!c.regs)
		return false;
	uint32_t ver = ioa_read(&c, IOAPIC_REG_VER);
	if (ver == 0xffffffff)
		return false;                        /* nothing answers at that address */
	c.pins = ((ver >> 16) & 0xff) + 1;
	/* Whatever the firmware left: every pin masked until a driver asks. */
	for (unsigned pin = 0; pin < c.pins; pin++) {
		ioa_write(&c, IOAPIC_REG_REDTBL + 2 * pin, RTE_MASKED);
		ioa_write(&c, IOAPIC_REG_REDTBL + 2 * pin + 1, 0);
	}
	chips[nchips++] = c;
	return true;
}

unsigned ioapic_count(void) { return nchips; }
uint64_t ioapic_phys(unsigned i) { return i < nchips ? chips[i].pa : 0; }
unsigned ioapic_pins(unsigned i) { return i < nchips ? chips[i].pins : 0; }

unsigned ioapic_lines(void)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < nchips; i++)
		if ((uint64_t)chips[i].gsi_base + chips[i].pins > top)
			top = (uint64_t)chips[i].gsi_base + chips[i].pins;
	return top > IRQ_MAX_LINES ? IRQ_MAX_LINES : (unsigned)top;
}

bool ioapic_route(unsigned gsi, uint8_t vector, bool level, bool active_low, uint8_t dest)
{
	unsigned pin;
	const struct ioapic *c = chip_of(gsi, &pin);
	if (!c)
		return false;
	uint32_t lo = ioa_read(c, IOAPIC_REG_REDTBL + 2 * pin);
	uint32_t keep_mask = lo & RTE_MASKED;
	uint32_t v = vector | (active_low ? RTE_ACTIVE_LOW : 0) | (level ? RTE_LEVEL : 0);
	/* Masked while the halves disagree, then the final mask state. */
	ioa_write(c, IOAPIC_REG_REDTBL + 2 * pin, v | RTE_MASKED);
	ioa_write(c, IOAPIC_REG_REDTBL + 2 * pin + 1, (uint32_t)dest << 24);
	ioa_write(c, IOAPIC_REG_REDTBL + 2 * pin, v | keep_mask);
	return true;
}

void ioapic_set_mask(unsigned gsi, bool masked)
{
	unsigned pin;
	const struct ioapic *c = chip_of(gsi, &pin);
	if (!c)
		return;
	uint64_t f = irq_save();
	uint32_t lo = ioa_read(c, IOAPIC_REG_REDTBL + 2 * pin);
	lo = masked ? lo | RTE_MASKED : lo & ~RTE_MASKED;
	ioa_write(c, IOAPIC_REG_REDTBL + 2 * pin, lo);
	irq_restore(f);
}
