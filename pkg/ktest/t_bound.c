/* t_bound.c - bound notifications: a thread that receives on an endpoint
 * also takes the signals of the notification bound to it, in the same
 * receive (L4_LABEL_NOTIFY, MR0 = bits).  Binding rules, the order of
 * signals and messages, sleeps, the fast path's guard, priorities, racing
 * signals and calls, and either side going away. */
#include "ktest.h"
#include <l4/sys/notification.h>

static uint64_t factory_used(void)
{
	uint64_t q = 0, u = 0;
	l4_factory_info(L4_CAP_FACTORY, &q, &u);
	return u;
}

/* ---- a server thread: receives on an endpoint, counts what ended each
 * receive.  A call labelled 9 makes it signal its own notification before
 * it replies, so its next reply-and-wait finds bits pending. ---- */

static volatile uint64_t s_ep, s_notif;
static volatile int s_msgs, s_notifies, s_last_label, s_errors;
static volatile uint64_t s_bits, s_last_mr0, s_last_badge;

static void server(uint64_t unused)
{
	(void)unused;
	uint64_t badge = 0;
	uint64_t tag = l4_recv(s_ep, &badge);
	for (;;) {
		if (l4_error(tag)) {
			s_errors++;
			tag = l4_recv(s_ep, &badge);
			continue;
		}
		s_last_label = (int)L4_TAG_LABEL(tag);
		s_last_mr0 = l4_utcb()->mr[0];
		s_last_badge = badge;
		if (L4_TAG_LABEL(tag) == L4_LABEL_NOTIFY) {
			s_notifies++;
			s_bits |= l4_utcb()->mr[0];
			tag = l4_recv(s_ep, &badge);     /* nobody to answer */
			continue;
		}
		s_msgs++;
		if (L4_TAG_LABEL(tag) == 9)
			l4_notification_signal(s_notif, 0x80);
		l4_utcb()->mr[0] = s_last_mr0 + 1;
		tag = l4_reply_wait(s_ep, L4_TAG(0, 1, 0), &badge);
	}
}

static void server_reset(uint64_t ep, uint64_t n)
{
	s_ep = ep;
	s_notif = n;
	s_msgs = s_notifies = s_errors = 0;
	s_last_label = -1;
	s_bits = s_last_mr0 = s_last_badge = 0;
}

static int call_server(uint64_t ep, uint32_t label, uint64_t v, uint64_t *answer)
{
	l4_utcb()->mr[0] = v;
	uint64_t tag = l4_call(ep, L4_TAG(label, 1, 0));
	*answer = l4_utcb()->mr[0];
	return l4_error(tag);
}

/* ---- tests ---- */

static int bind_refusals(void)
{
	uint64_t n = notif_new(), n2 = notif_new(), ep = ep_new(), ro = slot_new(), wo = slot_new();
	uint64_t t1 = slot_new(), t2 = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t1, 0), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t2, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, n, ro, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, n, wo, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_thread_bind_notif(t1, ep), -L4_ETYPE);
	CHECK_EQ(l4_thread_bind_notif(t1, slot_new()), -L4_ENOCAP);
	CHECK_EQ(l4_thread_bind_notif(t1, wo), -L4_EPERM);        /* binding receives: read */
	CHECK_EQ(l4_thread_bind_notif(t1, ro), 0);
	CHECK_EQ(l4_thread_bind_notif(t1, n), -L4_ESTATE);        /* one per thread */
	CHECK_EQ(l4_thread_bind_notif(t1, n2), -L4_ESTATE);
	CHECK_EQ(l4_thread_bind_notif(t2, n), -L4_ESTATE);        /* one per notification */
	CHECK_EQ(l4_thread_bind_notif(t1, 0), 0);                /* unbind */
	CHECK_EQ(l4_thread_bind_notif(t1, 0), 0);                /* twice is no error */
	CHECK_EQ(l4_thread_bind_notif(t2, n), 0);                /* free again */
	/* Without the control right on the thread, nothing. */
	uint64_t tw = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, t1, tw, L4_CAP_READ | L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_thread_bind_notif(tw, n2), -L4_EPERM);
	cap_drop(tw);
	cap_drop(t1);
	cap_drop(t2);
	cap_drop(ro);
	cap_drop(wo);
	cap_drop(ep);
	cap_drop(n);
	cap_drop(n2);
	return 0;
}

