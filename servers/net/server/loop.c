/* loop.c - the NO_SYS event loop (lwIP's doc/NO_SYS_SampleCode.c, on
 * Minnow's IPC).  Everything wakes one receive on the server's endpoint:
 *
 *   - a client's request: a message, answered by the next reply-and-wait;
 *   - a link's work (frames received, buffers sent): the link's bits of
 *     the notification bound to this thread, label L4_LABEL_NOTIFY;
 *   - lwIP's next timer: the receive's timeout, from
 *     sys_timeouts_sleeptime() against sys_now() (the KIP clock).
 *
 * So the server never polls and never sleeps past work: between wakeups
 * the thread is blocked in the kernel.  lwIP runs only here, on this one
 * thread, which is what NO_SYS=1 needs. */
#include <stdio.h>
#include <string.h>
#include <lwip/netif.h>
#include <lwip/timeouts.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include "loop.h"
#include "netif.h"

#define RX_BUDGET 64    /* frames per receive call, so timers and clients get their turn */

/* Microseconds to wait for lwIP's next timeout, as a receive timeout. */
static uint32_t wait_us(void)
{
	u32_t ms = sys_timeouts_sleeptime();
	if (ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		return L4_TIMEOUT_NEVER;
	if (ms == 0)
		return L4_TIMEOUT_ZERO;
	if (ms > (L4_TIMEOUT_NEVER - 1) / 1000)
		return L4_TIMEOUT_NEVER - 1;
	return ms * 1000u;
}

static void poll_link(struct net_loop *lp)
{
	while (net_netif_poll(lp->netif, RX_BUDGET) == RX_BUDGET)
		sys_check_timeouts();   /* a flood must not starve the timers */
}

void net_loop_run(struct net_loop *lp)
{
	uint64_t badge, reply = 0, tag;
	int replying = 0;
	/* The reply waits in the message registers while the timers and the
	 * link run, and they make kernel calls (a socket's wake, a driver's
	 * doorbell) that overwrite them: it is kept here meanwhile. */
	static uint64_t saved[L4_MR_COUNT];
	unsigned nsaved = 0;
	for (;;) {
		sys_check_timeouts();
		/* what lwIP sent to our own address (a socket connecting to
		 * another in this system) comes back in here */
		net_netif_loop(lp->netif);
		uint32_t us = wait_us();
		if (lp->link->ops->idle(lp->link))
			us = L4_TIMEOUT_ZERO;   /* work came while we were busy */
		if (replying) {
			memcpy(l4_utcb()->mr, saved, nsaved * sizeof(saved[0]));
			tag = l4_ipc(L4_IPC_REPLY | L4_IPC_RECV, 0, reply, lp->ep,
				     L4_TIMEOUTS(L4_TIMEOUT_NEVER, us), &badge);
		} else {
			tag = l4_recv_timeout(lp->ep, &badge, us);
		}
		replying = 0;
		lp->stats[NET_STAT_WAKEUPS]++;
		int e = l4_error(tag);
		if (e == -L4_ETIMEOUT) {
			lp->stats[NET_STAT_TIMER_RUNS]++;
			poll_link(lp);          /* cheap when idle() said there is nothing */
			continue;
		}
		if (e) {
			/* a client that went away mid-call (L4_ECANCELED) and the
			 * like: nothing to answer, keep serving */
			printf("net: receive: %s\n", l4_strerror(e));
			continue;
		}
		if (L4_TAG_LABEL(tag) == L4_LABEL_NOTIFY) {
			uint64_t bits = l4_utcb()->mr[0];
			if ((bits & lp->link->event_bits) && lp->link->ops->event)
				lp->link->ops->event(lp->link);
			if (bits & (lp->link->wake_bits | lp->link->event_bits)) {
				lp->stats[NET_STAT_LINK_WAKEUPS]++;
				poll_link(lp);
			}
			continue;
		}
		net_serve(lp, tag, badge, &reply);
		nsaved = L4_TAG_UNTYPED(reply) + 2 * L4_TAG_TYPED(reply);
		if (nsaved > L4_MR_COUNT)
			nsaved = L4_MR_COUNT;
		memcpy(saved, l4_utcb()->mr, nsaved * sizeof(saved[0]));
		lp->stats[NET_STAT_REQUESTS]++;
		replying = 1;
		if (L4_TAG_TYPED(tag)) {
			/* A capability came: reply first (a kernel call overwrites
			 * the message registers), then empty the window, or the
			 * next request with one would be refused (L4_ESLOT). */
			l4_reply(reply);
			l4_task_cap_delete(L4_ENV_TASK, NET_CAP_WINDOW);
			l4_task_cap_delete(L4_ENV_TASK, NET_CAP_WINDOW + 1);
			replying = 0;
		}
	}
}
