/* exit.c - exit, abort, and assert's failure path.
 *
 * When main returns, the framework's start code calls __libc_flush_all
 * (a weak reference: programs without libc have none) and then the exit
 * system call, so output without a final newline is written too.
 *
 * abort() exits with status 62.  The conventional 134 (128 + SIGABRT) does
 * not fit: only 0..63 of the root task's status reach the host (doc/
 * architecture.md, "Power-off status"), and 134 & 63 = 6 would look like an
 * ordinary exit(6).  62 is the top of that range below 63, kept for abort. */
#include <stdlib.h>
#include <stdio.h>
#include "libc_internal.h"

#define ABORT_STATUS 62

void exit(int status)
{
	__libc_flush_all();
	__libc_sys_exit(status);
}

void abort(void)
{
	fflush(NULL);
	fputs("abort() called\n", stderr);
	fflush(stderr);
	__libc_sys_exit(ABORT_STATUS);
}

void __libc_assert_fail(const char *expr, const char *file, int line, const char *func)
{
	fprintf(stderr, "%s:%d: %s: assertion '%s' failed\n", file, line, func, expr);
	abort();
}
