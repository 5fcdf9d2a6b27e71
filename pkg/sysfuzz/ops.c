/* ops.c - the operations: every label of every kernel object, raw IPC with
 * typed items, the other system calls, and two composites that put helper
 * threads to work (spawn) and give a task our code and stacks (prep).
 *
 * Argument letters (one per message register, gen.c):
 *   s  a slot, also the root task's factory and Sigma0 (3, 4: only where nothing
 *      is destroyed; never 1, our task, see gen_any_slot)
 *   S  a pool slot only (what may be deleted, moved, granted)
 *   t  a task   T  a thread   e  an endpoint or 0   n  a notification or 0
 *   r  rights   b  badge   a  address   f  flexpage   u  UTCB address
 *   p  priority i  entry point   k  the helper stack of the destination slot
 *   h  helper argument   m  timeout   c  page count   x  physical address
 *   o  object type   w  any word   z  0 or 1   P  first port | count << 16
 *   N  name bytes */
#include "fuzz.h"
#include <l4/sys/ipc.h>
#include <l4/sys/syscall.h>
#include <l4/sys/kdebug.h>

uint64_t op_ok[64], op_calls[64];
static uint64_t cur_dest;

static uint64_t pool_only(void)
{
	return chance(95) ? POOL0 + below(NPOOL) : chance(50) ? 0 : 4096;
}

static uint64_t phys_addr(void)
{
	static const uint64_t p[] = {
		0xb8000, 0xa0000, 0xfebf0000, 0xfee00000, 0xfec00000, 0x100000, 0,
		1ull << 46, 0x7fe0000, 0xfffff000, 0xc0000000,
	};
	return chance(85) ? p[below(sizeof p / sizeof p[0])] : rnd() & 0xfffffffff000ull;
}

static uint64_t ports(void)
{
	static const uint64_t p[] = {
		0x3f8 | 8 << 16, 0x80 | 1 << 16, 0x70 | 2 << 16, 0xcf8 | 8 << 16,
		0xffff | 2 << 16, 0 | 0xffffull << 16, 0x2f8 | 8 << 16,
	};
	return chance(80) ? p[below(sizeof p / sizeof p[0])] : rnd() & 0xffffffff;
}

static uint64_t obj_type(void)
{
	return chance(95) ? 1 + below(7) : gen_word();
}

/* Values for raw messages: never one of the root task's own slots below the
 * pool (its task, factory, Sigma0, the watchdog thread), which a message to
 * a task capability would otherwise delete, move or copy out. */
static uint64_t msg_word(void)
{
	uint64_t w = gen_word();
	return w >= 1 && w < POOL0 ? w + POOL0 : w;
}

static uint64_t arg(char k)
{
	switch (k) {
	case 's': return gen_any_slot();
	case 'S': return pool_only();
	case 't': return gen_target();
	case 'T': return gen_slot(P_THREAD, 12);
	case 'e': return chance(10) ? 0 : gen_slot(P_EP, 8);
	case 'n': return chance(10) ? 0 : gen_slot(P_NTF, 4);
	case 'r': return gen_rights();
	case 'b': return gen_badge();
	case 'a': return gen_addr();
	case 'f': return gen_fpage();
	case 'u': return gen_utcb();
	case 'p': return gen_prio();
	case 'i': return gen_ip();
	case 'k':
		if (cur_dest >= POOL0 && cur_dest < POOL0 + NPOOL && chance(95))
			return HSTACK + (cur_dest - POOL0 + 1) * 1024 - 8;
		return gen_word();
	case 'h': return gen_helper_arg();
	case 'm': return gen_timeout();
	case 'c': return chance(90) ? 1 + below(8) : gen_word();
	case 'x': return phys_addr();
	case 'o': return obj_type();
	case 'z': return chance(90) ? below(2) : gen_word();
	case 'P': return ports();
	case 'N': return rnd();
	default:  return msg_word();
	}
}

