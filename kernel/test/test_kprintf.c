/* test_kprintf.c - ksnprintf against the host snprintf (glibc).
 *
 * Literal cases check what the compiler can see; generated cases build
 * formats at run time from every combination of flags, width, precision,
 * length and conversion over interesting values, thousands in all.
 * Some literal cases are deliberately odd (flags C says are ignored), so
 * -Wformat is off in this file. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "k/kprintf.h"

static unsigned ncases;

/* Run the same format and arguments through both and compare output and
 * return value. */
#define SAME(...) do {                                                     \
		char k_[512], h_[512];                                     \
		memset(k_, 'k', sizeof k_);                                \
		memset(h_, 'h', sizeof h_);                                \
		int kr_ = ksnprintf(k_, sizeof k_, __VA_ARGS__);            \
		int hr_ = snprintf(h_, sizeof h_, __VA_ARGS__);             \
		ncases++;                                                  \
		if (kr_ != hr_ || strcmp(k_, h_) != 0)                     \
			fail_msg("format %s: kernel %d \"%s\", host %d \"%s\"", \
				 #__VA_ARGS__, kr_, k_, hr_, h_);           \
	} while (0)

/* Like SAME, for a string known in advance (cases where glibc differs or the
 * kernel defines the behaviour). */
static void expect(const char *want, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(r, (int)strlen(want));
}

static void literal_integers(void **state)
{
	(void)state;
	SAME("%d", 0);
	SAME("%d", 1);
	SAME("%d", -1);
	SAME("%d", 123456789);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%i", -42);
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%ld", LONG_MIN);
	SAME("%ld", LONG_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%lld", LLONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%llx", ULLONG_MAX);
	SAME("%llX", 0xdeadbeefcafeull);
	SAME("%llo", ULLONG_MAX);
	SAME("%lli", LLONG_MIN);
	SAME("%hd", 70000);              /* converted to short */
	SAME("%hd", -32768);
	SAME("%hu", 70000);
	SAME("%hx", 0x12345);
	SAME("%hhd", 200);               /* converted to signed char */
	SAME("%hhd", -129);
	SAME("%hhu", 300);
	SAME("%hhx", 0x1ff);
	SAME("%zu", (size_t)SIZE_MAX);
	SAME("%zx", (size_t)0x1234);
	SAME("%zd", (ptrdiff_t)-5);
	SAME("%td", (ptrdiff_t)PTRDIFF_MIN);
	SAME("%tu", (ptrdiff_t)-1);
	SAME("%tx", (ptrdiff_t)255);
	SAME("%x", 0xabcdefu);
	SAME("%X", 0xabcdefu);
	SAME("%o", 8u);
	SAME("%o", 0u);
}

static void literal_flags(void **state)
{
	(void)state;
	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%+d %+d %+d", 5, -5, 0);
	SAME("% d % d % d", 5, -5, 0);
	SAME("%+ d", 5);                 /* + wins over space */
	SAME("%-+8d|", 5);
	SAME("%08d", -5);                /* zeros go after the sign */
	SAME("%+08d", 5);
	SAME("% 08d", 5);
	SAME("%-08d|", 5);               /* - wins over 0 */
	SAME("%08.3d", 5);               /* precision disables 0 */
	SAME("%.0d|%.0u|%.0x|%.0o", 0, 0u, 0u, 0u);
	SAME("%5.0d|", 0);
	SAME("%.5d", -42);
	SAME("%.5d", INT_MIN);
	SAME("%3.5d", 7);
	SAME("%8.5d", -7);
	SAME("%#x %#X %#o", 255u, 255u, 8u);
	SAME("%#x %#o", 0u, 0u);         /* no prefix for zero */
	SAME("%#.0o", 0u);               /* the forced zero */
	SAME("%#.3o", 8u);               /* 010: no extra zero */
	SAME("%#.5x", 0x1fu);
	SAME("%#010x", 0xabcu);
	SAME("%#-10x|", 0xabcu);
	SAME("%#10.4X", 0xabcu);
	SAME("%+u % u", 5u, 5u);         /* sign flags ignored for unsigned */
	SAME("%020llu", ULLONG_MAX);
	SAME("%-25lld|", LLONG_MIN);
	SAME("%025lld", LLONG_MIN);
	SAME("%.30lld", LLONG_MIN);
	SAME("%#.30llo", ULLONG_MAX);
	SAME("%00005d", 3);              /* repeated flags */
	SAME("%-0-0-5d|", 3);
}

