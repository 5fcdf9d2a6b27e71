/* main.c - the console server: one thread serves the console interface
 * (libl4/lib/console.idl) to its clients, COM1's receive interrupt and the
 * keyboard's, in one receive loop (the interrupts signal a notification
 * bound to the thread, each its bit).  The config gives it the UART, and,
 * if it should drive them, the VGA text screen and the PS/2 keyboard; its
 * programs get the console:
 *
 *   start console module=console irq=4,1 mmio=0xb8000+0x1000
 *                 io=0x3f8-0x3ff,0x3d4-0x3d5,0x60-0x60,0x64-0x64
 *   start shell   module=shell caps=console,...
 *
 * The kernel keeps writing its own lines to the same UART; ESC, alone, is
 * the debugger's key and is passed on to it (L4_IRQ_KDB_ENTER). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/irq.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <parent_client.h>
#include <console_server.h>
#include "console.h"

#define NOTIF       L4_ENV_FIRST_FREE          /* bound to our thread: the UART's interrupt */
#define WINDOW      (L4_ENV_FIRST_FREE + 1)    /* two slots: where an open's capabilities land */
#define REDRAW_US   100000                     /* quiet this long: draw the focus' line again */
#define ESC         0x1b
#define BIT_UART    0x1                        /* our notification's bits */
#define BIT_KBD     0x2
_Static_assert(CONSOLE_DOORBELL != BIT_UART && CONSOLE_DOORBELL != BIT_KBD, "doorbell bit");

static const char *me = "console";
static uint64_t irq;
static bool stats;                             /* args="stats": print key-to-echo times */
uint64_t cons_key_t0, cons_echo_lat;

static struct client *client_of(uint64_t badge)
{
	return badge >= 1 && badge <= CONS_CLIENTS ? &cons_client[badge] : 0;
}

/* A program's name as the config allows it (1..15 of A-Z a-z 0-9 _ -):
 * it goes to the terminal before the program's lines, so no control
 * characters or escape sequences. */
static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static int c_open(void *ctx, uint64_t badge, const char *name, uint64_t wake, uint64_t life,
		  uint64_t ring_at, uint32_t flags, uint64_t *doorbell)
{
	struct client *c = client_of(badge);
	struct l4_cap_info ci;
	if (unlikely(!c))
		return -L4_EPERM;
	if (unlikely(!name_ok(name) || ring_at < L4_ENV_RECV_BASE || ring_at >= L4_ENV_RECV_END ||
		     ring_at % CONSOLE_RING_BYTES || (flags & ~CONSOLE_OPEN_AGAIN)))
		return -L4_EINVAL;
	if (unlikely(l4_task_cap_info(L4_ENV_TASK, wake, &ci) || ci.type != L4_OBJ_NOTIFICATION ||
		     l4_task_cap_info(L4_ENV_TASK, life, &ci) || ci.type != L4_OBJ_THREAD))
		return -L4_EINVAL;
	l4_task_cap_delete(L4_ENV_TASK, CONS_WAKE(badge));
	l4_task_cap_delete(L4_ENV_TASK, CONS_LIFE(badge));
	int e = l4_task_cap_move(L4_ENV_TASK, wake, CONS_WAKE(badge));
	if (likely(!e))
		e = l4_task_cap_move(L4_ENV_TASK, life, CONS_LIFE(badge));
	if (unlikely(e))
		return e;
	/* Again after our restart: its ring, held line and mode stay. */
	bool again = (flags & CONSOLE_OPEN_AGAIN) && c->ring_on;
	if (!again) {
		screen_drop((unsigned)badge);
		*c = (struct client){ .ring_mem = c->ring_mem };
	}
	c->open = true;
	c->wake = CONS_WAKE(badge);
	strcpy(c->name, name);
	if (unlikely((e = ring_open((unsigned)badge, again, ring_at)))) {
		c->open = false;
		return e;
	}
	*doorbell = MINNOW_IDL_CAP(NOTIF, L4_CAP_WRITE);
	return 0;
}

static int c_write(void *ctx, uint64_t badge, const void *data, size_t len)
{
	struct client *c = client_of(badge);
	if (unlikely(!c))
		return -L4_EPERM;
	if (unlikely(!c->open))
		return -L4_ESTATE;
	screen_write((unsigned)badge, data, len);
	return 0;
}

static int c_read(void *ctx, uint64_t badge, uint32_t max, void *data, size_t *len)
{
	struct client *c = client_of(badge);
	if (unlikely(!c))
		return -L4_EPERM;
	if (unlikely(!c->open))
		return -L4_ESTATE;
	if (unlikely(!max))
		return -L4_EINVAL;
	if (!c->reader) {
		c->reader = true;
		focus_first_read((unsigned)badge);
	}
	if (c->intr) {
		c->intr = false;
		return -L4_ECANCELED;
	}
	if (!c->inlen) {
		if (!c->eof)
			return -L4_EAGAIN;
		c->eof = false;
		*len = 0;
		return 0;
	}
	if (max > CONSOLE_READ_DATA_MAX)
		max = CONSOLE_READ_DATA_MAX;
	size_t n = 0;
	char *out = data;
	while (n < max && c->inlen) {
		char ch = c->in[c->inhead];
		c->inhead = (c->inhead + 1) % CONS_INPUT;
		c->inlen--;
		out[n++] = ch;
		if (ch == '\n' && !c->raw)
			break;          /* a line at a time */
	}
	*len = n;
	return 0;
}

