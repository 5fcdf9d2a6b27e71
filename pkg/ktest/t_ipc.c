/* t_ipc.c - send, receive, call, reply, badges, timeouts, capability
 * transfer, and partners that go away. */
#include "ktest.h"

static volatile int done;
static volatile uint64_t got[8];
static volatile uint64_t got_tag, got_badge;

/* Receive one message on ep and record it. */
static void receiver(uint64_t ep)
{
	uint64_t badge;
	uint64_t tag = l4_recv(ep, &badge);
	got_tag = tag;
	got_badge = badge;
	for (int i = 0; i < 8; i++)
		got[i] = l4_utcb()->mr[i];
	done = 1;
}

/* Answer calls with label+1 and each word doubled, forever. */
static void doubler(uint64_t ep)
{
	uint64_t badge;
	uint64_t tag = l4_recv(ep, &badge);
	for (;;) {
		struct l4_utcb *u = l4_utcb();
		unsigned n = L4_TAG_UNTYPED(tag);
		for (unsigned i = 0; i < n; i++)
			u->mr[i] *= 2;
		tag = l4_reply_wait(ep, L4_TAG(L4_TAG_LABEL(tag) + 1, n, 0), &badge);
	}
}

static void wait_recv(uint64_t t)
{
	for (int i = 0; i < 200 && thread_state(t) != L4_THREAD_RECV; i++)
		l4_yield();
}

static int send_receive(void)
{
	uint64_t e = ep_new();
	done = 0;
	uint64_t t = spawn(receiver, e, 100);
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	for (int i = 0; i < 6; i++)
		u->mr[i] = 100 + i;
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(77, 6, 0))), 0);
	spin_until(&done, 1);
	CHECK_EQ(L4_TAG_LABEL(got_tag), 77);
	CHECK_EQ(L4_TAG_UNTYPED(got_tag), 6);
	CHECK_EQ(L4_TAG_ERROR(got_tag), 0);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(got[i], 100 + i);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

/* The receiver comes later: the sender waits in the queue. */
static int sender_waits_for_receiver(void)
{
	uint64_t e = ep_new();
	extern void late_sender(uint64_t);
	uint64_t t = spawn(late_sender, e, 100);
	for (int i = 0; i < 200 && thread_state(t) != L4_THREAD_SEND; i++)
		l4_yield();
	CHECK_EQ(thread_state(t), L4_THREAD_SEND);
	uint64_t badge;
	uint64_t tag = l4_recv(e, &badge);
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_LABEL(tag), 5);
	CHECK_EQ(l4_utcb()->mr[0], 0xabcdef);
	thread_kill(t);
	cap_drop(e);
	return 0;
}
void late_sender(uint64_t e)
{
	l4_utcb()->mr[0] = 0xabcdef;
	l4_send(e, L4_TAG(5, 1, 0));
}

