/* test_libc_stdlib.c - strtol family against glibc, qsort, bsearch, abs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>
#include <cmocka.h>
#include "lc.h"

static const char *inputs[] = {
	"0", "1", "-1", "+42", "  \t\n 123abc", "0x1f", "0X1F", "-0x80", "0x", "0xg", "017", "08",
	"0b101", "zz", "ZZ", "z", "", "   ", "-", "+", "+-1", "1010102", "777", "9223372036854775807",
	"9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "18446744073709551616", "-18446744073709551615",
	"99999999999999999999999", "-99999999999999999999999", "0x7fffffffffffffff",
	"0xffffffffffffffff", "0x10000000000000000", "1y2p0ij32e8e7", "1y2p0ij32e8e8",
	"3w5e11264sgsf", "3w5e11264sgsg", "  -0", "0x0", "12 34", "abcdefghijklmnopqrstuvwxyz",
};

static void test_strto(void **state)
{
	static const int bases[] = { 0, 2, 8, 10, 16, 36, 1, 37, -1 };
	int n = 0;
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
			const char *s = inputs[i];
			int base = bases[b];
			char *e1, *e2;
			int r1, r2, valid = base == 0 || (base >= 2 && base <= 36);  /* glibc leaves end alone otherwise */
#define SAME(fn, type) \
			do { errno = 0; lc_errno = 0; \
			type v1 = fn(s, &e1, base); r1 = errno; \
			type v2 = lc_##fn(s, &e2, base); r2 = lc_errno; \
			if (v1 != v2 || (e1 != e2 && valid) || r1 != r2) \
				fail_msg(#fn "(\"%s\", %d): glibc %lld end+%td errno %d, libc %lld end+%td errno %d", \
					 s, base, (long long)v1, e1 - s, r1, (long long)v2, e2 - s, r2); \
			n++; } while (0);
			SAME(strtol, long)
			SAME(strtoul, unsigned long)
			SAME(strtoll, long long)
			SAME(strtoull, unsigned long long)
		}
	assert_int_equal(lc_strtol("  -77", NULL, 10), -77);
	assert_int_equal(lc_atoi("  -2147483648x"), INT_MIN);
	assert_int_equal(lc_atol("123456789012"), 123456789012l);
	assert_int_equal(lc_atoll("-5"), -5);
	print_message("# strto*: %d cases compared with glibc\n", n);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct rec { int key; char pad[9]; };
static int cmp_rec(const void *a, const void *b)
{
	return cmp_int(&((const struct rec *)a)->key, &((const struct rec *)b)->key);
}

static void test_qsort(void **state)
{
	static int a[5000], ref[5000];
	uint64_t rng = 99;
	for (int round = 0; round < 200; round++) {
		int n = round < 50 ? round : (int)(rng % 5000);
		int mode = round % 5;
		for (int i = 0; i < n; i++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			int v = (int)(rng >> 33);
			a[i] = mode == 0 ? v : mode == 1 ? i : mode == 2 ? n - i : mode == 3 ? v % 4 : 7;
			ref[i] = a[i];
		}
		lc_qsort(a, (size_t)n, sizeof a[0], cmp_int);
		qsort(ref, (size_t)n, sizeof ref[0], cmp_int);
		assert_memory_equal(a, ref, (size_t)n * sizeof a[0]);
		for (int i = 0; i < n; i += 1 + n / 50) {
			int *hit = lc_bsearch(&a[i], a, (size_t)n, sizeof a[0], cmp_int);
			assert_non_null(hit);
			assert_int_equal(*hit, a[i]);
		}
		int missing = -1;
		if (n && a[0] >= 0)
			assert_null(lc_bsearch(&missing, a, (size_t)n, sizeof a[0], cmp_int));
	}
	/* odd element size */
	struct rec r[300];
	for (int i = 0; i < 300; i++)
		r[i].key = (i * 7919) % 300;
	lc_qsort(r, 300, sizeof r[0], cmp_rec);
	for (int i = 0; i < 300; i++)
		assert_int_equal(r[i].key, i);
	assert_int_equal(lc_abs(-5), 5);
	assert_int_equal(lc_labs(-5l), 5);
	assert_int_equal(lc_llabs(LLONG_MIN + 1), LLONG_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strto),
		cmocka_unit_test(test_qsort),
	};
	return cmocka_run_group_tests_name("libc stdlib", tests, NULL, NULL);
}
