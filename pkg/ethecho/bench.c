/* bench.c - `ethecho bench`: where the instructions per echoed frame go.
 * Between the peer's MARK and STOP frames: everything the others ran (the
 * idle spinner's count: kernel, driver and client), the driver's own code
 * (its NIC_STAT_DRIVER_TSC) and ours (a turn from waking to sleeping,
 * our system calls excluded).  Under -icount shift=0 these are guest
 * instructions; mk/tool/bench_net.py divides them by the frames. */
#include <stdio.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/util/rdtsc.h>
#include <l4/util/ring_notif.h>
#include "ethecho.h"

struct bench_acct acct;

static void signal_counted(void *slot)
{
	uint64_t t = l4_rdtsc();
	l4_ring_notif_signal(slot);
	acct.sys += l4_rdtsc() - t;
}

int bench_init(struct nic *n)
{
	if (!(acct.idle = l4_env_cap("idle"))) {
		printf("%s: bench: no capability 'idle' (the spinner's endpoint)\n", me);
		return -1;
	}
	for (unsigned i = 0; i < NIC_RINGS; i++)
		n->ring[i].signal = signal_counted;
	return 0;
}

/* The spinner's count, the driver's and ours now (our turn so far
 * included: a turn may hold many frames). */
static int sample(struct nic *n, uint64_t s[5])
{
	uint64_t t = l4_rdtsc(), v[16] = { 0 };
	acct.user += t - acct.turn - (acct.sys - acct.turn_sys);
	uint64_t tag = l4_call(acct.idle, L4_TAG(1, 0, 0));
	int e = l4_error(tag);
	s[0] = l4_utcb()->mr[0];
	if (!e)
		e = nic_stats(n->ep, v);
	s[1] = v[NIC_STAT_DRIVER_TSC];
	acct.sys += l4_rdtsc() - t;
	s[2] = acct.user;
	s[3] = v[NIC_STAT_IRQS];
	s[4] = v[NIC_STAT_WAKEUPS];
	acct.turn = l4_rdtsc();
	acct.turn_sys = acct.sys;
	if (e)
		printf("%s: bench: sample: %s\n", me, l4_strerror(e));
	return e;
}

/* The interval since the last mark, if any, as one line. */
int bench_stop(struct nic *n, const struct counts *c)
{
	uint64_t end[5];
	if (!acct.marked)
		return 0;
	if (sample(n, end))
		return -1;
	uint64_t frames = c->echoed - acct.frames, all = end[0] - acct.start[0];
	uint64_t drv = end[1] - acct.start[1], cli = end[2] - acct.start[2];
	printf("bench: net frames %llu busy %llu driver %llu client %llu kernel %llu irqs %llu "
	       "wakeups %llu\n", (unsigned long long)frames, (unsigned long long)all,
	       (unsigned long long)drv, (unsigned long long)cli, (unsigned long long)(all - drv - cli),
	       (unsigned long long)(end[3] - acct.start[3]), (unsigned long long)(end[4] - acct.start[4]));
	return 0;
}

/* A mark ends the interval before it and starts the next. */
int bench_mark(struct nic *n, const struct counts *c)
{
	if (bench_stop(n, c))
		return -1;
	acct.frames = c->echoed;
	acct.marked = true;
	return sample(n, acct.start);
}
