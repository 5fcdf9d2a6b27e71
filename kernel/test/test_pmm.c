/* test_pmm.c - the frame allocator against an independent per-frame model.
 *
 * p2v hands out one host arena for the bitmap wherever pmm places it (pmm
 * never touches the frames it manages, only its bitmap), and can be told to
 * refuse addresses below some limit, like an early kernel mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>
#include "k/pmm.h"

#define K 1024ull
#define M (1024ull * K)
#define G (1024ull * M)
#define PG PAGE_SIZE

static uint8_t arena[2 * M] __attribute__((aligned(4096)));
static uint64_t refuse_below;      /* p2v fails for phys below this */
static unsigned p2v_calls;
static struct pmm pm;

static void *p2v(uint64_t phys, size_t len)
{
	p2v_calls++;
	if (phys < refuse_below || len > sizeof arena)
		return NULL;
	return arena;
}

static int setup(void **state)
{
	(void)state;
	memset(arena, 0xa5, sizeof arena);   /* pmm must clear what it uses */
	memset(&pm, 0x5a, sizeof pm);
	refuse_below = 0;
	p2v_calls = 0;
	return 0;
}

struct map {
	const struct boot_memrange *mem;
	unsigned nmem;
	const struct pmm_range *resv;
	unsigned nresv;
};
#define MAP(m, r) ((struct map){ m, sizeof(m) / sizeof(m[0]), r, sizeof(r) / sizeof(r[0]) })
#define MAP_NORESV(m) ((struct map){ m, sizeof(m) / sizeof(m[0]), NULL, 0 })

static enum pmm_err init(struct map mp)
{
	return pmm_init(&pm, mp.mem, mp.nmem, mp.resv, mp.nresv, p2v);
}

static uint64_t bitmap_bytes(void) { return (pm.nframes + 63) / 64 * 8; }

static uint64_t rend(uint64_t base, uint64_t len) { return base + len < base ? UINT64_MAX : base + len; }
static int overlaps(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return a < d && c < b; }

/* The model: should frame f be free right after init? */
static int model_free(struct map mp, uint64_t f)
{
	uint64_t lo = f * PG, hi = lo + PG;
	int usable = 0;

	if (f == 0)
		return 0;
	for (unsigned i = 0; i < mp.nmem; i++) {
		uint64_t b = mp.mem[i].base, e = rend(b, mp.mem[i].len);
		if (mp.mem[i].type == BOOT_MEM_USABLE) {
			if (b <= lo && hi <= e)
				usable = 1;
		} else if (overlaps(lo, hi, b, e)) {
			return 0;
		}
	}
	for (unsigned i = 0; i < mp.nresv; i++)
		if (overlaps(lo, hi, mp.resv[i].base, mp.resv[i].end))
			return 0;
	if (overlaps(lo, hi, pm.bitmap_phys, pm.bitmap_phys + bitmap_bytes()))
		return 0;
	return usable;
}

/* The bitmap must lie in frames the model calls usable and unreserved. */
static void check_bitmap_placement(struct map mp)
{
	assert_int_equal(pm.bitmap_phys % PG, 0);
	assert_ptr_equal(pm.bitmap, arena);
	uint64_t save = pm.bitmap_phys;
	pm.bitmap_phys = UINT64_MAX - PG;    /* hide it from model_free for a moment */
	for (uint64_t a = save; a < save + bitmap_bytes(); a += PG)
		assert_true(model_free(mp, a / PG));
	pm.bitmap_phys = save;
}

/* Every frame agrees with the model, and the counts add up. */
static void check_model(struct map mp)
{
	uint64_t n = 0;

	check_bitmap_placement(mp);
	for (uint64_t f = 0; f < pm.nframes + 130; f++) {
		int want = f < pm.nframes && model_free(mp, f);
		if (pmm_is_free(&pm, f * PG) != want)
			fail_msg("frame %#llx: pmm says %d, model %d", (unsigned long long)f,
				 pmm_is_free(&pm, f * PG), want);
		n += want;
	}
	assert_int_equal(pm.nfree, n);
	assert_int_equal(pm.ntotal, n);
}

