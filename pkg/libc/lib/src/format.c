/* format.c - the printf engine: parses conversion specifications and
 * formats integers, characters, strings and pointers; floating-point
 * conversions go to format_fp.c.  Output goes through a struct fmt_out, so
 * the same code serves streams and buffers. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include "libc_internal.h"

#define emit __libc_fmt_emit

enum len { L_NONE, L_HH, L_H, L_L, L_LL, L_J, L_Z, L_T, L_BIGL };

void __libc_fmt_pad(struct fmt_out *o, char c, int n)
{
	char chunk[32];
	memset(chunk, c, sizeof chunk);
	for (; n > 0; n -= (int)sizeof chunk)
		emit(o, chunk, n < (int)sizeof chunk ? (size_t)n : sizeof chunk);
}

/* prefix (sign, 0x), zeros, body, padded to the width as the flags say. */
static void emit_field(struct fmt_out *o, const struct fmt_spec *sp, const char *prefix,
		       int zeros, const char *body, size_t blen)
{
	size_t plen = strlen(prefix);
	int len = (int)(plen + (size_t)zeros + blen);
	int pad = sp->width > len ? sp->width - len : 0;
	if (!(sp->flags & (FL_MINUS | FL_ZERO)))
		__libc_fmt_pad(o, ' ', pad);
	emit(o, prefix, plen);
	if ((sp->flags & (FL_MINUS | FL_ZERO)) == FL_ZERO)
		zeros += pad;
	__libc_fmt_pad(o, '0', zeros);
	emit(o, body, blen);
	if (sp->flags & FL_MINUS)
		__libc_fmt_pad(o, ' ', pad);
}

static void fmt_integer(struct fmt_out *o, struct fmt_spec sp, uintmax_t v, int neg)
{
	char digits[32], *end = digits + sizeof digits, *p = end;
	unsigned base = sp.conv == 'o' ? 8 : (sp.conv == 'x' || sp.conv == 'X' || sp.conv == 'p') ? 16 : 10;
	const char *xdig = sp.conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	for (uintmax_t t = v; t; t /= base)
		*--p = xdig[t % base];
	if (sp.prec < 0 && v == 0)
		*--p = '0';                         /* %.0d of 0 prints no digit */
	int n = (int)(end - p);
	int zeros = sp.prec > n ? sp.prec - n : 0;
	if (sp.prec >= 0)
		sp.flags &= ~(unsigned)FL_ZERO;
	const char *prefix = "";
	if (sp.conv == 'd' || sp.conv == 'i')
		prefix = neg ? "-" : (sp.flags & FL_PLUS) ? "+" : (sp.flags & FL_SPACE) ? " " : "";
	else if (sp.conv == 'o' && (sp.flags & FL_HASH) && zeros == 0 && (n == 0 || *p != '0'))
		zeros = 1;
	else if ((sp.flags & FL_HASH) && v && sp.conv == 'x')
		prefix = "0x";
	else if ((sp.flags & FL_HASH) && v && sp.conv == 'X')
		prefix = "0X";
	else if (sp.conv == 'p')
		prefix = "0x";
	emit_field(o, &sp, prefix, zeros, p, (size_t)n);
}

static void fmt_string(struct fmt_out *o, struct fmt_spec sp, const char *s)
{
	if (!s)        /* glibc's convention: "(null)" unless cut shorter */
		s = sp.prec >= 0 && sp.prec < 6 ? "" : "(null)";
	size_t n = sp.prec >= 0 ? strnlen(s, (size_t)sp.prec) : strlen(s);
	sp.flags &= ~(unsigned)FL_ZERO;
	emit_field(o, &sp, "", 0, s, n);
}

static uintmax_t get_unsigned(va_list *ap, enum len len)
{
	switch (len) {
	case L_HH: return (unsigned char)va_arg(*ap, unsigned);
	case L_H:  return (unsigned short)va_arg(*ap, unsigned);
	case L_L:  return va_arg(*ap, unsigned long);
	case L_LL: return va_arg(*ap, unsigned long long);
	case L_J:  return va_arg(*ap, uintmax_t);
	case L_Z:  return va_arg(*ap, size_t);
	case L_T:  return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default:   return va_arg(*ap, unsigned);
	}
}

