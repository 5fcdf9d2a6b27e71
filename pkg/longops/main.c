/* longops - the system calls that do the most work in one call: how long
 * each takes as its caller sees it (rdtsc around it) and the longest stretch
 * the kernel spent in one go meanwhile (L4_DBG_STRETCH: from a system call's
 * entry to its end or its first thread switch - interrupts are off all
 * that time).  Every operation runs twice: "before" with preemption off
 * (l4_kdb_preempt_budget(~0): the kernel as it was, one stretch per call)
 * and "after" with the default budget, where the long calls stop at their
 * preemption points and are issued again (doc/kernel-api.md 2.10).
 *
 * Under -icount shift=0 (make longops-probe, or image.py qemu --icount)
 * rdtsc counts guest instructions and the stretch is in ns of guest time,
 * one instruction each; without it the figures mean little and only show
 * that every operation was answered.  No test judges the figures
 * (longops.test checks that each operation did what it should).
 *
 *   ipc-31gib        one IPC with 31 memory items of 1 GiB each, one page
 *                    mapped in each GiB (the rest of each GiB empty)
 *   map-1gib         L4_TASK_MEM_MAP of a 1 GiB flexpage holding 2 pages
 *   unmap-1gib       L4_TASK_MEM_UNMAP of the same
 *   device-1gib      L4_S0_MEM_DEVICE of 2^18 pages (dense)
 *   map-dense        L4_TASK_MEM_MAP of those 2^18 pages to another task
 *   ipc-dense-refused  one IPC with one memory item of the 2^18 pages:
 *                    refused (more than L4_IPC_MEM_PAGES_MAX)
 *   ipc-256-pages    one IPC with one memory item of 256 of them
 *   unmap-dense      L4_TASK_MEM_UNMAP of what was derived from them
 *   delete-dense     L4_TASK_CAP_DELETE of a task holding 2^18 of them
 *   device-unmap     L4_TASK_MEM_UNMAP of the 2^18 pages themselves
 *   reap-left-dense  L4_THREAD_SET_HANDLERS (a call that reaps) while the
 *                    destruction of a task holding 2^18 of them is left
 *                    part way by its deleter (a thread below us, stopped)
 *   alloc-64mib      L4_S0_MEM_ALLOC of 16,384 fresh (zeroed) pages
 *   alloc-contig-128mib  the same, L4_S0_CONTIGUOUS, of 32,768 pages (half
 *                    the guest's RAM: the largest run it finds here)
 *   check-40k        L4_DBG_CHECK with 40,000 sibling capabilities
 *   revoke-40k       L4_TASK_CAP_REVOKE of those 40,000
 *   delete-40k       L4_TASK_CAP_DELETE of a capability with 40,000 children
 *   delete-task-40k  L4_TASK_CAP_DELETE of the task holding them */
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>

#define SRC    0x0000200000000000ull  /* 32 GiB of sparse source */
#define DST    0x0000300000000000ull  /* the receiver's window */
#define DEVVA  0x0000380000000000ull  /* 2^18 device pages */
#define DEVPA  0x0000004000000000ull
#define ALLOC  0x0000240000000000ull  /* fresh RAM (its page tables stay: apart from SRC) */
#define DENSE  (DST + 64 * GIB)       /* where the dense IPC lands */
#define GIB    (1ull << 30)
#define EP     8
#define RCV    9
#define TASK   10
#define DEL    11
static uint8_t stack[8192] __attribute__((aligned(16)));
static volatile int received;
static int failures;
static unsigned receivers;            /* each needs a UTCB page of its own */
static const char *pass;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static uint64_t t_start;

static void begin(void)
{
	l4_kdb_stretch(1);
	t_start = rdtsc();
}

static void report(const char *what, int err)
{
	uint64_t t = rdtsc() - t_start;
	uint64_t stretch = (uint64_t)l4_kdb_stretch(0);
	l4_debug_puts("longops: ");
	l4_debug_puts(pass);
	l4_debug_puts(" ");
	l4_debug_puts(what);
	if (err) {
		l4_debug_puts(" FAILED ");
		l4_debug_putu((uint64_t)-err, 10);
	} else {
		l4_debug_puts(" insns ");
		l4_debug_putu(t, 10);
		l4_debug_puts(" stretch ");
		l4_debug_putu(stretch, 10);
	}
	l4_debug_puts("\n");
	failures += err != 0;
}

static uint8_t del_stack[4096] __attribute__((aligned(16)));
static volatile int del_started;