/* Allocate everything, checking each frame; return how many. */
static uint64_t alloc_all(struct map mp, uint64_t **out)
{
	uint64_t n = 0, cap = pm.nfree + 1;
	uint64_t *v = calloc(cap, sizeof *v);
	uint8_t *seen = calloc(pm.nframes, 1);
	uint64_t a;

	assert_non_null(v);
	assert_non_null(seen);
	while ((a = pmm_alloc(&pm)) != 0) {
		assert_int_equal(a % PG, 0);
		assert_true(a / PG < pm.nframes);
		assert_true(model_free(mp, a / PG));
		assert_false(seen[a / PG]);
		assert_false(pmm_is_free(&pm, a));
		seen[a / PG] = 1;
		assert_true(n < cap);
		v[n++] = a;
	}
	assert_int_equal(pm.nfree, 0);
	assert_int_equal(pmm_alloc(&pm), 0);
	assert_int_equal(pmm_alloc_contig(&pm, 1, 1), 0);
	free(seen);
	if (out)
		*out = v;
	else
		free(v);
	return n;
}

/* ---------------- init ---------------- */

static void init_simple(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = { { 1 * M, 15 * M, BOOT_MEM_USABLE } };
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(pm.nframes, 16 * M / PG);
	assert_int_equal(pm.bitmap_phys, 1 * M);     /* lowest fit */
	assert_int_equal(pm.ntotal, 15 * M / PG - 1);  /* 512-byte bitmap: one frame */
	assert_int_equal(pm.hint, 0);
	check_model(MAP_NORESV(mem));
	for (uint64_t i = 0; i < bitmap_bytes(); i++)    /* tail bits beyond nframes clear */
		if (i * 8 >= pm.nframes)
			assert_int_equal(((uint8_t *)pm.bitmap)[i], 0);
}

static void init_typical_pc(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 0, 0x9fc00, BOOT_MEM_USABLE },
		{ 0x9fc00, 0x400, BOOT_MEM_RESERVED },
		{ 0xf0000, 0x10000, BOOT_MEM_RESERVED },
		{ 0x100000, 0x7ee0000, BOOT_MEM_USABLE },
		{ 0x7fe0000, 0x20000, BOOT_MEM_ACPI },
		{ 0xfffc0000, 0x40000, BOOT_MEM_RESERVED },
	};
	static const struct pmm_range resv[] = {
		{ 0, 1 * M },                  /* low memory */
		{ 1 * M, 0x1a3456 },           /* kernel image, unaligned end */
		{ 0x400000, 0x4a0001 },        /* a module */
		{ 0x9000, 0x9100 },            /* boot info, inside low memory */
	};
	assert_int_equal(init(MAP(mem, resv)), PMM_OK);
	assert_int_equal(pm.nframes, 0x7fe0000 / PG);
	assert_int_equal(pm.bitmap_phys, 0x1a4000);
	assert_false(pmm_is_free(&pm, 0x1a3000));    /* partly kernel: reserved */
	assert_false(pmm_is_free(&pm, 0x4a0000));    /* partly module */
	assert_true(pmm_is_free(&pm, 0x4a1000));
	check_model(MAP(mem, resv));
}

static void init_unaligned_usable_inward(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 0x100123, 0x300000, BOOT_MEM_USABLE },   /* [0x100123, 0x400123) */
		{ 0x800001, 0xfff, BOOT_MEM_USABLE },       /* no whole frame */
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(pm.nframes, 0x400);           /* the partial frames do not count */
	assert_false(pmm_is_free(&pm, 0x100000));
	assert_false(pmm_is_free(&pm, 0x400000));
	assert_int_equal(pm.bitmap_phys, 0x101000);
	assert_true(pmm_is_free(&pm, 0x3ff000));
	check_model(MAP_NORESV(mem));
}

