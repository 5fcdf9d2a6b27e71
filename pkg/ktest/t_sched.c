/* t_sched.c - priorities, preemption, round robin, time slices. */
#include "ktest.h"

static volatile int order[4], pos;
static volatile int counter[2];
static volatile int stop_spin;

static void note(uint64_t v) { order[pos++] = (int)v; }

static int higher_priority_preempts(void)
{
	pos = 0;
	/* We run at 100; a thread made ready at 150 runs before start returns. */
	uint64_t t = spawn(note, 1, 150);
	CHECK(t);
	note(2);
	CHECK_EQ(order[0], 1);
	CHECK_EQ(order[1], 2);
	thread_kill(t);
	return 0;
}

static int lower_priority_waits(void)
{
	pos = 0;
	uint64_t t = spawn(note, 1, 50);
	CHECK(t);
	note(2);                 /* still us first */
	CHECK_EQ(pos, 1);
	/* Only when we block does it run. */
	uint64_t e = ep_new();
	l4_recv_timeout(e, 0, 30000);
	CHECK_EQ(pos, 2);
	CHECK_EQ(order[0], 2);
	CHECK_EQ(order[1], 1);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static void count_and_yield(uint64_t i)
{
	while (!stop_spin) {
		counter[i]++;
		l4_yield();
	}
}

static int yield_round_robin(void)
{
	counter[0] = counter[1] = 0;
	stop_spin = 0;
	uint64_t a = spawn(count_and_yield, 0, 100);
	uint64_t b = spawn(count_and_yield, 1, 100);
	for (int i = 0; i < 20; i++)
		l4_yield();
	stop_spin = 1;
	for (int i = 0; i < 5; i++)
		l4_yield();
	CHECK(counter[0] >= 10);
	CHECK(counter[1] >= 10);
	long d = counter[0] - counter[1];
	CHECK(d >= -2 && d <= 2);
	thread_kill(a);
	thread_kill(b);
	return 0;
}

static void spin_forever(uint64_t i)
{
	while (!stop_spin)
		counter[i]++;
}

/* Two threads that never yield, at our priority: the timer's time slices
 * share the CPU among the three of us. */
static int time_slices_share_cpu(void)
{
	counter[0] = counter[1] = 0;
	stop_spin = 0;
	uint64_t a = spawn(spin_forever, 0, 100);
	uint64_t b = spawn(spin_forever, 1, 100);
	long t0 = l4_kdb_ticks();
	while (l4_kdb_ticks() - t0 < 20)
		;                               /* spin too, without yielding */
	stop_spin = 1;
	CHECK(counter[0] > 0);
	CHECK(counter[1] > 0);
	thread_kill(a);
	thread_kill(b);
	return 0;
}

/* A higher-priority spinner starves us; the timer cannot help us, only its
 * end can.  We observe that by giving it a bounded amount of work. */
static volatile int hi_done;
static void bounded_work(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		counter[0]++;
	hi_done = 1;
}

static int priority_starves_lower(void)
{
	counter[0] = 0;
	hi_done = 0;
	uint64_t t = spawn(bounded_work, 2000000, 200);
	/* By the time we run again it has finished. */
	CHECK_EQ(hi_done, 1);
	CHECK_EQ(counter[0], 2000000);
	thread_kill(t);
	return 0;
}

static int set_prio_reschedules(void)
{
	pos = 0;
	uint64_t t = spawn(note, 1, 10);
	CHECK_EQ(pos, 0);
	CHECK_EQ(l4_thread_set_prio(t, 180, 180), 0);   /* now above us: runs at once */
	CHECK_EQ(pos, 1);
	thread_kill(t);
	return 0;
}

/* ---- the kernel info page ---- */

static const struct l4_kip *const kip = (const struct l4_kip *)L4_KIP_ADDR;

static int kip_identifies_kernel(void)
{
	CHECK_EQ(kip->magic, L4_KIP_MAGIC);
	CHECK_EQ(kip->version, L4_KIP_VERSION);
	CHECK_EQ(kip->timer_hz, 100);
	CHECK(kip->features & L4_FEAT_FASTPATH);
	CHECK(kip->kernel[0] == 'M');
	return 0;
}

static int kip_memory_map(void)
{
	uint64_t usable = 0;
	CHECK(kip->nmem > 0 && kip->nmem <= L4_KIP_MEM_MAX);
	for (unsigned i = 0; i < kip->nmem; i++)
		if (kip->mem[i].type == 1)
			usable += kip->mem[i].size;
	CHECK(usable >= 128ull << 20);          /* QEMU runs us with 256 MiB */
	return 0;
}

static int kip_clock_runs(void)
{
	uint64_t c0 = kip->clock_ns, t0 = kip->ticks;
	long k0 = l4_kdb_ticks();
	while (l4_kdb_ticks() - k0 < 3)
		l4_yield();
	CHECK(kip->ticks >= t0 + 3);
	CHECK(kip->clock_ns >= c0 + 20000000);   /* 3 ticks: at least 20 ms */
	return 0;
}

static void write_kip(uint64_t unused)
{
	(void)unused;
	*(volatile uint32_t *)L4_KIP_ADDR = 0;
}

static int kip_read_only(void)
{
	uint64_t t = spawn(write_kip, 0, 150);
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	CHECK_EQ(kip->magic, L4_KIP_MAGIC);
	thread_kill(t);
	return 0;
}

KTEST_LIST(sched_tests) = {
	KT(kip_identifies_kernel, "kip: magic, version, timer rate, features"),
	KT(kip_memory_map, "kip: the boot memory map"),
	KT(kip_clock_runs, "kip: the clock advances with the tick"),
	KT(kip_read_only, "kip: mapped read-only"),
	KT(higher_priority_preempts, "sched: a higher-priority thread runs at once"),
	KT(lower_priority_waits, "sched: a lower-priority thread waits until we block"),
	KT(yield_round_robin, "sched: yield alternates threads of one priority"),
	KT(time_slices_share_cpu, "sched: time slices preempt threads that never yield"),
	KT(priority_starves_lower, "sched: a higher priority runs to completion first"),
	KT(set_prio_reschedules, "sched: raising a priority preempts at once"),
};
const unsigned n_sched_tests = sizeof sched_tests / sizeof sched_tests[0];
