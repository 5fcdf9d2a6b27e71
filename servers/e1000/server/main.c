/* main.c - the e1000 driver server: start-up, the session (nic.idl) and
 * one receive loop on one thread for the client's calls, the client's
 * ring notifications and the device's interrupt (a notification bound to
 * the thread).  Arguments:
 *   crash-after=N   fault on purpose at the N-th received frame (the
 *                   tests' way to kill the driver mid-stream)
 *   faults          let the session's fault call crash or hang it
 * (both only with CONFIG_E1000_FAULTS, a debug-build option)
 *   itr=N           interrupt throttling interval in 256 ns units
 *                   (0..65535, default ITR_DEFAULT; 0: no throttling) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/irq.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/util/rdtsc.h>
#include <l4/util/ring_notif.h>
#include <parent_client.h>
#include <nic_server.h>
#include <generated/autoconf.h>
#include "e1000.h"

#ifndef CONFIG_E1000_FAULTS
#define CONFIG_E1000_FAULTS 0
#endif

const char *me = "e1000";

enum { NOTIF = L4_ENV_FIRST_FREE, CLIENT_NOTIF };

static struct drv drv;

/* NIC_STAT_DRIVER_TSC: a turn of the loop is from a receive's return to
 * the next receive; the system calls in it do not count (a signal may
 * switch to the client, which runs at a higher priority). */
static void turn_begin(struct drv *d)
{
	d->span_t = l4_rdtsc();
	d->span_sys = 0;
}
static void turn_end(struct drv *d)
{
	d->stat[NIC_STAT_DRIVER_TSC] += l4_rdtsc() - d->span_t - d->span_sys;
}
static void signal_client(void *slot)
{
	uint64_t t = l4_rdtsc();
	l4_ring_notif_signal(slot);
	drv.span_sys += l4_rdtsc() - t;
}

static int attach(void *ctx, uint64_t badge, uint64_t wake_client, uint64_t at,
		  const uint64_t *held, uint64_t *wake_driver)
{
	struct drv *d = ctx;
	if (d->attached) {
		l4_task_cap_delete(L4_CAP_SELF, wake_client);
		return -L4_ESTATE;              /* one client per driver */
	}
	if (unlikely(at & (NIC_REGION_SIZE - 1))) {
		l4_task_cap_delete(L4_CAP_SELF, wake_client);
		return -L4_EINVAL;              /* the region is aligned to its size */
	}
	/* The root task maps the region to the client (the badge is the
	 * client's program index + 1): its mapping is the root task's, so it
	 * outlives us, and a client whose stack holds frames in it keeps them
	 * when we die.  Our next incarnation gets the same region back. */
	int e = parent_share(L4_ENV_PARENT, (uint64_t)d->region, badge, at);
	if (e) {
		l4_task_cap_delete(L4_CAP_SELF, wake_client);
		return e;
	}
	unsigned kept = rings_init(d, held);
	for (unsigned i = 0; i < NIC_RINGS; i++)
		l4_ring_attach(&d->ring[i], d->region + i * NIC_RING_BYTES, NIC_RING_BYTES,
			       sizeof(struct nic_desc), l4_ring_notif_wait, L4_RING_NOTIF(d->notif),
			       signal_client, L4_RING_NOTIF(wake_client));
	d->attached = true;
	hw_rx_commit(d);
	*wake_driver = MINNOW_IDL_CAP(d->notif, L4_CAP_WRITE);
	if (held[NIC_HELD_AGAIN_BIT / 64] >> (NIC_HELD_AGAIN_BIT % 64) & 1)
		printf("%s: client attached again at %llu us (started at %llu us, RCTL written at "
		       "%llu us): %u buffers, %u of them still its own\n", me,
		       (unsigned long long)l4_tsc_us(), (unsigned long long)d->t_main,
		       (unsigned long long)d->t_rctl, NIC_NBUF, kept);
	else
		printf("%s: client attached: %u buffers, rings of %u descriptors\n", me, NIC_NBUF,
		       d->ring[0].mask + 1);
	return 0;
}

/* Fault injection (CONFIG_E1000_FAULTS and the argument `faults`). */
static int fault(void *ctx, uint64_t badge, uint32_t how)
{
	struct drv *d = ctx;
	if (!CONFIG_E1000_FAULTS || !d->faults || how > 1)
		return how > 1 ? -L4_EINVAL : -L4_EPERM;
	printf("%s: fault call: %s at %llu us\n", me, how ? "hanging" : "crashing",
	       (unsigned long long)l4_tsc_us());
	if (how)
		for (volatile unsigned long spin = 0;; spin++)
			;
	static volatile uintptr_t nowhere = 8;    /* unmapped: the root task kills us */
	*(volatile int *)nowhere = 1;
	return 0;
}

static int info(void *ctx, uint64_t badge, uint8_t *mac, uint32_t *link, uint32_t *mbps)
{
	struct drv *d = ctx;
	(void)badge;
	memcpy(mac, d->mac, 6);
	hw_link(d);
	*link = d->link;
	*mbps = d->mbps;
	return 0;
}

static int stats(void *ctx, uint64_t badge, uint64_t *v)
{
	struct drv *d = ctx;
	(void)badge;
	hw_stats(d);
	memset(v, 0, 16 * sizeof *v);
	memcpy(v, d->stat, sizeof d->stat);
	return 0;
}

