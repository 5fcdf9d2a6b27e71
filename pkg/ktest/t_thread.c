/* t_thread.c - thread control: bind, start, stop, priorities, names. */
#include "ktest.h"

static volatile int flag;

static void set_flag(uint64_t v) { flag = (int)v; }
static void set_flag_exit(uint64_t v)
{
	flag = (int)v;
	thread_exit(0);
}

static int thread_runs(void)
{
	flag = 0;
	uint64_t t = spawn(set_flag, 42, 100);
	CHECK(t);
	spin_until(&flag, 42);
	CHECK_EQ(flag, 42);
	thread_kill(t);
	return 0;
}

static int bind_twice_refused(void)
{
	uint64_t t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x0000510000000000ull), 0);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x0000510000001000ull), -L4_ESTATE);
	cap_drop(t);
	return 0;
}

static int bind_bad_utcb_refused(void)
{
	uint64_t t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x0000510000002001ull), -L4_EINVAL);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0), -L4_EINVAL);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0xffff800000000000ull), -L4_EINVAL);
	/* Our own code page is mapped already. */
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x400000), -L4_EINVAL);
	cap_drop(t);
	return 0;
}

static int start_unbound_refused(void)
{
	uint64_t t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_start(t, 0x400000, 0x500000, 0), -L4_ESTATE);
	cap_drop(t);
	return 0;
}

static int start_kernel_address_refused(void)
{
	uint64_t t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_bind(t, L4_CAP_SELF, 0x0000510000003000ull), 0);
	CHECK_EQ(l4_thread_start(t, 0xffffffff80100000ull, 0x500000, 0), -L4_EINVAL);
	CHECK_EQ(l4_thread_start(t, 0x0000800000000000ull, 0x500000, 0), -L4_EINVAL);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	cap_drop(t);
	return 0;
}

static int priority_above_mcp_refused(void)
{
	uint64_t t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_set_prio(t, 50, 60), 0);
	unsigned st, prio, mcp;
	CHECK_EQ(l4_thread_info(t, &st, &prio, &mcp), 0);
	CHECK_EQ(prio, 50);
	CHECK_EQ(mcp, 60);
	CHECK_EQ(l4_thread_set_prio(t, 256, 0), -L4_EPERM);
	cap_drop(t);
	return 0;
}

/* A thread whose mcp is low cannot raise another thread above it. */
static volatile int raise_result, raise_done;

static void try_raise(uint64_t victim)
{
	raise_result = l4_thread_set_prio(victim, 200, 200);
	raise_done = 1;
}

static int mcp_limits_delegation(void)
{
	uint64_t victim = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, victim, 0), 0);
	raise_done = 0;
	uint64_t t = spawn(try_raise, victim, 120);   /* its mcp is 120 */
	CHECK(t);
	spin_until(&raise_done, 1);
	CHECK_EQ(raise_done, 1);
	CHECK_EQ(raise_result, -L4_EPERM);
	thread_kill(t);
	cap_drop(victim);
	return 0;
}

static void wait_on(uint64_t ep)
{
	l4_recv(ep, 0);
}

static int stop_blocked_thread(void)
{
	uint64_t e = ep_new();
	uint64_t t = spawn(wait_on, e, 100);
	CHECK(t);
	for (int i = 0; i < 100 && thread_state(t) != L4_THREAD_RECV; i++)
		l4_yield();
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_thread_stop(t), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	/* It left the endpoint's queue: nobody receives now. */
	CHECK_EQ(l4_error(l4_send_timeout(e, L4_TAG(1, 0, 0), 0)), -L4_ETIMEOUT);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

static int thread_name_and_info(void)
{
	uint64_t t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_set_name(t, "worker-1"), 0);
	unsigned st, prio, mcp;
	CHECK_EQ(l4_thread_info(t, &st, &prio, &mcp), 0);
	CHECK_EQ(st, L4_THREAD_INACTIVE);
	cap_drop(t);
	return 0;
}

static int thread_ops_need_control(void)
{
	uint64_t t = slot_new(), weak = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, t, weak, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_thread_bind(weak, L4_CAP_SELF, 0x0000510000004000ull), -L4_EPERM);
	CHECK_EQ(l4_thread_set_prio(weak, 1, 1), -L4_EPERM);
	unsigned st, prio, mcp;
	CHECK_EQ(l4_thread_info(weak, &st, &prio, &mcp), 0);
	cap_drop(weak);
	cap_drop(t);
	return 0;
}