static void init_reserved_outward(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = { { 1 * M, 3 * M, BOOT_MEM_USABLE } };
	static const struct pmm_range resv[] = {
		{ 0x180010, 0x180020 },        /* 16 bytes: the whole frame goes */
		{ 0x200fff, 0x201001 },        /* two bytes across a boundary: two frames */
		{ 0x300000, 0x300000 },        /* empty: ignored */
		{ 0x310000, 0x30f000 },        /* inverted: ignored */
	};
	assert_int_equal(init(MAP(mem, resv)), PMM_OK);
	assert_false(pmm_is_free(&pm, 0x180000));
	assert_true(pmm_is_free(&pm, 0x17f000));
	assert_true(pmm_is_free(&pm, 0x181000));
	assert_false(pmm_is_free(&pm, 0x200000));
	assert_false(pmm_is_free(&pm, 0x201000));
	assert_true(pmm_is_free(&pm, 0x300000));
	assert_true(pmm_is_free(&pm, 0x30f000));
	check_model(MAP(mem, resv));
}

static void init_holes_unsorted(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 40 * M, 8 * M, BOOT_MEM_USABLE },
		{ 2 * M, 1 * M, BOOT_MEM_USABLE },
		{ 20 * M, 4 * M, BOOT_MEM_USABLE },
		{ 60 * M, 4 * M, BOOT_MEM_RESERVED },
		{ 8 * M, 2 * M, BOOT_MEM_USABLE },
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(pm.nframes, 48 * M / PG);
	assert_int_equal(pm.bitmap_phys, 2 * M);
	check_model(MAP_NORESV(mem));
	assert_int_equal(alloc_all(MAP_NORESV(mem), NULL), pm.ntotal);
}

static void init_overlapping_no_double_count(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 1 * M, 7 * M, BOOT_MEM_USABLE },     /* [1, 8) */
		{ 4 * M, 8 * M, BOOT_MEM_USABLE },     /* [4, 12) */
		{ 1 * M, 7 * M, BOOT_MEM_USABLE },     /* duplicate */
		{ 2 * M, 1 * M, BOOT_MEM_USABLE },     /* contained */
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(pm.ntotal, 11 * M / PG - 1);   /* union minus the bitmap frame */
	check_model(MAP_NORESV(mem));
	assert_int_equal(alloc_all(MAP_NORESV(mem), NULL), 11 * M / PG - 1);
}

static void init_reserved_type_wins(void **state)
{
	(void)state;
	/* Firmware maps sometimes overlap a reserved entry with a usable one. */
	static const struct boot_memrange mem[] = {
		{ 1 * M, 15 * M, BOOT_MEM_USABLE },
		{ 4 * M + 0x800, 0x1000, BOOT_MEM_ACPI },
		{ 8 * M, 1 * M, BOOT_MEM_BAD },
		{ 1 * M, 0x2000, BOOT_MEM_NVS },
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_false(pmm_is_free(&pm, 4 * M));
	assert_false(pmm_is_free(&pm, 4 * M + PG));
	assert_false(pmm_is_free(&pm, 8 * M + 5 * PG));
	assert_int_equal(pm.bitmap_phys, 1 * M + 0x2000);
	check_model(MAP_NORESV(mem));
}

static void init_above_4g(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 0x100000000ull, 2 * G, BOOT_MEM_USABLE },
		{ 1 * M, 2 * M, BOOT_MEM_USABLE },
		{ 0xc0000000ull, 1 * G, BOOT_MEM_RESERVED },
	};
	static const struct pmm_range resv[] = { { 1 * M, 3 * M } };
	assert_int_equal(init(MAP(mem, resv)), PMM_OK);
	assert_int_equal(pm.nframes, 6 * G / PG);
	/* 192 KiB of bitmap cannot go below 4 GiB: all of that is reserved. */
	assert_int_equal(pm.bitmap_phys, 4 * G);
	check_model(MAP(mem, resv));
	uint64_t *v, n = alloc_all(MAP(mem, resv), &v);
	assert_int_equal(n, pm.ntotal);
	for (uint64_t i = 0; i < n; i++)
		assert_true(v[i] >= 4 * G + bitmap_bytes());
	free(v);
}

