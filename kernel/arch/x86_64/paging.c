/* paging.c - 4-level page tables (SDM 3A 4.5).
 *
 * The kernel half (PML4 slots 256..511) is built once, here, from a static
 * pool of table pages: a direct map of all RAM at PHYS_MAP in 2 MiB pages,
 * and the kernel image at KERNEL_VMA in 4 KiB pages so that text is
 * read-only/executable and everything else is non-executable.  Every user
 * address space copies those PML4 slots, so kernel mappings are shared.
 * User tables come from the frame allocator.  The kernel never touches user
 * memory through user addresses: as_copy_*() walk the user's tables, check
 * present/user/writable, and copy through the direct map.
 */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>
#include <arch/layout.h>
#include "k/mm.h"
#include "k/preempt.h"
#include <l4/sys/abi.h>
#include "pte.h"


#define HUGE       (2ull << 20)   /* a page-directory leaf */

#define PT_POOL_PAGES 64
static uint8_t pt_pool[PT_POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned pt_pool_used;
static uint64_t *kernel_pml4;
static uint64_t physmap_end;

extern char _text_start[], _text_end[], _rodata_end[], _data_end[];
extern char _kernel_phys_start[], _kernel_phys_end[];

static uint64_t image_phys(const void *va) { return (uint64_t)va - KERNEL_VMA; }
uint64_t kernel_phys_start(void) { return (uint64_t)_kernel_phys_start; }
uint64_t kernel_phys_end(void) { return (uint64_t)_kernel_phys_end; }
uint64_t phys_map_end(void) { return physmap_end; }

void *phys_to_virt(uint64_t pa)
{
	assert(pa < physmap_end);
	return (void *)(PHYS_MAP + pa);
}

/* Before arch_vm_init, boot.S maps the first GiB at PHYS_MAP. */
const void *arch_boot_p2v(uint64_t pa, size_t len)
{
	const uint64_t limit = physmap_end ? physmap_end : (1ull << 30);
	if (pa >= limit || len > limit - pa)
		return NULL;
	return (const void *)(PHYS_MAP + pa);
}

/* A kernel table page from the pool, or NULL when the pool is used up. */
static uint64_t *pool_table(void)
{
	if (pt_pool_used == PT_POOL_PAGES)
		return NULL;
	return (uint64_t *)pt_pool[pt_pool_used++];
}

/* The next-level table under entry e of a kernel table, made if missing. */
static uint64_t *kernel_next(uint64_t *table, unsigned idx)
{
	if (!(table[idx] & X86_PTE_P)) {
		uint64_t *t = pool_table();
		if (!t)
			return NULL;
		table[idx] = x86_pte_addr_insert(X86_PTE_TABLE, image_phys(t));
	}
	return (uint64_t *)(pte_addr(table[idx]) + KERNEL_VMA);   /* pool lives in the image */
}

static int map_kernel_4k(uint64_t va, uint64_t pa, unsigned prot)
{
	uint64_t *t = kernel_pml4;
	for (int level = 3; level > 0; level--)
		if (!(t = kernel_next(t, pt_index(va, level))))
			return -1;
	t[pt_index(va, 0)] = pte_leaf(pa, prot, X86_PTE_G);
	return 0;
}

static int map_physmap_2m(uint64_t pa)
{
	uint64_t va = PHYS_MAP + pa, *t = kernel_pml4;
	for (int level = 3; level > 1; level--)
		if (!(t = kernel_next(t, pt_index(va, level))))
			return -1;
	t[pt_index(va, 1)] = pte_leaf(pa, VM_READ | VM_WRITE, X86_PTE_G | X86_PTE_PS);
	return 0;
}

int arch_vm_init(const struct boot_info *bi)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE && bi->mem[i].base + bi->mem[i].len > top)
			top = bi->mem[i].base + bi->mem[i].len;
	for (unsigned i = 0; i < bi->nmod; i++)
		if (bi->mod[i].end > top)
			top = bi->mod[i].end;
	top = ALIGN_UP(top, HUGE);

	kernel_pml4 = pool_table();
	/* The image first: it needs few tables and the kernel cannot run without it. */
	for (uint64_t va = (uint64_t)_text_start; va < (uint64_t)_data_end; va += PAGE_SIZE) {
		unsigned prot = va < (uint64_t)_text_end ? VM_READ | VM_EXEC
			: va < (uint64_t)_rodata_end ? VM_READ : VM_READ | VM_WRITE;
		if (map_kernel_4k(va, image_phys((void *)va), prot))
			panic("paging: table pool too small for the kernel image");
	}
	uint64_t pa;
	for (pa = 0; pa < top; pa += HUGE)
		if (map_physmap_2m(pa))
			break;
	physmap_end = pa;
	if (physmap_end < top)
		kprintf("minnow: paging: RAM above %#lx is not mapped and left unused\n", physmap_end);

	write_cr3(image_phys(kernel_pml4));
	write_cr4(read_cr4() | CR4_PGE);
	return 0;
}