static int restart_stopped_thread(void)
{
	flag = 0;
	uint64_t e = ep_new();
	uint64_t t = spawn(wait_on, e, 100);
	CHECK(t);
	for (int i = 0; i < 100 && thread_state(t) != L4_THREAD_RECV; i++)
		l4_yield();
	CHECK_EQ(l4_thread_stop(t), 0);
	/* Started again elsewhere: it runs the new code. */
	static uint8_t stack[4096] __attribute__((aligned(16)));
	CHECK_EQ(l4_thread_start(t, (uint64_t)set_flag_exit, (uint64_t)(stack + sizeof stack - 8), 7), 0);
	spin_until(&flag, 7);
	CHECK_EQ(flag, 7);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

/* Stop a thread, read its registers, point it elsewhere, restart it. */
static volatile int regs_flag;
static void spin_on_flag(uint64_t unused)
{
	(void)unused;
	while (!regs_flag)
		l4_yield();
}
static void set_regs_flag(uint64_t v)
{
	regs_flag = (int)v + 100;
	thread_exit(0);
}

static int registers_get_and_set(void)
{
	regs_flag = 0;
	uint64_t t = spawn(spin_on_flag, 0, 100);
	CHECK(t);
	l4_yield();
	uint64_t v[L4_REG_COUNT];
	CHECK_EQ(l4_thread_regs_get(t, v), 0);
	CHECK(v[L4_REG_RIP] >= 0x400000 && v[L4_REG_RIP] < 0x500000);
	CHECK_EQ(l4_thread_regs_set(t, v), -L4_ESTATE);      /* still running */
	CHECK_EQ(l4_thread_stop(t), 0);
	CHECK_EQ(l4_thread_regs_get(t, v), 0);
	uint64_t bad = v[L4_REG_RIP];
	v[L4_REG_RIP] = 0xffffffff80100000ull;
	CHECK_EQ(l4_thread_regs_set(t, v), -L4_EINVAL);
	v[L4_REG_RIP] = bad;
	/* Resume it in set_regs_flag(5) on its own stack, without thread_start. */
	v[L4_REG_RIP] = (uint64_t)set_regs_flag;
	v[L4_REG_RDI] = 5;
	v[L4_REG_RSP] = (v[L4_REG_RSP] & ~15ull) - 8;
	v[L4_REG_RFLAGS] = 0x3000;                        /* IOPL 3: must be dropped */
	CHECK_EQ(l4_thread_regs_set(t, v), 0);
	uint64_t w[L4_REG_COUNT];
	CHECK_EQ(l4_thread_regs_get(t, w), 0);
	CHECK_EQ(w[L4_REG_RFLAGS] & 0x3000, 0);
	CHECK(w[L4_REG_RFLAGS] & 0x200);                   /* interrupts stay on */
	CHECK_EQ(w[L4_REG_RDI], 5);
	CHECK_EQ(l4_thread_resume(t), 0);
	CHECK_EQ(l4_thread_resume(t), -L4_ESTATE);          /* not stopped any more */
	spin_until(&regs_flag, 105);
	CHECK_EQ(regs_flag, 105);
	thread_kill(t);
	return 0;
}

/* A thread stopped while it waits in IPC, resumed: the call returns
 * L4_ECANCELED and the thread goes on. */
static volatile uint64_t resumed_result;
static volatile int resumed_done;
static void recv_then_report(uint64_t ep)
{
	resumed_result = l4_recv(ep, 0);
	resumed_done = 1;
}

static int resume_blocked_thread(void)
{
	uint64_t e = ep_new();
	resumed_done = 0;
	uint64_t t = spawn(recv_then_report, e, 100);
	for (int i = 0; i < 100 && thread_state(t) != L4_THREAD_RECV; i++)
		l4_yield();
	CHECK_EQ(l4_thread_stop(t), 0);
	CHECK_EQ(l4_thread_resume(t), 0);
	spin_until(&resumed_done, 1);
	CHECK_EQ(resumed_done, 1);
	CHECK_EQ(l4_error(resumed_result), -L4_ECANCELED);
	uint64_t never = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, never, 0), 0);
	CHECK_EQ(l4_thread_resume(never), -L4_ESTATE);      /* never ran */
	cap_drop(never);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

