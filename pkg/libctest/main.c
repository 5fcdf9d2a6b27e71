/* libctest - libc exercised inside Minnow as the root task, TAP over the
 * serial line: printf against expected strings, malloc growth to 4 MiB
 * (so the heap must come from Sigma0), realloc, qsort, strtol, assert. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <limits.h>
#include <errno.h>
#include <assert.h>

#define NTESTS 9
static int test_no, failed;

static void result(int ok, const char *name)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++test_no, name);
	if (!ok)
		failed++;
}

/* snprintf and printf (the stream path) must both give want. */
static int fmt_fail;
static void expect(const char *want, const char *fmt, ...)
{
	char got[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(got, sizeof got, fmt, ap);
	va_end(ap);
	if (strcmp(got, want) || n != (int)strlen(want)) {
		printf("# format \"%s\": want \"%s\", got \"%s\" (%d)\n", fmt, want, got, n);
		fmt_fail++;
	}
}

static void test_printf_int(void)
{
	fmt_fail = 0;
	expect("42|-42|+42| 42", "%d|%i|%+d|% d", 42, -42, 42, 42);
	expect("-2147483648|2147483647", "%d|%d", INT_MIN, INT_MAX);
	expect("-9223372036854775808|18446744073709551615", "%lld|%llu", LLONG_MIN, ULLONG_MAX);
	expect("ff|FF|0xff|0XFF|377|0377", "%x|%X|%#x|%#X|%o|%#o", 255, 255, 255, 255, 255, 255);
	expect("[    7]|[7    ]|[00007]|[  007]", "[%5d]|[%-5d]|[%05d]|[%5.3d]", 7, 7, 7, 7);
	expect("[]|[0]|[(nil)]", "[%.0d]|[%#.0o]|[%p]", 0, 0, (void *)0);
	expect("-1|255|65535|44", "%hhd|%hhu|%hu|%zu", 255, 255, 65535, (size_t)44);
	expect("[      ab]|[ab      ]|[abc]", "[%*s]|[%-*s]|[%.*s]", 8, "ab", 8, "ab", 3, "abcdef");
	expect("c|%|(null)", "%c|%%|%s", 'c', (char *)0);
	expect("0x1000", "%p", (void *)0x1000);
	result(!fmt_fail, "printf: integers, strings, flags, widths");
}

static void test_printf_float(void)
{
	fmt_fail = 0;
	expect("3.141593|3.14|3", "%f|%.2f|%.0f", 3.14159265, 3.14159265, 3.14159265);
	expect("0|2|2|4", "%.0f|%.0f|%.0f|%.0f", 0.5, 1.5, 2.5, 3.5);
	expect("1.000000e+22|1e-07|1E-07", "%e|%g|%G", 1e22, 1e-7, 1e-7);
	expect("-0.000000|-0", "%f|%g", -0.0, -0.0);
	expect("1.7976931348623157e+308", "%.16e", 1.7976931348623157e308);
	expect("2.2250738585072014e-308", "%.17g", 2.2250738585072014e-308);
	expect("4.9406564584124654e-324", "%.16e", 4.9406564584124654e-324);
	expect("0.1000000000000000055511151231257827", "%.34f", 0.1);
	expect("100000|1e+06|0.0001|1e-05", "%g|%g|%g|%g", 1e5, 1e6, 1e-4, 1e-5);
	expect("inf|-INF|nan", "%f|%E|%g", 1.0 / 0.0, -1.0 / 0.0, __builtin_nan(""));
	expect("0x1p+0|0x1.8p+1|0x0p+0|0x1.000p-1022", "%a|%a|%a|%.3a", 1.0, 3.0, 0.0, 2.2250738585072014e-308);
	expect("[  +1.50]|[1.50e+00  ]|[-0001.5]", "[%+7.2f]|[%-10.2e]|[%07.1f]", 1.5, 1.5, -1.5);
	expect("1.00e+03|123457|1.5", "%#.3g|%g|%Lg", 999.5, 123456.7, 1.5L);
	result(!fmt_fail, "printf: floating point, rounding, inf/nan, %a");
}

static void test_malloc_growth(void)
{
	/* 4 MiB in 64 KiB blocks, every one from Sigma0 (the root task has no other heap). */
	enum { N = 64, SZ = 64 * 1024 };
	unsigned char *b[N];
	int ok = 1, from_sigma0 = 0;
	for (int i = 0; i < N; i++) {
		b[i] = malloc(SZ);
		if (!b[i] || ((uintptr_t)b[i] & 15)) {
			ok = 0;
			break;
		}
		if ((uintptr_t)b[i] >= 0x0000400000000000ull)
			from_sigma0++;
		memset(b[i], i, SZ);
	}
	for (int i = 0; ok && i < N; i++)
		for (int k = 0; k < SZ; k += 4099)
			if (b[i][k] != (unsigned char)i)
				ok = 0;
	for (int i = 0; i < N; i++)
		free(b[i]);
	printf("# %d of %d blocks in the Sigma0 heap\n", from_sigma0, N);
	result(ok && from_sigma0 == N, "malloc: 4 MiB, heap grown through Sigma0");
}

static void test_realloc_calloc(void)
{
	int ok = 1;
	char *p = malloc(16);
	strcpy(p, "hello");
	for (size_t n = 32; n <= 1u << 20; n *= 2) {
		p = realloc(p, n);
		if (!p || strcmp(p, "hello"))
			ok = 0;
		if (p)
			memset(p + 6, 'x', n - 7);
	}
	p = realloc(p, 8);
	ok = ok && p && !strcmp(p, "hello");
	free(p);
	int *z = calloc(10000, sizeof *z);
	for (int i = 0; z && i < 10000; i++)
		if (z[i])
			ok = 0;
	free(z);
	char *d = strdup("copy");
	ok = ok && z && d && !strcmp(d, "copy");
	free(d);
	result(ok, "realloc, calloc, strdup");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void test_qsort(void)
{
	static int a[10000];
	uint32_t r = 1;
	for (int i = 0; i < 10000; i++) {
		r = r * 1103515245u + 12345u;
		a[i] = (int)(r >> 8);
	}
	qsort(a, 10000, sizeof a[0], cmp_int);
	int ok = 1;
	for (int i = 1; i < 10000; i++)
		if (a[i - 1] > a[i])
			ok = 0;
	int key = a[1234];
	int *hit = bsearch(&key, a, 10000, sizeof a[0], cmp_int);
	result(ok && hit && *hit == key, "qsort of 10000 ints, bsearch");
}

static void test_strtol(void)
{
	char *end;
	int ok = strtol("  -123xyz", &end, 10) == -123 && !strcmp(end, "xyz");
	ok = ok && strtol("0x1F", NULL, 0) == 31 && strtol("017", NULL, 0) == 15;
	ok = ok && strtoul("zz", NULL, 36) == 1295 && strtol("101", NULL, 2) == 5;
	errno = 0;
	ok = ok && strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE;
	errno = 0;
	ok = ok && strtoll("-99999999999999999999", NULL, 10) == LLONG_MIN && errno == ERANGE;
	ok = ok && strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX && atoi("42") == 42;
	result(ok, "strtol family: bases, overflow, endptr");
}

static void test_assert(void)
{
	int x = 1;
	assert(x == 1);              /* the success path: nothing happens */
	result(1, "assert: true condition passes");
}

static void test_string(void)
{
	char buf[32] = "a,b,,c";
	char *save, *t;
	int n = 0;
	for (t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		n++;
	int ok = n == 3 && strlen("four") == 4 && !strncmp("abcd", "abce", 3) &&
		 strstr("haystack", "st") && !strcmp(strerror(ERANGE), "Numerical result out of range");
	result(ok, "string functions");
}

static void test_stream(void)
{
	int n = printf("# stream: %s %d %.3f\n", "printf", 7, 0.5);
	fputs("# stream: fputs\n", stdout);
	puts("# stream: puts");
	fprintf(stderr, "# stream: stderr\n");
	result(n == 25, "printf to stdout returns the count");
}

int main(int argc, char **argv)
{
	printf("1..%d\n", NTESTS);
	test_printf_int();
	test_printf_float();
	test_malloc_growth();
	test_realloc_calloc();
	test_qsort();
	test_strtol();
	test_assert();
	test_string();
	test_stream();
	printf("# libctest: %d passed, %d failed\n", test_no - failed, failed);
	exit(failed ? 1 : 0);
}
