/* kernel.h - what every kernel file may use: printing, panic, assertions. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "kstring.h"
#include "config.h"
#include "kprintf.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* -L4_EINVAL naming the refused argument, MR n: the code in the low byte,
 * n + 1 above it.  ipc_set_error() splits it into the result tag's code and
 * the UTCB's error_arg; every other error is a plain -L4_Exxx. */
#define EINVAL_AT(n)     (-(int)(L4_EINVAL | ((unsigned)(n) + 1) << 8))
#define ERR_CODE(e)      ((unsigned)(-(e)) & 0xff)
#define ERR_ARG(e)       ((unsigned)(-(e)) >> 8)
#define ALIGN_UP(x, a)   (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kputs(const char *s);                      /* no newline added */
void console_write(const char *s, size_t n);    /* all consoles */

/* A broken kernel invariant: print, dump registers, power off with
 * SHUTDOWN_PANIC.  Never for anything a user can cause. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Debug-build assertions (CONFIG_KERNEL_DEBUG); compiled out in release. */
#if CONFIG_KERNEL_DEBUG
#define assert(c) do { if (unlikely(!(c))) \
	panic("assertion failed: %s at %s:%d", #c, __FILE__, __LINE__); } while (0)
#else
#define assert(c) do { (void)sizeof(c); } while (0)
#endif

/* Status the kernel reports to the host when it powers off (through QEMU's
 * isa-debug-exit device; the run scripts read it). */
enum shutdown_status {
	SHUTDOWN_ROOT_EXIT_MAX = 63,   /* 0..63: the root task's own exit status */
	SHUTDOWN_ROOT_KILLED   = 64,   /* the root task died of an unhandled fault */
	SHUTDOWN_BOOT_ERROR    = 65,   /* boot could not start a root task (bad module, ...) */
	SHUTDOWN_PANIC         = 127,  /* kernel invariant broken */
};
