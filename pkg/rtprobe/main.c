/* rtprobe - a program for the root task's tests; argv[1] says what to do:
 *   env              print its environment (name, args, capabilities)
 *   memhog STEP      malloc STEP bytes at a time, touching each, until
 *                    malloc fails; report how much it got, exit 0
 *   tick N           print N lines, 10 ms apart (an IPC timeout), exit 0
 *   crash            write to address 0
 *   rtc              read the RTC through ports 0x70/0x71 and take 3 of its
 *                    periodic interrupts (ISA IRQ 8) through "irq8"
 *   mmio PHYS        map one page of device memory at PHYS, write and read it back
 *   dma SIZE         ask for DMA memory; report its physical address
 *   objects          create endpoints from its factory until the quota is spent
 *   mapbomb          map one page of its own at ever new places (2 MiB
 *                    apart: page tables too) until the kernel refuses
 *   partial          print a line without its newline and return from main
 *   fuzz N           send N random messages (labels, words, typed items) to
 *                    the root task, then check it still answers
 *   exit N           exit with status N
 *   beat N [hang | skip K]  answer the root task's heartbeat (heartbeat= in
 *                    the config) N times, then exit 0, or with `hang` spin
 *                    forever without answering (a hung driver); with
 *                    `skip K` leave the K-th question unanswered (one miss,
 *                    which the root task forgives: RT_HEARTBEAT_MISSES)
 *   calls MS         call the root task (parent_mem_info) without pause for
 *                    MS ms of guest time, answering the heartbeat between
 *                    calls; every reply is checked (exit 1 if one was wrong)
 *   serve N, client N, uart N   driver-shaped probes: see drivers.c */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/irq.h>
#include <l4/sys/task.h>
#include <l4/util/port.h>
#include <l4/sys/notification.h>
#include <l4/sys/thread.h>
#include <l4/util/rdtsc.h>
#include <parent_client.h>
#include "rtprobe.h"

const char *me;

static int env(void)
{
	const struct l4_env *e = l4_env();
	if (!e) {
		printf("%s: no environment\n", me);
		return 1;
	}
	printf("%s: env name=%s cmdline=\"%s\" prio=%u mem=%llu\n", me, e->name, e->cmdline,
	       e->prio, (unsigned long long)e->mem_quota);
	for (unsigned i = 0; i < e->ncaps; i++)
		printf("%s: cap %s slot %llu type %u\n", me, e->caps[i].name,
		       (unsigned long long)e->caps[i].slot, e->caps[i].type);
	return 0;
}

static int memhog(size_t step)
{
	size_t got = 0;
	for (;;) {
		char *p = malloc(step);
		if (!p)
			break;
		memset(p, 0xa5, step);     /* every page really backed */
		got += step;
	}
	uint64_t quota = 0, used = 0;
	parent_mem_info(L4_ENV_PARENT, &quota, &used);
	printf("%s: malloc failed after %zu KiB (quota %llu KiB, committed %llu KiB)\n", me,
	       got / 1024, (unsigned long long)quota / 1024, (unsigned long long)used / 1024);
	return 0;
}

static uint8_t cmos(uint8_t reg)
{
	l4_outb(0x70, reg);
	return l4_inb(0x71);
}

/* The RTC's periodic interrupt at 128 Hz (register A rate 9, B bit 6);
 * reading register C acknowledges it at the chip (MC146818 data sheet). */
static int rtc(void)
{
	uint8_t sec = cmos(0x00);
	printf("%s: rtc seconds register 0x%02x\n", me, sec);
	uint64_t irq = l4_env_cap("irq8");
	if (!irq) {
		printf("%s: no irq8 capability\n", me);
		return 1;
	}
	int e = l4_irq_bind_thread(irq, L4_ENV_THREAD);
	if (e) {
		printf("%s: bind: %s\n", me, l4_strerror(e));
		return 1;
	}
	l4_outb(0x70, 0x0a);
	l4_outb(0x71, (uint8_t)((cmos(0x0a) & 0xf0) | 9));
	uint8_t b = cmos(0x0b);
	l4_outb(0x70, 0x0b);
	l4_outb(0x71, b | 0x40);
	cmos(0x0c);
	unsigned got = 0;
	while (got < 3) {
		uint64_t n;
		if ((e = l4_irq_wait(irq, 1000000, &n))) {
			printf("%s: irq wait: %s\n", me, l4_strerror(e));
			return 1;
		}
		got++;
		cmos(0x0c);
		l4_irq_ack(irq);
	}
	l4_outb(0x70, 0x0b);
	l4_outb(0x71, b);
	printf("%s: %u rtc interrupts received\n", me, got);
	return 0;
}

