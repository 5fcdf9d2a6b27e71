/* measure.c - see measure.h. */
#include "measure.h"
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>

static void (*fpu_take)(void);
uint64_t measure_samples[ROUNDS];
int measure_round;
uint64_t measure_rdtsc;

static void put(const char *s) { l4_debug_puts(s); }
static void putu(uint64_t v) { l4_debug_putu(v, 10); }

_Noreturn void fail(const char *what, int err)
{
	put("pingpong: ");
	put(what);
	put(": ");
	put(l4_strerror(err));
	put("\n");
	l4_exit(2);
}

static void sort(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {            /* insertion sort: n is small */
		uint64_t v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

void report(const char *name, uint64_t *v)
{
	sort(v, ROUNDS);
	put("bench: ");
	put(name);
	put(" min ");
	putu(v[0]);
	put(" median ");
	putu(v[ROUNDS / 2]);
	put(" max ");
	putu(v[ROUNDS - 1]);
	put("\n");
}

void report_count(const char *name, uint64_t n)
{
	put("bench: ");
	put(name);
	put(" count ");
	putu(n);
	put("\n");
}

const char *fig(const char *a, const char *b, const char *c)
{
	static char buf[64];
	const char *parts[3] = { a, b, c };
	unsigned n = 0;
	for (int i = 0; i < 3; i++)
		for (const char *s = parts[i]; *s && n < sizeof buf - 1; s++)
			buf[n++] = *s;
	buf[n] = 0;
	return buf;
}

void measure_init(void (*take)(void))
{
	fpu_take = take;
	measure_rdtsc = ~0ull;
	for (int i = 0; i < 100; i++) {
		uint64_t a = l4_rdtsc(), b = l4_rdtsc();
		if (b - a < measure_rdtsc)
			measure_rdtsc = b - a;
	}
	put("bench: rounds ");
	putu(ROUNDS);
	put(" overhead ");
	putu(measure_rdtsc);
	put("\n");
}

void measure_prepare(void)
{
	if (fpu_take)
		fpu_take();
}
