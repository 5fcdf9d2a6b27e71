/* measure.h - timing one operation many times and printing its figure.
 *
 * rdtsc around the operation; under QEMU with -icount shift=0 rdtsc counts
 * guest instructions, so the figures are exact; elsewhere they are time
 * stamp ticks.  What the measuring itself costs (rdtsc, the indirect call
 * of an empty operation) is measured once and subtracted. */
#pragma once
#include <stdint.h>

#define ROUNDS 500
#define WARMUP 20

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* fpu_take: run before each figure so that no measured thread owns the FPU
 * (it does the one SSE instruction that takes it); may be NULL. */
void measure_init(void (*fpu_take)(void));
/* op() ROUNDS times after WARMUP: prints "bench: NAME min A median B max C". */
void measure(const char *name, void (*op)(void));
/* Figures an operation took itself (e.g. the server's half of a call):
 * v[0..ROUNDS) are sorted and printed as above. */
void report(const char *name, uint64_t *v);
/* "bench: NAME count N": a count, not a time. */
void report_count(const char *name, uint64_t n);
/* a, b and c joined, in a buffer the next call reuses. */
const char *fig(const char *a, const char *b, const char *c);
_Noreturn void fail(const char *what, int err);

/* The rounds of the operation being measured, for operations that keep
 * samples of their own. */
extern int measure_round;
/* What two rdtsc back to back cost. */
extern uint64_t measure_rdtsc;