/* A thread stopped by a fault nobody handles can be resumed: it runs the
 * faulting instruction again (and stops again), or goes where new registers
 * say.  (It used to resume into the kernel's "dead thread scheduled".) */
static volatile int recovered_flag;
static void recovered(void)
{
	recovered_flag = 1;
	thread_exit(0);
}
static void write_null(uint64_t unused)
{
	(void)unused;
	*(volatile int *)0 = 1;
}

static int resume_after_unhandled_fault(void)
{
	recovered_flag = 0;
	uint64_t t = spawn(write_null, 0, 150);
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);      /* stopped by its fault */
	CHECK_EQ(l4_thread_resume(t), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);      /* the same fault again */
	uint64_t v[L4_REG_COUNT];
	CHECK_EQ(l4_thread_regs_get(t, v), 0);
	v[L4_REG_RIP] = (uint64_t)recovered;
	v[L4_REG_RSP] = (v[L4_REG_RSP] & ~15ull) - 8;        /* as after a call */
	CHECK_EQ(l4_thread_regs_set(t, v), 0);
	CHECK_EQ(l4_thread_resume(t), 0);
	CHECK_EQ(recovered_flag, 1);
	CHECK_EQ(thread_state(t), L4_THREAD_DEAD);
	CHECK_EQ(l4_thread_resume(t), -L4_ESTATE);          /* nothing to resume */
	thread_kill(t);
	return 0;
}

/* Raising another thread's priority switches to it inside the call; it may
 * delete its own last capability before the caller runs again.  The mcp is
 * written before that switch, so nothing touches the freed thread. */
static volatile uint64_t self_slot;
static void delete_self(uint64_t unused)
{
	(void)unused;
	l4_task_cap_delete(L4_CAP_SELF, self_slot);
	for (;;)
		l4_yield();
}

static int raised_thread_deletes_itself(void)
{
	uint64_t q0, u0, q1, u1;
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q0, &u0), 0);
	uint64_t t = spawn(delete_self, 0, 10);             /* below us: not run yet */
	CHECK(t);
	self_slot = t;
	CHECK_EQ(l4_thread_set_prio(t, 200, 200), 0);      /* runs now, deletes itself */
	CHECK_EQ(cap_type(L4_CAP_SELF, t), 0);
	CHECK_EQ(l4_kdb_check(), 0);
	thread_kill(t);                                     /* frees its stack slot */
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q1, &u1), 0);
	CHECK_EQ(u1 - u0, 4096);     /* the thread was freed; its UTCB page stays with our task */
	return 0;
}

/* A UTCB page is charged to the factory of the task it lives in (with the
 * page tables its mapping needs), and refused once that quota is spent. */
static int utcb_charged_to_task(void)
{
	uint64_t f = slot_new(), task = slot_new(), t1 = slot_new(), t2 = slot_new(), q, u0, u1;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_FACTORY, f, 64 * 1024), 0);
	CHECK_EQ(l4_factory_create(f, L4_OBJ_TASK, task, 16), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t1, 0), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t2, 0), 0);
	CHECK_EQ(l4_factory_info(f, &q, &u0), 0);
	CHECK_EQ(l4_thread_bind(t1, task, 0x10000000), 0);
	CHECK_EQ(l4_factory_info(f, &q, &u1), 0);
	CHECK_EQ(u1 - u0, 4 * 4096);                 /* the UTCB and three new tables */
	/* Spend the rest of the quota: the next UTCB is refused. */
	uint64_t hog = slot_new();
	CHECK_EQ(l4_factory_create(f, L4_OBJ_FACTORY, hog, q - u1 - 4096), 0);   /* < 4 pages left */
	CHECK_EQ(l4_thread_bind(t2, task, 0x10001000), -L4_ENOMEM);
	cap_drop(hog);
	CHECK_EQ(l4_thread_bind(t2, task, 0x10001000), 0);
	cap_drop(t1);
	cap_drop(t2);
	cap_drop(task);
	CHECK_EQ(l4_factory_info(f, &q, &u1), 0);
	CHECK_EQ(u1, 0);                             /* all back with the task */
	cap_drop(f);
	return 0;
}

/* The state machine of thread.h, walked through its observable moves: what
 * each state allows and refuses.  A dead thread is never woken, stopped or
 * resumed; only START runs it again (from DEAD through INACTIVE). */
