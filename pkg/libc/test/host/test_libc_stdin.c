/* test_libc_stdin.c - stdin over the system layer's reads (host_sys.c
 * stands in for the console): getchar, fgets across reads, ungetc, the
 * end of input, an interrupted read, and scanf/sscanf against glibc's
 * sscanf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "lc.h"

static void reset(const char *const *chunks, int n)
{
	lc_clearerr(lc_stdin);
	host_in_set(chunks, n);
}

static void test_getchar_fgets(void **state)
{
	static const char *const in[] = { "ab\n", "a longer line\n", "tail" };
	reset(in, 3);
	assert_int_equal(lc_getchar(), 'a');
	assert_int_equal(lc_ungetc('A', lc_stdin), 'A');
	assert_int_equal(lc_getchar(), 'A');
	assert_int_equal(lc_getchar(), 'b');
	assert_int_equal(lc_getchar(), '\n');
	assert_int_equal(host_reads, 1);
	char buf[8];
	/* A line longer than the buffer comes in pieces, the newline kept. */
	assert_non_null(lc_fgets(buf, sizeof buf, lc_stdin));
	assert_string_equal(buf, "a longe");
	assert_non_null(lc_fgets(buf, sizeof buf, lc_stdin));
	assert_string_equal(buf, "r line\n");
	assert_non_null(lc_fgets(buf, sizeof buf, lc_stdin));
	assert_string_equal(buf, "tail");
	assert_null(lc_fgets(buf, sizeof buf, lc_stdin));
	assert_true(lc_feof(lc_stdin));
	assert_false(lc_ferror(lc_stdin));
	assert_int_equal(lc_getchar(), EOF);
}

static void test_interrupted(void **state)
{
	static const char *const in[] = { NULL, "after\n" };
	reset(in, 2);
	char buf[16];
	assert_null(lc_fgets(buf, sizeof buf, lc_stdin));
	assert_true(lc_ferror(lc_stdin));
	lc_clearerr(lc_stdin);
	assert_non_null(lc_fgets(buf, sizeof buf, lc_stdin));
	assert_string_equal(buf, "after\n");
}

static void test_scanf(void **state)
{
	static const char *const in[] = { "  42 -7 0x1f", " word\n", "z 077\n" };
	reset(in, 3);
	int a = 0, b = 0;
	unsigned x = 0;
	char w[16], c = 0;
	unsigned o = 0;
	assert_int_equal(lc_scanf("%d %i %x %15s %c %o", &a, &b, &x, w, &c, &o), 6);
	assert_int_equal(a, 42);
	assert_int_equal(b, -7);
	assert_int_equal(x, 0x1f);
	assert_string_equal(w, "word");
	assert_int_equal(c, 'z');
	assert_int_equal(o, 077);
	assert_int_equal(lc_scanf("%d", &a), EOF);
}

static void test_sscanf_vs_glibc(void **state)
{
	static const char *const cases[][2] = {
		{ "12 34", "%d %d" }, { "-5,6", "%d,%d" }, { "0x10 010", "%i %i" },
		{ "abc def", "%s %s" }, { "7 x", "%d %d" }, { "", "%d %d" },
		{ "123456", "%3d%d" }, { "ff FF", "%x %X" }, { "9 q", "%*d %c %n" },
		{ "18446744073709551615", "%llu" }, { "-1", "%hhd" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long long la[3] = { 0 }, ga[3] = { 0 };
		char ls[2][16] = { "", "" }, gs[2][16] = { "", "" };
		const char *s = cases[i][0], *f = cases[i][1];
		int lr, gr;
		if (strchr(f, 's')) {
			lr = lc_sscanf(s, f, ls[0], ls[1]);
			gr = sscanf(s, f, gs[0], gs[1]);
			assert_string_equal(ls[0], gs[0]);
			assert_string_equal(ls[1], gs[1]);
		} else if (strstr(f, "ll")) {
			lr = lc_sscanf(s, f, &la[0]);
			gr = sscanf(s, f, &ga[0]);
		} else if (strstr(f, "hh")) {
			signed char l = 0, g = 0;
			lr = lc_sscanf(s, f, &l);
			gr = sscanf(s, f, &g);
			la[0] = l;
			ga[0] = g;
		} else if (strchr(f, 'c')) {
			char lc = 0, gc = 0;
			int ln = 0, gn = 0;
			lr = lc_sscanf(s, f, &lc, &ln);
			gr = sscanf(s, f, &gc, &gn);
			la[0] = lc; ga[0] = gc; la[1] = ln; ga[1] = gn;
		} else {
			int l[2] = { 0, 0 }, g[2] = { 0, 0 };
			lr = lc_sscanf(s, f, &l[0], &l[1]);
			gr = sscanf(s, f, &g[0], &g[1]);
			la[0] = l[0]; la[1] = l[1]; ga[0] = g[0]; ga[1] = g[1];
		}
		if (lr != gr || memcmp(la, ga, sizeof la))
			fail_msg("sscanf(\"%s\", \"%s\"): %d %lld %lld, glibc %d %lld %lld", s, f, lr,
				 la[0], la[1], gr, ga[0], ga[1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_getchar_fgets),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_scanf),
		cmocka_unit_test(test_sscanf_vs_glibc),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
