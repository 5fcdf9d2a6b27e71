/* kops.c - the other primitives: a null system call, yield (alone and to
 * another thread), a notification waking a waiting thread, mapping and
 * unmapping one page and 2 MiB, creating and destroying threads and tasks. */
#include "measure.h"
#include "setup.h"
#include <l4/sys/factory.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/notification.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/syscall.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>

#define MAP_SRC   0x0000000040000000ull     /* 2 MiB aligned RAM of ours */
#define MAP_DST   0x0000000080000000ull     /* where it goes in the second task */
#define PF_AREA   0x0000000090000000ull     /* fresh pages, one per fault */


/* A second thread at our priority that only yields: our yield runs it, its
 * yield runs us. */
static void yielder(uint64_t arg)
{
	(void)arg;
	for (;;)
		l4_yield();
}

/* Woken by a signal, it stamps the time since the client's stamp. */
static volatile uint64_t signal_stamp;
static uint64_t woke[ROUNDS];
static void waiter(uint64_t notif)
{
	for (;;) {
		uint64_t bits;
		int e = l4_notification_wait(notif, L4_TIMEOUT_NEVER, &bits);
		uint64_t t = l4_rdtsc();
		if (e)
			fail("notification wait", e);
		if (measure_round >= 0 && measure_round < ROUNDS)
			woke[measure_round] = t - signal_stamp;
	}
}
static void signal_rt(void)
{
	signal_stamp = l4_rdtsc();
	int e = l4_notification_signal(SLOT_NOTIF, 1);
	if (e)
		fail("signal", e);
}

/* Page faults: a thread of ours touches a fresh page each round; its pager
 * (a thread of ours too) answers with one of our pages mapped there. */
static void pager(uint64_t ep)
{
	struct l4_utcb *u = l4_utcb();
	uint64_t tag = l4_recv(ep, 0);
	for (;;) {
		unsigned items = 0;
		if (L4_TAG_LABEL(tag) == L4_LABEL_PAGEFAULT) {
			l4_item_mem(0, L4_FPAGE(MAP_SRC, 12, L4_MEM_R | L4_MEM_W), u->mr[0] & ~0xfffull);
			items = 1;
		}
		tag = l4_reply_wait(ep, L4_TAG(0, 0, items), 0);
	}
}
static uint64_t faults[ROUNDS];
static void faulter(uint64_t arg)
{
	(void)arg;
	for (int i = -WARMUP; i < ROUNDS; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(PF_AREA + (uint64_t)(i + WARMUP) * 4096);
		uint64_t t0 = l4_rdtsc();
		(void)*p;
		uint64_t t1 = l4_rdtsc();
		if (i >= 0)
			faults[i] = t1 - t0 - measure_rdtsc;
	}
	l4_notification_signal(SLOT_DONE, 1);
	for (;;)                         /* until the client stops us */
		l4_yield();
}

static uint64_t t_a[ROUNDS], t_b[ROUNDS];

/* Two operations that undo each other: each timed on its own. */
static void pair(const char *a, const char *b, int (*do_a)(void), int (*do_b)(void))
{
	measure_prepare();
	for (int i = -WARMUP; i < ROUNDS; i++) {
		uint64_t t0 = l4_rdtsc();
		int e = do_a();
		uint64_t t1 = l4_rdtsc();
		int f = do_b();
		uint64_t t2 = l4_rdtsc();
		if (e || f)
			fail(e ? a : b, e ? e : f);
		if (i >= 0) {
			t_a[i] = t1 - t0 - measure_rdtsc;
			t_b[i] = t2 - t1 - measure_rdtsc;
		}
	}
	report(a, t_a);
	report(b, t_b);
}

static int map_4k(void)
{
	return l4_task_mem_map(SLOT_TASK, L4_FPAGE(MAP_SRC, 12, L4_MEM_R | L4_MEM_W), MAP_DST);
}
static int unmap_4k(void)
{
	return l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(MAP_SRC, 12, L4_MEM_R | L4_MEM_W), 0, 0);
}
static int map_2m(void)
{
	return l4_task_mem_map(SLOT_TASK, L4_FPAGE(MAP_SRC, 21, L4_MEM_R | L4_MEM_W), MAP_DST);
}
static int unmap_2m(void)
{
	return l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(MAP_SRC, 21, L4_MEM_R | L4_MEM_W), 0, 0);
}
static int thread_create(void)
{
	return l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, SLOT_SCRATCH, 0);
}
static int task_create(void)
{
	return l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, SLOT_SCRATCH, 64);
}
static int scratch_delete(void) { return l4_task_cap_delete(L4_CAP_SELF, SLOT_SCRATCH); }

void kops_figures(void)
{
	int e;
	/* The cheapest system call: the debug call's tick count. */
	MEASURE("syscall-null", l4_kdb_ticks());
	MEASURE("yield-alone", l4_yield());
	uint64_t y = local_start(yielder, 0, 100);
	MEASURE("yield-switch-rt", l4_yield());
	if ((e = l4_thread_stop(y)))
		fail("stop yielder", e);

	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_NOTIFICATION, SLOT_NOTIF, 0)))
		fail("notification", e);
	local_start(waiter, SLOT_NOTIF, 110);
	MEASURE("notif-signal-rt", signal_rt());
	report("notif-signal-wake", woke);

	if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, MAP_SRC, 512, 0, 0)))
		fail("map source", e);
	pair("map-4k", "unmap-4k", map_4k, unmap_4k);
	pair("map-2m", "unmap-2m", map_2m, unmap_2m);
	pair("thread-create", "thread-delete", thread_create, scratch_delete);
	pair("task-create", "task-delete", task_create, scratch_delete);

	/* A page fault to a pager of ours and back (MAP_SRC's first page is
	 * mapped at every faulting address; the unmap at the end takes them). */
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP_PAGER, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_NOTIFICATION, SLOT_DONE, 0)))
		fail("pager objects", e);
	local_start(pager, SLOT_EP_PAGER, 110);
	measure_prepare();
	uint64_t f = local_start_paged(faulter, 0, 100, SLOT_EP_PAGER);
	if ((e = l4_notification_wait(SLOT_DONE, L4_TIMEOUT_NEVER, 0)) || (e = l4_thread_stop(f)))
		fail("faulter", e);
	report("pagefault-user-pager", faults);
	if ((e = unmap_4k()))
		fail("unmap faulted pages", e);
}