static int mmio(uint64_t phys)
{
	uint64_t va;
	int e = parent_mmio_map(L4_ENV_PARENT, phys, 4096, &va);
	if (e) {
		printf("%s: mmio_map 0x%llx: %s\n", me, (unsigned long long)phys, l4_strerror(e));
		return 1;
	}
	volatile uint16_t *cell = (volatile uint16_t *)va;
	uint16_t old = cell[0];
	cell[0] = 0x2f4d;                   /* 'M', white on green, top left of the text screen */
	printf("%s: device page 0x%llx at 0x%llx: wrote 0x2f4d, read 0x%x\n", me,
	       (unsigned long long)phys, (unsigned long long)va, cell[0]);
	cell[0] = old;
	return 0;
}

static int dma(uint64_t size)
{
	uint64_t va, phys;
	int e = parent_dma_alloc(L4_ENV_PARENT, size, &va, &phys);
	if (e) {
		printf("%s: dma_alloc %llu: %s\n", me, (unsigned long long)size, l4_strerror(e));
		return 1;
	}
	memset((void *)va, 0x5a, size);
	printf("%s: dma %llu bytes at 0x%llx, physical 0x%llx (%s)\n", me,
	       (unsigned long long)size, (unsigned long long)va, (unsigned long long)phys,
	       phys && !(phys & 4095) ? "page aligned" : "BAD");
	return 0;
}

static int objects(void)
{
	unsigned n = 0;
	int e;
	while (!(e = l4_factory_create(L4_ENV_FACTORY, L4_OBJ_ENDPOINT, L4_ENV_FIRST_FREE + n, 0)))
		n++;
	printf("%s: %u endpoints, then: %s\n", me, n, l4_strerror(e));
	return e == -L4_ENOMEM ? 0 : 1;
}

static int mapbomb(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	page[0] = 1;
	unsigned n = 0;
	int e;
	for (;;) {
		uint64_t dst = 0x0000400000000000ull + (uint64_t)n * (2u << 20);
		if ((e = l4_task_mem_map(L4_ENV_TASK, L4_FPAGE((uint64_t)page, 12, L4_MEM_R), dst)))
			break;
		n++;
	}
	printf("%s: %u mappings, then: %s\n", me, n, l4_strerror(e));
	return e == -L4_ENOMEM ? 0 : 1;
}

static uint64_t next_random(uint64_t *x)
{
	*x ^= *x << 13;                     /* xorshift64 */
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int fuzz(unsigned n)
{
	static const uint32_t labels[] = { 0, 1, 2, 3, 4, 5, 0xffff, L4_LABEL_EXIT, L4_FAULT_STOP,
		PARENT_MEM_ALLOC_LABEL, PARENT_DMA_ALLOC_LABEL, PARENT_MMIO_MAP_LABEL,
		PARENT_MEM_INFO_LABEL, PARENT_THREAD_CREATE_LABEL, PARENT_SHM_ALLOC_LABEL,
		PARENT_NOTIF_CREATE_LABEL };
	uint64_t x = 0x9e3779b97f4a7c15ull, answered = 0, refused = 0;
	struct l4_utcb *u = l4_utcb();
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = next_random(&x);
		unsigned typed = (unsigned)(r >> 8) % 3, untyped = (unsigned)(r >> 16) % (L4_MR_COUNT - 2 * typed);
		if (r & 6) {                        /* mostly well-formed: the handlers run too */
			typed = 0;
			untyped = (unsigned)(r >> 16) % 3;
		}
		uint32_t label = r & 1 ? labels[(r >> 1) % (sizeof labels / sizeof labels[0])]
				       : (uint32_t)(r >> 32);
		if (label == L4_LABEL_PAGEFAULT || label == L4_LABEL_EXCEPTION)
			label = 1;                  /* those would only report us faulted */
		for (unsigned k = 0; k < L4_MR_COUNT; k++)
			u->mr[k] = next_random(&x) >> (next_random(&x) % 64);   /* small and large */
		for (unsigned t = 0; t < typed; t++) {
			uint64_t kind = next_random(&x);
			u->mr[untyped + 2 * t] = L4_ITEM(kind % 5, kind >> 8);
			u->mr[untyped + 2 * t + 1] = kind & 1 ? L4_ENV_SERVER : L4_FPAGE(0x400000, 12, L4_MEM_R);
		}
		uint64_t tag = l4_call(L4_ENV_PARENT, L4_TAG(label, untyped, typed));
		if (l4_error(tag) || u->mr[0])
			refused++;
		else
			answered++;
	}
	uint64_t quota = 0, used = 0;
	int e = parent_mem_info(L4_ENV_PARENT, &quota, &used);
	printf("%s: %u messages, %llu answered, %llu refused; then mem_info: %s, quota %llu KiB\n",
	       me, n, (unsigned long long)answered, (unsigned long long)refused,
	       e ? l4_strerror(e) : "ok", (unsigned long long)quota / 1024);
	return e ? 1 : 0;
}

/* The heartbeat notification bound to our thread: its signal ends a
 * receive on our endpoint, as a driver's loop would see it. */
