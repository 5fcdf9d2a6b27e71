/* test_libc_string.c - <string.h> and <ctype.h> against glibc. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <ctype.h>
#include <stdlib.h>
#include <cmocka.h>
#include "lc.h"

static int sign(int v) { return (v > 0) - (v < 0); }

static void test_mem(void **state)
{
	static unsigned char a[300], b[300], c[300];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (unsigned char)(i * 13 + 1);
	/* every alignment and length combination that matters */
	for (size_t so = 0; so < 9; so++)
		for (size_t doff = 0; doff < 9; doff++)
			for (size_t n = 0; n < 40; n++) {
				memset(b, 0xee, sizeof b);
				memset(c, 0xee, sizeof c);
				assert_ptr_equal(lc_memcpy(b + doff, a + so, n), b + doff);
				memcpy(c + doff, a + so, n);
				assert_memory_equal(b, c, sizeof b);
				assert_ptr_equal(lc_memset(b + so, (int)(n + 0x100), n + doff), b + so);
				memset(c + so, (int)n, n + doff);
				assert_memory_equal(b, c, sizeof b);
			}
	/* memmove both ways with overlap */
	for (int d = -20; d <= 20; d++) {
		memcpy(b, a, sizeof b);
		memcpy(c, a, sizeof c);
		lc_memmove(b + 100 + d, b + 100, 50);
		memmove(c + 100 + d, c + 100, 50);
		assert_memory_equal(b, c, sizeof b);
	}
	memcpy(b, a, sizeof b);
	assert_int_equal(lc_memcmp(a, b, sizeof a), 0);
	b[100]++;
	assert_int_equal(lc_memcmp(a, b, sizeof a), -1);
	assert_int_equal(lc_memcmp(b, a, sizeof a), 1);
	assert_int_equal(lc_memcmp(a, b, 100), 0);
	assert_ptr_equal(lc_memchr(a, a[77], sizeof a), memchr(a, a[77], sizeof a));
	assert_null(lc_memchr(a, 0, 50) == memchr(a, 0, 50) ? NULL : a);
}

static const char *words[] = { "", "a", "ab", "abc", "abd", "b", "hello", "hello world",
			       "hellp", "\xff", "\x01", "zzz", "hell" };
#define NW (sizeof words / sizeof words[0])

static void test_str(void **state)
{
	char buf[64], ref[64];
	for (size_t i = 0; i < NW; i++) {
		assert_int_equal(lc_strlen(words[i]), strlen(words[i]));
		assert_int_equal(lc_strnlen(words[i], 3), strnlen(words[i], 3));
		for (size_t j = 0; j < NW; j++) {
			assert_int_equal(sign(lc_strcmp(words[i], words[j])),
					 sign(strcmp(words[i], words[j])));
			for (size_t n = 0; n < 6; n++)
				assert_int_equal(sign(lc_strncmp(words[i], words[j], n)),
						 sign(strncmp(words[i], words[j], n)));
			assert_ptr_equal(lc_strstr(words[i], words[j]), strstr(words[i], words[j]));
			assert_int_equal(lc_strspn(words[i], words[j]), strspn(words[i], words[j]));
			assert_int_equal(lc_strcspn(words[i], words[j]), strcspn(words[i], words[j]));
			assert_ptr_equal(lc_strpbrk(words[i], words[j]), strpbrk(words[i], words[j]));
			lc_strcpy(buf, words[i]);
			lc_strcat(buf, words[j]);
			strcpy(ref, words[i]);
			strcat(ref, words[j]);
			assert_string_equal(buf, ref);
			lc_strncat(buf, words[j], 2);
			strncat(ref, words[j], 2);
			assert_string_equal(buf, ref);
		}
		for (int ch = 0; ch < 256; ch += 17) {
			assert_ptr_equal(lc_strchr(words[i], ch), strchr(words[i], ch));
			assert_ptr_equal(lc_strrchr(words[i], ch), strrchr(words[i], ch));
		}
		assert_ptr_equal(lc_strchr(words[i], 'l'), strchr(words[i], 'l'));
		assert_ptr_equal(lc_strrchr(words[i], 'l'), strrchr(words[i], 'l'));
	}
	memset(buf, 'x', sizeof buf);
	memset(ref, 'x', sizeof ref);
	lc_strncpy(buf, "abc", 8);
	strncpy(ref, "abc", 8);
	assert_memory_equal(buf, ref, sizeof buf);
	lc_strncpy(buf, "abcdefgh", 3);
	assert_memory_equal(buf, "abc\0\0\0\0\0x", 9);
}

static void test_tok_dup_err(void **state)
{
	char s[] = "  one,two;;three  ";
	char *save, *t;
	const char *want[] = { "one", "two", "three" };
	int n = 0;
	for (t = lc_strtok_r(s, " ,;", &save); t; t = lc_strtok_r(NULL, " ,;", &save))
		assert_string_equal(t, want[n++]);
	assert_int_equal(n, 3);
	assert_null(lc_strtok_r(NULL, " ", &save));
	char s2[] = "a b";
	assert_string_equal(lc_strtok(s2, " "), "a");
	assert_string_equal(lc_strtok(NULL, " "), "b");
	assert_null(lc_strtok(NULL, " "));
	char empty[] = ";;;";
	assert_null(lc_strtok(empty, ";"));

	char *d = lc_strdup("duplicate");
	assert_string_equal(d, "duplicate");
	char *e = lc_strndup("duplicate", 3);
	assert_string_equal(e, "dup");
	char *f = lc_strndup("ab", 10);
	assert_string_equal(f, "ab");
	lc_free(d);
	lc_free(e);
	lc_free(f);
	assert_string_equal(lc_strerror(34), "Numerical result out of range");
	assert_string_equal(lc_strerror(12), "Cannot allocate memory");
	assert_string_equal(lc_strerror(0), "Success");
	assert_string_equal(lc_strerror(9999), "Unknown error");
}

static void test_ctype(void **state)
{
	for (int c = -1; c < 256; c++) {
		assert_int_equal(!!lc_isalnum(c), !!isalnum(c));
		assert_int_equal(!!lc_isalpha(c), !!isalpha(c));
		assert_int_equal(!!lc_isblank(c), !!isblank(c));
		assert_int_equal(!!lc_iscntrl(c), !!iscntrl(c));
		assert_int_equal(!!lc_isdigit(c), !!isdigit(c));
		assert_int_equal(!!lc_isgraph(c), !!isgraph(c));
		assert_int_equal(!!lc_islower(c), !!islower(c));
		assert_int_equal(!!lc_isprint(c), !!isprint(c));
		assert_int_equal(!!lc_ispunct(c), !!ispunct(c));
		assert_int_equal(!!lc_isspace(c), !!isspace(c));
		assert_int_equal(!!lc_isupper(c), !!isupper(c));
		assert_int_equal(!!lc_isxdigit(c), !!isxdigit(c));
		assert_int_equal(lc_tolower(c), tolower(c));
		assert_int_equal(lc_toupper(c), toupper(c));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mem),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_tok_dup_err),
		cmocka_unit_test(test_ctype),
	};
	return cmocka_run_group_tests_name("libc string", tests, NULL, NULL);
}
