/* morecore.c - where malloc's heap comes from.
 *
 * A program the root task started (it has an environment, <l4/rt/env.h>)
 * asks its parent: mem_alloc hands out fresh address space backed on first
 * touch and counted against the program's mem= quota, and says L4_ENOMEM
 * when the quota is used up - so malloc returns NULL and the program goes
 * on.  The root task itself (it has a boot-info block) holds Sigma0
 * (capability slot L4_CAP_SIGMA0) and takes fresh zeroed RAM from it,
 * page by page upward from HEAP_BASE.  A program that has neither has no
 * heap. */
#include <stdint.h>
#include <stddef.h>
#include <l4/sys/abi.h>
#include <l4/sys/sigma0.h>
#include <l4/rt/env.h>
#include <parent_client.h>
#include "libc_internal.h"

#define HEAP_BASE  0x0000400000000000ull

extern const struct l4_bootinfo *__minnow_bootinfo;    /* crt0 (mk/arch/.../start.c) */

static uint64_t heap_next = HEAP_BASE;

void *__libc_morecore(size_t bytes)
{
	bytes = (bytes + 4095) & ~(size_t)4095;
	if (l4_env()) {
		uint64_t at;
		return parent_mem_alloc(L4_ENV_PARENT, bytes, &at) ? NULL : (void *)(uintptr_t)at;
	}
	if (__minnow_bootinfo && __minnow_bootinfo->magic == L4_BOOTINFO_MAGIC) {
		uint64_t at = heap_next;
		if (l4_sigma0_mem_alloc(L4_CAP_SIGMA0, at, bytes / 4096, 0, NULL))
			return NULL;
		heap_next += bytes;
		return (void *)(uintptr_t)at;
	}
	return NULL;
}