static void literal_star(void **state)
{
	(void)state;
	SAME("%*d|", 6, 42);
	SAME("%*d|", -6, 42);            /* negative width: '-' flag */
	SAME("%-*d|", -6, 42);
	SAME("%.*d", 4, 42);
	SAME("%.*d", -4, 42);            /* negative precision: none */
	SAME("%*.*d|", 8, 4, -42);
	SAME("%0*d", 6, -42);
	SAME("%0*.*d", 6, -1, -42);      /* negative precision: 0 flag applies */
	SAME("%*s|", 7, "ab");
	SAME("%-*s|", 7, "ab");
	SAME("%.*s|", 3, "abcdef");
	SAME("%.*s|", -3, "abcdef");
	SAME("%*.*s|", 6, 2, "abcdef");
	SAME("%*c|", 4, 'z');
	SAME("%*c|", -4, 'z');
	SAME("%*x %*X", 5, 0xffu, 2, 0x10000u);
}

static void literal_strings_chars(void **state)
{
	(void)state;
	const char *volatile np = NULL;
	SAME("%s", "");
	SAME("%s", "hello");
	SAME("%10s|%-10s|", "hi", "hi");
	SAME("%.2s|%.0s|%.10s", "hello", "hello", "hello");
	SAME("%2s", "longer than width");
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("%5c|%-5c|", 'x', 'y');
	SAME("%c", 255);
	SAME("%s", np);
	SAME("%10s|%-8s|", np, np);
	SAME("%%");
	SAME("100%% sure %d%%", 5);
	SAME("");
	SAME("no conversions at all");
	SAME("%s and %s", "this", "that");
	SAME("%d%s%c%x%u", -1, "mix", '!', 0x10u, 7u);
	/* A precision limits how far %s reads: the array has no NUL. */
	char arr[4] = { 'w', 'x', 'y', 'z' };
	SAME("%.4s|%.2s", arr, arr);
	/* %c with NUL: counted, output stops there as a C string. */
	char k[16], h[16];
	memset(k, 'k', sizeof k);
	memset(h, 'h', sizeof h);
	assert_int_equal(ksnprintf(k, sizeof k, "a%cb", 0), snprintf(h, sizeof h, "a%cb", 0));
	assert_memory_equal(k, h, 4);
}

static void literal_pointers(void **state)
{
	(void)state;
	int x;
	void *volatile np = NULL;
	SAME("%p", (void *)&x);
	SAME("%p", (void *)0x1);
	SAME("%p", (void *)UINTPTR_MAX);
	SAME("%p", np);
	SAME("%20p|%-20p|", (void *)&x, (void *)&x);
	SAME("%10p|%-10p|", np, np);
	SAME("[%p]", (void *)0xffffffff80000000ull);
}

static void kernel_defined(void **state)
{
	(void)state;
	/* Outside C's rules; the kernel copies such directives out verbatim. */
	expect("%y", "%y");
	expect("a%5yb", "a%5yb");
	expect("100%", "100%");
	expect("%l", "%l");
	int n = 77;
	expect("x%n", "x%n", &n);        /* no %n: nothing is written */
	assert_int_equal(n, 77);
	expect("(null)", "%s", (char *)NULL);
	expect("    (null)", "%10s", (char *)NULL);
	expect("(nil)", "%p", (void *)NULL);
}

/* ---------------- generated combinations ---------------- */

