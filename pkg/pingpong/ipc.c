/* ipc.c - IPC figures: round trips to an echo server in a second task
 * ("xas": another address space) and in our own ("same"), with 0, 4, 10 and
 * 64 words (of up to 127), through the fast path and with it switched off; call and reply
 * apart; a capability granted there and back; and how many FPU state
 * transfers (fxsave, fxrstor) a round trip costs with lazy switching. */
#include "measure.h"
#include "setup.h"
#include <l4/sys/ipc.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/factory.h>
#include <l4/sys/task.h>

/* Echo: reply with as many words as came (MR0..3 stay in registers, the
 * rest in the UTCB as received).  Integer-only. */
static void echo(uint64_t ep)
{
	struct l4_msgregs m = { { 0, 0, 0, 0 } };
	uint64_t badge, tag = l4_ipc_regs(L4_IPC_RECV, 0, 0, ep, L4_NEVER, &m, &badge);
	for (;;)
		tag = l4_reply_wait_regs(ep, L4_TAG(0, L4_TAG_UNTYPED(tag), 0), &m, &badge);
}

/* Echo that also computes with SSE on every message (a thread that uses the
 * FPU): each switch to it or from it moves FPU state. */
static void echo_sse(uint64_t ep)
{
	uint64_t badge, tag = l4_recv(ep, &badge);
	for (;;) {
		__asm__ volatile("movq %0, %%xmm1; paddq %%xmm1, %%xmm1" :: "r"(tag));
		tag = l4_reply_wait(ep, L4_TAG(0, L4_TAG_UNTYPED(tag), 0), &badge);
	}
}

/* The call and reply apart: the server answers with when the call arrived
 * (minus the client's stamp in MR0) and when it replied. */
static void timed(uint64_t ep)
{
	uint64_t badge;
	l4_recv(ep, &badge);
	for (;;) {
		uint64_t arrived = l4_rdtsc();
		struct l4_utcb *u = l4_utcb();
		u->mr[1] = arrived - u->mr[0];
		u->mr[0] = l4_rdtsc();
		l4_reply_wait(ep, L4_TAG(0, 2, 0), &badge);
	}
}

/* Capabilities: take one granted into the window and grant it back.  The
 * item is written word by word (volatile): the compiler would otherwise
 * load the pair from our read-only data, which the second task lacks. */
static void grant_back(uint64_t ep)
{
	uint64_t badge;
	volatile uint64_t *mr = l4_utcb()->mr;
	l4_utcb()->cap_window = B_WINDOW | 1ull << 32;
	l4_recv(ep, &badge);
	for (;;) {
		mr[0] = L4_ITEM(L4_ITEM_GRANT, 0);
		mr[1] = B_WINDOW;
		l4_reply_wait(ep, L4_TAG(0, 0, 1), &badge);
	}
}

#define unlikely_err(tag) __builtin_expect(l4_error(tag) != 0, 0)

/* One call to an echo server: the figure's statement.  MR0..3 in
 * registers (l4_call_regs); CALL_UTCB mirrors them in the UTCB (l4_call). */
#define CALL(name, ep, words)                                                  \
	do {                                                                   \
		struct l4_msgregs m_;                                          \
		m_.mr[0] = m_.mr[1] = m_.mr[2] = m_.mr[3] = 0;                 \
		uint64_t tag_ = l4_call_regs(ep, L4_TAG(0, words, 0), &m_);    \
		if (unlikely_err(tag_))                                        \
			fail(name, l4_error(tag_));                            \
	} while (0)
#define CALL_UTCB(name, ep, words)                                             \
	do {                                                                   \
		uint64_t tag_ = l4_call(ep, L4_TAG(0, words, 0));              \
		if (unlikely_err(tag_))                                        \
			fail(name, l4_error(tag_));                            \
	} while (0)

static void grant_rt(void)
{
	l4_item_grant(0, SLOT_GRANT);
	uint64_t tag = l4_call(SLOT_EP_XG, L4_TAG(0, 0, 1));
	if (unlikely_err(tag) || L4_TAG_TYPED(tag) != 1)
		fail("grant", l4_error(tag));
}

/* Both sides compute with SSE between the messages. */
static void sse_both(void)
{
	__asm__ volatile("movq %0, %%xmm2; paddq %%xmm2, %%xmm2" :: "r"((uint64_t)measure_round));
	CALL("sse", SLOT_EP_SF, 0);
}
static void sse_server(void) { CALL("sse", SLOT_EP_SF, 0); }
static void integer(void) { CALL("integer", SLOT_EP_X, 0); }

