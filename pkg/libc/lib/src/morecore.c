/* morecore.c - where malloc's heap comes from.
 *
 * The root task holds Sigma0 (capability slot L4_CAP_SIGMA0) and asks it
 * for fresh zeroed RAM, mapped page by page upward from HEAP_BASE, so the
 * heap is one contiguous region.  Only the root task receives a boot-info
 * block today, which is how a program knows it may use slot 4 as Sigma0
 * (in another task slot 4 could be anything, even an endpoint whose call
 * would block).  Everyone else, or the root task once Sigma0 refuses, gets
 * a static 1 MiB arena.  A memory service replaces this file once it
 * exists: malloc needs nothing else from the system. */
#include <stdint.h>
#include <stddef.h>
#include <l4/sys/abi.h>
#include <l4/sys/sigma0.h>
#include "libc_internal.h"

#define HEAP_BASE  0x0000400000000000ull
#define ARENA_SIZE (1u << 20)

extern const struct l4_bootinfo *__minnow_bootinfo;    /* crt0 (mk/arch/.../start.c) */

static uint64_t heap_next = HEAP_BASE;
static int sigma0_failed;
static _Alignas(4096) char arena[ARENA_SIZE];
static size_t arena_used;

void *__libc_morecore(size_t bytes)
{
	bytes = (bytes + 4095) & ~(size_t)4095;
	if (!sigma0_failed && __minnow_bootinfo && __minnow_bootinfo->magic == L4_BOOTINFO_MAGIC) {
		uint64_t at = heap_next;
		if (l4_sigma0_mem_alloc(L4_CAP_SIGMA0, at, bytes / 4096, 0, NULL) == 0) {
			heap_next += bytes;
			return (void *)(uintptr_t)at;
		}
		sigma0_failed = 1;
	}
	if (bytes > ARENA_SIZE - arena_used)
		return NULL;
	void *p = arena + arena_used;
	arena_used += bytes;
	return p;
}
