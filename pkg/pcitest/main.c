/* pcitest - what a driver started with pci= gets, checked from the inside:
 * its function's configuration space through the root task (and the
 * writes it may not make), its memory BAR mapped (the e1000's MAC read
 * from RAL0/RAH0 as proof), its interrupt line as an Irq (an interrupt the
 * device raises on request arrives through it), DMA memory with a physical
 * address, bus mastering on.  Every line it prints comes from the device
 * or the root task's answers; any surprise is exit status 1. */
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/irq.h>
#include <devregs/e1000.h>
#include <devregs/pci.h>
#include <parent_client.h>

static const char *me = "pcitest";

#define TRY(what, expr, want) do { \
	int e_ = (expr); \
	if (e_ != (want)) { \
		printf("%s: %s: %s (wanted %s)\n", me, what, l4_strerror(e_), l4_strerror(want)); \
		return 1; \
	} } while (0)

static uint32_t cfg(uint32_t off, uint32_t width)
{
	uint32_t v = 0;
	int e = parent_pci_cfg_read(L4_ENV_PARENT, off, width, &v);
	if (e)
		printf("%s: config read at 0x%x: %s\n", me, off, l4_strerror(e));
	return v;
}

/* The refusals: beyond the space, unaligned, BARs, header, command bits. */
static int refusals(void)
{
	uint32_t v;
	TRY("read at 256", parent_pci_cfg_read(L4_ENV_PARENT, 256, 4, &v), -L4_EINVAL);
	TRY("read 4 at 2", parent_pci_cfg_read(L4_ENV_PARENT, 2, 4, &v), -L4_EINVAL);
	TRY("read width 3", parent_pci_cfg_read(L4_ENV_PARENT, 0, 3, &v), -L4_EINVAL);
	TRY("write BAR0", parent_pci_cfg_write(L4_ENV_PARENT, PCI_CFG_BAR_OFFSET, 4, 0), -L4_EPERM);
	TRY("write line", parent_pci_cfg_write(L4_ENV_PARENT, PCI_CFG_INTR_LINE_OFFSET, 1, 5),
	    -L4_EPERM);
	uint32_t cmd = cfg(PCI_CFG_COMMAND_OFFSET, 2);
	TRY("flip SERR#", parent_pci_cfg_write(L4_ENV_PARENT, PCI_CFG_COMMAND_OFFSET, 2,
					       cmd ^ (uint32_t)PCI_CFG_COMMAND_SERR), -L4_EPERM);
	TRY("INTx disable", parent_pci_cfg_write(L4_ENV_PARENT, PCI_CFG_COMMAND_OFFSET, 2,
						 cmd | (uint32_t)PCI_CFG_COMMAND_INTX_OFF), 0);
	TRY("INTx enable", parent_pci_cfg_write(L4_ENV_PARENT, PCI_CFG_COMMAND_OFFSET, 2, cmd), 0);
	printf("%s: config space: reads beyond 256 or unaligned refused, writes to BAR and line "
	       "refused, command bits other than io/mem/master/intx refused\n", me);
	return 0;
}

