/* test_kmem.c - the object allocator over an accounting page source.
 *
 * The page source hands out aligned_alloc'd pages and counts them; with
 * "quarantine" on it keeps freed pages mapped (poisoned) until teardown, so
 * that a stale free can be exercised without a host use-after-free.
 * kmem_bad_free records its calls instead of panicking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>
#include "k/kmem.h"

#define PG 4096u
#define HDR 64u

struct src_state {
	size_t out;             /* pages currently handed out */
	size_t allocs, frees;   /* calls */
	size_t limit;           /* refuse to exceed this many pages out */
	int quarantine;
	void *held[4096];       /* quarantined blocks */
	size_t nheld;
};

static struct src_state ss;
static struct kmem km;

static void *src_alloc(void *ctx, size_t n)
{
	struct src_state *s = ctx;
	s->allocs++;
	if (s->out + n > s->limit)
		return NULL;
	void *p = aligned_alloc(PG, n * PG);
	assert_non_null(p);
	memset(p, 0, n * PG);
	s->out += n;
	return p;
}

static void src_free(void *ctx, void *p, size_t n)
{
	struct src_state *s = ctx;
	s->frees++;
	assert_true(((uintptr_t)p & (PG - 1)) == 0);
	assert_true(n >= 1 && n <= s->out);
	s->out -= n;
	if (s->quarantine) {
		memset(p, 0xdd, n * PG);
		assert_true(s->nheld < sizeof s->held / sizeof s->held[0]);
		s->held[s->nheld++] = p;
	} else {
		free(p);
	}
}

/* The hook kmem.c calls on misuse; the kernel's panics. */
static int bad_calls;
static const void *bad_ptr;
static const char *bad_why;

void kmem_bad_free(const void *p, const char *why)
{
	bad_calls++;
	bad_ptr = p;
	bad_why = why;
}

static int setup(void **state)
{
	(void)state;
	memset(&ss, 0, sizeof ss);
	ss.limit = SIZE_MAX;
	bad_calls = 0;
	bad_ptr = NULL;
	bad_why = NULL;
	struct kmem_page_source src = { src_alloc, src_free, &ss };
	kmem_init(&km, &src);
	return 0;
}

/* Every test must leave nothing allocated: after a trim all pages are back. */
static int teardown(void **state)
{
	(void)state;
	kmem_trim(&km);
	for (size_t i = 0; i < ss.nheld; i++)
		free(ss.held[i]);
	return ss.out == 0 && km.pages_in_use == 0 ? 0 : -1;
}

static void expect_bad(const void *p, const char *needle)
{
	assert_int_equal(bad_calls, 1);
	assert_ptr_equal(bad_ptr, p);
	assert_non_null(strstr(bad_why, needle));
	bad_calls = 0;
}

/* With poison on, a write into a freed object is caught when it is handed
 * out again; the object is not handed out. */
static void poison_catches_write_after_free(void **state)
{
	(void)state;
	km.poison = 1;
	char *a = kmem_alloc(&km, 64), *b = kmem_alloc(&km, 64);
	assert_non_null(a);
	assert_non_null(b);
	kmem_free(&km, b);
	assert_int_equal((unsigned char)b[40], KMEM_POISON);
	char *c = kmem_alloc(&km, 64);
	assert_ptr_equal(c, b);                 /* clean: handed out, zeroed */
	assert_int_equal(c[40], 0);
	assert_int_equal(bad_calls, 0);
	kmem_free(&km, c);
	c[40] = 1;                              /* the bug: a write after free */
	assert_null(kmem_alloc(&km, 64));
	expect_bad(c, "write after free");
	c[40] = KMEM_POISON;                    /* repair it so teardown can free */
	kmem_free(&km, a);
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != 0)
			return 0;
	return 1;
}

static size_t class_of(size_t n)
{
	size_t c = 16;
	while (c < n)
		c <<= 1;
	return c;
}

/* ---------------- basics ---------------- */