/* A server blocked in a receive: a signal ends it with the bits; then it
 * takes calls as before. */
static int signal_ends_receive(void)
{
	uint64_t ep = ep_new(), n = notif_new(), answer = 0;
	server_reset(ep, n);
	uint64_t t = spawn(server, 0, 150);       /* runs now and blocks in l4_recv */
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_thread_bind_notif(t, n), 0);  /* bound while it waits */
	CHECK_EQ(l4_notification_signal(n, 0x6), 0);
	CHECK_EQ(s_notifies, 1);                  /* it outranks us: it ran at once */
	CHECK_EQ(s_last_label, (int)L4_LABEL_NOTIFY);
	CHECK_EQ(s_last_mr0, 0x6);
	CHECK_EQ(s_last_badge, 0);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(call_server(ep, 5, 41, &answer), 0);
	CHECK_EQ(answer, 42);
	CHECK_EQ(s_msgs, 1);
	CHECK_EQ(s_last_label, 5);
	/* Collected means cleared: nothing is pending on the notification. */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, 0), -L4_ETIMEOUT);
	CHECK_EQ(s_errors, 0);
	thread_kill(t);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* Bits signalled before the bind end the receive the thread is blocked in
 * when it is bound (it used to go on waiting with the bits pending). */
static int bind_with_bits_pending(void)
{
	uint64_t ep = ep_new(), n = notif_new();
	server_reset(ep, n);
	uint64_t t = spawn(server, 0, 150);
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_notification_signal(n, 0x30), 0);   /* nobody bound: pending */
	CHECK_EQ(s_notifies, 0);
	CHECK_EQ(l4_thread_bind_notif(t, n), 0);
	CHECK_EQ(s_notifies, 1);                         /* it outranks us: ran at once */
	CHECK_EQ(s_last_label, (int)L4_LABEL_NOTIFY);
	CHECK_EQ(s_last_mr0, 0x30);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_kdb_check(), 0);
	thread_kill(t);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* A sender that waits, and bits pending: the bits come first. */
static volatile int snd_err = -1;
static void one_send(uint64_t ep)
{
	l4_utcb()->mr[0] = 0x1234;
	snd_err = l4_error(l4_send(ep, L4_TAG(3, 1, 0)));
}

static int pending_bits_first(void)
{
	uint64_t ep = ep_new(), n = notif_new(), badge = 7;
	snd_err = -1;
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, n), 0);
	uint64_t s = spawn(one_send, ep, 150);    /* blocks: nobody receives */
	CHECK(s);
	CHECK_EQ(thread_state(s), L4_THREAD_SEND);
	CHECK_EQ(l4_notification_signal(n, 0x3), 0);   /* pending: we do not receive */
	uint64_t tag = l4_recv(ep, &badge);
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_LABEL(tag), L4_LABEL_NOTIFY);
	CHECK_EQ(L4_TAG_UNTYPED(tag), 1);
	CHECK_EQ(l4_utcb()->mr[0], 0x3);
	CHECK_EQ(badge, 0);
	tag = l4_recv(ep, &badge);                /* now the message */
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_LABEL(tag), 3);
	CHECK_EQ(l4_utcb()->mr[0], 0x1234);
	CHECK_EQ(snd_err, 0);
	tag = l4_recv_timeout(ep, &badge, L4_TIMEOUT_ZERO);
	CHECK_EQ(l4_error(tag), -L4_ETIMEOUT);    /* nothing left of either */
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, 0), 0);
	thread_kill(s);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* A receive from slot 0 is a sleep: with a bound notification a signal ends
 * it, even with no timeout; a relative timeout still ends it without one. */
static void late_signal(uint64_t n)
{
	l4_notification_signal(n, 0x10);
}