static int beat(unsigned long long n, bool hang, unsigned long long skip)
{
	uint64_t hb = l4_env_cap("heartbeat"), badge;
	if (!hb) {
		printf("%s: no heartbeat notification (heartbeat= in the config)\n", me);
		return 1;
	}
	int e = l4_thread_bind_notif(L4_ENV_THREAD, hb);
	for (unsigned long long i = 1, asked = 0; !e && i <= n;) {
		uint64_t tag = l4_recv(L4_ENV_SERVER, &badge);
		if (l4_error(tag) || L4_TAG_LABEL(tag) != L4_LABEL_NOTIFY ||
		    !(l4_utcb()->mr[0] & L4_ENV_HEARTBEAT_BIT))
			continue;
		if (++asked == skip) {
			printf("%s: heartbeat question %llu left unanswered\n", me, asked);
			continue;
		}
		if (!(e = parent_heartbeat(L4_ENV_PARENT)))
			printf("%s: heartbeat %llu answered\n", me, i++);
	}
	if (e) {
		printf("%s: heartbeat: %s\n", me, l4_strerror(e));
		return 1;
	}
	if (!hang)
		return 0;
	printf("%s: hanging\n", me);
	for (volatile unsigned long spin = 0;; spin++)
		;
}

/* Requests to the root task while its heartbeat falls due: each reply
 * must be the root task's answer (status 0, our quota), never what the
 * root task's own kernel calls left in the message registers (the
 * heartbeat's signal, a restart).  With heartbeat=20ms a second of calls
 * sees some 50 questions come while the root task is serving a call. */
static int calls(uint64_t ms)
{
	uint64_t hb = l4_env_cap("heartbeat");
	if (!hb) {
		printf("%s: no heartbeat notification (heartbeat= in the config)\n", me);
		return 1;
	}
	uint64_t want = l4_env()->mem_quota, n = 0, beats = 0, wrong = 0;
	uint64_t end = l4_tsc_us() + ms * 1000;
	while (l4_tsc_us() < end) {
		uint64_t bits = 0, quota = 0, used = 0;
		int e;
		if (!l4_notification_wait(hb, L4_TIMEOUT_ZERO, &bits) && (bits & L4_ENV_HEARTBEAT_BIT)) {
			if ((e = parent_heartbeat(L4_ENV_PARENT)) && !wrong++)
				printf("%s: heartbeat answer %llu: %s\n", me,
				       (unsigned long long)beats + 1, l4_strerror(e));
			beats++;
		}
		e = parent_mem_info(L4_ENV_PARENT, &quota, &used);
		n++;
		if ((e || quota != want) && !wrong++)
			printf("%s: call %llu: mem_info %s, quota %llu (want %llu)\n", me,
			       (unsigned long long)n, e ? l4_strerror(e) : "ok",
			       (unsigned long long)quota, (unsigned long long)want);
	}
	printf("%s: %llu calls, %llu heartbeats answered meanwhile, %llu wrong replies\n", me,
	       (unsigned long long)n, (unsigned long long)beats, (unsigned long long)wrong);
	return wrong ? 1 : 0;
}

int main(int argc, char **argv)
{
	me = l4_env() ? l4_env()->name : argv[0];
	if (argc < 2) {
		printf("%s: usage: rtprobe WHAT [ARG]\n", me);
		return 2;
	}
	const char *what = argv[1];
	unsigned long long arg = argc > 2 ? strtoull(argv[2], 0, 0) : 0;
	if (!strcmp(what, "env"))
		return env();
	if (!strcmp(what, "memhog"))
		return memhog(arg ? arg : 4096);
	if (!strcmp(what, "tick")) {
		for (unsigned long long i = 1; i <= arg; i++) {
			printf("%s: tick %llu\n", me, i);
			l4_sleep_us(10000);
		}
		return 0;
	}
	if (!strcmp(what, "crash")) {
		printf("%s: writing to address 0\n", me);
		*(volatile int *)0 = 1;
		return 0;
	}
	if (!strcmp(what, "rtc"))
		return rtc();
	if (!strcmp(what, "mmio"))
		return mmio(arg);
	if (!strcmp(what, "dma"))
		return dma(arg ? arg : 8192);
	if (!strcmp(what, "mapbomb"))
		return mapbomb();
	if (!strcmp(what, "objects"))
		return objects();
	if (!strcmp(what, "fuzz"))
		return fuzz((unsigned)arg);
	if (!strcmp(what, "partial")) {
		printf("%s: no newline at the end", me);   /* written when main returns */
		return 0;
	}
	if (!strcmp(what, "exit"))
		return (int)arg;
	if (!strcmp(what, "calls"))
		return calls(arg);
	if (!strcmp(what, "beat"))
		return beat(arg, argc > 3 && !strcmp(argv[3], "hang"),
			    argc > 4 && !strcmp(argv[3], "skip") ? strtoull(argv[4], 0, 0) : 0);
	if (!strcmp(what, "serve"))
		return serve((unsigned)arg);
	if (!strcmp(what, "client"))
		return client((unsigned)arg);
	if (!strcmp(what, "uart"))
		return uart((unsigned)arg);
	printf("%s: unknown probe '%s'\n", me, what);
	return 2;
}