static volatile int sm_runs;
static void count_and_exit(uint64_t unused)
{
	(void)unused;
	sm_runs++;
	thread_exit(0);
}

static void recv_report_exit(uint64_t ep)
{
	recv_then_report(ep);
	thread_exit(0);
}

static int state_machine_moves(void)
{
	uint64_t e = ep_new();
	sm_runs = 0;
	uint64_t t = spawn(count_and_exit, 0, 150);          /* runs and exits at once */
	CHECK(t);
	CHECK_EQ(sm_runs, 1);
	CHECK_EQ(thread_state(t), L4_THREAD_DEAD);
	CHECK_EQ(l4_thread_stop(t), -L4_ESTATE);
	CHECK_EQ(l4_thread_resume(t), -L4_ESTATE);
	uint64_t v[L4_REG_COUNT];
	CHECK_EQ(l4_thread_regs_get(t, v), 0);
	CHECK_EQ(l4_thread_regs_set(t, v), -L4_ESTATE);
	CHECK_EQ(thread_state(t), L4_THREAD_DEAD);
	/* DEAD -> INACTIVE -> READY: a fresh start runs it again. */
	CHECK_EQ(l4_thread_start(t, (uint64_t)count_and_exit, (v[L4_REG_RSP] & ~15ull) - 8, 0), 0);
	for (int i = 0; i < 100 && sm_runs < 2; i++)
		l4_yield();
	CHECK_EQ(sm_runs, 2);
	CHECK_EQ(thread_state(t), L4_THREAD_DEAD);
	/* READY -> RECV -> INACTIVE -> READY (its receive cancelled) -> DEAD. */
	resumed_done = 0;
	CHECK_EQ(l4_thread_start(t, (uint64_t)recv_report_exit, (v[L4_REG_RSP] & ~15ull) - 8, e), 0);
	for (int i = 0; i < 100 && thread_state(t) != L4_THREAD_RECV; i++)
		l4_yield();
	CHECK_EQ(thread_state(t), L4_THREAD_RECV);
	CHECK_EQ(l4_thread_resume(t), -L4_ESTATE);          /* blocked, not stopped */
	CHECK_EQ(l4_thread_stop(t), 0);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	CHECK_EQ(l4_thread_stop(t), 0);                     /* INACTIVE -> INACTIVE */
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	CHECK_EQ(l4_thread_resume(t), 0);
	spin_until(&resumed_done, 1);
	CHECK_EQ(l4_error(resumed_result), -L4_ECANCELED);
	for (int i = 0; i < 100 && thread_state(t) != L4_THREAD_DEAD; i++)
		l4_yield();
	CHECK_EQ(thread_state(t), L4_THREAD_DEAD);
	thread_kill(t);
	cap_drop(e);
	return 0;
}

KTEST_LIST(thread_tests) = {
	KT(thread_runs, "thread: created, bound, started, runs"),
	KT(bind_twice_refused, "thread: binding twice refused"),
	KT(bind_bad_utcb_refused, "thread: bad UTCB addresses refused"),
	KT(start_unbound_refused, "thread: starting an unbound thread refused"),
	KT(start_kernel_address_refused, "thread: kernel or non-canonical start address refused"),
	KT(priority_above_mcp_refused, "thread: priority above the caller's mcp refused"),
	KT(mcp_limits_delegation, "thread: a thread cannot raise another above its own mcp"),
	KT(stop_blocked_thread, "thread: stopping a receiver takes it off the endpoint"),
	KT(thread_name_and_info, "thread: name and info"),
	KT(thread_ops_need_control, "thread: control operations need the control right"),
	KT(restart_stopped_thread, "thread: a stopped thread restarts elsewhere"),
	KT(registers_get_and_set, "thread: registers read, checked, written, thread resumed"),
	KT(resume_after_unhandled_fault, "thread: a thread stopped by an unhandled fault resumes (retry, or new registers)"),
	KT(raised_thread_deletes_itself, "thread: a thread raised above us deletes itself inside the call"),
	KT(utcb_charged_to_task, "thread: a UTCB page is charged to its task's factory, refused past the quota"),
	KT(resume_blocked_thread, "thread: a thread stopped in IPC resumes with L4_ECANCELED"),
	KT(state_machine_moves, "thread: the state machine's moves (dead stays dead but for START; stop, resume, block)"),
};
const unsigned n_thread_tests = sizeof thread_tests / sizeof thread_tests[0];
