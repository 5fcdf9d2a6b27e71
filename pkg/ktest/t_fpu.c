/* t_fpu.c - lazy FPU switching: each thread's SSE state survives switches
 * to threads that use the FPU too, and switches between threads that do
 * not use it move no state (L4_DBG_FPU_TRANSFERS). */
#include "ktest.h"

#define ROUNDS 200

static volatile int bad[2];

static inline void xmm3_set(uint64_t v) { __asm__ volatile("movq %0, %%xmm3" :: "r"(v) : "xmm3"); }
static inline uint64_t xmm3_get(void)
{
	uint64_t v;
	__asm__ volatile("movq %%xmm3, %0" : "=r"(v));
	return v;
}

/* Both sides keep their own value in xmm3 across ROUNDS yields to each other. */
static void sse_side(uint64_t who)
{
	uint64_t mine = 0x5eed0000 + who;
	xmm3_set(mine);
	for (int i = 0; i < ROUNDS; i++) {
		l4_yield();
		if (xmm3_get() != mine)
			bad[who]++;
		xmm3_set(mine);
	}
}

static int sse_state_survives_switches(void)
{
	bad[0] = bad[1] = 0;
	long before = l4_kdb_fpu_transfers();
	uint64_t t = spawn(sse_side, 1, 100);
	CHECK(t);
	sse_side(0);
	CHECK_EQ(bad[0], 0);
	CHECK_EQ(bad[1], 0);
	/* Every switch between the two moved state: a save and a restore. */
	CHECK(l4_kdb_fpu_transfers() - before >= 2 * ROUNDS);
	thread_kill(t);
	return 0;
}

static void int_side(uint64_t arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++)
		l4_yield();
}

static int integer_switches_move_nothing(void)
{
	uint64_t t = spawn(int_side, 0, 100);
	CHECK(t);
	long before = l4_kdb_fpu_transfers();
	for (int i = 0; i < ROUNDS; i++)
		l4_yield();
	CHECK_EQ(l4_kdb_fpu_transfers() - before, 0);
	thread_kill(t);
	return 0;
}

KTEST_LIST(fpu_tests) = {
	KT(sse_state_survives_switches, "fpu: two SSE threads keep their state across 200 switches"),
	KT(integer_switches_move_nothing, "fpu: switches between integer threads move no FPU state"),
};
const unsigned n_fpu_tests = sizeof fpu_tests / sizeof fpu_tests[0];
