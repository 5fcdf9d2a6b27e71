/* fuzz_bootinfo.c - libFuzzer: the kernel's multiboot 1/2 parser
 * (kernel/bootinfo.c).  The input is physical memory from PHYS_BASE (its
 * first byte picks multiboot 1 or 2, the loader's info starts 8 bytes in);
 * p2v refuses anything outside it, as the kernel's does outside RAM.  No
 * input may crash the parser or make it read outside what p2v handed out. */
#include <stdlib.h>
#include <string.h>
#include "k/bootinfo.h"

#define PHYS_BASE 0x100000ull

static const uint8_t *mem;
static size_t mem_size;

static const void *p2v(uint64_t pa, size_t len)
{
	if (pa < PHYS_BASE || pa - PHYS_BASE > mem_size || len > mem_size - (pa - PHYS_BASE))
		return NULL;
	return mem + (pa - PHYS_BASE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	uint8_t *copy = malloc(size);              /* exact size: overreads are caught */
	memcpy(copy, data, size);
	mem = copy;
	mem_size = size;
	static struct boot_info bi;
	boot_parse(data[0] & 1 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC, PHYS_BASE + 8, p2v, &bi);
	free(copy);
	return 0;
}