/* A kernel object call: destination from the op's group, MRs by its letters. */
static void run_obj(const struct op *op)
{
	struct l4_utcb *u = l4_utcb();
	uint64_t dest;
	if (op->group == 0)
		dest = chance(90) ? L4_CAP_SIGMA0 : gen_any_slot();
	else if (op->group == 1)
		dest = chance(50) ? L4_CAP_FACTORY : gen_slot(P_FAC, 3);
	else if (op->group == P_TASK)
		dest = gen_target();
	else
		dest = gen_slot(op->group, op->ngroup);
	cur_dest = dest;
	/* The kernel reads MR0..3 whatever the tag's count: words this op does
	 * not write would be the last call's.  Zero names no capability (slot 0
	 * is the null one); a stale word could name our own slots, which must
	 * never be moved or deleted (fuzz.h).  Seeds 105 and 127: factory:info
	 * (label 5, no words) reached a task, so L4_TASK_CAP_MOVE moved slot 2,
	 * left over in MR0, away - and with it the watchdog's hold on us. */
	for (unsigned i = 0; i < L4_MR_IN_REGS; i++)
		u->mr[i] = 0;
	unsigned n = 0;
	for (const char *a = op->args; *a; a++)
		u->mr[n++] = arg(*a);
	if (chance(3))
		n = below(70);                       /* too few, too many */
	fz_ipc(op->name, L4_IPC_CALL, dest, L4_TAG(op->label, n, 0), 0, 0);
}

/* Delete our capability in slot (the last one to its object, often). */
static void drop(uint64_t slot)
{
	l4_utcb()->mr[0] = slot;
	fz_ipc("drop", L4_IPC_CALL, L4_CAP_SELF, L4_TAG(L4_TASK_CAP_DELETE, 1, 0), 0, 0);
}

/* Create: the destination slot in the group of the type made there. */
static void run_create(const struct op *op)
{
	static const uint8_t group_of[] = { 0, P_TASK, P_THREAD, P_EP, P_NTF, P_IRQ, P_FAC, P_MISC };
	static const uint8_t size_of[] = { 0, 6, 12, 8, 4, 3, 3, 12 };
	struct l4_utcb *u = l4_utcb();
	uint64_t type = obj_type();
	uint64_t dst = type < 8 && type ? gen_slot(group_of[type], size_of[type]) : pool_only();
	uint64_t param = type == L4_OBJ_TASK ? (chance(95) ? 64 + below(200) : gen_word())
		       : type == L4_OBJ_FACTORY ? (chance(90) ? 4096 * (1 + below(512)) : gen_word())
		       : gen_word();
	if (chance(60))
		drop(dst);                   /* often a live object: its destruction too */
	u->mr[0] = type;
	u->mr[1] = dst;
	u->mr[2] = param;
	uint64_t fac = chance(60) ? L4_CAP_FACTORY : gen_slot(P_FAC, 3);
	fz_ipc(op->name, L4_IPC_CALL, fac, L4_TAG(op->label, 3, 0), 0, 0);
}

static void run_regs_set(const struct op *op)
{
	struct l4_utcb *u = l4_utcb();
	cur_dest = gen_slot(P_THREAD, 12);
	for (unsigned i = 0; i < L4_REG_COUNT; i++)
		u->mr[i] = rnd();
	u->mr[L4_REG_RIP] = gen_ip();
	u->mr[L4_REG_RSP] = arg('k');
	u->mr[L4_REG_RDI] = gen_helper_arg();
	fz_ipc(op->name, L4_IPC_CALL, cur_dest, L4_TAG(op->label, L4_REG_COUNT, 0), 0, 0);
}

static void run_irq_create(const struct op *op)
{
	/* Not COM1's line 4: its Irq may enter the kernel debugger
	 * (L4_IRQ_KDB_ENTER), which then waits for a key on the serial line. */
	static const uint8_t lines[] = { 3, 5, 7, 8, 9, 10, 11, 0, 2, 15, 19, 23, 24, 200 };
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = chance(95) ? lines[below(sizeof lines)] : gen_word();
	if (u->mr[0] == 4)
		u->mr[0] = 3;
	u->mr[1] = gen_slot(P_IRQ, 3);
	u->mr[2] = chance(90) ? below(8) : gen_word();
	fz_ipc(op->name, L4_IPC_CALL, L4_CAP_SIGMA0, L4_TAG(op->label, 3, 0), 0, 0);
}

