/* strtol.c - strtol, strtoul, strtoll, strtoull, atoi, atol, atoll.
 * One parser yields the magnitude (saturated, with an overflow flag) and
 * the sign; each function clamps to its own type and sets ERANGE. */
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>

struct parsed {
	unsigned long long mag;
	int neg, overflow;
};

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

static struct parsed parse(const char *s, char **end, int base)
{
	struct parsed r = { 0, 0, 0 };
	const char *p = s;
	if (end)
		*end = (char *)s;           /* no number: end = s */
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return r;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		r.neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit_value((unsigned char)p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	const char *first = p;
	int d;
	for (; (d = digit_value((unsigned char)*p)) < base; p++) {
		if (r.mag > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			r.overflow = 1;
		else
			r.mag = r.mag * (unsigned)base + (unsigned)d;
	}
	if (p != first && end)
		*end = (char *)p;
	return r;
}

/* Signed result within [-(max + 1), max]. */
static long long clamp_signed(struct parsed r, long long max)
{
	unsigned long long lim = (unsigned long long)max + r.neg;
	if (r.overflow || r.mag > lim) {
		errno = ERANGE;
		return r.neg ? -max - 1 : max;
	}
	return r.neg ? (long long)(0 - r.mag) : (long long)r.mag;
}

/* Unsigned: a minus sign negates in the unsigned type (C99 7.20.1.4). */
static unsigned long long clamp_unsigned(struct parsed r, unsigned long long max)
{
	if (r.overflow || r.mag > max) {
		errno = ERANGE;
		return max;
	}
	return r.neg ? (0 - r.mag) & max : r.mag;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)clamp_signed(parse(s, end, base), LONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return clamp_signed(parse(s, end, base), LLONG_MAX);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)clamp_unsigned(parse(s, end, base), ULONG_MAX);
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
	return clamp_unsigned(parse(s, end, base), ULLONG_MAX);
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
long long atoll(const char *s) { return strtoll(s, NULL, 10); }
