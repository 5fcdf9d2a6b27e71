/* t_notif.c - notifications: signal, wait, badges, timeouts, rights, and
 * waiters that go away. */
#include "ktest.h"
#include <l4/sys/notification.h>

/* What the waiter threads saw, by index. */
static volatile int w_err[4], w_done[4];
static volatile uint64_t w_bits[4];

/* arg = notification slot | index << 32: wait forever, record, exit. */
static void waiter(uint64_t arg)
{
	unsigned i = (unsigned)(arg >> 32);
	uint64_t bits = 0;
	w_err[i] = l4_notification_wait((uint32_t)arg, L4_TIMEOUT_NEVER, &bits);
	w_bits[i] = bits;
	w_done[i] = 1;
}

static void reset_waiters(void)
{
	for (int i = 0; i < 4; i++) {
		w_err[i] = -1;
		w_done[i] = 0;
		w_bits[i] = 0;
	}
}

static int create_and_charge(void)
{
	uint64_t q0, u0, q1, u1;
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q0, &u0), 0);
	uint64_t n = notif_new();
	CHECK(n);
	CHECK_EQ(cap_type(L4_CAP_SELF, n), L4_OBJ_NOTIFICATION);
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q1, &u1), 0);
	CHECK(u1 > u0);
	cap_drop(n);
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q1, &u1), 0);
	CHECK_EQ(u1, u0);                       /* the memory went back */
	return 0;
}

static int signal_then_wait(void)
{
	uint64_t n = notif_new(), bits = 0;
	CHECK_EQ(l4_notification_signal(n, 0x5), 0);
	CHECK_EQ(l4_notification_signal(n, 0x30), 0);   /* bits accumulate */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_NEVER, &bits), 0);
	CHECK_EQ(bits, 0x35);
	/* Collected means cleared. */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), -L4_ETIMEOUT);
	/* Signalling no bits is no signal. */
	CHECK_EQ(l4_notification_signal(n, 0), 0);
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), -L4_ETIMEOUT);
	cap_drop(n);
	return 0;
}

static int zero_timeout_without_bits(void)
{
	uint64_t n = notif_new(), bits = 77;
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), -L4_ETIMEOUT);
	CHECK_EQ(bits, 77);
	/* A timeout that does not fit 32 bits is refused. */
	CHECK_EQ(l4_invoke(n, L4_NOTIF_WAIT, 1ull << 32, 0, 0, 0), -L4_EINVAL);
	CHECK_EQ(l4_invoke(n, 99, 0, 0, 0, 0), -L4_ENOSYS);
	cap_drop(n);
	return 0;
}

static int relative_timeout(void)
{
	uint64_t n = notif_new();
	uint64_t t0 = kip_ns();
	CHECK_EQ(l4_notification_wait(n, 50000, 0), -L4_ETIMEOUT);     /* 50 ms */
	uint64_t dt = kip_ns() - t0;
	CHECK(dt >= 50000000 - TICK_NS);
	CHECK(dt <= 5000000000ull);
	/* After the timeout nobody waits: a signal stays pending. */
	CHECK_EQ(l4_notification_signal(n, 0x8), 0);
	uint64_t bits = 0;
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x8);
	cap_drop(n);
	return 0;
}

/* A lower-priority thread signals once we block. */
static volatile int sig_ran;
static void late_signaller(uint64_t n)
{
	sig_ran = 1;
	l4_notification_signal(n, 0x100);
}

static int wait_blocks_until_signal(void)
{
	uint64_t n = notif_new(), bits = 0;
	sig_ran = 0;
	uint64_t t = spawn(late_signaller, n, 50);
	CHECK(t);
	CHECK_EQ(sig_ran, 0);                   /* it cannot run before we block */
	uint64_t t0 = kip_ns();
	CHECK_EQ(l4_notification_wait(n, 2000000, &bits), 0);
	CHECK_EQ(sig_ran, 1);
	CHECK_EQ(bits, 0x100);
	CHECK(kip_ns() - t0 < 1000000000ull);   /* woken by it, not by the 2 s timeout */
	thread_kill(t);
	cap_drop(n);
	return 0;
}