static const char *const flag_sets[] = {
	"", "-", "+", " ", "#", "0", "-+", "- ", "-#", "-0", "+ ", "+#", "+0",
	" #", " 0", "#0", "-+ ", "-+#", "-+0", "+ #0", "-+ #0",
};
static const char *const widths[] = { "", "1", "2", "5", "12", "25", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".12", ".25", ".*" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void build(char *f, size_t n, const char *flags, const char *w, const char *p,
		  const char *len, char conv)
{
	snprintf(f, n, "<%%%s%s%s%s%c>", flags, w, p, len, conv);
}

/* Format with a non-literal fmt, optional * arguments, then the value. */
#define GEN_CASE(fmt, w, p, star_w, star_p, val) do {                          \
		char k_[256], h_[256];                                         \
		int kr_, hr_;                                                  \
		if (star_w && star_p) {                                        \
			kr_ = ksnprintf(k_, sizeof k_, fmt, w, p, val);        \
			hr_ = snprintf(h_, sizeof h_, fmt, w, p, val);         \
		} else if (star_w) {                                           \
			kr_ = ksnprintf(k_, sizeof k_, fmt, w, val);           \
			hr_ = snprintf(h_, sizeof h_, fmt, w, val);            \
		} else if (star_p) {                                           \
			kr_ = ksnprintf(k_, sizeof k_, fmt, p, val);           \
			hr_ = snprintf(h_, sizeof h_, fmt, p, val);            \
		} else {                                                       \
			kr_ = ksnprintf(k_, sizeof k_, fmt, val);              \
			hr_ = snprintf(h_, sizeof h_, fmt, val);               \
		}                                                              \
		ncases++;                                                      \
		if (kr_ != hr_ || strcmp(k_, h_) != 0)                         \
			fail_msg("format \"%s\" (w %d p %d): kernel %d \"%s\", host %d \"%s\"", \
				 fmt, w, p, kr_, k_, hr_, h_);                 \
	} while (0)

static const long long svals[] = {
	0, 1, -1, 7, -7, 42, 255, -128, 32767, -32768, 65535, 100000, -100000,
	INT_MAX, INT_MIN, (long long)UINT_MAX, LLONG_MAX, LLONG_MIN, 0x123456789abcdefll,
};

static void generated_integers(void **state)
{
	(void)state;
	static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "t" };
	static const char convs[] = "diuxXo";
	char fmt[64];
	unsigned before = ncases;

	for (size_t c = 0; c < N(convs) - 1; c++)
	for (size_t l = 0; l < N(lens); l++)
	for (size_t f = 0; f < N(flag_sets); f++)
	for (size_t w = 0; w < N(widths); w++)
	for (size_t p = 0; p < N(precs); p++) {
		build(fmt, sizeof fmt, flag_sets[f], widths[w], precs[p], lens[l], convs[c]);
		bool sw = widths[w][0] == '*', sp = precs[p][0] == '.' && precs[p][1] == '*';
		/* A spread of star values, negative ones included. */
		int wv = (int)(f % 5) * 4 - 6, pv = (int)(l % 4) * 3 - 2;
		for (size_t v = 0; v < N(svals); v += 1 + (f + w + p) % 3) {
			long long x = svals[v];
			bool is_signed = convs[c] == 'd' || convs[c] == 'i';
			/* Pass exactly the type the length modifier names. */
			if (!strcmp(lens[l], "ll")) {
				if (is_signed) GEN_CASE(fmt, wv, pv, sw, sp, (long long)x);
				else GEN_CASE(fmt, wv, pv, sw, sp, (unsigned long long)x);
			} else if (!strcmp(lens[l], "l")) {
				if (is_signed) GEN_CASE(fmt, wv, pv, sw, sp, (long)x);
				else GEN_CASE(fmt, wv, pv, sw, sp, (unsigned long)x);
			} else if (!strcmp(lens[l], "z")) {
				if (is_signed) GEN_CASE(fmt, wv, pv, sw, sp, (ptrdiff_t)x);
				else GEN_CASE(fmt, wv, pv, sw, sp, (size_t)x);
			} else if (!strcmp(lens[l], "t")) {
				GEN_CASE(fmt, wv, pv, sw, sp, (ptrdiff_t)x);
			} else {
				if (is_signed) GEN_CASE(fmt, wv, pv, sw, sp, (int)x);
				else GEN_CASE(fmt, wv, pv, sw, sp, (unsigned)x);
			}
		}
	}
	assert_true(ncases - before > 10000);
}

