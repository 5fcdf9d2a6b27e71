/* pmm.h - physical frame allocator.
 *
 * A bitmap with one bit per 4 KiB frame (1 = free) up to the highest usable
 * address in the boot memory map.  Frame 0 is never handed out, so 0 means
 * "no frame".  Not thread-safe: the caller holds the kernel lock.
 */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include "bootinfo.h"

#define PAGE_SIZE  4096ull
#define PAGE_SHIFT 12

struct pmm_range { uint64_t base, end; };    /* [base, end), bytes */

struct pmm {
	uint64_t *bitmap;      /* one bit per frame, 1 = free; lives in managed RAM */
	uint64_t bitmap_phys;  /* where the bitmap itself sits (reserved) */
	uint64_t nframes;      /* frames covered by the bitmap */
	uint64_t nfree;        /* frames currently free */
	uint64_t ntotal;       /* frames that were free after init */
	uint64_t hint;         /* word index to start the next search from */
};

enum pmm_err {
	PMM_OK = 0,
	PMM_ENOMEM,      /* no usable RAM, or none left for the bitmap */
	PMM_EINVAL,      /* address not frame-aligned or outside the bitmap */
	PMM_EDOUBLE,     /* freeing a frame that is already free */
};

/* Writable mapping of [phys, phys+len); NULL if impossible. */
typedef void *(*pmm_p2v_fn)(uint64_t phys, size_t len);

/* Build the allocator from the usable ranges of mem[], minus every range in
 * resv[] (kernel image, modules, boot info, low 1 MiB, ...).  The bitmap is
 * placed in the first usable gap large enough and reserved too. */
enum pmm_err pmm_init(struct pmm *p, const struct boot_memrange *mem, unsigned nmem,
		      const struct pmm_range *resv, unsigned nresv, pmm_p2v_fn p2v);

uint64_t pmm_alloc(struct pmm *p);                       /* 0 if none left */
uint64_t pmm_alloc_contig(struct pmm *p, uint64_t nframes, uint64_t align_frames);
enum pmm_err pmm_free(struct pmm *p, uint64_t phys);
enum pmm_err pmm_free_contig(struct pmm *p, uint64_t phys, uint64_t nframes);
int pmm_is_free(const struct pmm *p, uint64_t phys);
