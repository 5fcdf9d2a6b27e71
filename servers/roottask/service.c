/* service.c - the root task's one loop: page faults, exceptions and exit
 * notices of the programs' threads, and the `parent` interface.
 *
 * Nothing a program sends can stop this loop: we never call a program
 * (only kernel objects), a reply never blocks, and every request is
 * checked against the badge of the capability it came through. */
#include <stdio.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <parent_server.h>
#include "pci.h"
#include "roottask.h"

uint64_t rt_service_ep;

/* The running program a badge belongs to, or NULL (an earlier incarnation). */
struct prog *rt_sender(uint64_t badge)
{
	unsigned i = BADGE_PROG(badge);
	if (i >= rt_config.nprogs)
		return 0;
	struct prog *p = &rt_progs[i];
	if (p->state != P_RUNNING || BADGE_GEN(badge) != (p->gen & 0xffff))
		return 0;
	return p;
}

/* ---- the parent interface (libl4/lib/parent.idl) ---- */

static int mem_alloc(void *ctx, uint64_t badge, uint64_t size, uint64_t *addr)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	if (!size || size > (1ull << 30))
		return -L4_EINVAL;
	size = (size + 4095) & ~4095ull;
	int e = mem_region(p, p->heap_next, size, L4_MEM_R | L4_MEM_W, R_LAZY, 0);
	if (e)
		return e;
	*addr = p->heap_next;
	p->heap_next += size;
	return 0;
}

static int dma_alloc(void *ctx, uint64_t badge, uint64_t size, uint64_t *addr, uint64_t *phys)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	if (!size)
		return -L4_EINVAL;
	return mem_dma(p, size, addr, phys);
}

static int shm_alloc(void *ctx, uint64_t badge, uint64_t size, uint64_t *addr)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	return size ? mem_shared(p, size, addr) : -L4_EINVAL;
}

/* Made in p's own factory, in a slot of ours just long enough to map it
 * over: the program's copy is then the only one, so the notification dies
 * with the program's capability space and needs no bookkeeping here. */
static int notif_create(void *ctx, uint64_t badge, uint64_t slot)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	if (slot < L4_ENV_FIRST_FREE || slot >= RT_TASK_SLOTS)
		return -L4_EINVAL;
	uint64_t ours = slot_alloc();
	int e = l4_factory_create(p->kmem, L4_OBJ_NOTIFICATION, ours, 0);
	if (!e)
		e = l4_task_cap_map(p->task, ours, slot, L4_CAP_READ | L4_CAP_WRITE, 0);
	l4_task_cap_delete(L4_CAP_SELF, ours);
	slot_free(ours);
	return e;
}

static int mmio_map(void *ctx, uint64_t badge, uint64_t phys, uint64_t size, uint64_t *addr)
{
	struct prog *p = rt_sender(badge);
	return p ? mem_device(p, phys, size, addr) : -L4_EPERM;
}

static int mem_info(void *ctx, uint64_t badge, uint64_t *quota, uint64_t *used)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	*quota = p->cfg->mem;
	*used = p->committed;
	return 0;
}

static int cfg_read(void *ctx, uint64_t badge, uint32_t offset, uint32_t width, uint32_t *value)
{
	struct prog *p = rt_sender(badge);
	return p ? pci_cfg_read(p, offset, width, value) : -L4_EPERM;
}

static int cfg_write(void *ctx, uint64_t badge, uint32_t offset, uint32_t width, uint32_t value)
{
	struct prog *p = rt_sender(badge);
	return p ? pci_cfg_write(p, offset, width, value) : -L4_EPERM;
}

static int thread_new(void *ctx, uint64_t badge, uint64_t entry, uint64_t arg, uint64_t slot,
		      uint32_t *id)
{
	struct prog *p = rt_sender(badge);
	return p ? thread_create(p, entry, arg, slot, id) : -L4_EPERM;
}

static int heartbeat(void *ctx, uint64_t badge)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	prog_heartbeat(p);
	return 0;
}

static int watch(void *ctx, uint64_t badge, uint64_t slot, uint64_t notif, uint64_t bits)
{
	struct prog *p = rt_sender(badge);
	return p ? prog_watch(p, slot, notif, bits) : -L4_EPERM;
}

static int share(void *ctx, uint64_t badge, uint64_t addr, uint64_t client, uint64_t at)
{
	struct prog *p = rt_sender(badge);
	if (!p)
		return -L4_EPERM;
	if (!client || client > rt_config.nprogs || rt_progs[client - 1].state != P_RUNNING ||
	    client - 1 == p->idx)
		return -L4_EINVAL;
	return mem_share(p, addr, &rt_progs[client - 1], at);
}

static const struct parent_ops parent_ops = {
	.mem_alloc = mem_alloc, .dma_alloc = dma_alloc, .mmio_map = mmio_map,
	.mem_info = mem_info, .pci_cfg_read = cfg_read, .pci_cfg_write = cfg_write,
	.thread_create = thread_new, .shm_alloc = shm_alloc, .notif_create = notif_create,
	.heartbeat = heartbeat, .watch = watch, .share = share,
};

