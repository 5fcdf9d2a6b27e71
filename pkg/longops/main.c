/* longops - the system calls that do the most work in one call, timed with
 * rdtsc around each.  The kernel is not preemptible: each is one stretch
 * with interrupts off.  Under -icount shift=0 (make longops-probe, or
 * image.py qemu --icount) rdtsc counts guest instructions, one per
 * nanosecond of guest time; without it the figures mean nothing and only
 * show that every operation was answered.  No test judges the figures
 * (longops.test checks that each operation did what it should).
 *
 *   ipc-31gib    one IPC with 31 memory items of 1 GiB each, one page
 *                mapped in each GiB (the rest of each GiB empty)
 *   map-1gib     L4_TASK_MEM_MAP of a 1 GiB flexpage holding 2 pages
 *   unmap-1gib   L4_TASK_MEM_UNMAP of the same
 *   device-1gib  L4_S0_MEM_DEVICE of 2^18 pages, then its unmap
 *   check-40k    L4_DBG_CHECK with 40,000 sibling capabilities
 *   revoke-40k   L4_TASK_CAP_REVOKE of those 40,000 */
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>

#define SRC   0x0000200000000000ull   /* 31 GiB of sparse source */
#define DST   0x0000300000000000ull   /* the receiver's window */
#define GIB   (1ull << 30)
#define EP    8
#define RCV   9
#define TASK  10
static uint8_t stack[8192] __attribute__((aligned(16)));
static volatile int received;
static int failures;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void report(const char *what, uint64_t t, int err)
{
	l4_debug_puts("longops: ");
	l4_debug_puts(what);
	l4_debug_puts(err ? " FAILED " : " insns ");
	l4_debug_putu(err ? (uint64_t)-err : t, 10);
	l4_debug_puts("\n");
	failures += err != 0;
}

static void receiver(uint64_t unused)
{
	(void)unused;
	l4_mem_window(L4_FPAGE(DST, 40, 7));
	uint64_t tag = l4_recv(EP, 0);
	received = l4_error(tag) ? -1 : (int)L4_TAG_TYPED(tag);
	l4_exit(0);
}

static int ipc_31gib(void)
{
	int e;
	for (unsigned i = 0; i < 31; i++)
		if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, SRC + i * GIB + (i % 7) * 0x10000, 1, 0, 0)))
			return e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, EP, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, RCV, 0)) ||
	    (e = l4_thread_bind(RCV, L4_CAP_SELF, L4_ROOT_UTCB_ADDR + 0x1000)) ||
	    (e = l4_thread_set_prio(RCV, 200, 200)) ||
	    (e = l4_thread_start(RCV, (uint64_t)receiver, (uint64_t)(stack + sizeof stack - 8), 0)))
		return e;
	unsigned n = 0;
	for (unsigned i = 0; i < 31; i++)
		n = l4_item_mem(n, L4_FPAGE(SRC + i * GIB, 30, L4_MEM_R), DST + i * GIB);
	uint64_t t0 = rdtsc();
	uint64_t tag = l4_send(EP, L4_TAG(1, 0, 31));
	uint64_t t = rdtsc() - t0;
	if ((e = l4_error(tag)))
		return e;
	report("ipc-31gib", t, received == 31 ? 0 : -99);
	/* Every page arrived at its place. */
	for (unsigned i = 0; i < 31; i++) {
		uint64_t pa;
		if (l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, DST + i * GIB + (i % 7) * 0x10000, &pa))
			return -98;
	}
	return 0;
}

static int map_unmap_1gib(void)
{
	int e;
	uint64_t n;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, TASK, 64)))
		return e;
	if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, SRC + 31 * GIB + GIB - 4096, 1, 0, 0)))
		return e;
	uint64_t t0 = rdtsc();
	e = l4_task_mem_map(TASK, L4_FPAGE(SRC, 30, L4_MEM_R), 0x40000000);
	report("map-1gib", rdtsc() - t0, e);
	t0 = rdtsc();
	e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(SRC, 30, 7), 0, &n);
	report("unmap-1gib", rdtsc() - t0, e ? e : n == 2 ? 0 : -97);
	/* The last page of the GiB: the walk reaches the very end. */
	t0 = rdtsc();
	e = l4_task_mem_map(TASK, L4_FPAGE(SRC + 31 * GIB, 30, L4_MEM_R), 0x40000000);
	report("map-1gib-last", rdtsc() - t0, e);
	e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(SRC + 31 * GIB, 30, 7), 0, &n);
	report("unmap-1gib-last", 0, e ? e : n == 1 ? 0 : -96);
	l4_task_cap_delete(L4_CAP_SELF, TASK);
	return 0;
}

static int device_1gib(void)
{
	uint64_t t0 = rdtsc(), n;
	int e = l4_sigma0_mem_device(L4_CAP_SIGMA0, 0x0000380000000000ull, 0x4000000000ull, 1u << 18);
	report("device-1gib", rdtsc() - t0, e);
	t0 = rdtsc();
	e = l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(0x0000380000000000ull, 30, 7), 1, &n);
	report("device-unmap-1gib", rdtsc() - t0, e ? e : n == (1u << 18) ? 0 : -95);
	return 0;
}

static int caps_40k(void)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, TASK, 65536)))
		return e;
	for (unsigned i = 0; i < 40000; i++)
		if ((e = l4_task_cap_map(TASK, EP, 16 + i, L4_CAP_ALL, 0)))
			return e;
	uint64_t t0 = rdtsc();
	e = l4_kdb_check();
	report("check-40k", rdtsc() - t0, e);
	t0 = rdtsc();
	e = l4_task_cap_revoke(L4_CAP_SELF, EP);
	report("revoke-40k", rdtsc() - t0, e);
	l4_task_cap_delete(L4_CAP_SELF, TASK);
	return 0;
}

int main(void)
{
	int e;
	if ((e = ipc_31gib()) || (e = map_unmap_1gib()) || (e = device_1gib()) || (e = caps_40k()))
		report("setup", 0, e);
	l4_debug_puts(failures ? "longops: failed\n" : "longops: done\n");
	return failures ? 1 : 0;
}