static void init_sparse_high(void **state)
{
	(void)state;
	/* A tiny low range and a range at 32 GiB: the 1 MiB bitmap only fits high. */
	static const struct boot_memrange mem[] = {
		{ 1 * M, 1 * M, BOOT_MEM_USABLE },
		{ 32 * G, 2 * M, BOOT_MEM_USABLE },
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(pm.bitmap_phys, 32 * G);
	assert_int_equal(bitmap_bytes(), (32 * G + 2 * M) / PG / 8);
	check_model(MAP_NORESV(mem));
	assert_int_equal(alloc_all(MAP_NORESV(mem), NULL), 256 + 512 - 257);
}

static void init_frame0_never(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = { { 0, 4 * M, BOOT_MEM_USABLE } };
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_false(pmm_is_free(&pm, 0));
	assert_int_equal(pm.bitmap_phys, PG);        /* frame 1: the lowest allowed */
	assert_int_equal(pm.ntotal, 4 * M / PG - 2);
	check_model(MAP_NORESV(mem));
	assert_int_equal(alloc_all(MAP_NORESV(mem), NULL), 4 * M / PG - 2);
	assert_int_equal(pmm_free(&pm, 0), PMM_EINVAL);
}

static void init_no_memory(void **state)
{
	(void)state;
	static const struct boot_memrange none[] = { { 1 * M, 64 * M, BOOT_MEM_RESERVED } };
	static const struct boot_memrange tiny[] = {
		{ 0x1001, 0xffe, BOOT_MEM_USABLE },
		{ 0, 0xfff, BOOT_MEM_USABLE },
		{ 0x5000, 0, BOOT_MEM_USABLE },
	};
	static const struct boot_memrange some[] = { { 1 * M, 1 * M, BOOT_MEM_USABLE } };
	static const struct pmm_range all[] = { { 0x80000, 0x200001 } };

	assert_int_equal(pmm_init(&pm, NULL, 0, NULL, 0, p2v), PMM_ENOMEM);
	assert_int_equal(init(MAP_NORESV(none)), PMM_ENOMEM);
	assert_int_equal(init(MAP_NORESV(tiny)), PMM_ENOMEM);
	assert_int_equal(init(MAP(some, all)), PMM_ENOMEM);
	/* Only frame 0 usable: it is never managed. */
	static const struct boot_memrange zero[] = { { 0, PG, BOOT_MEM_USABLE } };
	assert_int_equal(init(MAP_NORESV(zero)), PMM_ENOMEM);
}

static void bitmap_lowest_fit(void **state)
{
	(void)state;
	/* 256 MiB: 8 KiB of bitmap, two frames. */
	static const struct boot_memrange mem[] = {
		{ 4 * K, 4 * K, BOOT_MEM_USABLE },       /* one frame: too small */
		{ 32 * K, 4 * K, BOOT_MEM_USABLE },      /* one frame ... */
		{ 36 * K, 4 * K, BOOT_MEM_USABLE },      /* ... abutting another: fits */
		{ 1 * M, 255 * M, BOOT_MEM_USABLE },
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(bitmap_bytes(), 8 * K);
	assert_int_equal(pm.bitmap_phys, 32 * K);
	check_model(MAP_NORESV(mem));

	/* Reserve that pair partly: next fit is after the reserved range. */
	static const struct pmm_range resv[] = { { 36 * K, 37 * K }, { 1 * M, 3 * M + 1 } };
	assert_int_equal(init(MAP(mem, resv)), PMM_OK);
	assert_int_equal(pm.bitmap_phys, 3 * M + PG);
	assert_false(pmm_is_free(&pm, 3 * M + PG));
	assert_false(pmm_is_free(&pm, 3 * M + 2 * PG));
	assert_true(pmm_is_free(&pm, 3 * M + 3 * PG));
	check_model(MAP(mem, resv));
}

static void bitmap_no_gap(void **state)
{
	(void)state;
	/* Usable frames only in single-frame islands; the bitmap needs 8. */
	static const struct boot_memrange mem[] = {
		{ 1 * M, PG, BOOT_MEM_USABLE },
		{ 1 * M + 2 * PG, PG, BOOT_MEM_USABLE },
		{ 1 * G, PG, BOOT_MEM_USABLE },
	};
	assert_int_equal(init(MAP_NORESV(mem)), PMM_ENOMEM);
}

static void bitmap_p2v_refuses_low(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 1 * M, 3 * M, BOOT_MEM_USABLE },
		{ 16 * M, 16 * M, BOOT_MEM_USABLE },
	};
	refuse_below = 8 * M;
	assert_int_equal(init(MAP_NORESV(mem)), PMM_OK);
	assert_int_equal(pm.bitmap_phys, 16 * M);
	assert_true(p2v_calls >= 2);
	check_model(MAP_NORESV(mem));
	refuse_below = UINT64_MAX;
	assert_int_equal(init(MAP_NORESV(mem)), PMM_ENOMEM);
}

