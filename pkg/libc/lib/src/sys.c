/* sys.c - libc's way out and in.  A program the config gave a console
 * (caps=console) writes stdout and stderr to it and reads stdin from it
 * (libl4/lib/console.idl); any other program writes to the kernel debug
 * console and reads an empty stdin.  The console is opened at the first
 * use: our name for its lines, a notification it wakes us with (input
 * ready, room in the ring), and a read-only copy of our first thread,
 * which tells the console when we have gone.  It lends us a ring for our
 * output (<l4/util/ring.h>, at the top of our receive window): a flushed
 * buffer becomes chunks there, and a kernel call only when the console
 * sleeps (its doorbell) or the ring is full (we wait for room). */
#include <errno.h>
#include <string.h>
#include <l4/sys/ipc.h>
#include <l4/util/ring.h>
#include <l4/rt/env.h>
#include <l4/rt/console.h>
#include <l4/sys/notification.h>
#include <l4/sys/syscall.h>
#include <l4/sys/task.h>
#include <parent_client.h>
#include "libc_internal.h"

#define RING_AT (L4_ENV_RECV_END - CONSOLE_RING_BYTES)
#define ROOM_WAIT_US 10000      /* bounded: another thread's read may take the bit */

static int cons_state;          /* 0: not looked yet, 1: open, -1: none */
static uint64_t cons, wake, doorbell;
static struct l4_ring ring;
static bool ring_on;
static uint32_t epoch;          /* the console's, in our ring's header, at our open */

static void wait_room(void *ctx)
{
	uint64_t bits;
	l4_notification_wait(wake, ROOM_WAIT_US, &bits);
}

static bool open_console(bool again);

/* A new epoch in the ring's header: a restarted console took our ring on
 * (doc/restart.md), and our doorbell is the dead one's.  Open again - our
 * ring and what we wrote into it are kept - and ring the new one.  (A
 * doorbell that fails means the same.) */
static void ring_doorbell(void *ctx)
{
	if (__atomic_load_n(CONSOLE_RING_EPOCH(ring.s), __ATOMIC_SEQ_CST) != epoch &&
	    !open_console(true))
		return;
	if (l4_notification_signal(doorbell, CONSOLE_DOORBELL) && open_console(true))
		l4_notification_signal(doorbell, CONSOLE_DOORBELL);
}

/* console_open; again: after the console's restart (the same ring). */
static bool open_console(bool again)
{
	struct l4_utcb *u = l4_utcb();
	uint64_t cap_window = u->cap_window, db;
	l4_task_cap_delete(L4_CAP_SELF, doorbell);      /* the dead console's, if any */
	u->cap_window = L4_CAP_WINDOW(doorbell, 1);
	int e = console_open(cons, l4_env()->name, MINNOW_IDL_CAP(wake, L4_CAP_WRITE),
			     MINNOW_IDL_CAP(L4_ENV_THREAD, L4_CAP_READ), RING_AT,
			     again ? CONSOLE_OPEN_AGAIN : 0, &db);
	u->cap_window = cap_window;
	if (!e && db == doorbell) {
		epoch = __atomic_load_n(CONSOLE_RING_EPOCH((struct l4_ring_shared *)RING_AT),
					__ATOMIC_SEQ_CST);
		return true;
	}
	if (again) {
		cons_state = -1;                /* gone for good: the kernel's console */
		ring_on = false;
	}
	return false;
}

static bool console(void)
{
	if (cons_state)
		return cons_state > 0;
	cons_state = -1;
	if (!l4_env() || !(cons = l4_env_cap("console")))
		return false;
	wake = __libc_slots_alloc(1);
	doorbell = __libc_slots_alloc(1);
	if (!wake || !doorbell || parent_notif_create(L4_ENV_PARENT, wake))
		return false;
	if (!open_console(false) ||
	    l4_ring_attach(&ring, (void *)RING_AT, CONSOLE_RING_BYTES, sizeof(struct console_chunk),
			   wait_room, 0, ring_doorbell, 0))
		return false;
	/* A reader asleep on wake hears of the console's restart from the
	 * root task (CONSOLE_WAKE_AGAIN) and opens again. */
	parent_watch(L4_ENV_PARENT, cons, wake, CONSOLE_WAKE_AGAIN);
	cons_state = 1;
	ring_on = true;
	return true;
}

/* Into the ring: how much went in (all, unless the ring is broken). */
static size_t ring_write(const char *buf, size_t len)
{
	struct console_chunk ch;
	size_t done = 0;
	while (done < len) {
		ch.len = (uint8_t)(len - done < sizeof ch.text ? len - done : sizeof ch.text);
		memcpy(ch.text, buf + done, ch.len);
		if (l4_ring_push(&ring, &ch) != L4_RING_OK)
			break;
		done += ch.len;
	}
	return done;
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
	if (len && console() && ring_on) {
		size_t done = ring_write(buf, len);
		buf += done;
		len -= done;
		ring_on = !len;         /* a broken ring: messages from now on */
	}
	while (len && console()) {
		size_t n = len < CONSOLE_WRITE_DATA_MAX ? len : CONSOLE_WRITE_DATA_MAX;
		int e = console_write(cons, buf, n);
		/* a restarted console does not know us yet (L4_ESTATE), or it
		 * died during the call (L4_ECANCELED): open again, write again */
		if ((e == -L4_ESTATE || e == -L4_ECANCELED) && open_console(true))
			e = console_write(cons, buf, n);
		if (e) {
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
		if (e == -L4_ESTATE && open_console(true))
			continue;               /* a restarted console: we are known again */
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
		uint64_t bits = 0;
		l4_notification_wait(wake, L4_TIMEOUT_NEVER, &bits);
		if ((bits & CONSOLE_WAKE_AGAIN) && !open_console(true)) {
			errno = EIO;
			return -1;
		}
	}
}

void __libc_sys_exit(int status)
{
	l4_exit(status);
}