static void generated_strings(void **state)
{
	(void)state;
	static const char *const strs[] = { "", "a", "hello", "a rather longer string of text" };
	static const char *const sflags[] = { "", "-" };
	char fmt[64];

	for (size_t f = 0; f < N(sflags); f++)
	for (size_t w = 0; w < N(widths); w++)
	for (size_t p = 0; p < N(precs); p++)
	for (size_t s = 0; s < N(strs); s++) {
		bool sw = widths[w][0] == '*', sp = precs[p][0] == '.' && precs[p][1] == '*';
		int wv = (int)s * 5 - 8, pv = (int)w - 2;
		build(fmt, sizeof fmt, sflags[f], widths[w], precs[p], "", 's');
		GEN_CASE(fmt, wv, pv, sw, sp, strs[s]);
		if (precs[p][0] == '\0' && s < 3) {
			build(fmt, sizeof fmt, sflags[f], widths[w], "", "", 'c');
			GEN_CASE(fmt, wv, pv, sw, false, (int)strs[3][s]);
			build(fmt, sizeof fmt, sflags[f], widths[w], "", "", 'p');
			GEN_CASE(fmt, wv, pv, sw, false, (void *)(uintptr_t)(0x1000u << (8 * s)));
		}
	}
}

/* ---------------- truncation ---------------- */

static void truncation(void **state)
{
	(void)state;
	const char *want = "value=-12345 name=minnow";
	int len = (int)strlen(want);

	for (size_t size = 0; size <= (size_t)len + 3; size++) {
		char buf[64];
		memset(buf, '#', sizeof buf);
		int r = ksnprintf(buf, size, "value=%d name=%s", -12345, "minnow");
		assert_int_equal(r, len);
		if (size == 0) {
			assert_int_equal(buf[0], '#');           /* nothing written */
			continue;
		}
		size_t n = size - 1 < (size_t)len ? size - 1 : (size_t)len;
		assert_memory_equal(buf, want, n);
		assert_int_equal(buf[n], '\0');
		assert_int_equal(buf[n + 1], '#');           /* nothing past the NUL */
	}
}

static void truncation_matches_host(void **state)
{
	(void)state;
	static const char *const fmts[] = { "%s|%d|%x", "%-20s|%08d|%#x", "%.3s|%+d|%X" };
	for (size_t f = 0; f < N(fmts); f++)
		for (size_t size = 0; size < 40; size++) {
			char k[40], h[40];
			memset(k, 'k', sizeof k);
			memset(h, 'h', sizeof h);
			int kr = ksnprintf(k, size, fmts[f], "abcdef", -77, 0xbeefu);
			int hr = snprintf(h, size, fmts[f], "abcdef", -77, 0xbeefu);
			assert_int_equal(kr, hr);
			if (size > 0)
				assert_string_equal(k, h);
		}
}

static void null_buffer_counts(void **state)
{
	(void)state;
	assert_int_equal(ksnprintf(NULL, 0, "%d-%s", 1234, "abc"), 8);
	assert_int_equal(ksnprintf(NULL, 0, ""), 0);
	/* A long result into a small buffer. */
	char b[4];
	assert_int_equal(ksnprintf(b, sizeof b, "%300d", 1), 300);
	assert_string_equal(b, "   ");
	assert_int_equal(ksnprintf(b, sizeof b, "%.300d", 1), 300);
	assert_string_equal(b, "000");
}

static int via_va_list(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

static void va_list_entry(void **state)
{
	(void)state;
	char buf[64];
	assert_int_equal(via_va_list(buf, sizeof buf, "%s=%lld/%zu", "x", LLONG_MIN, (size_t)9), 24);
	assert_string_equal(buf, "x=-9223372036854775808/9");
}

static void case_count(void **state)
{
	(void)state;
	/* Runs last: the table and generators together compared this many. */
	print_message("kprintf: %u cases compared with the host snprintf\n", ncases);
	assert_true(ncases > 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(literal_integers),
		cmocka_unit_test(literal_flags),
		cmocka_unit_test(literal_star),
		cmocka_unit_test(literal_strings_chars),
		cmocka_unit_test(literal_pointers),
		cmocka_unit_test(kernel_defined),
		cmocka_unit_test(generated_integers),
		cmocka_unit_test(generated_strings),
		cmocka_unit_test(truncation),
		cmocka_unit_test(truncation_matches_host),
		cmocka_unit_test(null_buffer_counts),
		cmocka_unit_test(va_list_entry),
		cmocka_unit_test(case_count),
	};
	return cmocka_run_group_tests_name("kprintf", tests, NULL, NULL);
}