static int sleep_ended_by_signal(void)
{
	uint64_t n = notif_new(), ep = ep_new();
	/* Unbound, a receive from nothing with no timeout is refused. */
	CHECK_EQ(l4_error(l4_recv(L4_CAP_NULL, 0)), -L4_ENOCAP);
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, n), 0);
	uint64_t t = spawn(late_signal, n, 50);   /* runs once we sleep */
	CHECK(t);
	uint64_t t0 = kip_ns();
	uint64_t tag = l4_recv(L4_CAP_NULL, 0);
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_LABEL(tag), L4_LABEL_NOTIFY);
	CHECK_EQ(l4_utcb()->mr[0], 0x10);
	CHECK(kip_ns() - t0 < 5000000000ull);
	/* A timeout with nothing signalled, from nothing and from an endpoint. */
	t0 = kip_ns();
	CHECK_EQ(l4_error(l4_recv_timeout(L4_CAP_NULL, 0, 30000)), -L4_ETIMEOUT);
	CHECK_EQ(l4_error(l4_recv_timeout(ep, 0, 30000)), -L4_ETIMEOUT);
	CHECK(kip_ns() - t0 >= 60000000 - 2 * TICK_NS);
	/* After a timeout the bits wait for the next receive. */
	CHECK_EQ(l4_notification_signal(n, 0x20), 0);
	tag = l4_recv_timeout(ep, 0, L4_TIMEOUT_ZERO);
	CHECK_EQ(L4_TAG_LABEL(tag), L4_LABEL_NOTIFY);
	CHECK_EQ(l4_utcb()->mr[0], 0x20);
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, 0), 0);
	thread_kill(t);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* The fast path's reply-and-wait must not block a thread whose bound
 * notification has bits pending: the server signals itself (label 9) and
 * its reply-and-wait returns the bits at once. */
static int fastpath_sees_pending_bits(void)
{
	uint64_t ep = ep_new(), n = notif_new(), answer = 0;
	server_reset(ep, n);
	uint64_t t = spawn(server, 0, 150);
	CHECK(t);
	CHECK_EQ(l4_thread_bind_notif(t, n), 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(call_server(ep, 9, 10 * (uint64_t)i, &answer), 0);
		CHECK_EQ(answer, 10 * (uint64_t)i + 1);
		CHECK_EQ(s_notifies, i + 1);          /* collected before we ran again */
		CHECK_EQ(s_last_mr0, 0x80);
	}
	CHECK_EQ(s_msgs, 3);
	CHECK_EQ(s_errors, 0);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	thread_kill(t);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* A bound thread of lower priority is made ready by a signal but runs only
 * when we block. */
static int priorities_kept(void)
{
	uint64_t ep = ep_new(), n = notif_new();
	server_reset(ep, n);
	uint64_t t = spawn(server, 0, 50);
	CHECK(t);
	CHECK_EQ(l4_thread_bind_notif(t, n), 0);
	CHECK_EQ(s_last_label, -1);               /* it has not run yet */
	/* It runs while we sleep; until it blocks in its receive, not for a
	 * fixed time: under TCG a tick may end a sleep before a thread below
	 * us ran at all, when the host did not run QEMU meanwhile. */
	for (int i = 0; i < 1000 && thread_state(t) != L4_THREAD_RECV; i++)
		l4_sleep_us(1000);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_notification_signal(n, 0x1), 0);
	CHECK_EQ(s_notifies, 0);                  /* ready, but below us */
	CHECK_EQ(thread_state(t), L4_THREAD_READY);
	for (int i = 0; i < 1000 && !s_notifies; i++)
		l4_sleep_us(1000);
	CHECK_EQ(s_notifies, 1);
	CHECK_EQ(s_last_mr0, 0x1);
	thread_kill(t);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* Calls and signals racing: a signaller of our priority signals a bit at a
 * time and yields while we call the server; every call is answered once,
 * and every signalled bit reaches the server. */
#define RACE_N 400
static volatile int sig_done;
static void signaller(uint64_t n)
{
	for (int i = 0; i < RACE_N; i++) {
		l4_notification_signal(n, 1ull << (i % 64));
		l4_yield();
	}
	sig_done = 1;
}

static int calls_and_signals_race(void)
{
	uint64_t ep = ep_new(), n = notif_new(), answer = 0;
	server_reset(ep, n);
	sig_done = 0;
	uint64_t t = spawn(server, 0, 120);
	CHECK(t);
	CHECK_EQ(l4_thread_bind_notif(t, n), 0);
	uint64_t s = spawn(signaller, n, 100);
	CHECK(s);
	for (int i = 0; i < RACE_N; i++) {
		CHECK_EQ(call_server(ep, 4, (uint64_t)i, &answer), 0);
		CHECK_EQ(answer, (uint64_t)i + 1);
		l4_yield();
	}
	spin_until(&sig_done, 1);
	CHECK_EQ(sig_done, 1);
	CHECK_EQ(s_msgs, RACE_N);
	CHECK(s_notifies >= 1 && s_notifies <= RACE_N);
	CHECK_EQ(s_bits, ~0ull);                  /* every bit arrived */
	CHECK_EQ(s_errors, 0);
	thread_kill(s);
	thread_kill(t);
	cap_drop(ep);
	cap_drop(n);
	return 0;
}

/* The bound thread deleted: the notification is free to bind again and
 * keeps working; everything goes back to the factory. */
static int bound_thread_deleted(void)
{
	uint64_t before = factory_used();
	uint64_t ep = ep_new(), n = notif_new(), bits = 0;
	server_reset(ep, n);
	uint64_t t = spawn(server, 0, 150);
	CHECK(t);
	CHECK_EQ(l4_thread_bind_notif(t, n), 0);
	thread_kill(t);                           /* stopped and deleted while bound */
	CHECK_EQ(l4_notification_signal(n, 0x9), 0);      /* nobody to wake: pending */
	CHECK_EQ(l4_notification_wait(n, L4_TIMEOUT_ZERO, &bits), 0);
	CHECK_EQ(bits, 0x9);
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, n), 0);   /* free again */
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, 0), 0);
	cap_drop(ep);
	cap_drop(n);
	CHECK_EQ(factory_used() - before, 4096);   /* all but the UTCB page, kept by our task */
	return 0;
}