static int call_reply(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(doubler, e, 100);
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = 21;
	u->mr[1] = 1000;
	uint64_t tag = l4_call(e, L4_TAG(10, 2, 0));
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_LABEL(tag), 11);
	CHECK_EQ(u->mr[0], 42);
	CHECK_EQ(u->mr[1], 2000);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static int server_loop_serves_many(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(doubler, e, 100);
	wait_recv(t);
	for (uint64_t i = 1; i <= 50; i++) {
		l4_utcb()->mr[0] = i;
		uint64_t tag = l4_call(e, L4_TAG(1, 1, 0));
		CHECK_EQ(l4_error(tag), 0);
		CHECK_EQ(l4_utcb()->mr[0], 2 * i);
	}
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static int long_message_through_utcb(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(doubler, e, 100);
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	for (int i = 0; i < L4_UNTYPED_MAX; i++)
		u->mr[i] = (uint64_t)i * 3 + 1;
	uint64_t tag = l4_call(e, L4_TAG(1, L4_UNTYPED_MAX, 0));
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_UNTYPED(tag), L4_UNTYPED_MAX);
	for (int i = 0; i < L4_UNTYPED_MAX; i++)
		CHECK_EQ(u->mr[i], ((uint64_t)i * 3 + 1) * 2);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

/* 5 to 127 words: the fast path copies the words beyond the registers UTCB
 * to UTCB, both ways; every word arrives, none beyond. */
static int medium_messages_every_word(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(doubler, e, 100);
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	for (int fast = 1; fast >= 0; fast--) {        /* and the full path alike */
		l4_kdb_fastpath(fast);
		for (unsigned n = 5; n <= L4_UNTYPED_MAX; n++) {
			for (unsigned i = 0; i < L4_MR_COUNT; i++)
				u->mr[i] = (uint64_t)n * 1000 + i;
			uint64_t tag = l4_call(e, L4_TAG(n, n, 0));
			CHECK_EQ(l4_error(tag), 0);
			CHECK_EQ(L4_TAG_LABEL(tag), n + 1);
			CHECK_EQ(L4_TAG_UNTYPED(tag), n);
			for (unsigned i = 0; i < L4_MR_COUNT; i++)
				CHECK_EQ(u->mr[i], ((uint64_t)n * 1000 + i) * (i < n ? 2 : 1));
		}
	}
	l4_kdb_fastpath(1);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static int oversized_message_refused(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(doubler, e, 100);
	wait_recv(t);
	/* More words than message registers: 127 + one item, 124 + three. */
	CHECK_EQ(l4_error(l4_call(e, L4_TAG(1, L4_UNTYPED_MAX, 1))), -L4_EINVAL);
	CHECK_EQ(l4_error(l4_call(e, L4_TAG(1, 124, 3))), -L4_EINVAL);
	/* The items flag without a count of items. */
	CHECK_EQ(l4_error(l4_call(e, L4_TAG(1, 2, 0) | L4_TAG_ITEMS)), -L4_EINVAL);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);     /* the server still waits */
	thread_kill(t);
	cap_drop(e);
	return 0;
}

/* Replies with the tag it received in MR0. */
static void tag_echo(uint64_t ep)
{
	uint64_t badge;
	uint64_t tag = l4_recv(ep, &badge);
	for (;;) {
		l4_utcb()->mr[0] = tag;
		tag = l4_reply_wait(ep, L4_TAG(1, 1, 0), &badge);
	}
}

/* A typed count without the items flag is not read (abi.h): the message
 * is its untyped words - on the fast path (a byte compare that never sees
 * the count) and with it switched off alike - and the receiver's tag
 * carries neither the count nor the flag. */
static int typed_count_needs_items_flag(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(tag_echo, e, 100);
	wait_recv(t);
	for (int fast = 1; fast >= 0; fast--) {
		l4_kdb_fastpath(fast);
		for (unsigned n = 0; n <= 10; n += 5) {
			uint64_t tag = l4_call(e, L4_TAG(7, n, 0) | LAYOUT_PUT(L4_TAG_TYPED, 5));
			CHECK_EQ(l4_error(tag), 0);
			uint64_t got = l4_utcb()->mr[0];
			CHECK_EQ(got, L4_TAG(7, n, 0));
			CHECK_EQ(L4_TAG_TYPED(got), 0);
		}
	}
	l4_kdb_fastpath(1);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static int badge_delivered(void)
{
	uint64_t e = ep_new(), b = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, b, L4_CAP_WRITE, 0xbeef), 0);
	done = 0;
	uint64_t t = spawn(receiver, e, 100);
	wait_recv(t);
	CHECK_EQ(l4_error(l4_send(b, L4_TAG(1, 0, 0))), 0);
	spin_until(&done, 1);
	CHECK_EQ(got_badge, 0xbeef);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static int zero_timeouts(void)
{
	uint64_t e = ep_new();
	CHECK_EQ(l4_error(l4_send_timeout(e, L4_TAG(1, 0, 0), L4_TIMEOUT_ZERO)), -L4_ETIMEOUT);
	CHECK_EQ(l4_error(l4_recv_timeout(e, 0, L4_TIMEOUT_ZERO)), -L4_ETIMEOUT);
	cap_drop(e);
	return 0;
}

static int relative_timeout(void)
{
	/* Measured with the KIP's clock (real time, updated every tick), so
	 * that a pause in the kernel debugger does not confuse the test. */
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t e = ep_new();
	uint64_t t0 = kip->clock_ns;
	CHECK_EQ(l4_error(l4_recv_timeout(e, 0, 50000)), -L4_ETIMEOUT);   /* 50 ms */
	uint64_t dt = kip->clock_ns - t0;
	CHECK(dt >= 40000000);     /* the tick (10 ms) bounds the precision */
	CHECK(dt <= 5000000000ull);
	CHECK_EQ(l4_error(l4_send_timeout(e, L4_TAG(1, 0, 0), 20000)), -L4_ETIMEOUT);
	cap_drop(e);
	return 0;
}

static void sleeper(uint64_t unused)
{
	(void)unused;
	l4_sleep_us(10000000);                  /* 10 s: stopped long before */
}

/* A receive from slot 0 with a timeout is a sleep; without one, an error. */
static int sleep_on_nothing(void)
{
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t t0 = kip->clock_ns;
	CHECK_EQ(l4_sleep_us(30000), 0);                            /* 30 ms */
	uint64_t dt = kip->clock_ns - t0;
	CHECK(dt >= 20000000);
	CHECK(dt <= 5000000000ull);
	CHECK_EQ(l4_error(l4_recv_timeout(L4_CAP_NULL, 0, L4_TIMEOUT_ZERO)), -L4_ETIMEOUT);
	CHECK_EQ(l4_error(l4_recv(L4_CAP_NULL, 0)), -L4_ENOCAP);    /* forever: refused */
	/* A sleeper stopped by someone else stops sleeping. */
	uint64_t t = spawn(sleeper, 0, 150);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_thread_stop(t), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	thread_kill(t);
	return 0;
}

static int rights_enforced(void)
{
	uint64_t e = ep_new(), ro = slot_new(), wo = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, ro, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, wo, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_error(l4_send_timeout(ro, L4_TAG(1, 0, 0), 0)), -L4_EPERM);
	CHECK_EQ(l4_error(l4_recv_timeout(wo, 0, 0)), -L4_EPERM);
	CHECK_EQ(l4_error(l4_recv_timeout(ro, 0, 0)), -L4_ETIMEOUT);
	cap_drop(e);
	return 0;
}

