/* kdebug.c - a small kernel debugger on the serial line, the IPC trace
 * buffer, and the invariant check run after each kernel test.
 *
 * Entered by the debug system call (L4_DBG_ENTER) or by a key on the serial
 * line; `?` lists the commands (the table `commands` below).  With the
 * word "ipctrace" on the kernel command line every delivered message is
 * also printed as one "ipc:" line, which mk/tool/trace.py draws.
 */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/cap.h"
#include "k/ipc.h"
#include "k/kdebug.h"
#include "k/mm.h"
#include "k/notification.h"
#include "k/preempt.h"
#include "k/roottask.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

/* ---- IPC trace: the last KDB_TRACE operations ---- */
#define KDB_TRACE 32
static struct trace_entry {
	char from[16], to[16];
	uint64_t tag, badge;
	unsigned caps;
	uint64_t tick;
} trace[KDB_TRACE];
static unsigned trace_next;
static bool trace_live;             /* "ipctrace" on the kernel command line */

static void print_trace(const struct trace_entry *e, const char *prefix)
{
	kprintf("%stick %lu %s -> %s label %#x words %u items %u caps %u badge %#lx\n", prefix,
		e->tick, e->from, e->to, L4_TAG_LABEL(e->tag), L4_TAG_UNTYPED(e->tag),
		L4_TAG_TYPED(e->tag), e->caps, e->badge);
}

void kdebug_trace_ipc(const struct thread *from, const struct thread *to, uint64_t tag,
		      uint64_t badge, unsigned caps)
{
	if (!CONFIG_KDB)
		return;
	struct trace_entry *e = &trace[trace_next++ % KDB_TRACE];
	memcpy(e->from, from->name, sizeof e->from);
	memcpy(e->to, to ? to->name : "-", to ? sizeof e->to : 2);
	e->tag = tag;
	e->badge = badge;
	e->caps = caps;
	e->tick = sched_ticks();
	if (unlikely(trace_live))
		print_trace(e, "ipc: ");
}

/* ---- invariants ---- */

/* A bound notification points back at its thread, and the fast path's veto
 * says whether bits are pending on it. */
static const char *bound_check(const struct thread *t)
{
	const struct notification *n = t->bound_notif;
	if (n && n->bound != t)
		return "bound notification does not point back";
	uint8_t veto = fastpath_off | (n && n->bits ? FASTPATH_VETO : 0);
	if (t->fp_veto != veto)
		return "fast-path veto out of date";
	if (n && n->bits && ipc_receiving(t))
		return "receiving with bound bits pending";
	return NULL;
}

int kdebug_check(void)
{
	const char *why = NULL;
	cap_check_begin();            /* one epoch: trees crossing tasks are walked once */
	for (struct task *t = all_tasks; t && !why; t = t->all_next)
		if ((why = cspace_check_more(&t->cs)) || !mdb_check(t, &why))
			kprintf("minnow: check: task '%s': %s\n", t->name, why);
	if (!why && !sched_queues_check(&why))
		kprintf("minnow: check: scheduler: %s\n", why);
	for (struct thread *t = all_threads; t && !why; t = t->all_next)
		if ((why = bound_check(t)))
			kprintf("minnow: check: thread '%s': %s\n", t->name, why);
	return why ? -L4_EINVAL : 0;
}

/* ---- the interactive part ---- */

static const char *const state_name[] = {
	[L4_THREAD_INACTIVE] = "inactive", [L4_THREAD_READY] = "ready",
	[L4_THREAD_SEND] = "send", [L4_THREAD_RECV] = "recv",
	[L4_THREAD_REPLY] = "reply", [L4_THREAD_DEAD] = "dead",
};

/* Tasks and threads are numbered from the oldest (the lists hold the
 * newest first): 0 is the root task and its first thread, and a number
 * goes on naming the same object while newer ones come and go - whenever
 * ESC stops the system (kdb.test's `c 0` and `r 0` met a test's helper
 * thread when they were numbered from the newest).  Quadratic, for a
 * debugger's lists. */
static unsigned task_count(void)
{
	unsigned n = 0;
	for (struct task *t = all_tasks; t; t = t->all_next)
		n++;
	return n;
}

static struct task *task_nth(unsigned n)
{
	unsigned count = task_count();
	if (n >= count)
		return NULL;
	struct task *t = all_tasks;
	for (unsigned k = count - 1 - n; k; k--)
		t = t->all_next;
	return t;
}

static unsigned thread_count(void)
{
	unsigned n = 0;
	for (struct thread *t = all_threads; t; t = t->all_next)
		n++;
	return n;
}

static struct thread *thread_nth(unsigned n)
{
	unsigned count = thread_count();
	if (n >= count)
		return NULL;
	struct thread *t = all_threads;
	for (unsigned k = count - 1 - n; k; k--)
		t = t->all_next;
	return t;
}

