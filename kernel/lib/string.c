/* string.c - the C string routines of kstring.h.
 *
 * The compiler is allowed to emit calls to memset/memcpy/memmove/memcmp even
 * in freestanding code (GCC manual, "Standards": a freestanding environment
 * must still provide them), so these are the kernel's only copies.  GCC's
 * loop-distribution pass recognises a byte-store loop as memset and would
 * turn memset's own body into a call to itself; NO_LIBCALL switches that
 * pass off for the functions below.
 */
#include <stddef.h>
#include <stdint.h>
#include "k/kstring.h"

#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALL
#endif

/* A word type that may alias any object (C11 6.5p7 otherwise forbids
 * accessing, say, a struct through a uint64_t lvalue). */
typedef uint64_t __attribute__((may_alias)) word_t;
#define WSIZE sizeof(word_t)

static inline int aligned(const void *p) { return ((uintptr_t)p & (WSIZE - 1)) == 0; }

NO_LIBCALL void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	unsigned char b = (unsigned char)c;

	while (n > 0 && !aligned(p)) {
		*p++ = b;
		n--;
	}
	if (n >= WSIZE) {
		word_t w = 0x0101010101010101ull * b;
		word_t *wp = (word_t *)(void *)p;
		for (; n >= WSIZE; n -= WSIZE)
			*wp++ = w;
		p = (unsigned char *)wp;
	}
	while (n-- > 0)
		*p++ = b;
	return d;
}

/* Forward copy; with a word loop when both pointers share an alignment.
 * Used by memmove as well, where a forward copy is safe when d < s. */
NO_LIBCALL static void copy_fwd(unsigned char *d, const unsigned char *s, size_t n)
{
	if (((uintptr_t)d & (WSIZE - 1)) == ((uintptr_t)s & (WSIZE - 1))) {
		while (n > 0 && !aligned(d)) {
			*d++ = *s++;
			n--;
		}
		word_t *wd = (word_t *)(void *)d;
		const word_t *ws = (const word_t *)(const void *)s;
		for (; n >= WSIZE; n -= WSIZE)
			*wd++ = *ws++;
		d = (unsigned char *)wd;
		s = (const unsigned char *)ws;
	}
	while (n-- > 0)
		*d++ = *s++;
}

NO_LIBCALL void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	copy_fwd(d, s, n);
	return d;
}

/* Overlap-safe: copy backwards when the destination starts inside the
 * source, so no source byte is overwritten before it has been read. */
NO_LIBCALL void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	if (dp == sp || n == 0)
		return d;
	if ((uintptr_t)dp < (uintptr_t)sp || (uintptr_t)dp - (uintptr_t)sp >= n) {
		copy_fwd(dp, sp, n);
		return d;
	}
	while (n-- > 0)
		dp[n] = sp[n];
	return d;
}

NO_LIBCALL int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

NO_LIBCALL size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

NO_LIBCALL size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* ISO C 7.24.4: compare as unsigned char. */
NO_LIBCALL int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	return (*x > *y) - (*x < *y);
}

NO_LIBCALL int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y)
			return (*x > *y) - (*x < *y);
		if (*x == '\0')
			return 0;
	}
	return 0;
}