static void every_class(void **state)
{
	(void)state;
	static const size_t sizes[] = {
		1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 128, 129, 255, 256, 257,
		511, 512, 513, 1000, 1024, 1025, 2000, 2047, 2048,
	};
	void *p[sizeof sizes / sizeof sizes[0]];
	size_t bytes = 0;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		p[i] = kmem_alloc(&km, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(all_zero(p[i], sizes[i]));
		memset(p[i], 0x77, class_of(sizes[i]));     /* the whole class is usable */
		bytes += class_of(sizes[i]);
		assert_int_equal(km.bytes_in_use, bytes);
	}
	assert_int_equal(km.pages_in_use, ss.out);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		kmem_free(&km, p[i]);
	assert_int_equal(km.bytes_in_use, 0);
	assert_int_equal(bad_calls, 0);
}

static void classes_share_no_page(void **state)
{
	(void)state;
	/* Objects of different classes are on different pages. */
	void *a = kmem_alloc(&km, 16), *b = kmem_alloc(&km, 32), *c = kmem_alloc(&km, 16);
	assert_true(((uintptr_t)a & ~(uintptr_t)(PG - 1)) != ((uintptr_t)b & ~(uintptr_t)(PG - 1)));
	assert_true(((uintptr_t)a & ~(uintptr_t)(PG - 1)) == ((uintptr_t)c & ~(uintptr_t)(PG - 1)));
	assert_int_equal((uintptr_t)a & (PG - 1), HDR);      /* first object after the header */
	assert_ptr_equal((char *)c, (char *)a + 16);
	kmem_free(&km, a);
	kmem_free(&km, b);
	kmem_free(&km, c);
}

static void zero_size_and_huge(void **state)
{
	(void)state;
	assert_null(kmem_alloc(&km, 0));
	assert_null(kmem_alloc(&km, SIZE_MAX));
	assert_null(kmem_alloc(&km, SIZE_MAX - 100));
	assert_int_equal(ss.out, 0);
	assert_int_equal(km.pages_in_use, 0);
	kmem_free(&km, NULL);                 /* no-op */
	assert_int_equal(bad_calls, 0);
}

static void zeroed_on_reuse(void **state)
{
	(void)state;
	for (size_t sz = 16; sz <= 2048; sz <<= 1) {
		unsigned char *p = kmem_alloc(&km, sz);
		memset(p, 0xab, sz);
		kmem_free(&km, p);
		unsigned char *q = kmem_alloc(&km, sz);
		assert_ptr_equal(q, p);               /* LIFO reuse */
		assert_true(all_zero(q, sz));
		kmem_free(&km, q);
	}
}

static void fills_pages(void **state)
{
	(void)state;
	/* (4096 - 64) / 16 = 252 objects per 16-byte page; the 253rd needs a
	 * second page.  2048-byte objects: one per page. */
	void *p[253];
	for (int i = 0; i < 252; i++) {
		p[i] = kmem_alloc(&km, 16);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(p[i], p[j]);
	}
	assert_int_equal(km.pages_in_use, 1);
	p[252] = kmem_alloc(&km, 16);
	assert_int_equal(km.pages_in_use, 2);
	void *x = kmem_alloc(&km, 2048), *y = kmem_alloc(&km, 2048);
	assert_int_equal(km.pages_in_use, 4);
	assert_int_equal((uintptr_t)x & (PG - 1), HDR);
	assert_int_equal((uintptr_t)y & (PG - 1), HDR);
	kmem_free(&km, x);
	kmem_free(&km, y);
	for (int i = 0; i < 253; i++)
		kmem_free(&km, p[i]);
	assert_int_equal(km.bytes_in_use, 0);
	assert_int_equal(bad_calls, 0);
}

static void empty_pages_returned(void **state)
{
	(void)state;
	/* Three pages of 64-byte objects; freeing all keeps one cached. */
	enum { N = 3 * 63 };
	void *p[N];
	for (int i = 0; i < N; i++)
		p[i] = kmem_alloc(&km, 64);
	assert_int_equal(km.pages_in_use, 3);
	assert_int_equal(ss.out, 3);
	for (int i = 0; i < N; i++)
		kmem_free(&km, p[i]);
	assert_int_equal(km.pages_in_use, 1);
	assert_int_equal(ss.out, 1);
	assert_int_equal(km.bytes_in_use, 0);
	kmem_trim(&km);
	assert_int_equal(km.pages_in_use, 0);
	assert_int_equal(ss.out, 0);
	assert_int_equal(bad_calls, 0);
}

