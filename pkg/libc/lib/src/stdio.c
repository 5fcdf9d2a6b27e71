/* stdio.c - the two output streams and the printf family's front ends.
 * Both streams are line-buffered: a newline, a full buffer, fflush or exit
 * hands the buffer to the sink (__libc_sys_write, sys.c) in one write. */
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include "libc_internal.h"

static FILE out_file = { .fd = 1 }, err_file = { .fd = 2 };
FILE *const stdout = &out_file;
FILE *const stderr = &err_file;

/* Every entry point that touches a stream holds libc's lock (threads). */
static void flush(FILE *f)
{
	if (f->len)
		__libc_sys_write(f->fd, f->buf, f->len);
	f->len = 0;
}

int fflush(FILE *f)
{
	if (!f) {
		__libc_flush_all();
		return 0;
	}
	__libc_lock();
	flush(f);
	__libc_unlock();
	return 0;
}

void __libc_flush_all(void)
{
	fflush(stdout);
	fflush(stderr);
}

static void file_write(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		f->buf[f->len++] = s[i];
		if (s[i] == '\n' || f->len == sizeof f->buf)
			flush(f);
	}
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;
	__libc_lock();
	file_write(f, &ch, 1);
	__libc_unlock();
	return (unsigned char)c;
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *restrict s, FILE *restrict f)
{
	__libc_lock();
	file_write(f, s, strlen(s));
	__libc_unlock();
	return 0;
}

int puts(const char *s)
{
	__libc_lock();                  /* the line and its newline together */
	file_write(stdout, s, strlen(s));
	file_write(stdout, "\n", 1);
	__libc_unlock();
	return 0;
}

/* ---- printf to a stream ---- */

struct file_out {
	struct fmt_out o;
	FILE *f;
};

static void file_put(struct fmt_out *o, const char *s, size_t n)
{
	file_write(((struct file_out *)o)->f, s, n);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	struct file_out fo = { { file_put, 0 }, f };
	__libc_lock();
	int r = __libc_vformat(&fo.o, fmt, ap);
	__libc_unlock();
	return r;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- printf to memory: keeps size - 1 characters and a terminator ---- */

struct buf_out {
	struct fmt_out o;
	char *buf;
	size_t size, len;
};

static void buf_put(struct fmt_out *o, const char *s, size_t n)
{
	struct buf_out *b = (struct buf_out *)o;
	if (b->size == 0)
		return;
	size_t room = b->size - 1 - b->len;
	if (n > room)
		n = room;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	struct buf_out b = { { buf_put, 0 }, buf, size, 0 };
	int r = __libc_vformat(&b.o, fmt, ap);
	if (size)
		buf[b.len] = '\0';
	return r;
}

int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)INT_MAX + 1, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int sprintf(char *restrict buf, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}