static intmax_t get_signed(va_list *ap, enum len len)
{
	switch (len) {
	case L_HH: return (signed char)va_arg(*ap, int);
	case L_H:  return (short)va_arg(*ap, int);
	case L_L:  return va_arg(*ap, long);
	case L_LL: return va_arg(*ap, long long);
	case L_J:  return va_arg(*ap, intmax_t);
	case L_Z:  return (intmax_t)va_arg(*ap, size_t);
	case L_T:  return va_arg(*ap, ptrdiff_t);
	default:   return va_arg(*ap, int);
	}
}

static void store_count(va_list *ap, enum len len, size_t count)
{
	void *p = va_arg(*ap, void *);
	switch (len) {
	case L_HH: *(signed char *)p = (signed char)count; break;
	case L_H:  *(short *)p = (short)count; break;
	case L_L:  *(long *)p = (long)count; break;
	case L_LL: *(long long *)p = (long long)count; break;
	case L_J:  *(intmax_t *)p = (intmax_t)count; break;
	case L_Z:  *(size_t *)p = count; break;
	case L_T:  *(ptrdiff_t *)p = (ptrdiff_t)count; break;
	default:   *(int *)p = (int)count; break;
	}
}

static int parse_num(const char **f)
{
	int n = 0;
	for (; **f >= '0' && **f <= '9'; (*f)++)
		n = n > (INT_MAX - 9) / 10 ? INT_MAX : n * 10 + (**f - '0');
	return n;
}

int __libc_vformat(struct fmt_out *o, const char *fmt, va_list ap_in)
{
	va_list ap;
	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			const char *s = fmt;
			while (*fmt && *fmt != '%')
				fmt++;
			emit(o, s, (size_t)(fmt - s));
			continue;
		}
		const char *start = fmt++;
		struct fmt_spec sp = { 0, -1, -1, 0 };
		for (;; fmt++) {
			const char *fl = strchr("-+ #0", *fmt);
			if (!*fmt || !fl)
				break;
			sp.flags |= 1u << (fl - "-+ #0");
		}
		if (*fmt == '*') {
			fmt++;
			int w = va_arg(ap, int);
			if (w < 0) {
				sp.flags |= FL_MINUS;
				w = w == INT_MIN ? INT_MAX : -w;
			}
			sp.width = w;
		} else if (*fmt >= '0' && *fmt <= '9') {
			sp.width = parse_num(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				fmt++;
				int pr = va_arg(ap, int);
				sp.prec = pr < 0 ? -1 : pr;
			} else {
				sp.prec = parse_num(&fmt);
			}
		}
		enum len len = L_NONE;
		switch (*fmt) {
		case 'h': len = fmt[1] == 'h' ? (fmt++, L_HH) : L_H; fmt++; break;
		case 'l': len = fmt[1] == 'l' ? (fmt++, L_LL) : L_L; fmt++; break;
		case 'j': len = L_J; fmt++; break;
		case 'z': len = L_Z; fmt++; break;
		case 't': len = L_T; fmt++; break;
		case 'L': len = L_BIGL; fmt++; break;
		}
		sp.conv = *fmt;
		if (*fmt)
			fmt++;
		switch (sp.conv) {
		case 'd': case 'i': {
			intmax_t v = get_signed(&ap, len);
			fmt_integer(o, sp, v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v, v < 0);
			break;
		}
		case 'u': case 'o': case 'x': case 'X':
			fmt_integer(o, sp, get_unsigned(&ap, len), 0);
			break;
		case 'p': {
			void *p = va_arg(ap, void *);
			if (!p) {
				sp.prec = -1;
				fmt_string(o, sp, "(nil)");
			} else {
				sp.flags &= ~(unsigned)(FL_PLUS | FL_SPACE);
				fmt_integer(o, sp, (uintptr_t)p, 0);
			}
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			sp.prec = -1;
			sp.flags &= ~(unsigned)FL_ZERO;
			emit_field(o, &sp, "", 0, &c, 1);
			break;
		}
		case 's':
			fmt_string(o, sp, va_arg(ap, const char *));
			break;
		case 'n':
			store_count(&ap, len, o->count);
			break;
		case '%':
			emit(o, "%", 1);
			break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
			/* long double goes through double (see <stdio.h>) */
			double v = len == L_BIGL ? (double)va_arg(ap, long double) : va_arg(ap, double);
			__libc_fmt_double(o, &sp, v);
			break;
		}
		default:                    /* unknown: print the specification as it is */
			emit(o, start, (size_t)(fmt - start));
			break;
		}
	}
	va_end(ap);
	if (o->count > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o->count;
}
