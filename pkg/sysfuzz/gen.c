/* gen.c - argument generators: mostly values that pass the kernel's checks
 * (so operations get far), sometimes the boundaries and junk that must be
 * refused. */
#include "fuzz.h"

uint64_t rng_state;

static const uint64_t junk[] = {
	0, 1, 2, 0xff, 0x1000, 0x7fffffff, 0xffffffff, 0x100000000ull,
	0x00007ffffffff000ull, 0x0000800000000000ull, 0xffff800000000000ull,
	0xffffffff80000000ull, ~0ull, 1ull << 63, 4095, 4096, 65536, 65537,
};

uint64_t gen_word(void)
{
	switch (below(4)) {
	case 0: return junk[below(sizeof junk / sizeof junk[0])];
	case 1: return below(64);
	case 2: return rnd();
	default: return below(4096);
	}
}

uint64_t gen_slot(unsigned group, unsigned n)
{
	if (chance(75))
		return group + below(n);
	return gen_any_slot();
}

uint64_t gen_any_slot(void)
{
	if (chance(90))
		return POOL0 + below(NPOOL);
	/* Not 1: a copy of our own task capability in the pool would turn
	 * any operation meant for the object usually there into a task
	 * operation on ourselves (label 3 deletes, 5 moves, 7 unmaps). */
	static const uint64_t odd[] = { 0, 3, 4, 4095, 4096, 1ull << 40, ~0ull };
	return odd[below(sizeof odd / sizeof odd[0])];
}

uint64_t gen_target(void)
{
	if (chance(70))
		return gen_slot(P_TASK, 6);
	return chance(50) ? L4_CAP_SELF : gen_any_slot();
}

uint64_t gen_rights(void)
{
	return chance(90) ? below(16) : gen_word();
}

uint64_t gen_badge(void)
{
	return chance(60) ? 0 : chance(90) ? 1 + below(8) : gen_word();
}

uint64_t gen_addr(void)
{
	if (chance(90))
		return FZ_BASE + (uint64_t)below(FZ_PAGES) * 4096;
	if (chance(50))
		return FZ_BASE + (rnd() & 0x3ffff000ull);      /* anywhere in its GiB */
	return gen_word();
}

/* A flexpage in the fuzz window (sometimes 1 GiB), or one the kernel must
 * refuse: never one over our own image, stack or UTCB, which an unmap
 * through our task capability would take away. */
uint64_t gen_fpage(void)
{
	unsigned order = chance(80) ? 12 + below(5) : chance(90) ? 12 + below(19) : below(64);
	unsigned rights = chance(90) ? below(8) : 7;
	uint64_t base = FZ_BASE + (chance(90) ? (uint64_t)below(FZ_PAGES) * 4096
				   : (rnd() & 0x3ffff000ull));
	if (chance(5)) {
		static const uint64_t bad[] = {
			0x0000800000000000ull, 0xffff800000000000ull, 0x00007ffffffff000ull,
			FZ_BASE + 0x800, ~0ull & ~0xfffull,
		};
		base = bad[below(sizeof bad / sizeof bad[0])];
	} else if (order < 64 && chance(95)) {
		base &= ~((1ull << order) - 1);
		if (base < FZ_BASE)
			base = FZ_BASE;            /* orders above 44 */
	}
	return L4_FPAGE(base, order, rights);
}

uint64_t gen_utcb(void)
{
	if (chance(90))
		return UT_BASE + (uint64_t)below(256) * 4096;
	return chance(50) ? gen_addr() : gen_word();
}

uint64_t gen_prio(void)
{
	return chance(90) ? 1 + below(200) : gen_word();
}

/* The main thread never waits for long: zero, a tick or two, a few ms. */
uint64_t gen_timeout(void)
{
	switch (below(8)) {
	case 0: return 1;
	case 1: return 1000 + below(20000);
	default: return L4_TIMEOUT_ZERO;
	}
}

uint64_t gen_timeouts(void)
{
	uint64_t snd = chance(90) ? L4_TIMEOUT_ZERO : gen_timeout();
	return L4_TIMEOUTS(snd, gen_timeout());
}

uint64_t gen_ip(void)
{
	switch (below(10)) {
	case 0: return 0x1000;                           /* unmapped: a page fault */
	case 1: return 0xffffffff80100000ull;            /* refused */
	default: return (uint64_t)helper_entry;
	}
}

/* count (low 8 bits) and a seed for the helper's own generator. */
uint64_t gen_helper_arg(void)
{
	return (rnd() & ~0xffull) | below(64);
}