static unsigned put_item(unsigned n)
{
	struct l4_utcb *u = l4_utcb();
	switch (below(9)) {
	case 0: case 1:
		u->mr[n] = L4_ITEM(L4_ITEM_MAP, gen_rights());
		u->mr[n + 1] = chance(80) ? pool_only() : chance(50) ? L4_CAP_SIGMA0 : L4_CAP_FACTORY;
		break;
	case 2: case 3:
		u->mr[n] = L4_ITEM(L4_ITEM_GRANT, 0);
		u->mr[n + 1] = pool_only();
		break;
	case 4: case 5:
		u->mr[n] = L4_ITEM(L4_ITEM_MEM, 0) | (gen_addr() & ~0xfffull);
		u->mr[n + 1] = gen_fpage();
		break;
	case 6:
		u->mr[n] = L4_ITEM(L4_ITEM_IO, 0);
		u->mr[n + 1] = ports();
		break;
	case 7:
		u->mr[n] = msg_word();
		u->mr[n + 1] = msg_word();
		break;
	default:
		u->mr[n] = L4_ITEM(L4_ITEM_MAP, gen_rights());
		u->mr[n + 1] = gen_slot(P_EP, 8);
	}
	return n + 2;
}

/* One IPC: any phases, endpoints or anything else, untyped words and typed
 * items, receive windows, timeouts. */
static void run_ipc(const struct op *op)
{
	static const uint8_t flagsets[] = {
		L4_IPC_SEND, L4_IPC_RECV, L4_IPC_CALL, L4_IPC_REPLY | L4_IPC_RECV, L4_IPC_REPLY,
		L4_IPC_SEND | L4_IPC_RECV, L4_IPC_CALL, L4_IPC_SEND,
	};
	static const uint32_t labels[] = {
		0, 1, 2, 7, L4_FAULT_STOP, L4_LABEL_PAGEFAULT, L4_LABEL_EXIT, L4_LABEL_NOTIFY, 0xffffffff,
	};
	struct l4_utcb *u = l4_utcb();
	unsigned flags = chance(95) ? flagsets[below(sizeof flagsets)] : below(256);
	uint64_t dest = chance(85) ? gen_slot(P_EP, 8) : gen_slot(P_NTF, 4);
	uint64_t rcv = chance(80) ? gen_slot(P_EP, 8) : chance(50) ? 0 : gen_slot(P_NTF, 4);
	unsigned untyped = chance(95) ? below(7) : below(128);
	unsigned typed = chance(70) ? 0 : chance(95) ? 1 + below(4) : below(64);
	uint32_t label = labels[below(sizeof labels / sizeof labels[0])];
	for (unsigned i = 0; i < untyped && i < L4_MR_COUNT; i++)
		u->mr[i] = msg_word();
	unsigned n = untyped;
	for (unsigned i = 0; i < typed && n + 2 <= L4_MR_COUNT; i++)
		n = put_item(n);
	u->cap_window = chance(90) ? L4_CAP_WINDOW(P_MISC + below(12), below(5)) : rnd();
	u->mem_window = chance(50) ? L4_FPAGE(FZ_BASE, 22, 7) : chance(50) ? 0 : gen_fpage();
	uint64_t tag = L4_TAG(label, untyped, typed);
	if (raw_tags && chance(5))      /* the items flag and the typed count apart (abi.h) */
		tag ^= chance(50) ? L4_TAG_ITEMS : LAYOUT_PUT(L4_TAG_TYPED, below(64));
	fz_ipc(op->name, flags, dest, tag, rcv, gen_timeouts());
}

