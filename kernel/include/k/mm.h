/* mm.h - the kernel's memory: physical frames and kernel objects. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "bootinfo.h"
#include "pmm.h"

void mm_init(const struct boot_info *bi);   /* bi must stay valid: mm_is_device reads it */
/* The device-memory rule: [pa, end) may be mapped as device memory when no
 * byte of it is usable RAM in the firmware's memory map or the kernel's own
 * (image, boot info, modules, the registers it drives itself).  Not "above
 * the end of RAM": 32-bit PCI BARs sit in the hole below 4 GiB, under the
 * top of RAM once there is more than about 3 GiB. */
bool mm_is_device(uint64_t pa, uint64_t end);
uint64_t frame_alloc_zeroed(void);      /* physical address, 0 if none left */
/* n contiguous frames, 0 if none; not zeroed (frame_zero each as it is
 * handed over: zeroing 64 MiB at once was one 60 ms stretch). */
uint64_t frame_alloc_contig(uint64_t n);
void frame_zero(uint64_t pa);
void frame_free(uint64_t pa);           /* panics on a bad or double free */
void frame_free_contig(uint64_t pa, uint64_t n);   /* a run at once (bitmap words) */
uint64_t frames_free(void);             /* for accounting and leak checks */
void *kmalloc(size_t size);             /* zeroed, NULL if out of memory */
void kfree(void *p);
void kmalloc_trim(void);                /* give cached empty slab pages back */