/* The notification's last capability deleted while bound: the binding keeps
 * it alive (signals from an Irq could still come), the unbind frees it. */
static int notification_outlives_caps_while_bound(void)
{
	uint64_t before = factory_used();
	uint64_t n = notif_new();
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, n), 0);
	cap_drop(n);
	CHECK(factory_used() > before);
	CHECK_EQ(l4_error(l4_recv_timeout(L4_CAP_NULL, 0, L4_TIMEOUT_ZERO)), -L4_ETIMEOUT);
	CHECK_EQ(l4_thread_bind_notif(L4_CAP_THREAD, 0), 0);
	CHECK_EQ(factory_used(), before);
	return 0;
}

KTEST_LIST(bound_tests) = {
	KT(bind_refusals, "bound: one notification per thread and thread per notification; rights, types"),
	KT(signal_ends_receive, "bound: a signal ends a blocked receive with L4_LABEL_NOTIFY and the bits"),
	KT(bind_with_bits_pending, "bound: binding with bits pending ends the thread's blocked receive"),
	KT(pending_bits_first, "bound: pending bits come before a waiting sender's message"),
	KT(sleep_ended_by_signal, "bound: a sleep (receive from slot 0) ends on a signal; timeouts still end receives"),
	KT(fastpath_sees_pending_bits, "bound: reply-and-wait with bits pending returns them at once (fast path guard)"),
	KT(priorities_kept, "bound: a lower-priority bound thread is made ready, runs when we block"),
	KT(calls_and_signals_race, "bound: 400 calls and 400 signals racing: every call answered, every bit seen"),
	KT(bound_thread_deleted, "bound: the bound thread deleted; the notification binds again; no leak"),
	KT(notification_outlives_caps_while_bound, "bound: the binding keeps the notification; unbind frees it"),
};
const unsigned n_bound_tests = sizeof bound_tests / sizeof bound_tests[0];
