/* pcidev.c - a PCI function for the program whose config line says pci=:
 * found once at boot (the Irq lasts across restarts, like irq='s), given at
 * every start (environment, I/O BARs, bus mastering), taken back at every
 * end (bus mastering off: a dead driver's device must not write into
 * memory that now belongs to someone else).
 *
 * Its configuration space is reached through the parent interface only.
 * Reads are free.  Writes to the header (below 0x40) are refused except
 * the status register (write-1-to-clear error bits) and, in the command
 * register, the I/O, memory, bus-master and INTx-disable bits: the BARs
 * are where the root task checked the device memory it hands out, the
 * interrupt line/pin and the rest of the header describe the function to
 * us.  The device-specific space (0x40 up: capabilities, power management)
 * is the driver's.  Without an IOMMU a bus-mastering device reaches all
 * physical memory; a driver given one is trusted with that. */
#include <stdio.h>
#include <string.h>
#include <l4/sys/irq.h>
#include <l4/sys/debug.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include "pci.h"
#include "roottask.h"

/* pci_give copies BAR i into the environment's bar[i]. */
_Static_assert(sizeof ((struct l4_env_pci *)0)->bar / sizeof(struct l4_env_bar) ==
	       PCI_CFG_BAR_COUNT, "l4_env_pci.bar: one per type 0 BAR");

static void selector(const struct cfg_pci *c, char *buf, size_t len)
{
	if (c->by_id)
		snprintf(buf, len, "pci=%04x:%04x", c->vendor, c->device);
	else
		snprintf(buf, len, "pci=%02x:%02x.%x", c->bus, c->dev, c->fn);
}

static bool matches(const struct cfg_pci *c, const struct pci_fn *f)
{
	return c->by_id ? f->vendor == c->vendor && f->device == c->device
			: f->bus == c->bus && f->dev == c->dev && f->fn == c->fn;
}

/* Refused: say what was asked and what the machine has instead. */
static int absent(const struct prog *p, const char *sel, bool taken)
{
	printf("roottask: %s:%u: %s for '%s': %s; found:", rt_config_name, p->cfg->line, sel,
	       p->cfg->name, taken ? "every such function is given to an earlier program"
				   : "no such PCI function");
	for (unsigned i = 0; i < pci_nfns; i++)
		printf(" %02x:%02x.%x %04x:%04x", pci_fns[i].bus, pci_fns[i].dev, pci_fns[i].fn,
		       pci_fns[i].vendor, pci_fns[i].device);
	printf("%s\n", pci_nfns ? "" : " nothing");
	return -1;
}

int pci_assign(struct prog *p)
{
	const struct cfg_pci *c = &p->cfg->pci;
	char sel[24];
	if (!c->set)
		return 0;
	selector(c, sel, sizeof sel);
	struct pci_fn *f = 0;
	bool taken = false;
	for (unsigned i = 0; i < pci_nfns && !f; i++)
		if (matches(c, &pci_fns[i])) {
			if (pci_fns[i].owner < 0)
				f = &pci_fns[i];
			else
				taken = true;
		}
	if (!f)
		return absent(p, sel, taken);
	f->owner = (int)p->idx;
	p->pci = f;
	if (!f->pin)
		return 0;
	const char *why;
	if (pci_irq_route(f, &p->pci_line, &p->pci_irq_flags, &why)) {
		printf("roottask: %s:%u: %s for '%s': cannot route its interrupt: %s\n",
		       rt_config_name, p->cfg->line, sel, p->cfg->name, why);
		return -1;
	}
	p->pci_irq = slot_alloc();
	int e = l4_sigma0_irq_create(L4_CAP_SIGMA0, p->pci_line, p->pci_irq, p->pci_irq_flags);
	unsigned gsi = p->pci_line;
	if (!e)
		e = l4_irq_info(p->pci_irq, &gsi, 0);
	if (e) {
		printf("roottask: %s:%u: %s for '%s': %s %u: %s\n", rt_config_name, p->cfg->line, sel,
		       p->cfg->name, p->pci_irq_flags & L4_S0_IRQ_ISA ? "ISA IRQ" : "GSI",
		       p->pci_line, e == -L4_ESLOT ? "taken by another program or kept by the kernel"
						  : l4_strerror(e));
		return -1;
	}
	p->pci_gsi = gsi;
	printf("roottask: '%s' gets pci %02x:%02x.%x %04x:%04x, INT%c -> %s%u GSI %u (level, %s)\n",
	       p->cfg->name, f->bus, f->dev, f->fn, f->vendor, f->device, 'A' + f->pin - 1,
	       p->pci_irq_flags & L4_S0_IRQ_ISA ? "ISA IRQ " : "PIRQ ",
	       p->pci_irq_flags & L4_S0_IRQ_ISA ? p->pci_line : p->pci_line - 16, gsi,
	       p->pci_irq_flags & L4_S0_IRQ_ISA ? "the firmware's polarity" :
	       p->pci_irq_flags & L4_S0_IRQ_LOW ? "active low" : "active high");
	return 0;
}

