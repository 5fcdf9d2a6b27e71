/* pingpong - how long IPC takes between two tasks on one CPU.
 *
 * The root task (the client) makes a second task, maps its own code into
 * it and starts a server thread there, then calls the server ROUNDS times.
 * rdtsc before the call, in the server on arrival, before the reply and
 * after it gives three figures per round: call (client to server), reply
 * (server to client) and round trip.  The rdtsc cost (measured back to
 * back) is subtracted.  Under QEMU with -icount shift=0 rdtsc counts guest
 * instructions, so the figures are exact and repeatable; on hardware they
 * are cycles.  The whole run is done with the IPC fast path and again with
 * it switched off (the slow path).
 */
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>

#define ROUNDS 2000
#define WARMUP 100

enum { SLOT_TASK = 20, SLOT_THREAD, SLOT_EP, SLOT_EP_SERVER = 5 };
#define SERVER_STACK 0x0000600000000000ull      /* in both tasks' view: the server's */
#define SERVER_UTCB  0x0000610000000000ull

extern char __text_start[], __text_end[];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The server, running in the second task: answer each call with the time
 * the call took (from the client's timestamp) and the time of the reply. */
static void server(uint64_t ep)
{
	uint64_t badge;
	uint64_t tag = l4_recv(ep, &badge);
	for (;;) {
		uint64_t arrived = rdtsc();
		struct l4_utcb *u = l4_utcb();
		u->mr[1] = arrived - u->mr[0];
		u->mr[0] = rdtsc();
		tag = l4_reply_wait(ep, L4_TAG(0, 2, 0), &badge);
		(void)tag;
	}
}

static void put(const char *s) { l4_debug_puts(s); }
static void putu(uint64_t v) { l4_debug_putu(v, 10); }

static void fail(const char *what, int err)
{
	put("pingpong: ");
	put(what);
	put(": ");
	put(l4_strerror(err));
	put("\n");
	l4_exit(2);
}

static uint64_t call_t[ROUNDS], reply_t[ROUNDS], rt_t[ROUNDS];

static void sort(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {            /* insertion sort: n is small */
		uint64_t v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void report(const char *path, const char *op, uint64_t *a)
{
	sort(a, ROUNDS);
	put("bench: pingpong ");
	put(path);
	put(" ");
	put(op);
	put(" min ");
	putu(a[0]);
	put(" median ");
	putu(a[ROUNDS / 2]);
	put(" max ");
	putu(a[ROUNDS - 1]);
	put("\n");
}

static void run(const char *path, uint64_t overhead)
{
	struct l4_utcb *u = l4_utcb();
	for (int i = -WARMUP; i < ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		u->mr[0] = t0;
		uint64_t tag = l4_call(SLOT_EP, L4_TAG(1, 1, 0));
		uint64_t t3 = rdtsc();
		if (l4_error(tag))
			fail("call", l4_error(tag));
		if (i < 0)
			continue;
		call_t[i] = u->mr[1] - overhead;
		reply_t[i] = t3 - u->mr[0] - overhead;
		rt_t[i] = t3 - t0 - overhead;
	}
	report(path, "call", call_t);
	report(path, "reply", reply_t);
	report(path, "roundtrip", rt_t);
}

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	int e;
	/* The server's task sees our code at the same addresses, read-only. */
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, SLOT_TASK, 64)))
		fail("create task", e);
	uint64_t text = (uint64_t)__text_start & ~0xfffull, end = (uint64_t)__text_end;
	for (uint64_t a = text; a < end; a += 4096)
		if ((e = l4_task_mem_map(SLOT_TASK, L4_FPAGE(a, 12, L4_MEM_R | L4_MEM_X), a)))
			fail("map code", e);
	/* Its stack: fresh RAM of ours, mapped into it. */
	if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, SERVER_STACK, 4, 0, 0)) ||
	    (e = l4_task_mem_map(SLOT_TASK, L4_FPAGE(SERVER_STACK, 14, L4_MEM_R | L4_MEM_W),
				 SERVER_STACK)))
		fail("server stack", e);
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP, 0)) ||
	    (e = l4_task_cap_map(SLOT_TASK, SLOT_EP, SLOT_EP_SERVER, L4_CAP_READ, 0)))
		fail("endpoint", e);
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, SLOT_THREAD, 0)) ||
	    (e = l4_thread_bind(SLOT_THREAD, SLOT_TASK, SERVER_UTCB)) ||
	    (e = l4_thread_set_prio(SLOT_THREAD, 100, 100)) ||
	    (e = l4_thread_set_name(SLOT_THREAD, "pong")) ||
	    (e = l4_thread_start(SLOT_THREAD, (uint64_t)server, SERVER_STACK + 4 * 4096 - 8,
				 SLOT_EP_SERVER)))
		fail("server thread", e);

	/* What two rdtsc back to back cost. */
	uint64_t overhead = ~0ull;
	for (int i = 0; i < 100; i++) {
		uint64_t a = rdtsc(), b = rdtsc();
		if (b - a < overhead)
			overhead = b - a;
	}
	put("bench: pingpong rounds ");
	putu(ROUNDS);
	put(" rdtsc-overhead ");
	putu(overhead);
	put("\n");

	l4_kdb_fastpath(1);
	run("fastpath", overhead);
	l4_kdb_fastpath(0);
	run("slowpath", overhead);
	l4_kdb_fastpath(1);
	put("pingpong: done\n");
	return 0;
}