static void deleter(uint64_t unused)
{
	(void)unused;
	del_started = 1;
	l4_task_cap_delete(L4_CAP_SELF, TASK);
	l4_exit(0);
}

/* A task holding the 2^18 device pages, deleted by a thread below us that
 * we stop a tick into the delete: its destruction is left part way on the
 * kernel's dead list (with preemption off it ran whole before we woke).
 * The next call that reaps - L4_THREAD_SET_HANDLERS here - is timed. */
static int reap_left_dense(void)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, TASK, 64)) ||
	    (e = l4_task_mem_map(TASK, L4_FPAGE(DEVVA, 30, L4_MEM_R), 0x40000000)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, DEL, 0)) ||
	    (e = l4_thread_bind(DEL, L4_CAP_SELF, L4_ROOT_UTCB_ADDR + 0x1000 * ++receivers)) ||
	    (e = l4_thread_set_prio(DEL, 1, 1)))
		return e;
	del_started = 0;
	if ((e = l4_thread_start(DEL, (uint64_t)deleter, (uint64_t)(del_stack + sizeof del_stack - 8), 0)))
		return e;
	while (!del_started)
		l4_sleep_us(1000);
	l4_thread_stop(DEL);                  /* refused if it ended already (preemption off) */
	begin();
	e = l4_thread_set_handlers(DEL, 0, 0);
	report("reap-left-dense", e);
	/* Deleting the deleter drops its call; the delete reaps the rest. */
	return l4_task_cap_delete(L4_CAP_SELF, DEL);
}

static void receiver(uint64_t unused)
{
	(void)unused;
	l4_mem_window(L4_FPAGE(DST, 40, 7));
	uint64_t tag = l4_recv(EP, 0);
	received = l4_error(tag) ? -1 : (int)L4_TAG_TYPED(tag);
	l4_exit(0);
}

/* A receiver thread above us, waiting on EP. */
static int start_receiver(void)
{
	int e;
	received = 0;
	l4_task_cap_delete(L4_CAP_SELF, RCV);
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, RCV, 0)) ||
	    (e = l4_thread_bind(RCV, L4_CAP_SELF, L4_ROOT_UTCB_ADDR + 0x1000 * ++receivers)) ||
	    (e = l4_thread_set_prio(RCV, 200, 200)) ||
	    (e = l4_thread_start(RCV, (uint64_t)receiver, (uint64_t)(stack + sizeof stack - 8), 0)))
		return e;
	return 0;
}

static int ipc_31gib(void)
{
	int e;
	uint64_t n;
	for (unsigned i = 0; i < 31; i++)
		if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, SRC + i * GIB + (i % 7) * 0x10000, 1, 0, 0)))
			return e;
	if ((e = start_receiver()))
		return e;
	unsigned k = 0;
	for (unsigned i = 0; i < 31; i++)
		k = l4_item_mem(k, L4_FPAGE(SRC + i * GIB, 30, L4_MEM_R), DST + i * GIB);
	begin();
	uint64_t tag = l4_send(EP, L4_TAG(1, 0, 31));
	report("ipc-31gib", l4_error(tag) ? l4_error(tag) : received == 31 ? 0 : -99);
	/* Every page arrived at its place. */
	for (unsigned i = 0; i < 31; i++) {
		uint64_t pa;
		if (l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, DST + i * GIB + (i % 7) * 0x10000, &pa))
			return -98;
	}
	for (unsigned i = 0; i < 31; i++)
		if ((e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(SRC + i * GIB, 30, 7), 1, &n)))
			return e;
	return 0;
}

static int map_unmap_1gib(void)
{
	int e;
	uint64_t n;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, TASK, 64)))
		return e;
	if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, SRC, 1, 0, 0)) ||
	    (e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, SRC + GIB - 4096, 1, 0, 0)))
		return e;
	begin();
	e = l4_task_mem_map(TASK, L4_FPAGE(SRC, 30, L4_MEM_R), 0x40000000);
	report("map-1gib", e);
	begin();
	e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(SRC, 30, 7), 0, &n);
	report("unmap-1gib", e ? e : n == 2 ? 0 : -97);
	l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(SRC, 30, 7), 1, &n);
	l4_task_cap_delete(L4_CAP_SELF, TASK);
	return 0;
}

