/* drivers.c - rtprobe's driver-shaped probes: one thread that serves its
 * clients and its interrupts in one receive loop (a bound notification),
 * and a console driver that takes COM1 from the kernel debugger.
 *
 *   serve N     serve N calls on its endpoint (each answered with its
 *               word + 1) and take 3N RTC interrupts ("irq8", ports
 *               0x70-0x71; 128 Hz), all in one loop on one thread; needs
 *               factory=
 *   client N    call "server" N times, 5 ms apart, checking each answer
 *   uart N      own COM1 ("irq4", ports 0x3f8-0x3ff): read N lines typed on
 *               the serial line by its receive interrupt, print each; ESC
 *               is passed on to the kernel debugger; needs factory= */
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/notification.h>
#include <l4/sys/thread.h>
#include <l4/util/port.h>
#include <devregs/uart16550.h>
#include "rtprobe.h"

/* A notification of our own, bound to our first thread: our receives then
 * also end when it is signalled (L4_LABEL_NOTIFY).  0 on failure. */
static uint64_t bound_notification(void)
{
	uint64_t n = L4_ENV_FIRST_FREE;
	int e = l4_factory_create(L4_ENV_FACTORY, L4_OBJ_NOTIFICATION, n, 0);
	if (!e)
		e = l4_thread_bind_notif(L4_ENV_THREAD, n);
	if (e) {
		printf("%s: notification: %s\n", me, l4_strerror(e));
		return 0;
	}
	return n;
}

/* ---- serve: RTC interrupts and IPC calls in one loop ---- */

#define RTC_BIT 0x1

static uint8_t cmos(uint8_t reg)
{
	l4_outb(0x70, reg);
	return l4_inb(0x71);
}
static void cmos_write(uint8_t reg, uint8_t v)
{
	l4_outb(0x70, reg);
	l4_outb(0x71, v);
}

int serve(unsigned calls)
{
	uint64_t irq = l4_env_cap("irq8"), n = bound_notification();
	if (!irq || !n)
		return 1;
	int e = l4_irq_bind_notif(irq, n, RTC_BIT);
	if (e) {
		printf("%s: bind irq: %s\n", me, l4_strerror(e));
		return 1;
	}
	/* Periodic interrupts at 128 Hz (register A rate 9, B bit 6: PIE);
	 * reading C acknowledges one at the chip (MC146818A data sheet). */
	uint8_t b = cmos(0x0b);
	cmos_write(0x0a, (uint8_t)((cmos(0x0a) & 0xf0) | 9));
	cmos_write(0x0b, b | 0x40);
	cmos(0x0c);
	printf("%s: serving calls and rtc interrupts on one thread\n", me);
	unsigned served = 0, ticks = 0, wakeups = 0;
	uint64_t badge, tag = l4_recv(L4_ENV_SERVER, &badge);
	while (served < calls || ticks < 3 * calls) {
		if (l4_error(tag)) {
			printf("%s: receive: %s\n", me, l4_strerror(l4_error(tag)));
			return 1;
		}
		if (L4_TAG_LABEL(tag) == L4_LABEL_NOTIFY) {
			wakeups++;
			if (l4_utcb()->mr[0] & RTC_BIT) {
				ticks++;
				cmos(0x0c);
				l4_irq_ack(irq);
			}
			tag = l4_recv(L4_ENV_SERVER, &badge);
			continue;
		}
		served++;
		l4_utcb()->mr[0] += 1;
		tag = l4_reply_wait(L4_ENV_SERVER, L4_TAG(0, 1, 0), &badge);
	}
	cmos_write(0x0b, b);
	cmos(0x0c);
	printf("%s: %u calls answered and %u rtc interrupts taken in one loop (%u wakeups by the notification)\n",
	       me, served, ticks, wakeups);
	return 0;
}

int client(unsigned calls)
{
	uint64_t srv = l4_env_cap("server");
	if (!srv) {
		printf("%s: no server capability\n", me);
		return 1;
	}
	for (unsigned i = 0; i < calls; i++) {
		l4_utcb()->mr[0] = 1000 + i;
		uint64_t tag = l4_call(srv, L4_TAG(1, 1, 0));
		if (l4_error(tag) || l4_utcb()->mr[0] != 1001 + i) {
			printf("%s: call %u: %s, answer %llu\n", me, i, l4_strerror(l4_error(tag)),
			       (unsigned long long)l4_utcb()->mr[0]);
			return 1;
		}
		l4_sleep_us(5000);
	}
	printf("%s: %u calls answered correctly\n", me, calls);
	return 0;
}

/* ---- uart: COM1 taken from the kernel debugger ---- */

/* The 16550's registers (PC16550D data sheet, table 2) come from
 * pkg/devregs/uart16550.dev. */
enum { COM1 = 0x3f8 };
#define ESC 0x1b

/* LAB 4 BEGIN: take(): what one received character does */
/* One received character: ESC goes to the kernel debugger, a line end
 * prints the line; 1 when a whole line is done. */
static unsigned take(uint64_t irq, char c, char *line, unsigned *len, unsigned got)
{
	if (c == ESC) {
		printf("%s: passing the debugger key on\n", me);
		int e = l4_irq_kdb_enter(irq);
		if (e)
			printf("%s: kdb: %s\n", me, l4_strerror(e));
		return 0;
	}
	if (c == '\r' || c == '\n') {
		line[*len] = '\0';
		printf("%s: line %u: '%s'\n", me, got + 1, line);
		*len = 0;
		return 1;
	}
	if (*len < 79)
		line[(*len)++] = c;
	return 0;
}
/* LAB 4 END */

int uart(unsigned lines)
{
	uint64_t irq = l4_env_cap("irq4"), n = bound_notification();
	if (!irq || !n)
		return 1;
	int e = -L4_ENOSYS;
	/* LAB 4 BEGIN: route COM1's interrupt to our notification, enable the receive interrupt */
	e = l4_irq_bind_notif(irq, n, 0x1);
	if (!e)
		uart16550_ier_wr(COM1, UART16550_IER_ERBFI);
	/* LAB 4 END */
	if (e) {
		printf("%s: bind irq: %s\n", me, l4_strerror(e));
		return 1;
	}
	printf("%s: COM1 is mine; type a line\n", me);
	/* LAB 4 BEGIN: until `lines` lines are in: sleep on the notification, read what the UART holds, acknowledge the Irq */
	char line[80];
	unsigned len = 0, got = 0;
	while (got < lines) {
		uint64_t tag = l4_recv(L4_CAP_NULL, 0);     /* a sleep the notification ends */
		if (l4_error(tag) || L4_TAG_LABEL(tag) != L4_LABEL_NOTIFY) {
			printf("%s: wait: %s\n", me, l4_strerror(l4_error(tag)));
			return 1;
		}
		(void)uart16550_iir_rd(COM1);
		while (uart16550_lsr_dr_extract(uart16550_lsr_rd(COM1)))
			got += take(irq, (char)uart16550_rbr_rd(COM1), line, &len, got);
		l4_irq_ack(irq);
	}
	/* LAB 4 END */
	uart16550_ier_wr(COM1, 0);
	return 0;
}