static int senders_fifo(void)
{
	uint64_t e = ep_new();
	uint64_t t[3];
	for (int i = 0; i < 3; i++) {
		extern void numbered_sender(uint64_t);
		t[i] = spawn(numbered_sender, e | ((uint64_t)i << 32), 100);
		for (int k = 0; k < 200 && thread_state(t[i]) != L4_THREAD_SEND; k++)
			l4_yield();
	}
	for (int i = 0; i < 3; i++) {
		uint64_t tag = l4_recv(e, 0);
		CHECK_EQ(l4_error(tag), 0);
		CHECK_EQ(L4_TAG_LABEL(tag), i);
	}
	for (int i = 0; i < 3; i++)
		thread_kill(t[i]);
	cap_drop(e);
	return 0;
}
void numbered_sender(uint64_t arg)
{
	l4_send((uint32_t)arg, L4_TAG(arg >> 32, 0, 0));
}

/* ---- capability transfer ---- */

static void cap_receiver(uint64_t ep)
{
	l4_cap_window(60, 2);
	receiver(ep);
}

static int transfer_map(void)
{
	uint64_t e = ep_new(), x = ep_new();
	cap_drop(60);
	done = 0;
	uint64_t t = spawn(cap_receiver, e, 100);
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = 9;
	CHECK_EQ(l4_item_map(1, x, L4_CAP_WRITE), 3);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 1, 1))), 0);
	spin_until(&done, 1);
	CHECK_EQ(L4_TAG_TYPED(got_tag), 1);
	CHECK_EQ(got[2], 60);                    /* the item names the new slot */
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, 60, &info), 0);
	CHECK_EQ(info.type, L4_OBJ_ENDPOINT);
	CHECK_EQ(info.rights, L4_CAP_WRITE);
	CHECK_EQ(cap_type(L4_CAP_SELF, x), L4_OBJ_ENDPOINT);   /* the original stays */
	thread_kill(t);
	cap_drop(60);
	cap_drop(x);
	cap_drop(e);
	return 0;
}