static void list_tasks(unsigned unused)
{
	unsigned count = task_count();
	for (unsigned i = 0; i < count; i++) {
		struct task *t = task_nth(i);
		unsigned used = 0, nthr = 0;
		for (uint32_t s = 0; s < t->cs.nslots; s++)
			used += t->cs.slots[s].obj != NULL;
		for (struct thread *th = t->threads; th; th = th->task_next)
			nthr++;
		kprintf("  %2u %-15s caps %u/%u threads %u frames %lu\n", i, t->name, used,
			t->cs.nslots, nthr, t->as.nframes);
	}
}

static void list_threads(unsigned unused)
{
	unsigned count = thread_count();
	for (unsigned i = 0; i < count; i++) {
		struct thread *t = thread_nth(i);
		kprintf("  %2u %-15s %-8s prio %3u mcp %3u task %-12s %s%s\n", i, t->name,
			state_name[t->state], t->prio, t->mcp, t->task ? t->task->name : "-",
			t->waiting_on ? "on an endpoint" : t->callee ? "waits for " : "",
			t->callee ? t->callee->name : "");
	}
}

static void dump_caps(unsigned n)
{
	struct task *t = task_nth(n);
	if (!t) {
		kprintf("  no such task\n");
		return;
	}
	static const char *const type[KOBJ_NTYPES] = {
		[KOBJ_NONE] = "-", [KOBJ_TASK] = "task", [KOBJ_THREAD] = "thread",
		[KOBJ_ENDPOINT] = "endpoint", [KOBJ_NOTIFICATION] = "notification",
		[KOBJ_IRQ] = "irq", [KOBJ_FACTORY] = "factory", [KOBJ_SIGMA0] = "sigma0",
	};
	for (uint32_t s = 0; s < t->cs.nslots; s++) {
		struct cap *c = &t->cs.slots[s];
		if (c->obj)
			kprintf("  [%4u] %-12s rights %c%c%c%c badge %#lx derived %lu\n", s,
				type[c->obj->type], c->rights & CAP_READ ? 'r' : '-',
				c->rights & CAP_WRITE ? 'w' : '-', c->rights & CAP_GRANT ? 'g' : '-',
				c->rights & CAP_CONTROL ? 'c' : '-', c->badge, cap_descendants(c));
	}
}

