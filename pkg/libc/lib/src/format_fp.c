/* format_fp.c - printf's floating-point conversions: f F e E g G a A.
 *
 * Decimal conversions are exact: a finite double is m * 2^k with integer m,
 * which is the integer m * 2^k (k >= 0) or m * 5^-k scaled by 10^k (k < 0).
 * That integer is computed in base 10^9 (at most 767 decimal digits for
 * the smallest subnormal), so every digit of the binary value is known and
 * rounding to the precision asked is exact, ties to even (glibc does the
 * same in the default rounding mode). */
#include <stdint.h>
#include <string.h>
#include "libc_internal.h"

#define emit   __libc_fmt_emit
#define LIMBS  90                   /* 90 * 9 = 810 digits >= 767 */
#define DIGITS (LIMBS * 9)

/* value = 0.d[0]d[1]...d[n-1] * 10^(e+1), i.e. d[0] has weight 10^e;
 * no trailing zeros; n == 0 means zero. */
struct dec {
	int n, e;
	char d[DIGITS];
};

static void mul_small(uint32_t *l, int *nl, uint32_t f)
{
	uint64_t carry = 0;
	for (int i = 0; i < *nl; i++) {
		uint64_t t = (uint64_t)l[i] * f + carry;
		l[i] = (uint32_t)(t % 1000000000u);
		carry = t / 1000000000u;
	}
	while (carry) {
		l[(*nl)++] = (uint32_t)(carry % 1000000000u);
		carry /= 1000000000u;
	}
}

/* Exact decimal expansion of m * 2^k. */
static void to_dec(struct dec *x, uint64_t m, int k)
{
	uint32_t l[LIMBS];
	int nl = 0;
	x->n = x->e = 0;
	if (!m)
		return;
	for (; m; m /= 1000000000u)
		l[nl++] = (uint32_t)(m % 1000000000u);
	int scale = 0;                          /* value = l * 10^scale */
	for (; k >= 29; k -= 29)
		mul_small(l, &nl, 1u << 29);
	if (k > 0)
		mul_small(l, &nl, 1u << k);
	for (; k <= -13; k += 13, scale -= 13)
		mul_small(l, &nl, 1220703125u);  /* 5^13 */
	if (k < 0) {
		uint32_t p = 1;
		for (int i = 0; i < -k; i++)
			p *= 5;
		mul_small(l, &nl, p);
		scale += k;
	}
	char tmp[10];
	int len = 0;
	for (uint32_t t = l[nl - 1]; t; t /= 10)
		tmp[len++] = (char)('0' + t % 10);
	while (len)
		x->d[x->n++] = tmp[--len];
	for (int i = nl - 2; i >= 0; i--, x->n += 9)
		for (int j = 8; j >= 0; j--, l[i] /= 10)
			x->d[x->n + j] = (char)('0' + l[i] % 10);
	x->e = x->n - 1 + scale;
	while (x->n && x->d[x->n - 1] == '0')
		x->n--;
}

/* Keep the first keep digits, rounding to nearest, ties to even. */
static void round_dec(struct dec *x, int keep)
{
	if (keep >= x->n)
		return;
	if (keep < 0) {
		x->n = 0;
		return;
	}
	int up = x->d[keep] > '5';
	if (x->d[keep] == '5') {
		up = keep + 1 < x->n;                   /* more non-zero digits follow */
		if (!up && keep > 0)
			up = (x->d[keep - 1] - '0') & 1;
	}
	x->n = keep;
	if (up) {
		int i = keep - 1;
		while (i >= 0 && x->d[i] == '9')
			i--;
		if (i < 0) {
			x->d[0] = '1';
			x->n = 1;
			x->e++;
		} else {
			x->d[i]++;
			x->n = i + 1;
		}
	}
	while (x->n && x->d[x->n - 1] == '0')
		x->n--;
}

/* Digits i .. i + count - 1 (zeros outside the expansion); returns count. */
static int put_digits(struct fmt_out *o, const struct dec *x, int i, int count)
{
	if (!o)
		return count;
	char buf[64];
	int k = 0;
	for (int c = 0; c < count; c++, i++) {
		buf[k++] = i >= 0 && i < x->n ? x->d[i] : '0';
		if (k == (int)sizeof buf || c == count - 1) {
			emit(o, buf, (size_t)k);
			k = 0;
		}
	}
	return count;
}

static int put_str(struct fmt_out *o, const char *s)
{
	size_t n = strlen(s);
	if (o)
		emit(o, s, n);
	return (int)n;
}

/* Style f body: digits of x to prec places.  o == NULL: only count. */
static int body_f(struct fmt_out *o, const struct dec *x, int prec, int dot)
{
	int len = x->e >= 0 && x->n ? put_digits(o, x, 0, x->e + 1) : put_str(o, "0");
	if (prec > 0 || dot)
		len += put_str(o, ".");
	return len + put_digits(o, x, x->e + 1, prec);
}

static int body_e(struct fmt_out *o, const struct dec *x, int prec, int dot, int upper)
{
	int len = put_digits(o, x, 0, 1);
	if (prec > 0 || dot)
		len += put_str(o, ".");
	len += put_digits(o, x, 1, prec);
	int e = x->n ? x->e : 0;
	char buf[8], *p = buf + sizeof buf;
	*--p = '\0';
	unsigned u = (unsigned)(e < 0 ? -e : e);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) || p > buf + sizeof buf - 3);
	*--p = e < 0 ? '-' : '+';
	*--p = upper ? 'E' : 'e';
	return len + put_str(o, p);
}