static int transfer_grant(void)
{
	uint64_t e = ep_new(), x = ep_new();
	cap_drop(60);
	done = 0;
	uint64_t t = spawn(cap_receiver, e, 100);
	wait_recv(t);
	l4_item_grant(0, x);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 1))), 0);
	spin_until(&done, 1);
	CHECK_EQ(cap_type(L4_CAP_SELF, 60), L4_OBJ_ENDPOINT);
	CHECK_EQ(cap_type(L4_CAP_SELF, x), 0);
	thread_kill(t);
	cap_drop(60);
	cap_drop(e);
	return 0;
}

static int transfer_needs_grant_right(void)
{
	uint64_t e = ep_new(), x = ep_new(), nog = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, nog, L4_CAP_WRITE | L4_CAP_READ, 0), 0);
	cap_drop(60);
	uint64_t t = spawn(cap_receiver, e, 100);
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = L4_ITEM(L4_ITEM_MAP, L4_CAP_ALL);
	u->mr[1] = x;
	CHECK_EQ(l4_error(l4_send(nog, L4_TAG(3, 0, 1))), -L4_EPERM);
	CHECK_EQ(cap_type(L4_CAP_SELF, 60), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	thread_kill(t);
	cap_drop(x);
	cap_drop(e);
	return 0;
}

static int transfer_window_checked(void)
{
	uint64_t e = ep_new(), x = ep_new();
	cap_drop(60);
	cap_drop(61);
	uint64_t t = spawn(cap_receiver, e, 100);      /* window: 2 slots at 60 */
	wait_recv(t);
	struct l4_utcb *u = l4_utcb();
	for (int i = 0; i < 3; i++) {
		u->mr[2 * i] = L4_ITEM(L4_ITEM_MAP, L4_CAP_ALL);
		u->mr[2 * i + 1] = x;
	}
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 3))), -L4_EINVAL);  /* 3 items, room for 2 */
	/* An occupied window slot is refused too, and nothing moves. */
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, x, 61, L4_CAP_ALL, 0), 0);
	for (int i = 0; i < 2; i++) {            /* the call above used the MRs */
		u->mr[2 * i] = L4_ITEM(L4_ITEM_MAP, L4_CAP_ALL);
		u->mr[2 * i + 1] = x;
	}
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 2))), -L4_ESLOT);
	CHECK_EQ(cap_type(L4_CAP_SELF, 60), 0);
	/* A bad source slot or a rights escalation is refused. */
	cap_drop(61);
	u->mr[0] = L4_ITEM(L4_ITEM_MAP, L4_CAP_ALL);
	u->mr[1] = slot_new();
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 1))), -L4_ENOCAP);
	uint64_t weak = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, x, weak, L4_CAP_READ, 0), 0);
	u->mr[0] = L4_ITEM(L4_ITEM_MAP, L4_CAP_ALL);
	u->mr[1] = weak;
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 1))), -L4_EPERM);
	CHECK_EQ(cap_type(L4_CAP_SELF, 60), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	thread_kill(t);
	cap_drop(x);
	cap_drop(e);
	return 0;
}

/* A slot granted away cannot be named by a second item of the same message:
 * the whole message is refused and nothing moves.  Mapping one slot twice
 * is fine (two copies). */
static int transfer_same_slot_twice(void)
{
	uint64_t e = ep_new(), x = ep_new();
	cap_drop(60);
	cap_drop(61);
	done = 0;
	uint64_t t = spawn(cap_receiver, e, 100);      /* window: 2 slots at 60 */
	wait_recv(t);
	l4_item_grant(l4_item_grant(0, x), x);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 2))), -L4_EINVAL);
	l4_item_grant(l4_item_map(0, x, L4_CAP_ALL), x);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 2))), -L4_EINVAL);
	l4_item_map(l4_item_grant(0, x), x, L4_CAP_ALL);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 2))), -L4_EINVAL);
	CHECK_EQ(cap_type(L4_CAP_SELF, x), L4_OBJ_ENDPOINT);
	CHECK_EQ(cap_type(L4_CAP_SELF, 60), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	l4_item_map(l4_item_map(0, x, L4_CAP_WRITE), x, L4_CAP_READ);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 2))), 0);
	spin_until(&done, 1);
	CHECK_EQ(L4_TAG_TYPED(got_tag), 2);
	CHECK_EQ(cap_type(L4_CAP_SELF, 60), L4_OBJ_ENDPOINT);
	CHECK_EQ(cap_type(L4_CAP_SELF, 61), L4_OBJ_ENDPOINT);
	thread_kill(t);
	cap_drop(60);
	cap_drop(61);
	cap_drop(x);
	cap_drop(e);
	return 0;
}

