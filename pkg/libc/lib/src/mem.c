/* mem.c - memcpy, memmove, memset, memcmp, memchr.  Word-sized copies:
 * x86-64 loads a word from any address (Intel SDM vol. 1, 4.1.1), so
 * memcpy aligns only its destination, whatever the source's alignment -
 * frames copied out of a receive buffer start 2 bytes past a word (the
 * 14-byte Ethernet header), and a byte loop there cost servers/net five
 * instructions a byte (doc/net.md, section 6). */
#include <string.h>
#include <stdint.h>

typedef uint64_t __attribute__((may_alias)) word_t;
typedef uint64_t __attribute__((may_alias, aligned(1))) uword_t;     /* at any address */

/* Stores too may go to any address; from 16 bytes on the destination is
 * aligned first (a store that spans two words costs a CPU more).  A copy
 * of 8 bytes or more ends with one word: its last 8 bytes, rewriting what
 * the words before it already wrote with the same bytes (source and
 * destination do not overlap) instead of a byte loop of up to 7. */
void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (n < 8) {
		while (n--)
			*dp++ = *sp++;
		return d;
	}
	unsigned char *dend = dp + n;
	const unsigned char *send = sp + n;
	if (n >= 16) {
		while ((uintptr_t)dp & 7) {
			*dp++ = *sp++;
			n--;
		}
	}
	for (; n >= 8; n -= 8, dp += 8, sp += 8)
		*(uword_t *)dp = *(const uword_t *)sp;
	if (n)
		*(uword_t *)(dend - 8) = *(const uword_t *)(send - 8);
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (dp == sp || n == 0)
		return d;
	if (dp + n <= sp || dp >= sp + n)
		return memcpy(d, s, n);       /* apart */
	if (dp < sp) {                  /* overlapping, destination below: forwards, */
		for (; n >= 8; n -= 8, dp += 8, sp += 8)   /* each word read before it is written */
			*(uword_t *)dp = *(const uword_t *)sp;
		while (n--)
			*dp++ = *sp++;
		return d;
	}
	while (n--)                     /* overlapping, destination above: backwards */
		dp[n] = sp[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *dp = d;
	while (n && ((uintptr_t)dp & 7)) {
		*dp++ = (unsigned char)c;
		n--;
	}
	if (n >= 8) {
		word_t w = (unsigned char)c * 0x0101010101010101ull;
		for (; n >= 8; n -= 8, dp += 8)
			*(word_t *)dp = w;
	}
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
