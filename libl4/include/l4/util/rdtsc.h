/* <l4/util/rdtsc.h> - the time-stamp counter.  Under QEMU with -icount
 * shift=0 it counts guest instructions (exact and repeatable); under TCG
 * without icount it follows host time; on hardware it counts reference
 * cycles.  Never call a TCG figure a hardware cycle count. */
#pragma once
#include <stdint.h>

static inline uint64_t l4_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}