int pci_give(struct prog *p, struct l4_env *env, uint64_t slot)
{
	const struct pci_fn *f = p->pci;
	if (!f)
		return 0;
	struct l4_env_pci *e = &env->pci;
	*e = (struct l4_env_pci){ .present = 1, .vendor = f->vendor, .device = f->device,
				  .bus = f->bus, .dev = f->dev, .fn = f->fn, .pin = f->pin,
				  .class_code = f->class_code, .gsi = p->pci_gsi,
				  .irq_flags = p->pci_irq_flags & ~(unsigned)L4_S0_IRQ_ISA };
	uint16_t cmd = PCI_CFG_COMMAND_MASTER;
	int err;
	for (unsigned i = 0; i < PCI_CFG_BAR_COUNT; i++) {
		const struct pci_bar *b = &f->bar[i];
		if (b->kind == BAR_NONE || !b->size)
			continue;
		e->bar[i] = (struct l4_env_bar){ b->base, b->size,
						 b->kind == BAR_IO ? L4_ENV_BAR_IO : L4_ENV_BAR_MEM,
						 b->prefetch };
		if (b->kind != BAR_IO) {
			cmd |= PCI_CFG_COMMAND_MEM;
			continue;
		}
		cmd |= PCI_CFG_COMMAND_IO;
		if (b->base + b->size > 0x10000)
			return -L4_EINVAL;
		if ((err = l4_sigma0_io_grant(L4_CAP_SIGMA0, p->task, (unsigned)b->base,
					      (unsigned)b->size)))
			return err;
	}
	if (p->pci_irq) {
		if ((err = l4_task_cap_map(p->task, p->pci_irq, slot, L4_CAP_ALL, 0)))
			return err;
		struct l4_env_cap *c = &env->caps[env->ncaps++];
		snprintf(c->name, sizeof c->name, "pci-irq");
		c->slot = slot;
		c->type = L4_OBJ_IRQ;
		c->rights = L4_CAP_ALL;
	}
	pci_write(f, PCI_CFG_COMMAND_OFFSET, 2,
		  (pci_read(f, PCI_CFG_COMMAND_OFFSET, 2) & ~(uint32_t)PCI_CFG_COMMAND_INTX_OFF) | cmd);
	return 0;
}

void pci_take_back(struct prog *p)
{
	const struct pci_fn *f = p->pci;
	if (!f)
		return;
	pci_write(f, PCI_CFG_COMMAND_OFFSET, 2,
		  pci_read(f, PCI_CFG_COMMAND_OFFSET, 2) & ~(uint32_t)PCI_CFG_COMMAND_MASTER);
	printf("roottask: '%s' ended: pci %02x:%02x.%x bus mastering off (command 0x%04x)\n",
	       p->cfg->name, f->bus, f->dev, f->fn, pci_read(f, PCI_CFG_COMMAND_OFFSET, 2));
}

bool pci_bar_covers(const struct prog *p, uint64_t phys, uint64_t size)
{
	for (unsigned i = 0; p->pci && i < PCI_CFG_BAR_COUNT; i++) {
		const struct pci_bar *b = &p->pci->bar[i];
		if ((b->kind == BAR_MEM32 || b->kind == BAR_MEM64) && phys >= b->base &&
		    size <= b->size && phys - b->base <= b->size - size)
			return true;
	}
	return false;
}

static int check(const struct prog *p, uint32_t off, uint32_t width)
{
	if (!p->pci)
		return -L4_EPERM;
	if ((width != 1 && width != 2 && width != 4) || off >= PCI_CFG_SPACE_SIZE || off % width)
		return -L4_EINVAL;
	return 0;
}

int pci_cfg_read(struct prog *p, uint32_t off, uint32_t width, uint32_t *v)
{
	int e = check(p, off, width);
	if (!e)
		*v = pci_read(p->pci, off, width);
	return e;
}

int pci_cfg_write(struct prog *p, uint32_t off, uint32_t width, uint32_t v)
{
	int e = check(p, off, width);
	if (e)
		return e;
	const char *why = pci_write_refused(off, width, v,
					    (uint16_t)pci_read(p->pci, PCI_CFG_COMMAND_OFFSET, 2));
	if (why) {
		printf("roottask: '%s': pci config write at 0x%x (%u byte%s) refused: %s\n",
		       p->cfg->name, off, width, width == 1 ? "" : "s", why);
		return -L4_EPERM;
	}
	pci_write(p->pci, off, width, v);
	return 0;
}
