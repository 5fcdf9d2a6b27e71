/* idle.c - `ethecho idle`: the benchmark's measure of everything else.
 * It runs at the lowest priority and spins on rdtsc, so the CPU never
 * halts (a halt would let -icount's clock jump); a step between two reads
 * longer than the loop's own is time the others took: kernel, driver,
 * client.  Its own system calls (the poll below) count only beyond the
 * shortest poll seen (others may run during one: the reply switches to
 * the caller, an interrupt may come).  A call from the client is answered
 * with the total and the number of gaps. */
#include <stdio.h>
#include <l4/rt/env.h>
#include <l4/sys/ipc.h>
#include <l4/util/rdtsc.h>
#include "ethecho.h"

#define POLL_EVERY 65536        /* loop turns between looks for a call */
#define GAP_MIN    200          /* ticks: longer than any turn of our own */

int idle(void)
{
	uint64_t busy = 0, gaps = 0, base = ~0ull, poll_base = ~0ull, last = l4_rdtsc();
	printf("%s: idle: spinning at the lowest priority\n", me);
	for (uint64_t i = 1;; i++) {
		uint64_t t = l4_rdtsc(), d = t - last;
		last = t;
		if (d < base)
			base = d;               /* one turn of this loop */
		else if (d > GAP_MIN) {
			busy += d - base;
			gaps++;
		}
		if (i % POLL_EVERY)
			continue;
		uint64_t badge, tag = l4_recv_timeout(L4_ENV_SERVER, &badge, L4_TIMEOUT_ZERO);
		if (!l4_error(tag)) {
			l4_utcb()->mr[0] = busy;
			l4_utcb()->mr[1] = gaps;
			l4_reply(L4_TAG(0, 2, 0));
		}
		t = l4_rdtsc();
		d = t - last;
		last = t;
		if (l4_error(tag) && d < poll_base)
			poll_base = d;          /* an empty poll, not interrupted: ours */
		else if (d > poll_base + GAP_MIN) {
			busy += d - poll_base;
			gaps++;
		}
	}
}
