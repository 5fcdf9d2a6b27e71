/* test_libc_printf.c - libc's printf family against glibc's: every case is
 * formatted by both, and output and return value must be identical, also
 * when the buffer is too small. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <float.h>
#include <math.h>
#include <cmocka.h>
#include "lc.h"

static long cases, failures;

static void vcheck(const char *fmt, va_list ap)
{
	static char want[4096], got[4096];
	va_list a1, a2;
	va_copy(a1, ap);
	va_copy(a2, ap);
	int wr = vsnprintf(want, sizeof want, fmt, a1);
	int gr = lc_vsnprintf(got, sizeof got, fmt, a2);
	va_end(a1);
	va_end(a2);
	cases++;
	if (wr != gr || strcmp(want, got)) {
		if (failures++ < 20)
			print_error("format \"%s\": glibc %d \"%s\", libc %d \"%s\"\n",
				    fmt, wr, want, gr, got);
		return;
	}
	/* Truncated: the same prefix, terminated, and the full length returned. */
	size_t sizes[] = { 0, 1, (size_t)wr / 2 + 1, (size_t)wr };
	for (int i = 0; i < 4; i++) {
		memset(got, '#', sizeof got);
		va_copy(a2, ap);
		gr = lc_vsnprintf(got, sizes[i], fmt, a2);
		va_end(a2);
		size_t keep = sizes[i] ? sizes[i] - 1 : 0;
		int ok = gr == wr && got[sizes[i]] == '#' &&
			 (sizes[i] == 0 ? got[0] == '#' : !memcmp(got, want, keep) && !got[keep]);
		if (!ok && failures++ < 20)
			print_error("format \"%s\" truncated to %zu: got %d \"%.*s\"\n",
				    fmt, sizes[i], gr, (int)keep, got);
	}
}

static void check(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vcheck(fmt, ap);
	va_end(ap);
}

static void done(const char *what)
{
	long f = failures;
	print_message("# %s: %ld cases compared with glibc\n", what, cases);
	cases = failures = 0;
	assert_int_equal(f, 0);
}

static const char *iflags[] = { "", "-", "+", " ", "#", "0", "-0", "+0", " +", "#0", "-#", "+-" };
static const char *iwidths[] = { "", "1", "6", "22" };
static const char *iprecs[] = { "", ".", ".0", ".1", ".4", ".25" };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_integers(void **state)
{
	const int vals[] = { 0, 1, -1, 7, 42, 255, -1000, 123456789, INT_MIN, INT_MAX };
	char fmt[32];
	for (size_t f = 0; f < N(iflags); f++)
		for (size_t w = 0; w < N(iwidths); w++)
			for (size_t p = 0; p < N(iprecs); p++)
				for (const char *c = "diuoxX"; *c; c++) {
					snprintf(fmt, sizeof fmt, "[%%%s%s%s%c]", iflags[f], iwidths[w],
						 iprecs[p], *c);
					for (size_t v = 0; v < N(vals); v++)
						check(fmt, vals[v]);
				}
	done("integers");
}