/* ---------------- alloc / free ---------------- */

static const struct boot_memrange small_mem[] = {
	{ 1 * M, 3 * M, BOOT_MEM_USABLE },       /* [1, 4) MiB: 768 frames */
};

static void alloc_exhaust_and_refill(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t *v, n = alloc_all(MAP_NORESV(small_mem), &v);
	assert_int_equal(n, 767);
	for (uint64_t i = 0; i < n; i++)
		assert_int_equal(pmm_free(&pm, v[i]), PMM_OK);
	assert_int_equal(pm.nfree, pm.ntotal);
	check_model(MAP_NORESV(small_mem));
	assert_int_equal(alloc_all(MAP_NORESV(small_mem), NULL), n);
	free(v);
}

static void alloc_ascending_then_reuse(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t a = pmm_alloc(&pm), b = pmm_alloc(&pm), c = pmm_alloc(&pm);
	assert_int_equal(a, 1 * M + PG);     /* just above the bitmap */
	assert_int_equal(b, a + PG);
	assert_int_equal(c, b + PG);
	assert_int_equal(pm.nfree, pm.ntotal - 3);
	assert_int_equal(pmm_free(&pm, a), PMM_OK);
	assert_true(pmm_is_free(&pm, a));
	assert_int_equal(pmm_alloc(&pm), a);  /* lowest free frame */
	assert_int_equal(pmm_alloc(&pm), c + PG);
	/* Move the hint several words up, then free a low frame: the hint
	 * must come back down for it, or alloc would return a higher frame. */
	for (int i = 0; i < 300; i++)
		pmm_alloc(&pm);
	assert_true(pm.hint > a / PG / 64);
	assert_int_equal(pmm_free(&pm, b), PMM_OK);
	assert_int_equal(pmm_alloc(&pm), b);
}

static void alloc_hint_wraps(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t *v, n = alloc_all(MAP_NORESV(small_mem), &v);
	/* Free one low frame, but leave the hint high by hand. */
	assert_int_equal(pmm_free(&pm, v[5]), PMM_OK);
	pm.hint = pm.nframes / 64 - 1;
	assert_int_equal(pmm_alloc(&pm), v[5]);
	pm.hint = 1u << 30;                  /* nonsense hint: still safe */
	assert_int_equal(pmm_free(&pm, v[n - 1]), PMM_OK);
	pm.hint = 1u << 30;
	assert_int_equal(pmm_alloc(&pm), v[n - 1]);
	free(v);
}

