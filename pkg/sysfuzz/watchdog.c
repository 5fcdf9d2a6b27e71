/* watchdog.c - the fuzzer's main thread must never wait for good: a call to
 * an endpoint waits for its reply without a timeout (the helper that took it
 * may never answer), and a wait may find its timeout in a register the call
 * did not set.  A thread of the root task at the highest priority looks
 * every 20 ms; when no call has ended since its last look and the main
 * thread is blocked in IPC, it stops and resumes it, so the call returns
 * L4_ECANCELED (and stop/resume of a blocked thread is exercised too).
 * When the main thread is ready but has not run (a helper of a higher
 * priority spinning in user mode), it raises it to the top priority, which
 * the main thread then shares round robin, until its calls go on. */
#include "fuzz.h"
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/syscall.h>
#include <l4/sys/thread.h>

#define WD_SLOT 8
#define WD_UTCB (L4_ROOT_UTCB_ADDR + 0x1000)
static uint8_t wd_stack[8192] __attribute__((aligned(16)));
uint64_t watchdog_kicks, watchdog_boosts;
#define MAIN_PRIO 100                     /* the root task's first thread's (kernel-api.md 8) */

static void watchdog(uint64_t unused)
{
	(void)unused;
	uint64_t last = ~0ull;
	int boosted = 0;
	for (;;) {
		l4_sleep_us(20000);
		uint64_t now = calls_done;
		unsigned st, prio, mcp;
		if (now == last && !l4_thread_info(L4_CAP_THREAD, &st, &prio, &mcp)) {
			if (st == L4_THREAD_SEND || st == L4_THREAD_RECV || st == L4_THREAD_REPLY) {
				l4_thread_stop(L4_CAP_THREAD);
				l4_thread_resume(L4_CAP_THREAD);
				watchdog_kicks++;
			} else if (st == L4_THREAD_READY && !boosted) {
				/* Ready but starved: a helper above it spins in user
				 * mode (seed 416: one started at 0xf19 in a page the
				 * fuzzer mapped at 0, priority 164).  The main thread
				 * shares the top priority until its calls go on. */
				l4_thread_set_prio(L4_CAP_THREAD, L4_PRIO_MAX, L4_PRIO_MAX);
				boosted = 1;
				watchdog_boosts++;
			}
		} else if (boosted && now != last) {
			l4_thread_set_prio(L4_CAP_THREAD, MAIN_PRIO, L4_PRIO_MAX);
			boosted = 0;
		}
		last = now;
	}
}

int watchdog_start(void)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, WD_SLOT, 0)) ||
	    (e = l4_thread_bind(WD_SLOT, L4_CAP_SELF, WD_UTCB)) ||
	    (e = l4_thread_set_prio(WD_SLOT, L4_PRIO_MAX, L4_PRIO_MAX)))
		return e;
	return l4_thread_start(WD_SLOT, (uint64_t)watchdog,
			       (uint64_t)(wd_stack + sizeof wd_stack - 8), 0);
}