/* A higher-priority waiter runs the moment we signal. */
static int signal_wakes_waiter(void)
{
	uint64_t n = notif_new();
	reset_waiters();
	uint64_t t = spawn(waiter, n, 150);     /* runs now and blocks */
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(w_done[0], 0);
	CHECK_EQ(l4_notification_signal(n, 0x42), 0);
	CHECK_EQ(w_done[0], 1);                 /* preempted us before the call returned */
	CHECK_EQ(w_err[0], 0);
	CHECK_EQ(w_bits[0], 0x42);
	/* It took every bit. */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, 0), -L4_ETIMEOUT);
	thread_kill(t);
	cap_drop(n);
	return 0;
}

static int waiters_fifo(void)
{
	uint64_t n = notif_new();
	reset_waiters();
	uint64_t t[3];
	for (uint64_t i = 0; i < 3; i++) {
		t[i] = spawn(waiter, n | i << 32, 150);
		CHECK(t[i]);
		CHECK_EQ(thread_state(t[i]), L4_THREAD_RECV);
	}
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(l4_notification_signal(n, 1ull << i), 0);
		for (int k = 0; k < 3; k++)
			CHECK_EQ(w_done[k], k <= i);   /* one waiter per signal, in order */
		CHECK_EQ(w_bits[i], 1ull << i);
	}
	for (int i = 0; i < 3; i++)
		thread_kill(t[i]);
	cap_drop(n);
	return 0;
}

static int badge_ored_in(void)
{
	uint64_t n = notif_new(), a = slot_new(), b = slot_new(), bits = 0;
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, n, a, L4_CAP_WRITE, 0x100), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, n, b, L4_CAP_WRITE, 0x2000), 0);
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, a, &info), 0);
	CHECK_EQ(info.badge, 0x100);
	CHECK_EQ(l4_notification_signal(a, 0x1), 0);   /* the badge, not MR0 */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x100);
	CHECK_EQ(l4_notification_signal(a, 0), 0);
	CHECK_EQ(l4_notification_signal(b, 0), 0);
	CHECK_EQ(l4_notification_signal(n, 0x3), 0);   /* unbadged: MR0 */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x2103);
	cap_drop(a);
	cap_drop(b);
	cap_drop(n);
	return 0;
}

static int rights_enforced(void)
{
	uint64_t n = notif_new(), ro = slot_new(), wo = slot_new(), bits = 0;
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, n, ro, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, n, wo, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_notification_signal(ro, 0x1), -L4_EPERM);
	CHECK_EQ(l4_notification_wait(wo, L4_TIMEOUT_ZERO, &bits), -L4_EPERM);
	CHECK_EQ(l4_notification_wait(ro, L4_TIMEOUT_ZERO, &bits), -L4_ETIMEOUT);  /* nothing came */
	CHECK_EQ(l4_notification_signal(wo, 0x4), 0);
	CHECK_EQ(l4_notification_wait(ro, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x4);
	cap_drop(ro);
	cap_drop(wo);
	cap_drop(n);
	return 0;
}

static int destroy_wakes_waiter(void)
{
	uint64_t n = notif_new();
	reset_waiters();
	uint64_t t = spawn(waiter, n, 150);
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	cap_drop(n);                            /* its last capability: it dies */
	CHECK_EQ(w_done[0], 1);
	CHECK_EQ(w_err[0], -L4_ECANCELED);
	thread_kill(t);
	return 0;
}

static int stopped_waiter_leaves_queue(void)
{
	uint64_t n = notif_new(), bits = 0;
	reset_waiters();
	uint64_t a = spawn(waiter, n, 150), b = spawn(waiter, n | 1ull << 32, 150);
	CHECK(a && b);
	CHECK_EQ(thread_state(a), L4_THREAD_RECV);
	CHECK_EQ(thread_state(b), L4_THREAD_RECV);
	CHECK_EQ(l4_thread_stop(a), 0);
	CHECK_EQ(thread_state(a), L4_THREAD_INACTIVE);   /* stopped, not woken */
	CHECK_EQ(w_done[0], 0);
	CHECK_EQ(l4_notification_signal(n, 0x9), 0);    /* goes to b, a is gone */
	CHECK_EQ(w_done[1], 1);
	CHECK_EQ(w_bits[1], 0x9);
	CHECK_EQ(w_done[0], 0);
	CHECK_EQ(thread_state(a), L4_THREAD_INACTIVE);
	CHECK_EQ(l4_notification_signal(n, 0x6), 0);    /* nobody waits now */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x6);
	thread_kill(a);
	thread_kill(b);
	cap_drop(n);
	return 0;
}