static int dense(void)
{
	uint64_t n;
	begin();
	int e = l4_sigma0_mem_device(L4_CAP_SIGMA0, DEVVA, DEVPA, 1u << 18);
	report("device-1gib", e);
	if (e)
		return e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, TASK, 64)))
		return e;
	begin();
	e = l4_task_mem_map(TASK, L4_FPAGE(DEVVA, 30, L4_MEM_R), 0x40000000);
	report("map-dense", e);
	/* One message may map L4_IPC_MEM_PAGES_MAX pages: the dense GiB is
	 * refused (the check stops counting there), 256 pages go. */
	if ((e = start_receiver()))
		return e;
	l4_item_mem(0, L4_FPAGE(DEVVA, 30, L4_MEM_R), DENSE);
	begin();
	uint64_t tag = l4_send(EP, L4_TAG(1, 0, 1));
	report("ipc-dense-refused", l4_error(tag) == -L4_EINVAL ? 0 : -94);
	l4_item_mem(0, L4_FPAGE(DEVVA, 20, L4_MEM_R), DENSE);
	begin();
	tag = l4_send(EP, L4_TAG(1, 0, 1));
	report("ipc-256-pages", l4_error(tag) ? l4_error(tag) : received == 1 ? 0 : -91);
	begin();
	e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(DEVVA, 30, 7), 0, &n);
	report("unmap-dense", e ? e : n == (1u << 18) + 256 ? 0 : -93);
	if ((e = l4_task_mem_map(TASK, L4_FPAGE(DEVVA, 30, L4_MEM_R), 0x40000000)))
		return e;
	begin();
	e = l4_task_cap_delete(L4_CAP_SELF, TASK);
	report("delete-dense", e);
	if ((e = reap_left_dense()))
		return e;
	begin();
	e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(DEVVA, 30, 7), 1, &n);
	report("device-unmap", e ? e : n == (1u << 18) ? 0 : -95);
	return 0;
}

/* Sigma0's fresh RAM: each page a frame to zero; 64 MiB of the guest's 256
 * here, then a contiguous run of 128 MiB. */
static int alloc_64mib(void)
{
	uint64_t n;
	begin();
	int e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, ALLOC, 16384, 0, 0);
	report("alloc-64mib", e);
	if (!e)
		e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(ALLOC, 26, 7), 1, &n);
	if (e || n != 16384)
		return e ? e : -90;
	begin();
	e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, ALLOC, 32768, L4_S0_CONTIGUOUS, 0);
	report("alloc-contig-128mib", e);
	if (!e)
		e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(ALLOC, 27, 7), 1, &n);
	return e ? e : n == 32768 ? 0 : -96;
}

static int caps_40k(void)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, TASK, 65536)))
		return e;
	for (unsigned i = 0; i < 40000; i++)
		if ((e = l4_task_cap_map(TASK, EP, 16 + i, L4_CAP_ALL, 0)))
			return e;
	begin();
	e = l4_kdb_check();
	report("check-40k", e);
	begin();
	e = l4_task_cap_revoke(L4_CAP_SELF, EP);
	report("revoke-40k", e ? e : l4_utcb()->mr[0] == 40000 ? 0 : -92);
	for (unsigned i = 0; i < 40000; i++)
		if ((e = l4_task_cap_map(TASK, EP, 16 + i, L4_CAP_ALL, 0)))
			return e;
	begin();
	e = l4_task_cap_delete(L4_CAP_SELF, EP);
	report("delete-40k", e);
	begin();
	e = l4_task_cap_delete(L4_CAP_SELF, TASK);
	report("delete-task-40k", e);
	return 0;
}

static int run(const char *name, uint64_t budget)
{
	int e;
	pass = name;
	l4_kdb_preempt_budget(budget);
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, EP, 0)))
		return e;
	if ((e = ipc_31gib()) || (e = map_unmap_1gib()) || (e = dense()) || (e = alloc_64mib()) ||
	    (e = caps_40k()))
		return e;
	l4_task_cap_delete(L4_CAP_SELF, RCV);
	l4_task_cap_delete(L4_CAP_SELF, EP);
	return 0;
}

int main(void)
{
	int e;
	long p0 = l4_kdb_preemptions();
	if ((e = run("before", ~0ull)))
		report("setup", e);
	long p1 = l4_kdb_preemptions();
	if ((e = run("after", 0)))
		report("setup", e);
	long p2 = l4_kdb_preemptions();
	l4_debug_puts("longops: preemptions before ");
	l4_debug_putu((uint64_t)(p1 - p0), 10);
	l4_debug_puts(" after ");
	l4_debug_putu((uint64_t)(p2 - p1), 10);
	l4_debug_puts("\n");
	if (p1 != p0 || p2 == p1)
		failures++;
	l4_debug_puts(failures ? "longops: failed\n" : "longops: done\n");
	return failures ? 1 : 0;
}
