/* kprintf.c - snprintf for the kernel.
 *
 * Follows ISO C 7.21.6.1 (fprintf) for the subset listed in kprintf.h; where
 * C leaves a case undefined the choice is glibc's, so the host test can compare
 * against the host snprintf: NULL %s prints "(null)" and NULL %p "(nil)".
 * No floating point anywhere: the kernel is built with -mgeneral-regs-only.
 * Unknown conversions (including %n, deliberately) are copied out verbatim
 * and consume no argument.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "k/kprintf.h"

#define F_LEFT  0x01   /* '-' */
#define F_PLUS  0x02   /* '+' */
#define F_SPACE 0x04   /* ' ' */
#define F_ALT   0x08   /* '#' */
#define F_ZERO  0x10   /* '0' */

/* Field widths and precisions beyond this are clamped: they cannot be
 * meaningful and it keeps every length computation far from overflow. */
#define FIELD_MAX 0x100000

enum lenmod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T };

struct out {
	char *buf;
	size_t size;
	size_t len;     /* bytes the full output needs so far */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_s(struct out *o, const char *s, int n)
{
	for (int i = 0; i < n; i++)
		put(o, s[i]);
}

struct spec {
	unsigned flags;
	int width;      /* 0 = none */
	int prec;       /* -1 = none */
	enum lenmod len;
};

/* Emit a string body of n bytes, padded to the field width. */
static void emit_padded(struct out *o, const struct spec *sp, const char *s, int n)
{
	int pad = sp->width > n ? sp->width - n : 0;

	if (!(sp->flags & F_LEFT))
		put_n(o, ' ', pad);
	put_s(o, s, n);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

/* Emit an integer: magnitude v, already-decided sign character (0 if none),
 * in the given base.  Precision, '#', '0' and width as in C 7.21.6.1p6. */
static void emit_int(struct out *o, const struct spec *sp, unsigned long long v,
		     char sign, unsigned base, bool upper, bool force_hex_prefix)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];                 /* 2^64 needs 22 octal digits */
	int nd = 0;
	bool nonzero = v != 0;

	/* "The result of converting a zero value with a precision of zero is
	 * no characters." */
	if (!(v == 0 && sp->prec == 0)) {
		do {
			tmp[nd++] = dig[v % base];
			v /= base;
		} while (v != 0);
	}

	char prefix[2];
	int npre = 0;
	if (sign)
		prefix[npre++] = sign;
	/* '#' with x: "a nonzero result has 0x prefixed"; %p always has it. */
	if (base == 16 && (force_hex_prefix || ((sp->flags & F_ALT) && nonzero))) {
		prefix[npre++] = '0';
		prefix[npre++] = upper ? 'X' : 'x';
	}

	int zeros = sp->prec > nd ? sp->prec - nd : 0;
	/* '#' with o: "increase the precision ... to force the first digit of
	 * the result to be a zero". */
	if (base == 8 && (sp->flags & F_ALT) && zeros == 0 && (nd == 0 || tmp[nd - 1] != '0'))
		zeros = 1;

	int total = npre + zeros + nd;
	int pad = sp->width > total ? sp->width - total : 0;
	/* '0' is ignored with '-' and, for integers, when a precision is given. */
	bool zero_pad = (sp->flags & F_ZERO) && !(sp->flags & F_LEFT) && sp->prec < 0;

	if (!(sp->flags & F_LEFT) && !zero_pad)
		put_n(o, ' ', pad);
	put_s(o, prefix, npre);
	if (zero_pad)
		put_n(o, '0', pad);
	put_n(o, '0', zeros);
	while (nd > 0)
		put(o, tmp[--nd]);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

/* Parse a decimal field; clamps instead of overflowing. */
static int parse_num(const char **fp)
{
	const char *f = *fp;
	int n = 0;

	while (*f >= '0' && *f <= '9') {
		if (n < FIELD_MAX)
			n = n * 10 + (*f - '0');
		f++;
	}
	*fp = f;
	return n > FIELD_MAX ? FIELD_MAX : n;
}

static long long get_signed(enum lenmod len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H:  return (short)va_arg(*ap, int);
	case LEN_L:  return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z:  return va_arg(*ap, ptrdiff_t);   /* signed type of size_t's width */
	case LEN_T:  return va_arg(*ap, ptrdiff_t);
	default:     return va_arg(*ap, int);
	}
}

