/* pte.h - the one encoder of x86-64 page-table leaves (SDM 3A 4.5).  The
 * bits come from layout/x86_paging.dev; every leaf the kernel writes -- its
 * own image and direct map (paging.c), device windows (mmio.c) and user
 * mappings (as_map, as_set) -- is made here, so VM_* flags mean the same
 * everywhere. */
#pragma once
#include <stdint.h>
#include <layout/x86_paging.h>
#include "k/arch.h"

/* A present leaf for pa with the VM_* rights in prot; extra adds U (user
 * pages), G (kernel pages, global) or PS (2 MiB pages). */
static inline x86_pte_t pte_leaf(uint64_t pa, unsigned prot, x86_pte_t extra)
{
	x86_pte_t e = x86_pte_addr_insert(X86_PTE_P | extra, pa);
	if (prot & VM_WRITE)
		e |= X86_PTE_W;
	if (!(prot & VM_EXEC))
		e |= X86_PTE_NX;
	if (prot & VM_UNCACHED)
		e |= X86_PTE_PCD | X86_PTE_PWT;   /* uncached under the default PAT (SDM 3A 11.12.3) */
	if (prot & VM_OWNED)
		e |= X86_PTE_OWNED;
	if (prot & VM_PINNED)
		e |= X86_PTE_PINNED;
	return e;
}

/* The physical address an entry points at (a frame or the next table). */
static inline uint64_t pte_addr(x86_pte_t e)
{
	return x86_pte_addr_extract(e);
}

/* The index of va in the table at level (0 = page table .. 3 = PML4). */
static inline unsigned pt_index(uint64_t va, int level)
{
	switch (level) {
	case 3: return (unsigned)x86_va_pml4_extract(va);
	case 2: return (unsigned)x86_va_pdpt_extract(va);
	case 1: return (unsigned)x86_va_pd_extract(va);
	default: return (unsigned)x86_va_pt_extract(va);
	}
}