/* A waiter killed outright (stopped and its capability deleted) leaves no
 * trace in the queue either. */
static int killed_waiter_leaves_queue(void)
{
	uint64_t n = notif_new(), bits = 0;
	reset_waiters();
	uint64_t a = spawn(waiter, n, 150);
	CHECK(a);
	CHECK_EQ(thread_state(a), L4_THREAD_RECV);
	cap_drop(a);                            /* destroyed while it waits */
	CHECK_EQ(l4_notification_signal(n, 0x11), 0);
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x11);
	CHECK_EQ(w_done[0], 0);
	thread_kill(a);                         /* frees its stack slot */
	cap_drop(n);
	return 0;
}

/* A waiter whose timeout expires gets L4_ETIMEOUT and leaves the queue. */
static void timed_waiter(uint64_t n)
{
	uint64_t bits = 0;
	w_err[0] = l4_notification_wait(n, 20000, &bits);
	w_done[0] = 1;
}

static int waiter_times_out(void)
{
	uint64_t n = notif_new(), bits = 0;
	reset_waiters();
	uint64_t t = spawn(timed_waiter, n, 150);
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	uint64_t sleep = notif_new();
	for (int i = 0; i < 40 && !w_done[0]; i++)
		l4_notification_wait(sleep, 5000, 0);   /* sleep 5 ms */
	cap_drop(sleep);
	CHECK_EQ(w_done[0], 1);
	CHECK_EQ(w_err[0], -L4_ETIMEOUT);
	CHECK_EQ(l4_notification_signal(n, 0x2), 0);
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x2);
	thread_kill(t);
	cap_drop(n);
	return 0;
}

/* Changing the priority of a thread that waits (not first) in a queue must
 * leave both the wait queue and the ready queues intact. */
static int prio_change_of_waiter(void)
{
	uint64_t n = notif_new();
	reset_waiters();
	uint64_t t[3];
	for (uint64_t i = 0; i < 3; i++) {
		t[i] = spawn(waiter, n | i << 32, 150);
		CHECK(t[i]);
	}
	CHECK_EQ(l4_thread_set_prio(t[1], 160, 160), 0);
	CHECK_EQ(l4_kdb_check(), 0);
	CHECK_EQ(thread_state(t[1]), L4_THREAD_RECV);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(l4_notification_signal(n, 1ull << i), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(w_done[i], 1);
	for (int i = 0; i < 3; i++)
		thread_kill(t[i]);
	cap_drop(n);
	return 0;
}

KTEST_LIST(notif_tests) = {
	KT(prio_change_of_waiter, "notif: changing a waiter's priority keeps every queue intact"),
	KT(create_and_charge, "notif: created through the factory, charged and refunded"),
	KT(signal_then_wait, "notif: signals accumulate, a wait collects and clears them"),
	KT(zero_timeout_without_bits, "notif: zero-timeout wait without bits times out"),
	KT(relative_timeout, "notif: relative timeout, then a signal stays pending"),
	KT(wait_blocks_until_signal, "notif: a wait blocks until another thread signals"),
	KT(signal_wakes_waiter, "notif: a signal wakes a higher-priority waiter at once"),
	KT(waiters_fifo, "notif: waiters wake one per signal, first come first"),
	KT(badge_ored_in, "notif: a badged capability signals its badge"),
	KT(rights_enforced, "notif: signal needs write, wait needs read"),
	KT(destroy_wakes_waiter, "notif: destroying it wakes a waiter with ECANCELED"),
	KT(stopped_waiter_leaves_queue, "notif: a stopped waiter leaves the queue"),
	KT(killed_waiter_leaves_queue, "notif: a destroyed waiter leaves the queue"),
	KT(waiter_times_out, "notif: a waiter's timeout takes it off the queue"),
};
const unsigned n_notif_tests = sizeof notif_tests / sizeof notif_tests[0];