static unsigned long long get_unsigned(enum lenmod len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:  return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L:  return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z:  return va_arg(*ap, size_t);
	case LEN_T:  return (size_t)va_arg(*ap, ptrdiff_t);
	default:     return va_arg(*ap, unsigned);
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	/* Work on a copy so that helpers can take a va_list pointer portably. */
	va_copy(ap, ap_in);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		const char *start = fmt++;
		struct spec sp = { 0, 0, -1, LEN_NONE };

		for (;; fmt++) {
			if (*fmt == '-') sp.flags |= F_LEFT;
			else if (*fmt == '+') sp.flags |= F_PLUS;
			else if (*fmt == ' ') sp.flags |= F_SPACE;
			else if (*fmt == '#') sp.flags |= F_ALT;
			else if (*fmt == '0') sp.flags |= F_ZERO;
			else break;
		}
		if (*fmt == '*') {
			/* A negative width argument is a '-' flag plus a width. */
			int w = va_arg(ap, int);
			fmt++;
			if (w < 0) {
				sp.flags |= F_LEFT;
				w = w < -FIELD_MAX ? FIELD_MAX : -w;
			}
			sp.width = w > FIELD_MAX ? FIELD_MAX : w;
		} else {
			sp.width = parse_num(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				/* A negative precision is taken as if it were omitted. */
				int p = va_arg(ap, int);
				fmt++;
				sp.prec = p < 0 ? -1 : (p > FIELD_MAX ? FIELD_MAX : p);
			} else {
				sp.prec = parse_num(&fmt);   /* "." alone means 0 */
			}
		}
		switch (*fmt) {
		case 'h':
			fmt++;
			sp.len = LEN_H;
			if (*fmt == 'h') { fmt++; sp.len = LEN_HH; }
			break;
		case 'l':
			fmt++;
			sp.len = LEN_L;
			if (*fmt == 'l') { fmt++; sp.len = LEN_LL; }
			break;
		case 'z': fmt++; sp.len = LEN_Z; break;
		case 't': fmt++; sp.len = LEN_T; break;
		default: break;
		}

		char c = *fmt;
		if (c != '\0')
			fmt++;
		switch (c) {
		case 'd':
		case 'i': {
			long long v = get_signed(sp.len, &ap);
			/* Negate in unsigned arithmetic: -LLONG_MIN overflows. */
			unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v
						       : (unsigned long long)v;
			char sign = v < 0 ? '-' : (sp.flags & F_PLUS) ? '+'
				  : (sp.flags & F_SPACE) ? ' ' : 0;
			emit_int(&o, &sp, mag, sign, 10, false, false);
			break;
		}
		case 'u':
			emit_int(&o, &sp, get_unsigned(sp.len, &ap), 0, 10, false, false);
			break;
		case 'x':
		case 'X':
			emit_int(&o, &sp, get_unsigned(sp.len, &ap), 0, 16, c == 'X', false);
			break;
		case 'o':
			emit_int(&o, &sp, get_unsigned(sp.len, &ap), 0, 8, false, false);
			break;
		case 'p': {
			void *p = va_arg(ap, void *);
			if (p == NULL) {
				emit_padded(&o, &sp, "(nil)", 5);
			} else {
				emit_int(&o, &sp, (uintptr_t)p, 0, 16, false, true);
			}
			break;
		}
		case 'c': {
			char ch = (char)va_arg(ap, int);
			emit_padded(&o, &sp, &ch, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;
			if (s == NULL)
				s = "(null)";
			/* With a precision, read no further than it (the array
			 * need not be NUL-terminated, C 7.21.6.1p8). */
			while ((sp.prec < 0 || n < sp.prec) && n < FIELD_MAX && s[n] != '\0')
				n++;
			emit_padded(&o, &sp, s, n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown or truncated directive: copy it out as is. */
			put_s(&o, start, (int)(fmt - start));
			break;
		}
	}
	va_end(ap);

	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