/* Style a body: hexadecimal mantissa and binary exponent. */
static int body_a(struct fmt_out *o, uint64_t frac, int biased, int prec, int dot, int upper)
{
	const char *xd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t lead = biased ? 1 : 0;
	int exp = frac || biased ? (biased ? biased : 1) - 1023 : 0;
	if (prec >= 0 && prec < 13) {            /* round 52 bits to 4 * prec, ties to even */
		int drop = 52 - 4 * prec;
		uint64_t mant = lead << 52 | frac, half = 1ull << (drop - 1);
		uint64_t rest = mant & ((1ull << drop) - 1);
		mant >>= drop;
		if (rest > half || (rest == half && (mant & 1)))
			mant++;
		lead = mant >> (4 * prec);
		frac = (mant & ((1ull << (4 * prec)) - 1)) << drop;
	}
	char buf[40];
	int k = 0;
	buf[k++] = xd[lead];
	int digits = 13;
	if (prec >= 0)
		digits = prec;
	else
		while (digits && !((frac >> (52 - 4 * digits)) & 15))
			digits--;
	if (digits > 0 || dot)
		buf[k++] = '.';
	for (int i = 1; i <= digits && i <= 13; i++)
		buf[k++] = xd[(frac >> (52 - 4 * i)) & 15];
	buf[k] = '\0';
	int len = put_str(o, buf);
	if (digits > 13) {
		if (o)
			__libc_fmt_pad(o, '0', digits - 13);
		len += digits - 13;
	}
	k = 0;
	buf[k++] = upper ? 'P' : 'p';
	buf[k++] = exp < 0 ? '-' : '+';
	unsigned u = (unsigned)(exp < 0 ? -exp : exp);
	char t[8];
	int tn = 0;
	do
		t[tn++] = (char)('0' + u % 10);
	while (u /= 10);
	while (tn)
		buf[k++] = t[--tn];
	buf[k] = '\0';
	return len + put_str(o, buf);
}

void __libc_fmt_double(struct fmt_out *o, const struct fmt_spec *sp, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	int neg = (int)(bits >> 63), biased = (int)((bits >> 52) & 0x7ff);
	uint64_t frac = bits & ((1ull << 52) - 1);
	char c = sp->conv, lc = (char)(c | 32);
	int upper = c != lc, dot = (sp->flags & FL_HASH) != 0;
	char prefix[4] = { 0 };
	int pl = 0;
	if (neg)
		prefix[pl++] = '-';
	else if (sp->flags & (FL_PLUS | FL_SPACE))
		prefix[pl++] = (sp->flags & FL_PLUS) ? '+' : ' ';
	unsigned flags = sp->flags;

	struct dec x;
	int mode = 0, prec = sp->prec;            /* mode: 'f', 'e', 'a', or 0: inf/nan */
	const char *special = NULL;
	if (biased == 0x7ff) {
		special = frac ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		flags &= ~(unsigned)FL_ZERO;
	} else if (lc == 'a') {
		mode = 'a';
		prefix[pl++] = '0';
		prefix[pl++] = upper ? 'X' : 'x';
	} else {
		to_dec(&x, biased ? frac | 1ull << 52 : frac, (biased ? biased : 1) - 1075);
		if (prec < 0)
			prec = 6;
		if (lc == 'f') {
			mode = 'f';
			round_dec(&x, x.e + 1 + prec);
		} else if (lc == 'e') {
			mode = 'e';
			round_dec(&x, prec + 1);
		} else {                          /* g: f or e style, by the exponent */
			int p = prec ? prec : 1;
			round_dec(&x, p);
			int xe = x.n ? x.e : 0;
			if (p > xe && xe >= -4) {
				mode = 'f';
				prec = p - 1 - xe;
				if (!dot && x.n - 1 - xe < prec)
					prec = x.n - 1 - xe > 0 ? x.n - 1 - xe : 0;
			} else {
				mode = 'e';
				prec = p - 1;
				if (!dot && x.n - 1 < prec)
					prec = x.n - 1 > 0 ? x.n - 1 : 0;
			}
		}
	}
	prefix[pl] = '\0';

	int len = mode == 'f' ? body_f(NULL, &x, prec, dot)
		: mode == 'e' ? body_e(NULL, &x, prec, dot, upper)
		: mode == 'a' ? body_a(NULL, frac, biased, prec, dot, upper)
		: put_str(NULL, special);
	int pad = sp->width > len + pl ? sp->width - len - pl : 0;
	if (!(flags & (FL_MINUS | FL_ZERO)))
		__libc_fmt_pad(o, ' ', pad);
	emit(o, prefix, (size_t)pl);
	if ((flags & (FL_MINUS | FL_ZERO)) == FL_ZERO)
		__libc_fmt_pad(o, '0', pad);
	if (mode == 'f')
		body_f(o, &x, prec, dot);
	else if (mode == 'e')
		body_e(o, &x, prec, dot, upper);
	else if (mode == 'a')
		body_a(o, frac, biased, prec, dot, upper);
	else
		put_str(o, special);
	if (flags & FL_MINUS)
		__libc_fmt_pad(o, ' ', pad);
}
