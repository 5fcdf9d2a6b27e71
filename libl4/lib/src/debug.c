/* debug.c - small helpers over the debug-write system call. */
#include <l4/sys/debug.h>

long l4_debug_puts(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return l4_debug_write(s, n);
}

long l4_debug_putu(uint64_t v, unsigned base)
{
	char buf[24];
	int i = sizeof buf;
	if (base != 16)
		base = 10;
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	return l4_debug_write(buf + i, sizeof buf - i);
}
