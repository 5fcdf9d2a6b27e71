/* sys.c - libc's way out and in.  A program the config gave a console
 * (caps=console) writes stdout and stderr to it and reads stdin from it
 * (libl4/lib/console.idl); any other program writes to the kernel debug
 * console and reads an empty stdin.  The console is opened at the first
 * use: our name for its lines, and a notification it wakes us with when
 * input is ready, and a read-only copy of our first thread, which tells
 * the console when we have gone. */
#include <errno.h>
#include <l4/rt/env.h>
#include <l4/rt/console.h>
#include <l4/sys/notification.h>
#include <l4/sys/syscall.h>
#include <parent_client.h>
#include "libc_internal.h"

static int cons_state;          /* 0: not looked yet, 1: open, -1: none */
static uint64_t cons, wake;

static bool console(void)
{
	if (cons_state)
		return cons_state > 0;
	cons_state = -1;
	if (!l4_env() || !(cons = l4_env_cap("console")))
		return false;
	wake = __libc_slots_alloc(1);
	if (wake && !parent_notif_create(L4_ENV_PARENT, wake) &&
	    !console_open(cons, l4_env()->name, MINNOW_IDL_CAP(wake, L4_CAP_WRITE),
			  MINNOW_IDL_CAP(L4_ENV_THREAD, L4_CAP_READ)))
		cons_state = 1;
	return cons_state > 0;
}

static void debug_write(const char *buf, size_t len)
{
	while (len) {
		long n = l4_debug_write(buf, len);
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void __libc_sys_write(int fd, const char *buf, size_t len)
{
	(void)fd;
	while (len && console()) {
		size_t n = len < CONSOLE_WRITE_DATA_MAX ? len : CONSOLE_WRITE_DATA_MAX;
		if (console_write(cons, buf, n)) {
			cons_state = -1;        /* the console is gone: the rest to the kernel's */
			break;
		}
		buf += n;
		len -= n;
	}
	debug_write(buf, len);
}

long __libc_sys_read(char *buf, size_t max)
{
	if (!console())
		return 0;
	if (max > CONSOLE_READ_DATA_MAX)
		max = CONSOLE_READ_DATA_MAX;
	for (;;) {
		size_t n = 0;
		int e = console_read(cons, (uint32_t)max, buf, &n);
		if (!e)
			return (long)n;
		if (e == -L4_ECANCELED) {
			errno = EINTR;
			return -1;
		}
		if (e != -L4_EAGAIN) {
			errno = EIO;
			return -1;
		}
		/* It keeps the bit until we wait: input that came since is not missed. */
		uint64_t bits;
		l4_notification_wait(wake, L4_TIMEOUT_NEVER, &bits);
	}
}

void __libc_sys_exit(int status)
{
	l4_exit(status);
}