/* ---- user address spaces ---- */

static uint64_t *table_va(uint64_t entry) { return phys_to_virt(pte_addr(entry)); }

int as_create(struct aspace *as)
{
	uint64_t pml4 = frame_alloc_zeroed();
	if (!pml4)
		return -L4_ENOMEM;
	uint64_t *t = phys_to_virt(pml4);
	for (int i = 256; i < 512; i++)
		t[i] = kernel_pml4[i];
	as->pml4 = pml4;
	as->nframes = 1;
	return 0;
}

/* The leaf entry for va, making tables on the way if create is set. */
static uint64_t *as_walk(struct aspace *as, uint64_t va, bool create)
{
	uint64_t *t = phys_to_virt(as->pml4);
	for (int level = 3; level > 0; level--) {
		uint64_t *e = &t[pt_index(va, level)];
		if (!(*e & X86_PTE_P)) {
			if (!create)
				return NULL;
			uint64_t f = frame_alloc_zeroed();
			if (!f)
				return NULL;
			as->nframes++;
			*e = x86_pte_addr_insert(X86_PTE_USER_TABLE, f);   /* the leaf decides the rights */
		}
		t = table_va(*e);
	}
	return &t[pt_index(va, 0)];
}

uint64_t as_next_present(struct aspace *as, uint64_t va, uint64_t end)
{
	while (va < end) {
		uint64_t *t = phys_to_virt(as->pml4);
		int level;
		for (level = 3; level >= 0; level--) {
			uint64_t e = t[pt_index(va, level)];
			if (!(e & X86_PTE_P))
				break;
			if (level == 0)
				return va;
			t = table_va(e);
		}
		/* Nothing below this entry: the next present one of the same
		 * table (or the end of what the table covers), then down again. */
		uint64_t span = 1ull << (PAGE_SHIFT + 9 * level);
		unsigned i = pt_index(va, level);
		while (++i < 512 && !(t[i] & X86_PTE_P))
			;
		uint64_t next = (va & ~(span * 512 - 1)) + (uint64_t)i * span;
		if (next <= va)
			break;
		va = next;
	}
	return end;
}

int as_map(struct aspace *as, uint64_t va, uint64_t pa, unsigned prot)
{
	if (unlikely((va | pa) & (PAGE_SIZE - 1) || va >= USER_TOP))
		return -L4_EINVAL;
	uint64_t *pte = as_walk(as, va, true);
	if (unlikely(!pte))
		return -L4_ENOMEM;
	if (unlikely(*pte & X86_PTE_P))
		return -L4_EINVAL;
	*pte = pte_leaf(pa, prot, X86_PTE_U);
	if (prot & VM_OWNED)
		as->nframes++;
	return 0;
}

int as_set(struct aspace *as, uint64_t va, uint64_t pa, unsigned prot)
{
	if (unlikely((va | pa) & (PAGE_SIZE - 1) || va >= USER_TOP))
		return -L4_EINVAL;
	uint64_t *pte = as_walk(as, va, true);
	if (unlikely(!pte))
		return -L4_ENOMEM;
	if (*pte & (X86_PTE_OWNED | X86_PTE_PINNED))
		return -L4_ESLOT;                 /* a kernel-managed page (UTCB, KIP) stays */
	bool was = *pte & X86_PTE_P;
	/* Mapped pages are never owned: the mapping database frees them. */
	*pte = pte_leaf(pa, prot & ~(VM_OWNED | VM_PINNED), X86_PTE_U);
	if (was && x86_cr3_addr_extract(read_cr3()) == as->pml4)
		invlpg(va);
	return 0;
}

bool as_pinned(struct aspace *as, uint64_t va)
{
	uint64_t *pte = as_walk(as, va, false);
	return pte && (*pte & X86_PTE_P) && (*pte & (X86_PTE_OWNED | X86_PTE_PINNED));
}

uint64_t as_unmap(struct aspace *as, uint64_t va)
{
	uint64_t *pte = as_walk(as, va, false);
	if (!pte || !(*pte & X86_PTE_P) || (*pte & (X86_PTE_OWNED | X86_PTE_PINNED)))
		return 0;
	uint64_t pa = pte_addr(*pte);
	*pte = 0;
	if (x86_cr3_addr_extract(read_cr3()) == as->pml4)
		invlpg(va);
	return pa;
}

