/* stdin.c - standard input: a buffer over __libc_sys_read (sys.c: the
 * console's line discipline hands over a line at a time), getchar, fgets,
 * ungetc and a basic scanf.  Before stdin waits for input, stdout is
 * flushed, so a prompt without a newline shows.  stdin has no lock: one
 * thread reads it. */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "libc_internal.h"

static FILE in_file = { .fd = 0 };
FILE *const stdin = &in_file;

static int fill(FILE *f)
{
	fflush(stdout);
	long n = __libc_sys_read(f->buf, sizeof f->buf);
	if (n <= 0) {
		if (n < 0)
			f->err = 1;
		else
			f->eof = 1;
		return EOF;
	}
	f->pos = 0;
	f->len = (size_t)n;
	return 0;
}

int fgetc(FILE *f)
{
	if (f != stdin)
		return EOF;     /* output streams are not read */
	if (f->pos == f->len && fill(f))
		return EOF;
	return (unsigned char)f->buf[f->pos++];
}

int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

/* One byte back; a pushed-back byte is always room at the buffer's front
 * once something was read from it. */
int ungetc(int c, FILE *f)
{
	if (c == EOF || f != stdin || f->pos == 0)
		return EOF;
	f->buf[--f->pos] = (char)c;
	f->eof = 0;
	return (unsigned char)c;
}

char *fgets(char *restrict s, int size, FILE *restrict f)
{
	int i = 0;
	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		int c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return NULL;
	s[i] = '\0';
	return s;
}

int feof(FILE *f) { return f->eof; }
int ferror(FILE *f) { return f->err; }
void clearerr(FILE *f) { f->eof = f->err = 0; }

/* ---- scanf: %d %i %u %x %o %s %c %[^...] not; %% and width, h hh l ll z j ---- */

struct src {
	int (*get)(struct src *);
	void (*unget)(struct src *, int);
	const char *s;          /* sscanf */
	int count;              /* characters consumed */
};

static int s_get(struct src *r) { return *r->s ? (unsigned char)*r->s++ : EOF; }
static void s_unget(struct src *r, int c) { if (c != EOF) r->s--; }
static int f_get(struct src *r) { return fgetc(stdin); }
static void f_unget(struct src *r, int c) { ungetc(c, stdin); }

static int get(struct src *r)
{
	int c = r->get(r);
	if (c != EOF)
		r->count++;
	return c;
}
static void unget(struct src *r, int c)
{
	if (c != EOF) {
		r->count--;
		r->unget(r, c);
	}
}

static int skip_space(struct src *r)
{
	int c;
	while ((c = get(r)) != EOF && isspace(c))
		;
	unget(r, c);
	return c;
}

static void store(void *p, int len, unsigned long long v)
{
	switch (len) {
	case -2: *(char *)p = (char)v; break;
	case -1: *(short *)p = (short)v; break;
	case 0:  *(int *)p = (int)v; break;
	case 1:  *(long *)p = (long)v; break;
	default: *(long long *)p = (long long)v; break;
	}
}

static int vscan(struct src *r, const char *fmt, va_list ap)
{
	int done = 0;
	for (; *fmt; fmt++) {
		if (isspace((unsigned char)*fmt)) {
			skip_space(r);
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%')
				fmt++;
			int c = get(r);
			if (c != (unsigned char)*fmt) {
				unget(r, c);
				return done ? done : (c == EOF ? EOF : done);
			}
			continue;
		}
		fmt++;
		bool skip = *fmt == '*';
		if (skip)
			fmt++;
		int width = 0, len = 0;
		while (isdigit((unsigned char)*fmt))
			width = width * 10 + (*fmt++ - '0');
		for (;; fmt++) {
			if (*fmt == 'h') len--;
			else if (*fmt == 'l' || *fmt == 'z' || *fmt == 'j') len++;
			else break;
		}
		char conv = *fmt;
		if (conv == 'n') {
			if (!skip)
				store(va_arg(ap, void *), len, (unsigned long long)r->count);
			continue;
		}
		if (conv != 'c' && skip_space(r) == EOF)
			return done ? done : EOF;
		if (conv == 'c') {
			char *out = skip ? 0 : va_arg(ap, char *);
			for (int i = 0; i < (width ? width : 1); i++) {
				int c = get(r);
				if (c == EOF)
					return done ? done : EOF;
				if (out)
					out[i] = (char)c;
			}
			done += !skip;
			continue;
		}
		if (conv == 's') {
			char *out = skip ? 0 : va_arg(ap, char *);
			int n = 0, c;
			while ((!width || n < width) && (c = get(r)) != EOF) {
				if (isspace(c)) {
					unget(r, c);
					break;
				}
				if (out)
					out[n] = (char)c;
				n++;
			}
			if (!n)
				return done;
			if (out)
				out[n] = '\0';
			done += !skip;
			continue;
		}
		int base = conv == 'd' || conv == 'u' ? 10 : conv == 'x' || conv == 'X' ? 16 :
			   conv == 'o' ? 8 : conv == 'i' ? 0 : -1;
		if (base < 0)
			return done;    /* a conversion we do not know */
		char num[72];
		int n = 0, c;
		if (!width || width > (int)sizeof num - 1)
			width = sizeof num - 1;
		/* The characters strtoull may take: sign, 0x prefix, digits. */
		while (n < width && (c = get(r)) != EOF) {
			bool ok = isxdigit(c) || ((c == '-' || c == '+') && n == 0) ||
				  ((c == 'x' || c == 'X') && n >= 1 && num[n - 1] == '0');
			if (!ok || (base == 10 && !isdigit(c) && c != '-' && c != '+') ||
			    (base == 8 && (c > '7' || c < '0') && c != '-' && c != '+')) {
				unget(r, c);
				break;
			}
			num[n++] = (char)c;
		}
		num[n] = '\0';
		char *end;
		unsigned long long v = conv == 'd' || conv == 'i' ? (unsigned long long)strtoll(num, &end, base)
								 : strtoull(num, &end, base);
		if (end == num)
			return done;
		if (!skip)
			store(va_arg(ap, void *), len, v);
		done += !skip;
	}
	return done;
}

int vsscanf(const char *restrict s, const char *restrict fmt, va_list ap)
{
	struct src r = { s_get, s_unget, s, 0 };
	return vscan(&r, fmt, ap);
}

int sscanf(const char *restrict s, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsscanf(s, fmt, ap);
	va_end(ap);
	return n;
}

int vscanf(const char *restrict fmt, va_list ap)
{
	struct src r = { f_get, f_unget, 0, 0 };
	return vscan(&r, fmt, ap);
}

int scanf(const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vscanf(fmt, ap);
	va_end(ap);
	return n;
}
