/* test_libc_malloc.c - libc's allocator: alignment, calloc, realloc, a
 * randomized stress with pattern-checked blocks, and refusal (abort) of
 * double and invalid frees. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "lc.h"

static uint64_t rng = 12345;
static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33);
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i * 7))
			return 0;
	return 1;
}

static void test_basic(void **state)
{
	for (size_t n = 0; n < 300; n++) {
		unsigned char *p = lc_malloc(n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p & 15, 0);
		fill(p, n, (unsigned)n);
		lc_free(p);
	}
	unsigned *z = lc_calloc(1000, sizeof *z);
	assert_non_null(z);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(z[i], 0);
	lc_free(z);
	assert_null(lc_calloc(SIZE_MAX / 2, 4));            /* n * size overflows */
	assert_null(lc_malloc(SIZE_MAX - 8));
	lc_free(NULL);
	/* realloc keeps the contents, grows in place or moves, shrinks. */
	unsigned char *p = lc_realloc(NULL, 10);
	fill(p, 10, 3);
	p = lc_realloc(p, 100000);
	assert_true(intact(p, 10, 3));
	fill(p, 100000, 5);
	p = lc_realloc(p, 50);
	assert_true(intact(p, 50, 5));
	lc_free(p);
	/* A big block (beyond one morecore call) works. */
	p = lc_malloc(5 << 20);
	assert_non_null(p);
	fill(p, 5 << 20, 9);
	assert_true(intact(p, 5 << 20, 9));
	lc_free(p);
}

#define SLOTS 1000
static void test_stress(void **state)
{
	static unsigned char *ptr[SLOTS];
	static size_t len[SLOTS];
	static unsigned seed[SLOTS];
	for (int op = 0; op < 100000; op++) {
		int i = (int)(rnd() % SLOTS);
		unsigned r = rnd();
		size_t n = r % 8 == 0 ? rnd() % 20000 : rnd() % 300;
		if (ptr[i]) {
			assert_true(intact(ptr[i], len[i], seed[i]));
			if (r % 3 == 0) {               /* realloc */
				unsigned char *q = lc_realloc(ptr[i], n);
				assert_non_null(q);
				assert_true(intact(q, len[i] < n ? len[i] : n, seed[i]));
				ptr[i] = q;
			} else {
				lc_free(ptr[i]);
				ptr[i] = NULL;
				continue;
			}
		} else if (r % 5 == 0) {
			ptr[i] = lc_calloc(1, n);
			assert_non_null(ptr[i]);
			for (size_t k = 0; k < n; k++)
				assert_int_equal(ptr[i][k], 0);
		} else {
			ptr[i] = lc_malloc(n);
			assert_non_null(ptr[i]);
		}
		assert_int_equal((uintptr_t)ptr[i] & 15, 0);
		len[i] = n;
		seed[i] = rnd();
		fill(ptr[i], n, seed[i]);
	}
	for (int i = 0; i < SLOTS; i++) {
		if (ptr[i]) {
			assert_true(intact(ptr[i], len[i], seed[i]));
			lc_free(ptr[i]);
			ptr[i] = NULL;
		}
	}
	/* Everything merged back: one big block fits where the heap already is. */
	size_t before = host_heap_used();
	void *p = lc_malloc(before / 2);
	assert_non_null(p);
	assert_int_equal(host_heap_used(), before);
	lc_free(p);
	print_message("# stress: 100000 operations, heap %zu KiB\n", before >> 10);
}

/* Runs f(arg) expecting libc to abort (exit status 62) with msg on stderr. */
static void expect_abort(void (*f)(void *), void *arg, const char *msg)
{
	jmp_buf jb;
	host_out_reset();
	int r = setjmp(jb);
	if (r == 0) {
		host_exit_jmp = &jb;
		f(arg);
		host_exit_jmp = NULL;
		fail_msg("did not abort");
	}
	host_exit_jmp = NULL;
	assert_int_equal(r - 1000, 62);
	if (!strstr(host_out, msg))
		fail_msg("abort message \"%s\" lacks \"%s\"", host_out, msg);
}

static void do_free(void *p) { lc_free(p); }
static void do_realloc(void *p) { lc_realloc(p, 10); }

static void test_bad_free(void **state)
{
	void *a = lc_malloc(64), *b = lc_malloc(64), *c = lc_malloc(64);
	lc_free(b);
	expect_abort(do_free, b, "double free");
	lc_free(a);                         /* merges with b */
	expect_abort(do_free, a, "double free");
	expect_abort(do_free, b, "free(");
	expect_abort(do_free, (char *)c + 16, "invalid pointer");
	expect_abort(do_free, (char *)c + 8, "misaligned");
	static _Alignas(16) char not_heap[64];
	expect_abort(do_free, not_heap + 32, "invalid pointer");
	expect_abort(do_realloc, (char *)c + 32, "realloc(");
	lc_free(c);
	expect_abort(do_realloc, c, "double free");
}

static void do_assert(void *p) { __libc_assert_fail("x == 1", "file.c", 42, "fn"); }
static void do_exit(void *p) { lc_printf("pending"); lc_exit(7); }

static void test_abort_exit_assert(void **state)
{
	expect_abort(do_assert, NULL, "file.c:42: fn: assertion 'x == 1' failed\nabort() called\n");
	jmp_buf jb;
	host_out_reset();
	int r = setjmp(jb);
	if (!r) {
		host_exit_jmp = &jb;
		do_exit(NULL);
	}
	host_exit_jmp = NULL;
	assert_int_equal(r - 1000, 7);
	assert_string_equal(host_out, "pending");        /* exit flushed stdout */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_stress),
		cmocka_unit_test(test_bad_free),
		cmocka_unit_test(test_abort_exit_assert),
	};
	return cmocka_run_group_tests_name("libc malloc", tests, NULL, NULL);
}