static void free_double(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t a = pmm_alloc(&pm);
	assert_int_equal(pmm_free(&pm, a), PMM_OK);
	uint64_t nfree = pm.nfree;
	assert_int_equal(pmm_free(&pm, a), PMM_EDOUBLE);
	assert_int_equal(pmm_free(&pm, 3 * M), PMM_EDOUBLE);   /* never allocated */
	assert_int_equal(pm.nfree, nfree);
}

static void free_invalid(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t a = pmm_alloc(&pm), nfree = pm.nfree;
	assert_int_equal(pmm_free(&pm, a + 1), PMM_EINVAL);
	assert_int_equal(pmm_free(&pm, a + 0x800), PMM_EINVAL);
	assert_int_equal(pmm_free(&pm, 0), PMM_EINVAL);
	assert_int_equal(pmm_free(&pm, 4 * M), PMM_EINVAL);       /* == nframes */
	assert_int_equal(pmm_free(&pm, 1ull << 40), PMM_EINVAL);
	assert_int_equal(pmm_free(&pm, UINT64_MAX & ~(PG - 1)), PMM_EINVAL);
	assert_int_equal(pm.nfree, nfree);
	assert_false(pmm_is_free(&pm, a));
}

static void free_reserved_frame_allowed(void **state)
{
	(void)state;
	/* The kernel may hand back memory reserved at init (e.g. modules). */
	static const struct pmm_range resv[] = { { 2 * M, 2 * M + 4 * PG } };
	assert_int_equal(init(MAP(small_mem, resv)), PMM_OK);
	assert_false(pmm_is_free(&pm, 2 * M));
	assert_int_equal(pmm_free_contig(&pm, 2 * M, 4), PMM_OK);
	assert_true(pmm_is_free(&pm, 2 * M + 3 * PG));
	assert_int_equal(pm.nfree, pm.ntotal + 4);
}

static void is_free_edges(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	assert_int_equal(pmm_is_free(&pm, 0), 0);
	assert_int_equal(pmm_is_free(&pm, 4 * M), 0);
	assert_int_equal(pmm_is_free(&pm, UINT64_MAX), 0);
	assert_int_equal(pmm_is_free(&pm, 4 * M - PG), 1);
	assert_int_equal(pmm_is_free(&pm, 4 * M - 1), 1);    /* within that frame */
}

/* ---------------- contiguous ---------------- */

static void contig_aligned(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	/* 1 MiB aligned 2 MiB: only [2, 3) MiB qualifies. */
	assert_int_equal(pmm_alloc_contig(&pm, 256, 512), 2 * M);
	assert_int_equal(pmm_alloc_contig(&pm, 256, 512), 0);
	for (uint64_t align = 1; align <= 128; align <<= 1) {
		uint64_t nfree = pm.nfree;
		uint64_t a = pmm_alloc_contig(&pm, 3, align);
		assert_int_not_equal(a, 0);
		assert_int_equal((a / PG) % align, 0);
		for (int i = 0; i < 3; i++)
			assert_false(pmm_is_free(&pm, a + i * PG));
		assert_int_equal(pm.nfree, nfree - 3);
	}
	/* 128 went to 3 MiB; 1 MiB (bitmap), 2 and 3 MiB are all taken, so
	 * no 256-frame-aligned start is left although many frames are free. */
	assert_int_equal(pmm_alloc_contig(&pm, 3, 128), 0x380000);
	assert_int_equal(pmm_alloc_contig(&pm, 1, 256), 0);
	assert_true(pm.nfree > 200);
}