static void dump_regs(unsigned n)
{
	struct thread *t = thread_nth(n);
	if (!t || !t->arch.regs) {
		kprintf("  no such thread\n");
		return;
	}
	/* The whole register file in enum l4_reg order, as L4_THREAD_REGS_GET
	 * gives it, and where the thread last entered the kernel. */
	static const char *const name[REGS_COUNT] = {
		"rip", "rsp", "rflags", "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
		"rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	uint64_t v[REGS_COUNT];
	regs_get_all(t->arch.regs, v);
	kprintf("  thread %s of task %s\n", t->name, t->task ? t->task->name : "-");
	for (int i = 0; i < REGS_COUNT; i++)
		kprintf("  %-6s 0x%016lx%s", name[i], v[i], i % 3 == 2 ? "\n" : "");
	kprintf("  vector %lu error %#lx cs %#lx ss %#lx\n", t->arch.regs->vector,
		t->arch.regs->error, t->arch.regs->cs, t->arch.regs->ss);
}

static void show_trace(unsigned unused)
{
	for (unsigned i = 0; i < KDB_TRACE; i++) {
		struct trace_entry *e = &trace[(trace_next + i) % KDB_TRACE];
		if (e->from[0])
			print_trace(e, "  ");
	}
}

static void check(unsigned unused)
{
	kprintf("  invariants %s\n", kdebug_check() ? "BROKEN" : "ok");
}

static void help(unsigned unused);

/* One table for the dispatch and for `?`. */
static const struct command {
	char key;
	bool arg;
	const char *what;
	void (*run)(unsigned arg);
} commands[] = {
	{ 't', false, "tasks: number, name, capabilities, threads, frames", list_tasks },
	{ 'h', false, "threads: number, name, state, priority, task", list_threads },
	{ 'c', true, "capability slots of task N", dump_caps },
	{ 'r', true, "all registers of thread N", dump_regs },
	{ 'i', false, "the last IPC messages", show_trace },
	{ 'k', false, "check the kernel's invariants", check },
	{ '?', false, "this list", help },
	{ 'g', false, "go: leave the debugger", NULL },   /* handled by kdebug_enter */
};

static void help(unsigned unused)
{
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		kprintf("  %c%s  %s\n", commands[i].key, commands[i].arg ? " N" : "  ",
			commands[i].what);
}

void kdebug_enter(const char *why)
{
	if (!CONFIG_KDB)
		return;
	kprintf("\nminnow kdb (%s): t tasks, h threads, c N caps, r N regs, i ipc, k check, g go, ? help\n",
		why);
	for (;;) {
		char line[16];
		unsigned n = 0;
		kputs("kdb> ");
		for (;;) {
			int ch = arch_console_getc();
			if (ch < 0)
				return;            /* no input device: leave */
			if (ch == '\r' || ch == '\n')
				break;
			if (n < sizeof line - 1) {
				line[n++] = (char)ch;
				console_write(&line[n - 1], 1);
			}
		}
		line[n] = '\0';
		kputs("\n");
		unsigned arg = 0;
		for (unsigned i = 1; i < n; i++)
			if (line[i] >= '0' && line[i] <= '9')
				arg = arg * 10 + (unsigned)(line[i] - '0');
		if (line[0] == 'g')
			return;
		unsigned i = 0;
		while (i < ARRAY_SIZE(commands) && commands[i].key != line[0])
			i++;
		if (i < ARRAY_SIZE(commands))
			commands[i].run(arg);
		else if (line[0])
			kprintf("  unknown command '%c' (? lists the commands)\n", line[0]);
	}
}

int kdebug_gsi = -1;
static int console_gsi = -1;        /* kdebug_gsi, also while a driver has it */

/* Whether word is one of cmdline's space-separated words. */
static bool has_word(const char *cmdline, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = cmdline; *p; p++)
		if ((p == cmdline || p[-1] == ' ') && !strncmp(p, word, n) &&
		    (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

void kdebug_init(const char *cmdline)
{
	if (!CONFIG_KDB)
		return;
	trace_live = has_word(cmdline, "ipctrace");
	console_gsi = kdebug_gsi = arch_console_irq_enable();
	if (kdebug_gsi >= 0)
		kprintf("minnow: kdb: press ESC on the serial line to enter the debugger\n");
}

bool kdebug_console_line(unsigned gsi)
{
	return console_gsi >= 0 && (int)gsi == console_gsi;
}

void kdebug_console_lend(void)
{
	kdebug_gsi = -1;                /* its interrupts go to the driver's Irq now */
}

void kdebug_console_return(void)
{
	if (console_gsi < 0)
		return;
	/* The driver may have changed the UART's interrupt enables and the
	 * line's mode: set both up as at boot. */
	kdebug_gsi = arch_console_irq_enable();
	if (kdebug_gsi != console_gsi)
		kprintf("minnow: kdb: the console line did not come back\n");
}

/* Input arrived on the console line: ESC enters the debugger, anything else
 * is dropped (nobody reads the console yet). */
void kdebug_serial_interrupt(void)
{
	int ch;
	while ((ch = arch_console_poll()) >= 0)
		if (ch == KDB_KEY)
			kdebug_enter("serial key");
}

long kdebug_syscall(struct thread *cur, uint64_t op, uint64_t arg)
{
	/* Stopping the machine for the debugger, or changing how IPC runs, is
	 * the root task's business alone: any other task could freeze the
	 * system or skew a benchmark with it. */
	bool privileged = root_thread() && cur->task && cur->task == root_thread()->task;
	/* As a mask: one test, however many such calls there are. */
	const uint64_t root_only = 1ull << L4_DBG_ENTER | 1ull << L4_DBG_FASTPATH | 1ull << L4_DBG_CHECK |
				   1ull << L4_DBG_PREEMPT | 1ull << L4_DBG_STRETCH;
	if (!privileged && op < 64 && (root_only >> op & 1))
		return -L4_EPERM;
	switch (op) {
	case L4_DBG_CHECK:
		return kdebug_check();
	case L4_DBG_ENTER:
		kdebug_enter("debug system call");
		return 0;
	case L4_DBG_FRAMES_FREE:
		kmalloc_trim();
		return (long)frames_free();
	case L4_DBG_TICKS:
		return (long)sched_ticks();
	case L4_DBG_FPU_TRANSFERS:
		return (long)arch_fpu_transfers();
	case L4_DBG_STAMP:
		if (arg > 1)
			return -L4_EINVAL;
		return (long)arch_stamp((unsigned)arg);
	case L4_DBG_PREEMPT: {
		long old = (long)preempt_budget_ns;
		preempt_budget_ns = arg ? arg : PREEMPT_BUDGET_NS;
		return old;
	}
	case L4_DBG_STRETCH: {
		long max = (long)preempt_stretch.max;
		this_cpu()->stretch = arg != 0;   /* every CPU's, once there are more */
		preempt_stretch.t0 = 0;         /* this call's own stretch is not counted */
		if (arg)
			preempt_stretch.max = 0;
		return max;
	}
	case L4_DBG_PREEMPTIONS:
		return (long)preempt_count;
	case L4_DBG_FASTPATH:
		fastpath_off = arg ? 0 : FASTPATH_VETO;
		for (struct thread *t = all_threads; t; t = t->all_next)
			fastpath_veto_update(t);
		return 0;
	}
	return -L4_ENOSYS;
}
