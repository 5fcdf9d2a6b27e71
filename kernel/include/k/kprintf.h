/* kprintf.h - formatted output for the kernel (no libc here).
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, length modifiers hh h l ll z t,
 * flags - 0 + space #, field width and precision (also as *).  Output is
 * always NUL-terminated when size > 0; the return value is the length the
 * full output would have had, as in C99 snprintf.
 */
#pragma once
#include <stdarg.h>
#include <stddef.h>

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