static const struct nic_ops ops = { .attach = attach, .info = info, .stats = stats,
				    .fault = fault };

/* Everything there is to do, until the client's rings are armed. */
static void work(struct drv *d)
{
	do {
		rings_tx_done(d);
		rings_rx_done(d);
		rings_take(d);
	} while (!rings_idle(d));
}

static void interrupt(struct drv *d, uint64_t irq)
{
	uint32_t icr = hw_irq_causes(d);        /* reading ICR lowers the line */
	d->stat[NIC_STAT_IRQS]++;
	if (icr & E1000_ICR_LSC) {
		bool was = d->link;
		hw_link(d);
		if (was != d->link) {
			d->stat[NIC_STAT_LINK_CHANGES]++;
			printf("%s: link %s", me, d->link ? "up" : "down");
			printf(d->link ? ", %u Mb/s\n" : "\n", d->mbps);
		}
	}
	uint64_t t = l4_rdtsc();
	l4_irq_ack(irq);
	d->span_sys += l4_rdtsc() - t;
}

static int setup(struct drv *d, uint64_t *irq)
{
	int e;
	if (!(*irq = l4_env_cap("pci-irq"))) {
		printf("%s: no pci-irq in my environment\n", me);
		return -L4_ENOCAP;
	}
	/* With heartbeat= in the config, the root task's heartbeat
	 * notification is the one bound to our thread: its question then
	 * ends the same receive as everything else (doc/restart.md). */
	d->notif = l4_env_cap("heartbeat");
	e = 0;
	if (!d->notif && !(e = parent_notif_create(L4_ENV_PARENT, NOTIF)))
		d->notif = NOTIF;
	if (e || (e = l4_thread_bind_notif(L4_ENV_THREAD, d->notif)) ||
	    (e = l4_irq_bind_notif(*irq, d->notif, BIT_IRQ))) {
		printf("%s: notification and interrupt: %s\n", me, l4_strerror(e));
		return e;
	}
	if ((e = hw_init(d)))
		return e;
	hw_start(d);                            /* receiving into nothing until a client attaches */
	d->t_rctl = l4_tsc_us();                /* QEMU holds frames back for 1 s from here */
	hw_link(d);
	printf("%s: ready: rings of %u receive and %u transmit descriptors, link %s, %u Mb/s, "
	       "ITR %u\n", me, RXD_COUNT, TXD_COUNT, d->link ? "up" : "down", d->mbps, d->itr);
	return 0;
}

int main(int argc, char **argv)
{
	struct drv *d = &drv;
	uint64_t irq, badge, reply;
	d->t_main = l4_tsc_us();
	d->itr = ITR_DEFAULT;
	for (int i = 1; i < argc; i++) {
		char *end;
		if (CONFIG_E1000_FAULTS && !strncmp(argv[i], "crash-after=", 12) &&
		    strtoul(argv[i] + 12, &end, 10) > 0 && !*end) {
			d->crash_after = strtoul(argv[i] + 12, 0, 10);
		} else if (CONFIG_E1000_FAULTS && !strcmp(argv[i], "faults")) {
			d->faults = true;
		} else if (!strncmp(argv[i], "itr=", 4) && strtoul(argv[i] + 4, &end, 10) <= 65535 &&
			   argv[i][4] && !*end) {
			d->itr = (unsigned)strtoul(argv[i] + 4, 0, 10);
		} else {
			printf("%s: argument %d '%s' unknown (known: %sitr=N with N <= 65535)\n", me, i,
			       argv[i], CONFIG_E1000_FAULTS ? "crash-after=N with N > 0, faults, " : "");
			return 2;
		}
	}
	if (setup(d, &irq))
		return 1;
	l4_cap_window(CLIENT_NOTIF, 1);
	uint64_t tag = l4_recv(L4_ENV_SERVER, &badge);
	for (;;) {
		turn_begin(d);
		if (unlikely(l4_error(tag))) {
			printf("%s: receive: %s\n", me, l4_strerror(l4_error(tag)));
			tag = l4_recv(L4_ENV_SERVER, &badge);
			continue;
		}
		if (L4_TAG_LABEL(tag) == L4_LABEL_NOTIFY) {
			uint64_t bits = l4_utcb()->mr[0];
			if (bits & L4_ENV_HEARTBEAT_BIT)
				parent_heartbeat(L4_ENV_PARENT);   /* the loop turns: alive */
			if (bits & BIT_CLIENT)
				d->stat[NIC_STAT_WAKEUPS]++;
			if (bits & BIT_IRQ)
				interrupt(d, irq);
			work(d);
			turn_end(d);
			tag = l4_recv(L4_ENV_SERVER, &badge);
			continue;
		}
		nic_dispatch(&ops, d, tag, badge, &reply);
		if (d->attached) {
			/* Reply first: work() signals the client, and a kernel call
			 * overwrites the message registers the reply is in (a
			 * nic_stats under load came back with a signal's status as
			 * its own). */
			l4_reply(reply);
			l4_cap_window(CLIENT_NOTIF, 1);
			work(d);                /* arms the rings: the client's puts signal us */
			turn_end(d);
			tag = l4_recv(L4_ENV_SERVER, &badge);
			continue;
		}
		turn_end(d);
		tag = l4_reply_wait(L4_ENV_SERVER, reply, &badge);
		l4_cap_window(CLIENT_NOTIF, 1);
	}
}