/* Copy between kernel memory and [uva, uva+len) of as, page by page, after
 * checking each page is mapped for the user (and writable when writing). */
static int as_copy(struct aspace *as, uint64_t uva, void *kbuf, size_t len, bool to_user)
{
	if (unlikely(uva >= USER_TOP || len > USER_TOP - uva))
		return -L4_EFAULT;
	uint8_t *k = kbuf;
	while (len) {
		size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		if (chunk > len)
			chunk = len;
		uint64_t *pte = as_walk(as, uva & ~(PAGE_SIZE - 1), false);
		uint64_t need = X86_PTE_P | X86_PTE_U | (to_user ? X86_PTE_W : 0);
		if (unlikely(!pte || (*pte & need) != need))
			return -L4_EFAULT;
		/* RAM only: device memory (mapped uncached) may lie above the
		 * direct map, and reading a device register has side effects. */
		if (unlikely((*pte & X86_PTE_PCD) || pte_addr(*pte) >= physmap_end))
			return -L4_EFAULT;
		uint8_t *u = (uint8_t *)phys_to_virt(pte_addr(*pte)) + (uva & (PAGE_SIZE - 1));
		if (to_user)
			memcpy(u, k, chunk);
		else
			memcpy(k, u, chunk);
		uva += chunk;
		k += chunk;
		len -= chunk;
	}
	return 0;
}

int as_copy_from_user(struct aspace *as, void *dst, uint64_t uva, size_t len)
{
	return as_copy(as, uva, dst, len, false);
}

int as_copy_to_user(struct aspace *as, uint64_t uva, const void *src, size_t len)
{
	return as_copy(as, uva, (void *)src, len, true);
}

static void free_level(uint64_t table, int level)
{
	uint64_t *t = phys_to_virt(table);
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & X86_PTE_P))
			continue;
		if (level > 0)
			free_level(pte_addr(t[i]), level - 1);
		else if (t[i] & X86_PTE_OWNED)
			frame_free(pte_addr(t[i]));
	}
	frame_free(table);
}

uint64_t as_frames(const struct aspace *as)
{
	return as->nframes;
}

/* as_destroy in steps: the user half's last-level tables one at a time
 * from *cursor (a user address; 0 to begin), each a preemption point when
 * preemptible (512 entries to look at, the owned frames, the table), then
 * the rest at once (a few directories).  false: stopped, call again. */
bool as_destroy_step(struct aspace *as, uint64_t *cursor, bool preemptible)
{
	if (!as->pml4)
		return true;
	if (x86_cr3_addr_extract(read_cr3()) == as->pml4)
		write_cr3(image_phys(kernel_pml4));    /* no walk may use what we free */
	const uint64_t span = 512 * PAGE_SIZE;      /* what one last-level table maps */
	while (*cursor < USER_TOP) {
		uint64_t va = *cursor, *t = phys_to_virt(as->pml4), *e;
		int level = 3;
		for (;;) {
			e = &t[pt_index(va, level)];
			if (!(*e & X86_PTE_P) || level == 1)
				break;
			t = table_va(*e);
			level--;
		}
		if (!(*e & X86_PTE_P)) {
			/* Nothing below: on to the next present entry of this
			 * table, or past what the table maps. */
			uint64_t step = 1ull << (PAGE_SHIFT + 9 * level);
			unsigned i = pt_index(va, level);
			while (++i < 512 && !(t[i] & X86_PTE_P))
				;
			*cursor = (va & ~(step * 512 - 1)) + (uint64_t)i * step;
			continue;
		}
		free_level(pte_addr(*e), 0);            /* a table of 4 KiB leaves */
		*e = 0;
		*cursor = (va & ~(span - 1)) + span;
		if (preemptible && preempt_point())
			return false;
	}
	as_destroy(as);
	return true;
}

void as_destroy(struct aspace *as)
{
	if (!as->pml4)
		return;
	if (x86_cr3_addr_extract(read_cr3()) == as->pml4)
		write_cr3(image_phys(kernel_pml4));
	uint64_t *t = phys_to_virt(as->pml4);
	for (int i = 0; i < 256; i++)
		if (t[i] & X86_PTE_P)
			free_level(pte_addr(t[i]), 2);
	frame_free(as->pml4);
	as->pml4 = 0;
	as->nframes = 0;
}

void as_activate(struct aspace *as)
{
	write_cr3(as->pml4);
}
