/* idlbench - guest instructions per IDL call (make bench): the same two
 * calls of bench.idl through the C stubs to a C server thread and through
 * the Rust stubs (rs.rs) to a Rust server thread, both in this task.  Each
 * round times one call with rdtsc (under -icount shift=0 it counts guest
 * instructions); the result of every call is checked, so a broken stub
 * cannot look fast.  Lines as pingpong's: bench: idl-PATH-OP min M median M max M
 * (mk/tool/minnow/bench/idl.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/thread.h>
#include "bench_client.h"
#include "bench_server.h"

#define ROUNDS 1000
#define WARMUP 50

enum { C_EP = L4_CAP_FIRST_FREE, RS_EP, C_THREAD, RS_THREAD };
#define C_UTCB  0x0000500000000000ull
#define RS_UTCB 0x0000500000001000ull

/* rs.rs */
void rs_serve(uint64_t ep) __attribute__((noreturn));
uint64_t rs_add(uint64_t ep, uint64_t a, uint64_t b);
int rs_echo(uint64_t ep);

static const char text[] = "0123456789abcdefghijklmnopqrstuv";   /* rs.rs's TEXT */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int add(void *ctx, uint64_t badge, uint64_t a, uint64_t b, uint64_t *sum)
{
	*sum = a + b;
	return 0;
}

static int echo(void *ctx, uint64_t badge, const char *s, char *r)
{
	strcpy(r, s);
	return 0;
}

static const struct bench_ops ops = { .add = add, .echo = echo };

static void c_serve(uint64_t ep)
{
	uint64_t badge, reply, tag = l4_recv(ep, &badge);
	for (;;) {
		bench_dispatch(&ops, 0, tag, badge, &reply);
		tag = l4_reply_wait(ep, reply, &badge);
	}
}

/* One call each, not inlined: the Rust calls are functions too. */
__attribute__((noinline)) static uint64_t c_add(uint64_t ep, uint64_t a, uint64_t b)
{
	uint64_t sum;
	return bench_add(ep, a, b, &sum) ? UINT64_MAX : sum;
}

__attribute__((noinline)) static int c_echo(uint64_t ep)
{
	char r[BENCH_ECHO_R_MAX + 1];
	return bench_echo(ep, text, r) == 0 && strcmp(r, text) == 0;
}

static uint64_t t[ROUNDS];
static uint64_t overhead;
static int wrong;

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *path, const char *op)
{
	qsort(t, ROUNDS, sizeof t[0], cmp);
	printf("bench: idl-%s-%s min %llu median %llu max %llu\n", path, op,
	       (unsigned long long)t[0], (unsigned long long)t[ROUNDS / 2],
	       (unsigned long long)t[ROUNDS - 1]);
}

#define MEASURE(path, op, call, ok)                                      \
	do {                                                             \
		for (int i = -WARMUP; i < ROUNDS; i++) {                 \
			uint64_t t0 = rdtsc();                           \
			__typeof__(call) r = call;                       \
			uint64_t t1 = rdtsc();                           \
			wrong += !(ok);                                  \
			if (i >= 0)                                      \
				t[i] = t1 - t0 - overhead;               \
		}                                                        \
		report(path, op);                                        \
	} while (0)

static uint8_t c_stack[16384] __attribute__((aligned(16)));
static uint8_t rs_stack[16384] __attribute__((aligned(16)));

static int start(uint64_t thread, uint64_t utcb, void (*fn)(uint64_t), uint8_t *stack, uint64_t ep)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, thread, 0)) ||
	    (e = l4_thread_bind(thread, L4_CAP_SELF, utcb)) ||
	    (e = l4_thread_set_prio(thread, 100, 100)))
		return e;
	return l4_thread_start(thread, (uint64_t)fn, (uint64_t)(stack + 16384 - 8), ep);
}

int main(void)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, C_EP, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, RS_EP, 0)) ||
	    (e = start(C_THREAD, C_UTCB, c_serve, c_stack, C_EP)) ||
	    (e = start(RS_THREAD, RS_UTCB, rs_serve, rs_stack, RS_EP))) {
		printf("idlbench: setup: %s\n", l4_strerror(e));
		return 1;
	}
	overhead = UINT64_MAX;
	for (int i = 0; i < 100; i++) {
		uint64_t a = rdtsc(), b = rdtsc();
		if (b - a < overhead)
			overhead = b - a;
	}
	printf("bench: rounds %d overhead %llu\n", ROUNDS, (unsigned long long)overhead);
	MEASURE("c", "add", c_add(C_EP, (uint64_t)i, 7), r == (uint64_t)i + 7);
	MEASURE("rust", "add", rs_add(RS_EP, (uint64_t)i, 7), r == (uint64_t)i + 7);
	MEASURE("c", "echo32", c_echo(C_EP), r == 1);
	MEASURE("rust", "echo32", rs_echo(RS_EP), r == 1);
	printf("idlbench: %d wrong results\n", wrong);
	return wrong ? 1 : 0;
}