/* ---- faults ---- */

static const char *const vectors[32] = {
	[0] = "divide error", [1] = "debug", [3] = "breakpoint", [4] = "overflow",
	[5] = "bound range", [6] = "invalid opcode", [7] = "device not available",
	[13] = "general protection", [14] = "page fault", [16] = "x87 floating point",
	[17] = "alignment check", [19] = "SIMD floating point",
};

/* One message; true and *reply when the sender waits for an answer. */
static bool handle(uint64_t tag, uint64_t badge, uint64_t *reply)
{
	/* A copy: serving the fault makes calls of our own, which reuse the MRs. */
	const uint64_t mr[4] = { l4_utcb()->mr[0], l4_utcb()->mr[1], l4_utcb()->mr[2],
				 l4_utcb()->mr[3] };
	char how[160];
	struct prog *p;
	if (l4_error(tag))
		return false;
	switch (L4_TAG_LABEL(tag)) {
	case L4_LABEL_PAGEFAULT: {
		const char *why;
		if (!(p = rt_sender(badge)))
			return false;
		if (!mem_fault(p, mr[0], (unsigned)mr[1], &why)) {
			*reply = L4_TAG(0, 0, 0);
			return true;
		}
		snprintf(how, sizeof how, "page fault at 0x%llx (%s, rip 0x%llx): %s",
			 (unsigned long long)mr[0], mr[1] & L4_PF_WRITE ? "write" :
			 mr[1] & L4_PF_EXEC ? "execute" : "read", (unsigned long long)mr[2], why);
		prog_died(p, -1, how);
		return false;
	}
	case L4_LABEL_EXCEPTION: {
		if (!(p = rt_sender(badge)))
			return false;
		const char *name = mr[0] < 32 && vectors[mr[0]] ? vectors[mr[0]] : "exception";
		snprintf(how, sizeof how, "%s (vector %llu, error code 0x%llx) at rip 0x%llx",
			 name, (unsigned long long)mr[0], (unsigned long long)mr[1],
			 (unsigned long long)mr[2]);
		prog_died(p, -1, how);
		return false;
	}
	case L4_LABEL_EXIT:
		/* Only the first thread's exit ends the program; its handler
		 * capability is the only one with BADGE_MAIN. */
		if ((badge & BADGE_MAIN) && (p = rt_sender(badge))) {
			prog_died(p, (int)(mr[0] & 0x7fffffff), 0);
			return false;
		}
		/* A thread of thread.c: only that thread has ended (a send: no answer). */
		if (BADGE_THREAD_OF(badge) != ~0u && (p = rt_sender(badge))) {
			thread_ended(p, BADGE_THREAD_OF(badge));
			return false;
		}
		/* A thread of its own making, or a program calling us with this
		 * label: it gets an error, not a hang. */
		*reply = L4_TAG_WITH_ERROR(L4_TAG(L4_LABEL_EXIT, 0, 0), L4_EPERM);
		return true;
	default:
		if (rtctl_handle(tag, badge, reply))
			return true;
		*reply = 0;             /* the dispatcher reads the MRs itself */
		parent_dispatch(&parent_ops, 0, tag, badge, reply);
		return *reply != 0;
	}
}

/* The receive ends for a message or when the next restart or heartbeat
 * is due (prog_timers): deaths themselves arrive as messages (exit notices
 * and faults), never by looking.
 *
 * The reply waits in the message registers while prog_timers() runs, and
 * what it does when something is due - a heartbeat's signal, a restart -
 * is kernel calls, whose results overwrite them: the words are kept here
 * meanwhile.  (Without this, a call that came in while a heartbeat fell
 * due was answered with the signal's argument, L4_ENV_HEARTBEAT_BIT, as
 * its status: the caller's stub saw -L4_EINVAL.  rtprobe's `calls`,
 * servers/roottask/test/hbcalls.test.) */
_Noreturn void service_loop(void)
{
	static uint64_t saved[L4_MR_COUNT];
	volatile uint64_t *mr = l4_utcb()->mr;  /* word by word, no SSE (as l4_ipc) */
	uint64_t badge, reply = 0;
	unsigned nsaved = 0;
	bool answer = false;
	for (;;) {
		uint64_t to = L4_TIMEOUTS(L4_TIMEOUT_NEVER, prog_timers());
		for (unsigned i = 0; i < nsaved; i++)
			mr[i] = saved[i];
		uint64_t tag = answer ? l4_ipc(L4_IPC_REPLY | L4_IPC_RECV, 0, reply, rt_service_ep, to, &badge)
				      : l4_ipc(L4_IPC_RECV, 0, 0, rt_service_ep, to, &badge);
		answer = handle(tag, badge, &reply);
		nsaved = answer ? L4_TAG_UNTYPED(reply) + 2 * L4_TAG_TYPED(reply) : 0;
		if (nsaved > L4_MR_COUNT)
			nsaved = L4_MR_COUNT;
		for (unsigned i = 0; i < nsaved; i++)
			saved[i] = mr[i];
	}
}