static void test_length_modifiers(void **state)
{
	const long long vals[] = { 0, 1, -1, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
				   INT_MIN, INT_MAX, UINT_MAX, LLONG_MIN, LLONG_MAX,
				   (long long)ULLONG_MAX, 0x123456789abcdefll };
	const char *mods[] = { "hh", "h", "l", "ll", "j", "z", "t" };
	const char *fw[] = { "", "+", "-25", "025", "#", ".30", " 5.3" };
	char fmt[32];
	for (size_t m = 0; m < N(mods); m++)
		for (size_t f = 0; f < N(fw); f++)
			for (const char *c = "diuoxX"; *c; c++) {
				snprintf(fmt, sizeof fmt, "<%%%s%s%c>", fw[f], mods[m], *c);
				for (size_t v = 0; v < N(vals); v++) {
					if (m < 2)
						check(fmt, (int)vals[v]);
					else
						check(fmt, vals[v]);
				}
			}
	check("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	check("%zd %zu %zx", (size_t)-1, SIZE_MAX, (size_t)4096);
	check("%td %tx", (ptrdiff_t)PTRDIFF_MIN, (ptrdiff_t)-2);
	check("%lld %llu %llx %llo", LLONG_MIN, ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	check("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	done("length modifiers");
}

static const double fvals_init[] = {
	0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 3.5, -2.5, 0.125, 0.375, 9.5, 99.5, 999.5, 0.05, 0.15,
	0.25, 0.35, 1e22, 1e23, 1e-7, 1e-5, 1e-4, 123456.0, 1234567.0, 0.0001234, 3.14159265358979,
	2.718281828459045, 100.0, 1e100, 1e-100, 9.9999999, 0.99999999, 5e-324, 2.2250738585072009e-308,
	DBL_MIN, DBL_MAX, 1.7976931348623157e308 / 3, 4503599627370496.5, 9007199254740993.0,
	0x1.fffffffffffffp-1, 0x1.8p+0, 0x1.08p+0, 0x1.0000000000001p+0, 0x1.ffffffffffff8p+0,
};

/* glibc prints %#.3g of 999.5 as "1.e+03", dropping the zeros that '#'
 * must keep once rounding has carried into a new exponent; C99 7.19.6.1
 * asks for "1.00e+03", which libc prints (checked separately). */
static int glibc_hash_g_bug(const char *fmt, double v)
{
	return strchr(fmt, '#') && strstr(fmt, ".3") && (strchr(fmt, 'g') || strchr(fmt, 'G')) &&
	       fabs(v) == 999.5;
}

static void test_floats(void **state)
{
	static const char *ff[] = { "", "-", "+", " ", "#", "0", "+0", "-#", " 0#" };
	static const char *fwid[] = { "", "1", "12", "30" };
	static const char *fprec[] = { "", ".0", ".1", ".3", ".6", ".17", ".30" };
	double vals[N(fvals_init) + 4];
	size_t nv = 0;
	for (; nv < N(fvals_init); nv++)
		vals[nv] = fvals_init[nv];
	vals[nv++] = -0.0;
	vals[nv++] = -DBL_MAX;
	vals[nv++] = INFINITY;
	vals[nv++] = -NAN;
	char fmt[32];
	for (size_t f = 0; f < N(ff); f++)
		for (size_t w = 0; w < N(fwid); w++)
			for (size_t p = 0; p < N(fprec); p++)
				for (const char *c = "fFeEgGaA"; *c; c++) {
					snprintf(fmt, sizeof fmt, "[%%%s%s%s%c]", ff[f], fwid[w],
						 fprec[p], *c);
					for (size_t v = 0; v < nv; v++)
						if (!glibc_hash_g_bug(fmt, vals[v]))
							check(fmt, vals[v]);
				}
	/* The standard's answer where glibc differs (see glibc_hash_g_bug). */
	char buf[64];
	lc_snprintf(buf, sizeof buf, "%#.3g|%#.3G|%#10.3g", 999.5, 999.5, -999.5);
	assert_string_equal(buf, "1.00e+03|1.00E+03| -1.00e+03");
	/* long double goes through double: %La shows double's layout, not x87's. */
	lc_snprintf(buf, sizeof buf, "%La|%LA", 2.0L, -0.75L);
	assert_string_equal(buf, "0x1p+1|-0X1.8P-1");
	check("%f %F %e %E %g %G", NAN, NAN, -INFINITY, INFINITY, -NAN, INFINITY);
	check("%010f|%-10f|%+f|% f", INFINITY, -INFINITY, NAN, INFINITY);
	check("%.1074f", 5e-324);
	check("%.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5, -0.5);
	check("%.20f %.40e %.60g", 0.1, 1.0 / 3, 2.0 / 3);
	check("%Lf %Le %Lg %LG", 1.5L, 0.25L, 1e10L, 1e-10L);
	check("%.1a %.2a %.0a %.0a %.0a %.13a %.20a", 1.96875, 1.0 / 3, 1.5, 2.5, 0.5, 5e-324, 1.0);
	check("%a %a %A %a", 0.0, -0.0, 1e300, 0x1.0000000000001p-1022);
	check("%#.0f %#.0e %#.0g %#g %#a %#.0a", 1.0, 2.0, 3.0, 0.0, 1.0, 1.0);
	done("floats");
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_random_doubles(void **state)
{
	static const char *fmts[] = { "%.17g", "%.25e", "%g", "%.3g", "%f", "%.12f", "%a", "%.4a",
				      "%.0e", "%#.10g", "%.50f" };
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = next_random();
		if (i & 1)                       /* half of them near 1, many digits in %f */
			bits = (bits & 0x800fffffffffffffull) | (uint64_t)(1023 + (int)(bits >> 52) % 40 - 20) << 52;
		double d;
		memcpy(&d, &bits, sizeof d);
		check(fmts[i % N(fmts)], d);
	}
	done("random doubles");
}

static void test_strings_chars_misc(void **state)
{
	int dummy = 0;
	check("%s|%10s|%-10s|%.2s|%10.3s|%-10.1s|%.0s|%s", "hello", "hi", "hi", "hello", "hello",
	      "hello", "gone", "");
	check("%c|%5c|%-5c|%c", 'x', 'y', 'z', 0x41);
	check("%%|100%%");
	check("%s|%10s|%.3s", (char *)NULL, (char *)NULL, (char *)NULL);
	check("%p|%20p|%-20p|%p", (void *)&dummy, (void *)0x1234, (void *)0xdeadbeef, NULL);
	check("%*d|%-*d|%*d|%.*d|%.*d|%*.*f", 8, 42, 8, 42, -8, 42, 5, 42, -3, 42, 12, 3, 3.14159);
	check("%*s|%.*s", -3, "x", 2, "abc");
	check("no conversions at all");
	check("");
	check("%d %s %c %f %x %e %g %p", -5, "mix", 'q', 2.5, 255u, 1e10, 1e-10, (void *)16);
	check("%5.3d|%-5.3d|%05d|%-05d|%+.0d|% .0d|%#.0x|%#.0o|%#o|%#x", 7, 7, -7, -7, 0, 0, 0, 0, 0, 0);
	done("strings, characters and the rest");
}

static void test_n(void **state)
{
	char buf[64];
	int n1 = -1, n2 = -1;
	signed char hh = 0;
	long long ll = 0;
	size_t z = 0;
	int r = lc_snprintf(buf, sizeof buf, "ab%ncdef%hhn%s%n%lln%zn", &n1, &hh, "xyz", &n2, &ll, &z);
	assert_int_equal(r, 9);
	assert_string_equal(buf, "abcdefxyz");
	assert_int_equal(n1, 2);
	assert_int_equal(hh, 6);
	assert_int_equal(n2, 9);
	assert_int_equal(ll, 9);
	assert_int_equal(z, 9);
	assert_int_equal(lc_sprintf(buf, "%d-%s", 12, "x"), 4);
	assert_string_equal(buf, "12-x");
}

static void test_stdout_buffering(void **state)
{
	host_out_reset();
	lc_printf("one %d\ntwo", 1);
	assert_int_equal(host_writes, 1);          /* one write per line */
	assert_string_equal(host_out, "one 1\n");
	lc_fputs(" more", lc_stdout);
	assert_int_equal(host_writes, 1);
	lc_fflush(lc_stdout);
	assert_int_equal(host_writes, 2);
	assert_string_equal(host_out, "one 1\ntwo more");
	lc_puts("line");
	lc_putchar('!');
	lc_fputc('\n', lc_stdout);
	lc_fprintf(lc_stderr, "err %s\n", "x");
	assert_string_equal(host_out, "one 1\ntwo moreline\n!\nerr x\n");
	assert_int_equal(host_writes, 5);
	/* A long line without newline goes out in buffer-sized pieces. */
	host_out_reset();
	char big[1000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(lc_printf("%s\n", big), 1000);
	assert_int_equal(host_out_len, 1000);
	assert_true(host_writes >= 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_length_modifiers),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_random_doubles),
		cmocka_unit_test(test_strings_chars_misc),
		cmocka_unit_test(test_n),
		cmocka_unit_test(test_stdout_buffering),
	};
	return cmocka_run_group_tests_name("libc printf", tests, NULL, NULL);
}
