/* mmio.c - device registers in kernel virtual memory.
 *
 * The direct map (PHYS_MAP) covers RAM only; the local APIC (0xfee00000),
 * the IOAPICs (0xfec00000) and ACPI tables beyond the end of RAM need their
 * own mappings.  They go into a window at MMIO_BASE (0xffffffffc0000000):
 * PML4 slot 511, PDPT slot 511 -- the kernel image sits in PDPT slot 510 of
 * the same table, and every address space shares that PDPT (paging.c copies
 * the kernel's PML4 slots), so a mapping made here is visible everywhere.
 *
 * The page directory and page tables of the window are static (they live in
 * the image's .bss, so their physical address is va - KERNEL_VMA, exactly
 * as paging.c's pool).  Device pages are mapped by pte.h's encoder as
 * VM_UNCACHED (PCD|PWT: uncached under the default PAT, SDM 3A 11.12.3),
 * non-executable and global.
 *
 * Mappings are permanent; a request inside a range already mapped returns
 * the old address.  Interrupts must be off (single CPU: the kernel runs with
 * IF clear). */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>
#include <arch/layout.h>
#include "k/mm.h"
#include "apic.h"
#include "pte.h"


#define MMIO_PTS  4                               /* 4 page tables: an 8 MiB window */
#define MMIO_PAGES (MMIO_PTS * 512)
#define MAX_MAPPINGS 32
#define PHYS_LIMIT (1ull << 52)                   /* architectural MAXPHYADDR cap */

static uint64_t mmio_pd[512] __attribute__((aligned(4096)));
static uint64_t mmio_pt[MMIO_PTS][512] __attribute__((aligned(4096)));
static unsigned pages_used;
static bool window_ready;

static struct mapping { uint64_t pa, len, va; } mappings[MAX_MAPPINGS];
static unsigned nmappings;

static uint64_t image_pa(const void *p) { return (uint64_t)p - KERNEL_VMA; }

/* Hook the window's page directory into the shared PDPT once.  The walk
 * goes through the live CR3: any address space reaches the same PDPT. */
static bool window_init(void)
{
	if (window_ready)
		return true;
	const uint64_t va = MMIO_BASE;
	uint64_t *pml4 = phys_to_virt(x86_cr3_addr_extract(read_cr3()));
	uint64_t e = pml4[pt_index(va, 3)];
	if (!(e & X86_PTE_P))
		return false;                     /* the kernel image lives here: cannot happen */
	uint64_t *pdpt = phys_to_virt(pte_addr(e));
	uint64_t *slot = &pdpt[pt_index(va, 2)];
	if (*slot & X86_PTE_P)
		return false;                     /* someone else took the window's GiB */
	for (unsigned i = 0; i < MMIO_PTS; i++)
		mmio_pd[i] = x86_pte_addr_insert(X86_PTE_TABLE, image_pa(mmio_pt[i]));
	*slot = x86_pte_addr_insert(X86_PTE_TABLE, image_pa(mmio_pd));
	window_ready = true;
	return true;
}

void *arch_map_mmio(uint64_t pa, size_t len)
{
	if (len == 0)
		len = 1;
	if (pa >= PHYS_LIMIT || len > PHYS_LIMIT - pa)
		return NULL;

	for (unsigned i = 0; i < nmappings; i++) {
		const struct mapping *m = &mappings[i];
		if (pa >= m->pa && pa - m->pa < m->len && len <= m->len - (pa - m->pa))
			return (void *)(m->va + (pa - m->pa));
	}

	uint64_t first = ALIGN_DOWN(pa, PAGE_SIZE);
	uint64_t last = ALIGN_UP(pa + len, PAGE_SIZE);
	uint64_t npages = (last - first) / PAGE_SIZE;
	if (npages > MMIO_PAGES - pages_used || nmappings == MAX_MAPPINGS || !window_init()) {
		static bool told;
		if (!told)
			kprintf("minnow: mmio: cannot map %#lx+%#lx (window full)\n", pa, (uint64_t)len);
		told = true;
		return NULL;
	}

	uint64_t va = MMIO_BASE + (uint64_t)pages_used * PAGE_SIZE;
	for (uint64_t i = 0; i < npages; i++) {
		unsigned page = pages_used + (unsigned)i;
		mmio_pt[page / 512][page % 512] = pte_leaf(first + i * PAGE_SIZE,
			VM_READ | VM_WRITE | VM_UNCACHED, X86_PTE_G);
		invlpg(va + i * PAGE_SIZE);
	}
	pages_used += (unsigned)npages;
	mappings[nmappings++] = (struct mapping){ first, last - first, va };
	return (void *)(va + (pa - first));
}

bool arch_mmio_is_kernels(uint64_t pa, uint64_t end)
{
	for (unsigned i = 0; i < nmappings; i++)
		if (pa < mappings[i].pa + mappings[i].len && mappings[i].pa < end)
			return true;
	return false;
}
