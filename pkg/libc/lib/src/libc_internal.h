/* libc_internal.h - what libc's files share and programs do not see. */
#pragma once
#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

/* ---- the system layer (sys.c, morecore.c): everything libc asks of the
 * outside world.  Host tests supply their own versions. ---- */

/* Write len bytes of stream fd (1 stdout, 2 stderr) somewhere. */
void __libc_sys_write(int fd, const char *buf, size_t len);
/* Up to max (> 0) bytes of stdin: the count, 0 at the end of input, -1
 * when the read was interrupted (^C on the console: errno EINTR). */
long __libc_sys_read(char *buf, size_t max);
/* End the program; status is already within what the system passes on. */
void __libc_sys_exit(int status) __attribute__((noreturn));
/* bytes (a multiple of 4096) more of zeroed heap, contiguous with the
 * previous block when possible; NULL when there is none. */
void *__libc_morecore(size_t bytes);
/* One recursive lock around malloc's heap and the output streams, so
 * threads (<pthread.h>) may use them (pthread.c; a no-op in host tests). */
void __libc_lock(void);
void __libc_unlock(void);
/* n (1 or 2) adjacent free capability slots of libc's (L4_ENV_LIBC_SLOTS..),
 * or 0 (pthread.c). */
uint64_t __libc_slots_alloc(unsigned n);

/* ---- formatted output (format.c, format_fp.c) ---- */

struct fmt_out {
	void (*put)(struct fmt_out *o, const char *s, size_t n);
	size_t count;          /* characters produced so far (put or not) */
};

/* Formats into o; returns the character count, or -1 (errno EOVERFLOW)
 * if it exceeds INT_MAX. */
int __libc_vformat(struct fmt_out *o, const char *fmt, va_list ap);

/* Conversion spec handed from format.c to the floating-point code. */
struct fmt_spec {
	unsigned flags;        /* FL_* */
	int width;             /* -1: none */
	int prec;              /* -1: none */
	char conv;             /* f F e E g G a A */
};
enum { FL_MINUS = 1, FL_PLUS = 2, FL_SPACE = 4, FL_HASH = 8, FL_ZERO = 16 };

void __libc_fmt_pad(struct fmt_out *o, char c, int n);
void __libc_fmt_double(struct fmt_out *o, const struct fmt_spec *sp, double v);

/* ---- stdio ---- */
struct __libc_file {
	int fd;                 /* 0 stdin, 1 stdout, 2 stderr */
	size_t len;             /* bytes in buf */
	size_t pos;             /* stdin: the next byte to read */
	int eof, err;           /* stdin: feof, ferror */
	char buf[256];          /* BUFSIZ */
};
void __libc_flush_all(void);

static inline void __libc_fmt_emit(struct fmt_out *o, const char *s, size_t n)
{
	o->count += n;
	if (n)
		o->put(o, s, n);
}
