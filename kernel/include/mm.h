/* mm.h - the kernel's memory: physical frames and kernel objects. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include "bootinfo.h"
#include "pmm.h"

void mm_init(const struct boot_info *bi);
uint64_t frame_alloc_zeroed(void);      /* physical address, 0 if none left */
uint64_t frame_alloc_contig(uint64_t n);  /* n contiguous zeroed frames, 0 if none */
void frame_free(uint64_t pa);           /* panics on a bad or double free */
uint64_t frames_free(void);             /* for accounting and leak checks */
void *kmalloc(size_t size);             /* zeroed, NULL if out of memory */
void kfree(void *p);
void kmalloc_trim(void);                /* give cached empty slab pages back */