static void empty_cache_avoids_thrash(void **state)
{
	(void)state;
	/* Alloc/free of one object at a page boundary must not go to the
	 * page source every time. */
	for (int i = 0; i < 100; i++) {
		void *p = kmem_alloc(&km, 512);
		kmem_free(&km, p);
	}
	assert_int_equal(ss.allocs, 1);
	assert_int_equal(ss.frees, 0);
	assert_int_equal(ss.out, 1);
	/* A page of another class is independent. */
	void *q = kmem_alloc(&km, 100);
	kmem_free(&km, q);
	assert_int_equal(ss.out, 2);
	kmem_trim(&km);
	assert_int_equal(ss.out, 0);
	kmem_trim(&km);                      /* idempotent */
	assert_int_equal(ss.frees, 2);
}

static void full_page_back_to_partial(void **state)
{
	(void)state;
	/* 1024-byte class: 3 per page.  Fill a page, free the middle one, and
	 * the next allocation must reuse it rather than take a new page. */
	void *a = kmem_alloc(&km, 1024), *b = kmem_alloc(&km, 1024), *c = kmem_alloc(&km, 1024);
	assert_int_equal(km.pages_in_use, 1);
	kmem_free(&km, b);
	void *d = kmem_alloc(&km, 1024);
	assert_ptr_equal(d, b);
	assert_int_equal(km.pages_in_use, 1);
	void *e = kmem_alloc(&km, 1024);
	assert_int_equal(km.pages_in_use, 2);
	kmem_free(&km, a);
	kmem_free(&km, c);
	kmem_free(&km, d);
	kmem_free(&km, e);
	kmem_trim(&km);
	assert_int_equal(ss.out, 0);
}

