/* <l4/util/rdtsc.h> - the time-stamp counter.  Under QEMU with -icount
 * shift=0 it counts guest instructions (exact and repeatable); under TCG
 * without icount it follows host time; on hardware it counts reference
 * cycles.  Never call a TCG figure a hardware cycle count. */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>

static inline uint64_t l4_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* Microseconds since boot from the time-stamp counter and the rate the
 * kernel measured (the KIP's tsc_khz): finer than the KIP's clock_ns,
 * which moves once a timer tick (10 ms).  For log lines that time events,
 * such as a driver's death and its client's first frame after it. */
static inline uint64_t l4_tsc_us(void)
{
	const volatile struct l4_kip *k = (const volatile struct l4_kip *)L4_KIP_ADDR;
	return k->tsc_khz ? l4_rdtsc() / k->tsc_khz * 1000 + l4_rdtsc() % k->tsc_khz * 1000 / k->tsc_khz
			  : k->clock_ns / 1000;
}
