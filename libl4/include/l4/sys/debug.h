/* <l4/sys/debug.h> - printing through the kernel debug console.
 * (Programs use libc's stdio once a console server exists.) */
#pragma once
#include <stdint.h>
#include <l4/sys/syscall.h>

long l4_debug_puts(const char *s);               /* no newline added */
long l4_debug_putu(uint64_t v, unsigned base);   /* unsigned in base 10 or 16 */
const char *l4_strerror(long err);               /* -L4_Exxx or L4_Exxx -> text */