static void large_allocations(void **state)
{
	(void)state;
	static const struct { size_t size, pages; } cases[] = {
		{ 2049, 1 }, { PG - HDR, 1 }, { PG - HDR + 1, 2 }, { PG, 2 },
		{ 100000, 25 }, { 1 << 20, 257 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char *p = kmem_alloc(&km, cases[i].size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal((uintptr_t)p & (PG - 1), HDR);
		assert_int_equal(km.pages_in_use, cases[i].pages);
		assert_int_equal(ss.out, cases[i].pages);
		assert_int_equal(km.bytes_in_use, cases[i].pages * PG);
		assert_true(all_zero(p, cases[i].size));
		memset(p, 0x5c, cases[i].size);        /* ASan: the whole object is ours */
		kmem_free(&km, p);
		assert_int_equal(ss.out, 0);           /* large blocks are never cached */
		assert_int_equal(km.bytes_in_use, 0);
	}
	assert_int_equal(bad_calls, 0);
}

static void out_of_pages(void **state)
{
	(void)state;
	ss.limit = 2;
	void *a = kmem_alloc(&km, 2048), *b = kmem_alloc(&km, 2000);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(kmem_alloc(&km, 2048));
	assert_null(kmem_alloc(&km, 16));
	assert_null(kmem_alloc(&km, 5000));
	assert_int_equal(km.pages_in_use, 2);
	assert_int_equal(km.bytes_in_use, 4096);
	kmem_free(&km, a);
	/* a's page is now the cached empty page of its class: reused. */
	assert_ptr_equal(kmem_alloc(&km, 1500), a);
	kmem_free(&km, a);
	kmem_free(&km, b);
	kmem_trim(&km);
	assert_int_equal(ss.out, 0);
}

/* ---------------- misuse ---------------- */

static void bad_free_double(void **state)
{
	(void)state;
	void *p = kmem_alloc(&km, 40), *q = kmem_alloc(&km, 40);
	kmem_free(&km, p);
	size_t bytes = km.bytes_in_use;
	kmem_free(&km, p);
	expect_bad(p, "double free");
	assert_int_equal(km.bytes_in_use, bytes);
	/* The list was not corrupted: two allocations give p and a new one. */
	void *r = kmem_alloc(&km, 40), *s = kmem_alloc(&km, 40);
	assert_ptr_equal(r, p);
	assert_ptr_not_equal(s, p);
	assert_ptr_not_equal(s, q);
	kmem_free(&km, q);
	kmem_free(&km, r);
	kmem_free(&km, s);
	assert_int_equal(bad_calls, 0);
}

static void bad_free_double_in_cached_page(void **state)
{
	(void)state;
	void *p = kmem_alloc(&km, 300);
	kmem_free(&km, p);                    /* page now empty, cached */
	assert_int_equal(ss.out, 1);
	kmem_free(&km, p);
	expect_bad(p, "double free");
	assert_int_equal(ss.out, 1);
}

static void bad_free_misaligned(void **state)
{
	(void)state;
	char *p = kmem_alloc(&km, 64);
	kmem_free(&km, p + 8);
	expect_bad(p + 8, "not the start");
	kmem_free(&km, p + 1);
	expect_bad(p + 1, "not the start");
	/* Past the last object (4096 - 64 is not a multiple of 1024 + ...) */
	char *q = kmem_alloc(&km, 1024);
	char *pg = (char *)((uintptr_t)q & ~(uintptr_t)(PG - 1));
	kmem_free(&km, pg + HDR + 3 * 1024);  /* object index 3: only 0..2 exist */
	expect_bad(pg + HDR + 3 * 1024, "not the start");
	kmem_free(&km, p);
	kmem_free(&km, q);
	assert_int_equal(bad_calls, 0);
}

static void bad_free_header(void **state)
{
	(void)state;
	char *p = kmem_alloc(&km, 16);
	char *pg = (char *)((uintptr_t)p & ~(uintptr_t)(PG - 1));
	kmem_free(&km, pg + 8);
	expect_bad(pg + 8, "header");
	kmem_free(&km, pg);
	expect_bad(pg, "header");
	kmem_free(&km, p);
	assert_int_equal(bad_calls, 0);
}

static void bad_free_foreign(void **state)
{
	(void)state;
	char *page = aligned_alloc(PG, PG);
	memset(page, 0, PG);
	kmem_free(&km, page + 256);
	expect_bad(page + 256, "magic");
	memset(page, 0xff, PG);
	kmem_free(&km, page + 1024);
	expect_bad(page + 1024, "magic");
	free(page);
}

static void bad_free_corrupt_class(void **state)
{
	(void)state;
	char *p = kmem_alloc(&km, 16);
	char *pg = (char *)((uintptr_t)p & ~(uintptr_t)(PG - 1));
	uint16_t saved;
	memcpy(&saved, pg + 4, 2);                /* the class field follows the magic */
	uint16_t bogus = 9;
	memcpy(pg + 4, &bogus, 2);
	kmem_free(&km, p);
	expect_bad(p, "class");
	memcpy(pg + 4, &saved, 2);
	kmem_free(&km, p);
	assert_int_equal(bad_calls, 0);
}

static void bad_free_large(void **state)
{
	(void)state;
	ss.quarantine = 1;
	char *p = kmem_alloc(&km, 10000);
	kmem_free(&km, p + 16);
	expect_bad(p + 16, "inside a large");
	kmem_free(&km, p + PG);                   /* second page: no header there */
	expect_bad(p + PG, "magic");
	kmem_free(&km, p);
	assert_int_equal(bad_calls, 0);
	assert_int_equal(ss.out, 0);
	kmem_free(&km, p);                        /* stale: page went back */
	expect_bad(p, "magic");
}

static void bad_free_stale_small_page(void **state)
{
	(void)state;
	ss.quarantine = 1;
	/* Two empty pages of a class: the second goes back to the source;
	 * freeing into it again must not be mistaken for a live page. */
	void *p[2 * 63];
	for (int i = 0; i < 2 * 63; i++)
		p[i] = kmem_alloc(&km, 64);
	for (int i = 0; i < 2 * 63; i++)
		kmem_free(&km, p[i]);
	assert_int_equal(ss.out, 1);
	assert_int_equal(bad_calls, 0);
	kmem_free(&km, p[2 * 63 - 1]);           /* lives in the released page */
	assert_int_equal(bad_calls, 1);
	assert_non_null(strstr(bad_why, "magic"));
}

static void corrupt_free_list_detected(void **state)
{
	(void)state;
	void *p = kmem_alloc(&km, 128), *q = kmem_alloc(&km, 128);
	kmem_free(&km, q);
	kmem_free(&km, p);                 /* list: p -> q -> ... */
	memcpy(p, &p, sizeof p);           /* write after free: p -> p */
	void *r = kmem_alloc(&km, 128);    /* takes p; list head is now p again */
	assert_ptr_equal(r, p);
	assert_int_equal(bad_calls, 0);
	assert_null(kmem_alloc(&km, 128)); /* p is allocated: corruption caught */
	assert_int_equal(bad_calls, 1);
	assert_non_null(strstr(bad_why, "corrupt"));
	bad_calls = 0;
	uintptr_t wild = 0x1234;
	memcpy(p, &wild, sizeof wild);
	kmem_free(&km, p);                 /* frees fine; list head = p */
	memcpy(p, &wild, sizeof wild);
	assert_non_null(kmem_alloc(&km, 128));     /* p itself */
	assert_null(kmem_alloc(&km, 128));         /* wild link refused */
	assert_int_equal(bad_calls, 1);
	kmem_free(&km, p);                 /* page empty again: trim can release it */
}

/* ---------------- randomized ---------------- */

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct live { unsigned char *p; size_t size; unsigned char tag; };

static void check_pattern(const struct live *l)
{
	for (size_t i = 0; i < l->size; i++)
		if (l->p[i] != (unsigned char)(l->tag + i))
			fail_msg("object %p (size %zu) corrupted at %zu", (void *)l->p, l->size, i);
}

static void stress_no_overlap(void **state)
{
	(void)state;
	enum { SLOTS = 700, STEPS = 30000 };
	static struct live live[SLOTS];
	memset(live, 0, sizeof live);
	rng = 0xfeedfacecafebeefull;
	size_t bytes = 0;

	for (int step = 0; step < STEPS; step++) {
		struct live *l = &live[rnd() % SLOTS];
		if (l->p != NULL) {
			check_pattern(l);
			kmem_free(&km, l->p);
			bytes -= l->size > 2048 ? (l->size + HDR + PG - 1) / PG * PG : class_of(l->size);
			l->p = NULL;
		} else {
			uint64_t r = rnd() % 100;
			size_t size = r < 90 ? 1 + rnd() % 2048 : r < 98 ? 1 + rnd() % 300 : 2049 + rnd() % 20000;
			l->p = kmem_alloc(&km, size);
			assert_non_null(l->p);
			assert_int_equal((uintptr_t)l->p % 16, 0);
			assert_true(all_zero(l->p, size));
			l->size = size;
			l->tag = (unsigned char)rnd();
			for (size_t i = 0; i < size; i++)
				l->p[i] = (unsigned char)(l->tag + i);
			bytes += size > 2048 ? (size + HDR + PG - 1) / PG * PG : class_of(size);
		}
		assert_int_equal(km.bytes_in_use, bytes);
		assert_int_equal(km.pages_in_use, ss.out);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (live[i].p != NULL) {
			check_pattern(&live[i]);
			kmem_free(&km, live[i].p);
		}
	}
	assert_int_equal(km.bytes_in_use, 0);
	assert_true(ss.out <= KMEM_NCLASSES);     /* at most one cached page per class */
	kmem_trim(&km);
	assert_int_equal(ss.out, 0);
	assert_int_equal(km.pages_in_use, 0);
	assert_int_equal(bad_calls, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(poison_catches_write_after_free),
		T(every_class),
		T(classes_share_no_page),
		T(zero_size_and_huge),
		T(zeroed_on_reuse),
		T(fills_pages),
		T(empty_pages_returned),
		T(empty_cache_avoids_thrash),
		T(full_page_back_to_partial),
		T(large_allocations),
		T(out_of_pages),
		T(bad_free_double),
		T(bad_free_double_in_cached_page),
		T(bad_free_misaligned),
		T(bad_free_header),
		T(bad_free_foreign),
		T(bad_free_corrupt_class),
		T(bad_free_large),
		T(bad_free_stale_small_page),
		T(corrupt_free_list_detected),
		T(stress_no_overlap),
	};
	return cmocka_run_group_tests_name("kmem", tests, NULL, NULL);
}
