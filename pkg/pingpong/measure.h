/* measure.h - timing one operation many times and printing its figure.
 *
 * rdtsc around the operation; under QEMU with -icount shift=0 rdtsc counts
 * guest instructions, so the figures are exact; elsewhere they are time
 * stamp ticks.  What rdtsc itself costs is measured once and subtracted. */
#pragma once
#include <stdint.h>
#include <l4/util/rdtsc.h>

#define ROUNDS 500
#define WARMUP 20

void measure_init(void (*fpu_take)(void));
/* Before each figure: the FPU taker runs (so no measured thread owns it). */
void measure_prepare(void);

/* stmt ROUNDS times after WARMUP, each between two rdtsc, in line (as a
 * program would make the call: no function call around it); prints
 * "bench: NAME min A median B max C" with the cost of rdtsc subtracted. */
#define MEASURE(name, stmt)                                                    \
	do {                                                                   \
		measure_prepare();                                             \
		for (measure_round = -WARMUP; measure_round < ROUNDS; measure_round++) { \
			uint64_t t0_ = l4_rdtsc();                                \
			stmt;                                                  \
			uint64_t t1_ = l4_rdtsc();                                \
			if (measure_round >= 0)                                \
				measure_samples[measure_round] = t1_ - t0_ - measure_rdtsc; \
		}                                                              \
		report(name, measure_samples);                                 \
	} while (0)
extern uint64_t measure_samples[ROUNDS];

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