int main(int argc, char **argv)
{
	const struct l4_env *env = l4_env();
	const struct l4_env_pci *pci = &env->pci;
	if (argc > 1 && !strcmp(argv[1], "caps")) {      /* what irq= gave us */
		for (uint32_t i = 0; i < env->ncaps; i++) {
			unsigned gsi = ~0u;
			int e = l4_irq_info(env->caps[i].slot, &gsi, 0);
			printf("%s: capability '%s' in slot %llu: %s GSI %u\n", me, env->caps[i].name,
			       (unsigned long long)env->caps[i].slot, e ? l4_strerror(e) : "an Irq for",
			       gsi);
		}
		return 0;
	}
	if (!pci->present) {
		printf("%s: no PCI function in my environment\n", me);
		return 1;
	}
	uint32_t vendor = cfg(PCI_CFG_VENDOR_OFFSET, 2), device = cfg(PCI_CFG_DEVICE_OFFSET, 2);
	printf("%s: pci %02x:%02x.%x, config space says %04x:%04x class %06x\n", me, pci->bus,
	       pci->dev, pci->fn, vendor, device,
	       pci_cfg_class24_code_extract(cfg(PCI_CFG_CLASS24_OFFSET, 4)));
	if (vendor != pci->vendor || device != pci->device)
		return 1;
	if (refusals())
		return 1;
	uint32_t cmd = cfg(PCI_CFG_COMMAND_OFFSET, 2);
	printf("%s: command 0x%04x: memory %s, bus master %s\n", me, cmd,
	       cmd & PCI_CFG_COMMAND_MEM ? "on" : "off", cmd & PCI_CFG_COMMAND_MASTER ? "on" : "off");

	/* BAR 0: the e1000's registers. */
	const struct l4_env_bar *b = &pci->bar[0];
	if (b->kind != L4_ENV_BAR_MEM) {
		printf("%s: BAR 0 is not memory\n", me);
		return 1;
	}
	uint64_t va;
	TRY("map past BAR 0", parent_mmio_map(L4_ENV_PARENT, b->base + b->size, 4096, &va), -L4_EPERM);
	TRY("map BAR 0", parent_mmio_map(L4_ENV_PARENT, b->base, b->size, &va), 0);
	volatile void *regs = (volatile void *)va;
	uint32_t ral = e1000_ral_rd(regs, 0), rah = e1000_rah_rd(regs, 0);
	printf("%s: bar0 0x%llx size 0x%llx mapped at 0x%llx\n", me, (unsigned long long)b->base,
	       (unsigned long long)b->size, (unsigned long long)va);
	printf("%s: MAC %02x:%02x:%02x:%02x:%02x:%02x (RAH0 %s)\n", me,
	       e1000_ral_byte0_extract(ral), e1000_ral_byte1_extract(ral),
	       e1000_ral_byte2_extract(ral), e1000_ral_byte3_extract(ral),
	       e1000_rah_byte4_extract(rah), e1000_rah_byte5_extract(rah),
	       e1000_rah_av_extract(rah) ? "valid" : "not valid");

	/* The interrupt: make the device raise one (ICS) and wait for it. */
	uint64_t irq = l4_env_cap("pci-irq"), n = 0;
	if (!irq) {
		printf("%s: no pci-irq in my environment\n", me);
		return 1;
	}
	printf("%s: interrupt INT%c -> GSI %u (%s, active %s)\n", me, 'A' + pci->pin - 1, pci->gsi,
	       pci->irq_flags & L4_S0_IRQ_LEVEL ? "level" : "edge",
	       pci->irq_flags & L4_S0_IRQ_LOW ? "low" : "high");
	TRY("bind the Irq", l4_irq_bind_thread(irq, L4_ENV_THREAD), 0);
	TRY("no interrupt yet", l4_irq_wait(irq, 20000, &n), -L4_ETIMEOUT);
	e1000_ims_wr(regs, E1000_IMS_TXDW);
	e1000_ics_wr(regs, E1000_ICS_TXDW);
	TRY("wait for the interrupt", l4_irq_wait(irq, 1000000, &n), 0);
	/* Level-triggered: until ICR is read the line stays asserted. */
	uint32_t icr = e1000_icr_rd(regs);
	TRY("acknowledge", l4_irq_ack(irq), 0);
	TRY("quiet after ICR was read", l4_irq_wait(irq, 50000, &n), -L4_ETIMEOUT);
	e1000_imc_wr(regs, ~0u);
	printf("%s: interrupt received on GSI %u (ICR 0x%x), quiet once ICR was read\n", me,
	       pci->gsi, icr);

	uint64_t buf, phys;
	TRY("DMA memory", parent_dma_alloc(L4_ENV_PARENT, 4096, &buf, &phys), 0);
	printf("%s: DMA buffer at 0x%llx, physical 0x%llx\n", me, (unsigned long long)buf,
	       (unsigned long long)phys);
	return 0;
}
