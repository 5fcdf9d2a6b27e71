/* <stdio.h> - formatted output and standard input.  A program the config
 * gave a console (caps=console, servers/console) writes to it and reads
 * stdin from it; any other writes to the kernel debug console and finds
 * stdin empty.
 *
 * stdout and stderr are line-buffered: each line (or a full buffer, or
 * fflush, or exit, or the return from main) becomes one write, and a line
 * is never torn by another program's.  stdin (one thread reads it) flushes
 * stdout before it waits; ^C on the console makes a read fail once
 * (EOF, ferror, errno EINTR), ^D on an empty line is the end of input.
 * scanf knows %d %i %u %x %o %s %c %n %%, widths, * and h hh l ll z j.
 *
 * printf knows the C99 conversions d i u o x X c s p n % f F e E g G a A,
 * the flags - + space # 0, width and precision (also *), and the length
 * modifiers hh h l ll j z t L.  long double (L) is converted through double,
 * so it prints with double's precision.  %lc and %ls are not supported
 * (no wide characters). */
#pragma once
#include <stddef.h>
#include <stdarg.h>

#define EOF (-1)
#define BUFSIZ 256

typedef struct __libc_file FILE;
extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;

int printf(const char *restrict fmt, ...) __attribute__((format(__printf__, 1, 2)));
int fprintf(FILE *restrict f, const char *restrict fmt, ...)
	__attribute__((format(__printf__, 2, 3)));
int sprintf(char *restrict buf, const char *restrict fmt, ...)
	__attribute__((format(__printf__, 2, 3)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
	__attribute__((format(__printf__, 3, 4)));
int vprintf(const char *restrict fmt, va_list ap);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);

int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int puts(const char *s);
int fflush(FILE *f);          /* NULL: every stream */

int fgetc(FILE *f);           /* stdin only */
int getc(FILE *f);
int getchar(void);
int ungetc(int c, FILE *f);
char *fgets(char *restrict s, int size, FILE *restrict f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int scanf(const char *restrict fmt, ...) __attribute__((format(__scanf__, 1, 2)));
int sscanf(const char *restrict s, const char *restrict fmt, ...)
	__attribute__((format(__scanf__, 2, 3)));
int vscanf(const char *restrict fmt, va_list ap);
int vsscanf(const char *restrict s, const char *restrict fmt, va_list ap);