static uint64_t call_t[ROUNDS], reply_t[ROUNDS];

/* One word each way to the timing server: call and reply apart. */
static void split(const char *path, uint64_t overhead)
{
	struct l4_utcb *u = l4_utcb();
	for (int i = -WARMUP; i < ROUNDS; i++) {
		uint64_t t0 = l4_rdtsc();
		u->mr[0] = t0;
		uint64_t tag = l4_call(SLOT_EP_XT, L4_TAG(0, 1, 0));
		uint64_t t3 = l4_rdtsc();
		if (l4_error(tag))
			fail("call", l4_error(tag));
		if (i < 0)
			continue;
		call_t[i] = u->mr[1] - overhead;
		reply_t[i] = t3 - u->mr[0] - overhead;
	}
	report(fig("ipc-", path, "-xas-call"), call_t);
	report(fig("ipc-", path, "-xas-reply"), reply_t);
}

static void path_figures(const char *path)
{
	MEASURE(fig("ipc-", path, "-xas-w0"), CALL("xas", SLOT_EP_X, 0));
	MEASURE(fig("ipc-", path, "-xas-w4"), CALL("xas", SLOT_EP_X, 4));
	MEASURE(fig("ipc-", path, "-xas-w10"), CALL("xas", SLOT_EP_X, 10));
	MEASURE(fig("ipc-", path, "-xas-w64"), CALL("xas", SLOT_EP_X, 64));
	MEASURE(fig("ipc-", path, "-xas-w4-utcb"), CALL_UTCB("xas", SLOT_EP_X, 4));
	MEASURE(fig("ipc-", path, "-same-w0"), CALL("same", SLOT_EP_S, 0));
	MEASURE(fig("ipc-", path, "-same-w4"), CALL("same", SLOT_EP_S, 4));
	MEASURE(fig("ipc-", path, "-same-w10"), CALL("same", SLOT_EP_S, 10));
	MEASURE(fig("ipc-", path, "-same-w64"), CALL("same", SLOT_EP_S, 64));
	split(path, measure_rdtsc);
}

/* FPU state transfers per round trip, over ROUNDS round trips of op. */
static void fpu_count(const char *name, void (*op)(void))
{
	long before = l4_kdb_fpu_transfers();
	for (int i = 0; i < ROUNDS; i++)
		op();
	report_count(name, (uint64_t)(l4_kdb_fpu_transfers() - before) / ROUNDS);
}

void ipc_figures(void)
{
	int e;
	remote_setup(3);
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP_X, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP_XT, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP_XG, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP_S, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, SLOT_EP_SF, 0)) ||
	    (e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_NOTIFICATION, SLOT_GRANT, 0)) ||
	    (e = l4_task_cap_map(SLOT_TASK, SLOT_EP_X, B_EP_X, L4_CAP_READ, 0)) ||
	    (e = l4_task_cap_map(SLOT_TASK, SLOT_EP_XT, B_EP_XT, L4_CAP_READ, 0)) ||
	    (e = l4_task_cap_map(SLOT_TASK, SLOT_EP_XG, B_EP_XG, L4_CAP_READ, 0)))
		fail("endpoints", e);
	thread_start(SLOT_TASK, echo, B_EP_X, remote_stack(0), remote_utcb(0), 100, 0);
	thread_start(SLOT_TASK, timed, B_EP_XT, remote_stack(1), remote_utcb(1), 100, 0);
	thread_start(SLOT_TASK, grant_back, B_EP_XG, remote_stack(2), remote_utcb(2), 100, 0);
	local_start(echo, SLOT_EP_S, 100);
	local_start(echo_sse, SLOT_EP_SF, 100);
	l4_utcb()->cap_window = SLOT_GRANT | 1ull << 32;

	l4_kdb_fastpath(1);
	path_figures("fast");
	fpu_count("fpu-transfers-per-rt-integer", integer);
	fpu_count("fpu-transfers-per-rt-sse-server", sse_server);
	fpu_count("fpu-transfers-per-rt-sse-both", sse_both);
	l4_kdb_fastpath(0);
	path_figures("slow");
	MEASURE("ipc-slow-xas-grant", grant_rt());
	l4_kdb_fastpath(1);
}