static void run_sys(const struct op *op)
{
	static char dots[16] = "................";
	switch (op->label) {
	case 0: {                                       /* debug write */
		/* Short: what is readable gets printed. */
		uint64_t buf = chance(30) ? (uint64_t)dots : chance(60) ? gen_addr() : gen_word();
		uint64_t len = below(17);
		if (buf >= 0x0000800000000000ull && chance(50))
			len = gen_word();               /* a kernel address: refused whatever the length */
		fz_sys(op->name, L4_SYS_DEBUG_WRITE, (long)buf, (long)len);
		break;
	}
	case 1:
		fz_sys(op->name, L4_SYS_YIELD, 0, 0);
		break;
	case 2: {                                       /* debugger operations, not ENTER */
		static const uint64_t dop[] = { L4_DBG_FRAMES_FREE, L4_DBG_TICKS, L4_DBG_FASTPATH,
						L4_DBG_CHECK, 0, 99 };
		fz_sys(op->name, L4_SYS_DEBUG, (long)dop[below(6)], (long)below(2));
		break;
	}
	default: {                                      /* numbers that are no system call */
		static const long nr[] = { 5, 6, 255, -1, 0x7fffffff, 2 | (0xff << 8) | (1 << 16) };
		fz_sys(op->name, nr[below(6)], (long)msg_word(), (long)msg_word());
	}
	}
}

/* Spawn: a thread (made if the slot is empty) bound to a task, with handlers,
 * a priority and our helper code. */
static void run_spawn(const struct op *op)
{
	(void)op;
	struct l4_utcb *u = l4_utcb();
	uint64_t t = gen_slot(P_THREAD, 12), task = gen_target();
	cur_dest = t;
	if (chance(50))
		drop(t);
	u->mr[0] = L4_OBJ_THREAD;
	u->mr[1] = t;
	u->mr[2] = 0;
	fz_ipc("spawn:create", L4_IPC_CALL, L4_CAP_FACTORY, L4_TAG(L4_FACTORY_CREATE, 3, 0), 0, 0);
	u->mr[0] = task;
	u->mr[1] = gen_utcb();
	fz_ipc("spawn:bind", L4_IPC_CALL, t, L4_TAG(L4_THREAD_BIND, 2, 0), 0, 0);
	u->mr[0] = arg('e');
	u->mr[1] = arg('e');
	fz_ipc("spawn:handlers", L4_IPC_CALL, t, L4_TAG(L4_THREAD_SET_HANDLERS, 2, 0), 0, 0);
	u->mr[0] = chance(80) ? 1 + below(150) : 150 + below(60);
	u->mr[1] = u->mr[0];
	fz_ipc("spawn:prio", L4_IPC_CALL, t, L4_TAG(L4_THREAD_SET_PRIO, 2, 0), 0, 0);
	u->mr[0] = (uint64_t)helper_entry;
	u->mr[1] = arg('k');
	u->mr[2] = gen_helper_arg();
	fz_ipc("spawn:start", L4_IPC_CALL, t, L4_TAG(L4_THREAD_START, 3, 0), 0, 0);
}

static void run_prep(const struct op *op)
{
	(void)op;
	prep_task(chance(90) ? gen_slot(P_TASK, 6) : gen_target());
}

