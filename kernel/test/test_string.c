/* test_string.c - kernel/lib/string.c against the host libc.
 *
 * The Makefile builds string.c with every name prefixed k_ (k_memset, ...)
 * so the kernel's versions and libc's coexist in one binary. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

void *k_memset(void *d, int c, size_t n);
void *k_memcpy(void *restrict d, const void *restrict s, size_t n);
void *k_memmove(void *d, const void *s, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);
size_t k_strnlen(const char *s, size_t max);
int k_strcmp(const char *a, const char *b);
int k_strncmp(const char *a, const char *b, size_t n);

static int sign(int x) { return (x > 0) - (x < 0); }

#define BUF 160
static unsigned char src[BUF], dst[BUF], ref[BUF];

static void fill(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

static void memset_all_offsets(void **state)
{
	(void)state;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 100; n++) {
			fill(dst, BUF, (unsigned)n);
			memcpy(ref, dst, BUF);
			assert_ptr_equal(k_memset(dst + off, 0x1ab, n), dst + off);  /* int converted to unsigned char */
			memset(ref + off, 0xab, n);
			assert_memory_equal(dst, ref, BUF);
		}
}

static void memcpy_all_alignments(void **state)
{
	(void)state;
	for (size_t so = 0; so < 16; so++)
		for (size_t d_o = 0; d_o < 16; d_o++)
			for (size_t n = 0; n <= 64; n += (n < 20 ? 1 : 7)) {
				fill(src, BUF, (unsigned)(so + n));
				fill(dst, BUF, 99);
				memcpy(ref, dst, BUF);
				assert_ptr_equal(k_memcpy(dst + d_o, src + so, n), dst + d_o);
				memcpy(ref + d_o, src + so, n);
				assert_memory_equal(dst, ref, BUF);
			}
}

static void memmove_overlap(void **state)
{
	(void)state;
	/* Every shift in both directions, several lengths and alignments. */
	for (size_t a = 0; a < 24; a++)
		for (size_t b = 0; b < 24; b++)
			for (size_t n = 0; n <= 100; n += 9) {
				fill(dst, BUF, (unsigned)(a * 24 + b));
				memcpy(ref, dst, BUF);
				assert_ptr_equal(k_memmove(dst + a, dst + b, n), dst + a);
				memmove(ref + a, ref + b, n);
				assert_memory_equal(dst, ref, BUF);
			}
}

static void memcmp_sign(void **state)
{
	(void)state;
	unsigned char a[40], b[40];
	fill(a, sizeof a, 1);
	memcpy(b, a, sizeof b);
	assert_int_equal(k_memcmp(a, b, sizeof a), 0);
	assert_int_equal(k_memcmp(a, b, 0), 0);
	for (size_t i = 0; i < sizeof a; i++) {
		memcpy(b, a, sizeof b);
		b[i] = (unsigned char)(a[i] + 1);
		assert_int_equal(sign(k_memcmp(a, b, sizeof a)), sign(memcmp(a, b, sizeof a)));
		assert_int_equal(sign(k_memcmp(b, a, sizeof a)), 1);
		assert_int_equal(k_memcmp(a, b, i), 0);      /* difference not reached */
	}
	/* Bytes compare as unsigned char: 0x80 > 0x01. */
	unsigned char hi = 0x80, lo = 0x01;
	assert_true(k_memcmp(&hi, &lo, 1) > 0);
}

static void strlen_strnlen(void **state)
{
	(void)state;
	char s[80];
	for (size_t n = 0; n < 70; n++) {
		memset(s, 'q', sizeof s);
		s[n] = '\0';
		assert_int_equal(k_strlen(s), n);
		assert_int_equal(k_strnlen(s, 100), n);
		assert_int_equal(k_strnlen(s, n), n);
		assert_int_equal(k_strnlen(s, n / 2), n / 2);
		assert_int_equal(k_strnlen(s, 0), 0);
	}
	char unterminated[5] = { 'a', 'b', 'c', 'd', 'e' };
	assert_int_equal(k_strnlen(unterminated, 5), 5);   /* reads no further */
}

static void strcmp_strncmp(void **state)
{
	(void)state;
	static const char *const s[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "ABC", "\x80", "\x7f", "a\x80", "a\x01",
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		for (size_t j = 0; j < sizeof s / sizeof s[0]; j++) {
			assert_int_equal(sign(k_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 6; n++)
				assert_int_equal(sign(k_strncmp(s[i], s[j], n)),
						 sign(strncmp(s[i], s[j], n)));
		}
	assert_int_equal(k_strncmp("abcX", "abcY", 3), 0);
	assert_true(k_strcmp("\x80", "\x7f") > 0);           /* unsigned char order */
}

static void big_block(void **state)
{
	(void)state;
	/* A page: the size the kernel clears and copies most. */
	static unsigned char a[4096 + 64], b[4096 + 64];
	k_memset(a, 0, sizeof a);
	for (size_t i = 0; i < sizeof a; i++)
		assert_int_equal(a[i], 0);
	fill(b, sizeof b, 5);
	k_memcpy(a + 8, b + 8, 4096);
	assert_memory_equal(a + 8, b + 8, 4096);
	assert_int_equal(a[4096 + 8], 0);
	k_memmove(a + 9, a + 8, 4096);        /* overlapping, one byte up */
	assert_memory_equal(a + 9, b + 8, 4096);
	k_memmove(a + 0, a + 9, 4096);        /* overlapping, down */
	assert_memory_equal(a, b + 8, 4096);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memset_all_offsets),
		cmocka_unit_test(memcpy_all_alignments),
		cmocka_unit_test(memmove_overlap),
		cmocka_unit_test(memcmp_sign),
		cmocka_unit_test(strlen_strnlen),
		cmocka_unit_test(strcmp_strncmp),
		cmocka_unit_test(big_block),
	};
	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
