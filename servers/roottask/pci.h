/* pci.h - PCI functions for the programs the boot config names with pci=:
 * enumeration through configuration mechanism #1 (pci.c), the GSI behind a
 * function's INTx pin (pciirq.c), and handing a function to one program
 * (pcidev.c: its configuration space through the parent interface, its
 * BARs, its interrupt, bus mastering).
 *
 * Only the root task touches ports 0xcf8/0xcfc: a program reaches the
 * configuration space of its own function, through IPC, and no other. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <devregs/pci.h>
#include "config.h"

#define PCI_MAX_FNS 64

enum pci_bar_kind { BAR_NONE, BAR_MEM32, BAR_MEM64, BAR_IO };

struct pci_bar {
	uint64_t base, size;
	enum pci_bar_kind kind;
	bool prefetch;
};

struct pci_fn {
	uint8_t bus, dev, fn, hdr;      /* hdr: header type without the multi-function bit */
	uint16_t vendor, device;
	uint32_t class_code;            /* class << 16 | subclass << 8 | prog-if */
	uint8_t pin, line;              /* interrupt pin (1..4 = INTA..D) and line register */
	uint8_t root_dev, root_pin;     /* the slot and pin this INTx arrives as on bus 0 */
	struct pci_bar bar[PCI_CFG_BAR_COUNT];     /* a bridge (type 1) has the first 2 */
	int owner;                      /* index of the program it was given to, or -1 */
};

extern struct pci_fn pci_fns[PCI_MAX_FNS];
extern unsigned pci_nfns;

/* pcicfg.c: pure logic, host-tested. */
bool pci_bar_is64(uint32_t lo);
void pci_bar_decode(uint32_t lo, uint32_t lo_probe, uint32_t hi, uint32_t hi_probe,
		    struct pci_bar *b);
/* NULL if a driver may write v (width bytes at off) with the command
 * register now cmd_now; else what it would touch. */
const char *pci_write_refused(uint32_t off, uint32_t width, uint32_t v, uint16_t cmd_now);

/* pci.c */
uint32_t pci_read(const struct pci_fn *f, unsigned off, unsigned width);
void pci_write(const struct pci_fn *f, unsigned off, unsigned width, uint32_t v);
int pci_scan(bool verbose);     /* 0, or -1 (ports refused) after printing why */

/* pciirq.c: the GSI and mode (L4_S0_IRQ_*) of f's INTx; 0, or -1 with why. */
int pci_irq_route(const struct pci_fn *f, unsigned *line, unsigned *flags, const char **why);

/* pcidev.c */
struct prog;
struct l4_env;
int pci_assign(struct prog *p);                     /* at boot: find, route, Irq; 0 or -1 */
int pci_give(struct prog *p, struct l4_env *env, uint64_t slot);  /* at each start */
void pci_take_back(struct prog *p);                 /* at each end: bus mastering off */
bool pci_bar_covers(const struct prog *p, uint64_t phys, uint64_t size);
int pci_cfg_read(struct prog *p, uint32_t off, uint32_t width, uint32_t *v);
int pci_cfg_write(struct prog *p, uint32_t off, uint32_t width, uint32_t v);