/* L4_EINVAL says which argument was refused (l4_error_arg: 1 + its MR). */
static int einval_names_argument(void)
{
	uint64_t t = slot_new(), e = ep_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, 99, slot_new(), 0), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 1);                          /* MR0: the type */
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, slot_new(), 1), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 3);                          /* MR2: the slot count */
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x1234), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 2);                          /* MR1: the UTCB address */
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x0000540000000000ull), 0);
	CHECK_EQ(l4_thread_start(t, 0x1000, ~0ull, 0), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 2);                          /* MR1: rsp */
	CHECK_EQ(l4_thread_start(t, ~0ull, 0x1000, 0), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 1);                          /* MR0: rip */
	/* Another error clears it. */
	CHECK_EQ(l4_thread_start(slot_new(), 0, 0, 0), -L4_ENOCAP);
	CHECK_EQ(l4_error_arg(), 0);
	/* In a message: the item's word, counted over the whole message. */
	uint64_t r = spawn(cap_receiver, e, 100);
	wait_recv(r);
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = 1;
	u->mr[1] = u->mr[2] = 0;
	u->mr[3] = L4_ITEM(9, 0);                           /* no such item type */
	u->mr[4] = 0;
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 3, 1))), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 4);                          /* MR3 */
	u->mr[0] = L4_ITEM(L4_ITEM_IO, 0);
	u->mr[1] = 0xfff0 | 0x100ull << 16;                   /* past port 0xffff */
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(3, 0, 1))), -L4_EINVAL);
	CHECK_EQ(l4_error_arg(), 2);                          /* MR1 */
	thread_kill(r);
	cap_drop(t);
	cap_drop(e);
	return 0;
}

/* ---- partners that go away ---- */

static void hold_call(uint64_t ep)
{
	l4_recv(ep, 0);          /* takes the call, never replies */
	done = 1;
	for (;;)
		l4_recv(ep, 0);
}

static volatile uint64_t call_result;
static void caller_thread(uint64_t ep)
{
	call_result = l4_call(ep, L4_TAG(1, 0, 0));
	done = 2;
}

static int server_dies_during_call(void)
{
	uint64_t e = ep_new();
	done = 0;
	uint64_t s = spawn(hold_call, e, 100);
	wait_recv(s);
	uint64_t c = spawn(caller_thread, e, 100);
	spin_until(&done, 1);
	CHECK_EQ(thread_state(c), L4_THREAD_REPLY);
	thread_kill(s);                   /* the server owes a reply and dies */
	spin_until(&done, 2);
	CHECK_EQ(done, 2);
	CHECK_EQ(l4_error(call_result), -L4_ECANCELED);
	thread_kill(c);
	cap_drop(e);
	return 0;
}

static int caller_dies_before_reply(void)
{
	uint64_t e = ep_new();
	done = 0;
	uint64_t c = spawn(caller_thread, e, 100);
	for (int i = 0; i < 200 && thread_state(c) != L4_THREAD_SEND; i++)
		l4_yield();
	CHECK_EQ(l4_error(l4_recv(e, 0)), 0);
	CHECK_EQ(thread_state(c), L4_THREAD_REPLY);
	thread_kill(c);
	/* Replying to a dead caller is a quiet no-op. */
	CHECK_EQ(l4_error(l4_reply(L4_TAG(1, 0, 0))), 0);
	cap_drop(e);
	return 0;
}

static int endpoint_deleted_under_sender(void)
{
	uint64_t e = ep_new();
	done = 0;
	uint64_t c = spawn(caller_thread, e, 100);
	for (int i = 0; i < 200 && thread_state(c) != L4_THREAD_SEND; i++)
		l4_yield();
	cap_drop(e);                      /* last capability: the endpoint dies */
	spin_until(&done, 2);
	CHECK_EQ(l4_error(call_result), -L4_ECANCELED);
	thread_kill(c);
	return 0;
}