static void contig_first_fit_skips_holes(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t *v, n = alloc_all(MAP_NORESV(small_mem), &v);
	/* Free runs of 3, 5 and 8 frames; ask for 6. */
	for (int i = 10; i < 13; i++) assert_int_equal(pmm_free(&pm, v[i]), PMM_OK);
	for (int i = 20; i < 25; i++) assert_int_equal(pmm_free(&pm, v[i]), PMM_OK);
	for (int i = 40; i < 48; i++) assert_int_equal(pmm_free(&pm, v[i]), PMM_OK);
	assert_int_equal(pmm_alloc_contig(&pm, 6, 1), v[40]);
	assert_int_equal(pmm_alloc_contig(&pm, 6, 1), 0);
	assert_int_equal(pmm_alloc_contig(&pm, 5, 1), v[20]);
	assert_int_equal(pm.nfree, 3 + 2);
	assert_int_equal(pmm_alloc_contig(&pm, 2, 1), v[10]);
	assert_int_equal(pmm_alloc_contig(&pm, 1, 1), v[12]);
	(void)n;
	free(v);
}

static void contig_bad_args(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t nfree = pm.nfree;
	assert_int_equal(pmm_alloc_contig(&pm, 0, 1), 0);
	assert_int_equal(pmm_alloc_contig(&pm, 1, 0), 0);
	assert_int_equal(pmm_alloc_contig(&pm, 1, 3), 0);
	assert_int_equal(pmm_alloc_contig(&pm, 1, 1ull << 63), 0);
	assert_int_equal(pmm_alloc_contig(&pm, 768, 1), 0);        /* more than free */
	assert_int_equal(pmm_alloc_contig(&pm, UINT64_MAX, 1), 0);
	assert_int_equal(pm.nfree, nfree);
	assert_int_equal(pmm_alloc_contig(&pm, 767, 1), 1 * M + PG);   /* exactly all */
	assert_int_equal(pm.nfree, 0);
}

static void free_contig_atomic(void **state)
{
	(void)state;
	assert_int_equal(init(MAP_NORESV(small_mem)), PMM_OK);
	uint64_t a = pmm_alloc_contig(&pm, 8, 8);
	assert_int_not_equal(a, 0);
	assert_int_equal(pmm_free(&pm, a + 5 * PG), PMM_OK);
	uint64_t nfree = pm.nfree;
	assert_int_equal(pmm_free_contig(&pm, a, 8), PMM_EDOUBLE);
	assert_int_equal(pm.nfree, nfree);
	assert_false(pmm_is_free(&pm, a));                   /* untouched */
	assert_int_equal(pmm_free_contig(&pm, a, 0), PMM_EINVAL);
	assert_int_equal(pmm_free_contig(&pm, a + 4, 2), PMM_EINVAL);
	assert_int_equal(pmm_free_contig(&pm, 4 * M - PG, 2), PMM_EINVAL);   /* runs off the end */
	assert_int_equal(pmm_free_contig(&pm, a, UINT64_MAX), PMM_EINVAL);
	assert_int_equal(pmm_free_contig(&pm, a, 5), PMM_OK);
	assert_int_equal(pmm_free_contig(&pm, a + 6 * PG, 2), PMM_OK);
	assert_int_equal(pm.nfree, pm.ntotal);
}