/* Groups: 0 Sigma0, 1 factories, else the pool group and its size. */
#define OBJ(name, label, g, n, args) { name, run_obj, label, g, n, args }
const struct op ops[] = {
	{ "factory:create", run_create, L4_FACTORY_CREATE, 1, 0, "" },
	{ "factory:create", run_create, L4_FACTORY_CREATE, 1, 0, "" },
	OBJ("factory:info", L4_FACTORY_INFO, 1, 0, ""),
	OBJ("factory:junk", 99, 1, 0, "www"),
	OBJ("task:cap_map", L4_TASK_CAP_MAP, P_TASK, 6, "sSrbt"),
	OBJ("task:cap_map", L4_TASK_CAP_MAP, P_TASK, 6, "sSrb"),
	OBJ("task:cap_revoke", L4_TASK_CAP_REVOKE, P_TASK, 6, "s"),
	OBJ("task:cap_delete", L4_TASK_CAP_DELETE, P_TASK, 6, "S"),
	OBJ("task:cap_info", L4_TASK_CAP_INFO, P_TASK, 6, "s"),
	OBJ("task:cap_move", L4_TASK_CAP_MOVE, P_TASK, 6, "SS"),
	OBJ("task:mem_map", L4_TASK_MEM_MAP, P_TASK, 6, "fat"),
	OBJ("task:mem_map", L4_TASK_MEM_MAP, P_TASK, 6, "fa"),
	OBJ("task:mem_unmap", L4_TASK_MEM_UNMAP, P_TASK, 6, "fz"),
	OBJ("task:junk", 0, P_TASK, 6, "ww"),
	OBJ("thread:bind", L4_THREAD_BIND, P_THREAD, 12, "tu"),
	OBJ("thread:start", L4_THREAD_START, P_THREAD, 12, "ikh"),
	OBJ("thread:stop", L4_THREAD_STOP, P_THREAD, 12, ""),
	OBJ("thread:set_prio", L4_THREAD_SET_PRIO, P_THREAD, 12, "pp"),
	OBJ("thread:set_handlers", L4_THREAD_SET_HANDLERS, P_THREAD, 12, "ee"),
	OBJ("thread:info", L4_THREAD_INFO, P_THREAD, 12, ""),
	OBJ("thread:set_name", L4_THREAD_SET_NAME, P_THREAD, 12, "NN"),
	OBJ("thread:regs_get", L4_THREAD_REGS_GET, P_THREAD, 12, ""),
	{ "thread:regs_set", run_regs_set, L4_THREAD_REGS_SET, P_THREAD, 12, "" },
	OBJ("thread:resume", L4_THREAD_RESUME, P_THREAD, 12, ""),
	OBJ("thread:bind_notif", L4_THREAD_BIND_NOTIF, P_THREAD, 12, "n"),
	OBJ("thread:junk", 12, P_THREAD, 12, "w"),
	OBJ("notif:signal", L4_NOTIF_SIGNAL, P_NTF, 4, "w"),
	OBJ("notif:wait", L4_NOTIF_WAIT, P_NTF, 4, "m"),
	OBJ("notif:junk", 9, P_NTF, 4, ""),
	OBJ("irq:bind_notif", L4_IRQ_BIND_NOTIF, P_IRQ, 3, "nw"),
	OBJ("irq:bind_thread", L4_IRQ_BIND_THREAD, P_IRQ, 3, "T"),
	OBJ("irq:unbind", L4_IRQ_UNBIND, P_IRQ, 3, ""),
	OBJ("irq:wait", L4_IRQ_WAIT, P_IRQ, 3, "m"),
	OBJ("irq:ack", L4_IRQ_ACK, P_IRQ, 3, ""),
	OBJ("irq:info", L4_IRQ_INFO, P_IRQ, 3, ""),
	OBJ("irq:junk", 40, P_IRQ, 3, "w"),
	OBJ("s0:mem_alloc", L4_S0_MEM_ALLOC, 0, 0, "acz"),
	OBJ("s0:mem_device", L4_S0_MEM_DEVICE, 0, 0, "axc"),
	OBJ("s0:phys_query", L4_S0_PHYS_QUERY, 0, 0, "ta"),
	{ "s0:irq_create", run_irq_create, L4_S0_IRQ_CREATE, 0, 0, "" },
	OBJ("s0:io_grant", L4_S0_IO_GRANT, 0, 0, "tww"),
	OBJ("s0:junk", 77, 0, 0, "www"),
	{ "ipc", run_ipc, 0, 0, 0, "" },
	{ "ipc", run_ipc, 0, 0, 0, "" },
	{ "ipc", run_ipc, 0, 0, 0, "" },
	{ "ipc", run_ipc, 0, 0, 0, "" },
	{ "ipc", run_ipc, 0, 0, 0, "" },
	{ "ipc", run_ipc, 0, 0, 0, "" },
	{ "sys:debug_write", run_sys, 0, 0, 0, "" },
	{ "sys:yield", run_sys, 1, 0, 0, "" },
	{ "sys:debug", run_sys, 2, 0, 0, "" },
	{ "sys:bad", run_sys, 3, 0, 0, "" },
	{ "spawn", run_spawn, 0, 0, 0, "" },
	{ "spawn", run_spawn, 0, 0, 0, "" },
	{ "spawn", run_spawn, 0, 0, 0, "" },
	{ "prep", run_prep, 0, 0, 0, "" },
};
const unsigned n_ops = sizeof ops / sizeof ops[0];
_Static_assert(sizeof ops / sizeof ops[0] <= 64, "op_ok and op_calls hold 64");