/* A receiver that takes a second call before replying to the first: the
 * one-shot reply capability is replaced, and the first caller is told. */
static volatile uint64_t first_result;
static volatile int first_done;
static void first_caller(uint64_t ep)
{
	first_result = l4_call(ep, L4_TAG(1, 0, 0));
	first_done = 1;
}

static int second_call_replaces_reply(void)
{
	uint64_t e = ep_new();
	first_done = 0;
	done = 0;
	uint64_t c1 = spawn(first_caller, e, 100);
	for (int i = 0; i < 200 && thread_state(c1) != L4_THREAD_SEND; i++)
		l4_yield();
	CHECK_EQ(l4_error(l4_recv(e, 0)), 0);          /* we owe c1 a reply */
	uint64_t c2 = spawn(caller_thread, e, 100);
	for (int i = 0; i < 200 && thread_state(c2) != L4_THREAD_SEND; i++)
		l4_yield();
	CHECK_EQ(l4_error(l4_recv(e, 0)), 0);          /* now c2's: c1's is gone */
	spin_until(&first_done, 1);
	CHECK_EQ(first_done, 1);
	CHECK_EQ(l4_error(first_result), -L4_ECANCELED);
	CHECK_EQ(l4_error(l4_reply(L4_TAG(9, 0, 0))), 0);
	spin_until(&done, 2);
	CHECK_EQ(l4_error(call_result), 0);
	CHECK_EQ(L4_TAG_LABEL(call_result), 9);
	thread_kill(c1);
	thread_kill(c2);
	cap_drop(e);
	return 0;
}

static int reply_without_caller(void)
{
	CHECK_EQ(l4_error(l4_reply(L4_TAG(1, 0, 0))), 0);
	return 0;
}

KTEST_LIST(ipc_tests) = {
	KT(send_receive, "ipc: send to a waiting receiver"),
	KT(sender_waits_for_receiver, "ipc: sender waits until a receiver comes"),
	KT(call_reply, "ipc: call and reply"),
	KT(server_loop_serves_many, "ipc: reply-and-wait serves 50 calls"),
	KT(long_message_through_utcb, "ipc: 127-word message"),
	KT(medium_messages_every_word, "ipc: 5..127-word calls and replies (fast path) keep every word"),
	KT(oversized_message_refused, "ipc: oversized message refused"),
	KT(typed_count_needs_items_flag, "ipc: a typed count without the items flag is not read"),
	KT(badge_delivered, "ipc: the sender's badge reaches the receiver"),
	KT(zero_timeouts, "ipc: zero timeouts poll"),
	KT(relative_timeout, "ipc: relative timeout expires"),
	KT(sleep_on_nothing, "ipc: a receive from slot 0 with a timeout sleeps"),
	KT(rights_enforced, "ipc: send needs write, receive needs read"),
	KT(senders_fifo, "ipc: waiting senders are served in order"),
	KT(transfer_map, "ipc: capability mapped by IPC, rights reduced"),
	KT(transfer_grant, "ipc: capability granted by IPC moves"),
	KT(transfer_needs_grant_right, "ipc: capability transfer needs the grant right"),
	KT(transfer_window_checked, "ipc: receive window and source slots checked"),
	KT(einval_names_argument, "errors: L4_EINVAL names the refused argument (l4_error_arg), in calls and in messages"),
	KT(transfer_same_slot_twice, "ipc: a slot granted and named again in one message is refused whole"),
	KT(server_dies_during_call, "ipc: caller wakes when the server dies"),
	KT(caller_dies_before_reply, "ipc: reply to a dead caller is harmless"),
	KT(endpoint_deleted_under_sender, "ipc: deleting an endpoint wakes its waiters"),
	KT(reply_without_caller, "ipc: reply with nobody to reply to"),
	KT(second_call_replaces_reply, "ipc: a second call replaces the reply capability, the first caller is told"),
};
const unsigned n_ipc_tests = sizeof ipc_tests / sizeof ipc_tests[0];