/* ---------------- randomized ---------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void stress_against_shadow(void **state)
{
	(void)state;
	static const struct boot_memrange mem[] = {
		{ 0, 0x9f000, BOOT_MEM_USABLE },
		{ 1 * M, 5 * M, BOOT_MEM_USABLE },
		{ 3 * M, 1 * M, BOOT_MEM_RESERVED },
		{ 7 * M + 0x123, 2 * M, BOOT_MEM_USABLE },
		{ 6 * M, 1 * M + 0x500, BOOT_MEM_USABLE },
	};
	static const struct pmm_range resv[] = { { 0, 64 * K }, { 1 * M, 1 * M + 300 * K } };
	struct map mp = MAP(mem, resv);
	assert_int_equal(init(mp), PMM_OK);
	check_model(mp);

	uint64_t nf = pm.nframes;
	uint8_t *shadow = calloc(nf, 1);     /* 1 = free */
	uint8_t *mine = calloc(nf, 1);       /* 1 = allocated by this test */
	assert_non_null(shadow);
	assert_non_null(mine);
	for (uint64_t f = 0; f < nf; f++)
		shadow[f] = (uint8_t)pmm_is_free(&pm, f * PG);

	rng = 12345;
	for (int step = 0; step < 40000; step++) {
		uint64_t r = rnd() % 100;
		if (r < 45) {
			uint64_t a = pmm_alloc(&pm);
			if (a == 0) {
				assert_int_equal(pm.nfree, 0);
				continue;
			}
			assert_true(shadow[a / PG]);
			shadow[a / PG] = 0;
			mine[a / PG] = 1;
		} else if (r < 55) {
			uint64_t n = 1 + rnd() % 12, align = 1ull << (rnd() % 5);
			uint64_t a = pmm_alloc_contig(&pm, n, align);
			if (a == 0)
				continue;
			assert_int_equal((a / PG) % align, 0);
			for (uint64_t i = 0; i < n; i++) {
				assert_true(shadow[a / PG + i]);
				shadow[a / PG + i] = 0;
				mine[a / PG + i] = 1;
			}
		} else if (r < 90) {
			/* Only frames whose answer we know: ours (OK), free
			 * (EDOUBLE) or frame 0 (EINVAL); freeing a reserved
			 * frame is allowed and would just grow the pool. */
			uint64_t f = rnd() % nf;
			if (f != 0 && !mine[f] && !shadow[f])
				continue;
			enum pmm_err e = pmm_free(&pm, f * PG);
			if (f == 0)
				assert_int_equal(e, PMM_EINVAL);
			else if (mine[f])
				assert_int_equal(e, PMM_OK);
			else if (shadow[f])
				assert_int_equal(e, PMM_EDOUBLE);
			else
				fail_msg("freed a reserved frame %#llx", (unsigned long long)f);
			if (e == PMM_OK) {
				shadow[f] = 1;
				mine[f] = 0;
			}
		} else {
			/* free a random run we own, all at once */
			uint64_t f = 1 + rnd() % (nf - 1), n = 1;
			if (!mine[f])
				continue;
			while (f + n < nf && mine[f + n] && n < 16)
				n++;
			assert_int_equal(pmm_free_contig(&pm, f * PG, n), PMM_OK);
			for (uint64_t i = 0; i < n; i++) {
				shadow[f + i] = 1;
				mine[f + i] = 0;
			}
		}
		if (step % 4000 == 0) {
			uint64_t cnt = 0;
			for (uint64_t f = 0; f < nf; f++) {
				assert_int_equal(pmm_is_free(&pm, f * PG), shadow[f]);
				cnt += shadow[f];
			}
			assert_int_equal(pm.nfree, cnt);
		}
	}
	uint64_t cnt = 0;
	for (uint64_t f = 0; f < nf; f++) {
		assert_int_equal(pmm_is_free(&pm, f * PG), shadow[f]);
		cnt += shadow[f];
	}
	assert_int_equal(pm.nfree, cnt);
	free(shadow);
	free(mine);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(init_simple),
		T(init_typical_pc),
		T(init_unaligned_usable_inward),
		T(init_reserved_outward),
		T(init_holes_unsorted),
		T(init_overlapping_no_double_count),
		T(init_reserved_type_wins),
		T(init_above_4g),
		T(init_sparse_high),
		T(init_frame0_never),
		T(init_no_memory),
		T(bitmap_lowest_fit),
		T(bitmap_no_gap),
		T(bitmap_p2v_refuses_low),
		T(alloc_exhaust_and_refill),
		T(alloc_ascending_then_reuse),
		T(alloc_hint_wraps),
		T(free_double),
		T(free_invalid),
		T(free_reserved_frame_allowed),
		T(is_free_edges),
		T(contig_aligned),
		T(contig_first_fit_skips_holes),
		T(contig_bad_args),
		T(free_contig_atomic),
		T(stress_against_shadow),
	};
	return cmocka_run_group_tests_name("pmm", tests, NULL, NULL);
}
