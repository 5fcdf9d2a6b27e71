/* pingpong - the benchmark suite behind `make bench`: every kernel primitive
 * a program uses, each timed ROUNDS times (measure.h).
 *
 * The root task is the client.  ipc.c: IPC to servers in a second task and
 * in our own, fast and slow path, 0 to 64 words, a capability moved there
 * and back, and how many FPU state transfers a round trip costs.  kops.c:
 * the other primitives (null system call, yield, notification, map and
 * unmap, creating threads and tasks, a page fault to a pager).  devs.c: an
 * interrupt to a user-level handler, and boot.  Each figure is one line
 * "bench: NAME min A median B max C" (or "count N"); mk/tool/minnow/bench
 * turns them into the table, the JSON file and the plot.
 */
#include "measure.h"
#include "setup.h"
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/notification.h>

/* The FPU taker (measure.h): woken before each figure, it executes one SSE
 * instruction, which makes it the FPU's owner, so that no measured thread
 * is; the figures are those of integer-only threads unless they say else. */
static void taker(uint64_t notif)
{
	for (;;) {
		l4_notification_wait(notif, L4_TIMEOUT_NEVER, 0);
		__asm__ volatile("xorps %%xmm0, %%xmm0" ::: "memory");
	}
}
static void take(void) { l4_notification_signal(SLOT_TAKER, 1); }

int main(int argc, char **argv)
{
	uint64_t main_stamp = l4_rdtsc();
	(void)argc; (void)argv;
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_NOTIFICATION, SLOT_TAKER, 0)))
		fail("notification", e);
	local_start(taker, SLOT_TAKER, 200);
	measure_init(take);
	ipc_figures();
	kops_figures();
	devs_figures(main_stamp);
	l4_debug_puts("pingpong: done\n");
	return 0;
}
