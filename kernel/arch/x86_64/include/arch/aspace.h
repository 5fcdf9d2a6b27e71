/* <arch/aspace.h> - an x86-64 user address space: a PML4 whose upper half
 * shares the kernel's page-directory-pointer tables. */
#pragma once
#include <stdint.h>

struct aspace {
	uint64_t pml4;        /* physical address of the top-level table */
	uint64_t nframes;     /* frames this space owns: tables + VM_OWNED pages */
};