static int c_mode(void *ctx, uint64_t badge, uint32_t flags)
{
	struct client *c = client_of(badge);
	if (unlikely(!c))
		return -L4_EPERM;
	if (unlikely(flags & ~CONSOLE_RAW))
		return -L4_EINVAL;
	c->raw = flags & CONSOLE_RAW;
	if (cons_saved[badge].open)
		cons_saved[badge].raw = c->raw;
	return 0;
}

static const struct console_ops ops = {
	.open = c_open, .write = c_write, .read = c_read, .mode = c_mode,
};

/* Everything the UART has: keys, escape sequences (ESC [ ... final byte,
 * in one burst, as a terminal sends an arrow key), and ESC alone, the
 * debugger's. */
static void uart_input(void)
{
	int k;
	while ((k = uart_getc()) >= 0) {
		if (k != ESC) {
			ldisc_key(k);
			continue;
		}
		if (!uart_pending()) {
			int e = l4_irq_kdb_enter(irq);
			if (e)
				printf("%s: debugger: %s\n", me, l4_strerror(e));
			continue;
		}
		char seq[8] = { ESC };
		size_t n = 1;
		while (n < sizeof seq && (k = uart_getc()) >= 0) {
			seq[n++] = (char)k;
			if (n > 2 && k >= 0x40 && k <= 0x7e)
				break;
		}
		ldisc_seq(seq, n);
	}
	uart_ack();
}

/* The keyboard and the screen, if the config gave them: both or neither
 * make sense, but each works alone. */
static void local_console(void)
{
	bool vga = vga_init();
	uint64_t kirq = l4_env_cap("irq1");
	int e = kirq ? kbd_init(kirq, NOTIF, BIT_KBD) : -L4_ENOCAP;
	if (vga || !e)
		printf("%s: %s%s%s\n", me, vga ? "VGA text screen" : "", vga && !e ? " and " : "",
		       !e ? "PS/2 keyboard" : "");
	if (kirq && e)
		printf("%s: keyboard: %s\n", me, l4_strerror(e));
}

int main(int argc, char **argv)
{
	stats = argc > 1 && !strcmp(argv[1], "stats");
	if (!l4_env()) {
		printf("%s: not started by the root task\n", me);
		return 1;
	}
	irq = l4_env_cap("irq4");
	int e = irq ? 0 : -L4_ENOCAP;
	if (!e)
		e = parent_notif_create(L4_ENV_PARENT, NOTIF);
	if (!e)
		e = l4_thread_bind_notif(L4_ENV_THREAD, NOTIF);
	if (!e)
		e = uart_init(irq, NOTIF, BIT_UART);
	if (e) {
		printf("%s: cannot take COM1 (config: io=0x3f8-0x3ff irq=4): %s\n", me, l4_strerror(e));
		return 1;
	}
	printf("%s: COM1 is mine (16550, FIFOs on); serving up to %d programs\n", me, CONS_CLIENTS);
	local_console();
	if ((e = rings_init())) {
		printf("%s: memory for the output rings: %s\n", me, l4_strerror(e));
		return 1;
	}

	uint64_t badge, reply = 0;
	l4_utcb()->cap_window = L4_CAP_WINDOW(WINDOW, 2);
	while (rings_idle())            /* what a console before us left unsaid */
		;
	uint64_t tag = l4_recv(L4_ENV_SERVER, &badge);
	for (;;) {
		if (l4_error(tag) == -L4_ETIMEOUT) {
			screen_redraw();
		} else if (L4_TAG_LABEL(tag) == L4_LABEL_NOTIFY && !l4_error(tag)) {
			uint64_t bits = l4_utcb()->mr[0];
			if (stats && (bits & (BIT_UART | BIT_KBD)))
				cons_key_t0 = cons_rdtsc();
			if (bits & BIT_UART)
				uart_input();
			if (bits & BIT_KBD)
				kbd_input();
		} else {
			bool items = L4_TAG_TYPED(tag) != 0;
			if (client_of(badge))
				ring_drain((unsigned)badge);    /* its ring's text before its request */
			console_dispatch(&ops, 0, tag, badge, &reply);
			while (rings_idle())
				;
			unsigned wait = screen_broken() ? REDRAW_US : L4_TIMEOUT_NEVER;
			if (reply && !items && !rings_owe()) {
				tag = l4_ipc(L4_IPC_REPLY | L4_IPC_RECV, 0, reply, L4_ENV_SERVER,
					     L4_TIMEOUTS(L4_TIMEOUT_NEVER, wait), &badge);
				continue;
			}
			/* Reply first (a kernel call overwrites the message
			 * registers), then what may not come between: empty the
			 * capability window (an open moved its capabilities; any
			 * other request left them, and a full window refuses the
			 * next ones), wake producers. */
			if (reply)
				l4_reply(reply);
			if (items) {
				l4_task_cap_delete(L4_ENV_TASK, WINDOW);
				l4_task_cap_delete(L4_ENV_TASK, WINDOW + 1);
			}
		}
		while (rings_idle())
			;
		rings_after_reply();
		if (cons_echo_lat) {
			printf("%s: key to echo: %llu tsc ticks\n", me, (unsigned long long)cons_echo_lat);
			cons_echo_lat = 0;
		}
		tag = l4_recv_timeout(L4_ENV_SERVER, &badge,
				      screen_broken() ? REDRAW_US : L4_TIMEOUT_NEVER);
	}
}
