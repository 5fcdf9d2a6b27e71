/* helper.c - what the fuzzer's other threads run, in our task or in tasks
 * it made: receive, reply, call, send, signal, wait, fault, raise an
 * exception, exit - a bounded number of steps from a generator of their
 * own, then exit.  The code touches only its stack and its UTCB (never a
 * global), so it runs the same in a task that got our image read-only. */
#include "fuzz.h"
#include <l4/sys/ipc.h>
#include <l4/sys/syscall.h>

static inline uint64_t hrnd(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

static inline uint64_t htimeout(uint64_t r)
{
	switch (r & 7) {
	case 0: return L4_TIMEOUTS(L4_TIMEOUT_NEVER, L4_TIMEOUT_NEVER);
	case 1: case 2: return L4_TIMEOUTS(1000, 1000);
	default: return L4_TIMEOUTS(L4_TIMEOUT_ZERO, 1 + (r >> 3 & 0x3fff));
	}
}

void helper_entry(uint64_t arg)
{
	uint64_t s = arg | 1;
	unsigned steps = (unsigned)(arg & 0xff) + 1;
	struct l4_utcb *u = l4_utcb();
	u->cap_window = L4_CAP_WINDOW(P_MISC, 12);
	u->mem_window = L4_FPAGE(FZ_BASE, 22, 7);
	for (unsigned i = 0; i < steps; i++) {
		uint64_t r = hrnd(&s);
		uint64_t ep = POOL0 + (r >> 8) % NPOOL;
		if ((r >> 20 & 3) != 0)
			ep = P_EP + (r >> 8) % 8;
		uint64_t tmo = htimeout(r >> 24);
		u->mr[0] = r >> 40;
		u->mr[1] = i;
		switch (r % 13) {
		case 0: case 1:
			l4_ipc(L4_IPC_RECV, 0, 0, ep, tmo, 0);
			break;
		case 2: case 3:
			l4_ipc(L4_IPC_REPLY | L4_IPC_RECV, 0, L4_TAG(0, 2, 0), ep, tmo, 0);
			break;
		case 4:
			l4_ipc(L4_IPC_CALL, ep, L4_TAG(r >> 33 & 3, 2, 0), 0, tmo, 0);
			break;
		case 5:
			l4_ipc(L4_IPC_SEND, ep, L4_TAG(1, 2, 0), 0, tmo, 0);
			break;
		case 6:
			l4_ipc(L4_IPC_REPLY, 0, L4_TAG(0, 1, 0), 0, tmo, 0);
			break;
		case 7:                                 /* signal, or wait with a timeout */
			u->mr[0] = (r >> 40 & 1) ? 1 + (r >> 41 & 0xff) : (tmo >> 32);
			l4_ipc(L4_IPC_CALL, P_NTF + (r >> 8) % 4,
			       L4_TAG((r >> 40 & 1) ? L4_NOTIF_SIGNAL : L4_NOTIF_WAIT, 1, 0), 0, 0, 0);
			break;
		case 8:                                 /* a page fault: to the pager, or stopped */
			*(volatile uint64_t *)(FZ_BASE + ((r >> 30) & 0x3ff) * 4096 + 8) = r;
			break;
		case 9:                                 /* an exception */
			__asm__ volatile("ud2");
			break;
		case 10:
			l4_syscall2(L4_SYS_YIELD, 0, 0);
			break;
		case 11:
			l4_exit((long)(r >> 48 & 3));
		default:                                /* wait for an interrupt */
			u->mr[0] = tmo >> 32;
			l4_ipc(L4_IPC_CALL, P_IRQ + (r >> 8) % 3, L4_TAG(L4_IRQ_WAIT, 1, 0), 0, 0, 0);
		}
	}
	l4_exit(0);
}

/* Our helper stacks: fresh pages at HSTACK (threads in our task use them). */
void helper_stacks_init(void)
{
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = HSTACK;
	u->mr[1] = 1u << (HSTACK_ORDER - 12);
	u->mr[2] = 0;
	l4_call(L4_CAP_SIGMA0, L4_TAG(L4_S0_MEM_ALLOC, 3, 0));
}

/* A task gets our image (read and execute) and stacks of its own (fresh
 * pages, kept in our scratch area, one of 64 places taken in turn: the
 * place's old pages go first, and with them the old task's stacks). */
void prep_task(uint64_t task)
{
	static unsigned turn;
	struct l4_utcb *u = l4_utcb();
	uint64_t scr = SCR_BASE + (uint64_t)(turn++ % 64) * (1ull << HSTACK_ORDER);
	u->mr[0] = L4_FPAGE(IMAGE_BASE, IMAGE_ORDER, L4_MEM_R | L4_MEM_X);
	u->mr[1] = IMAGE_BASE;
	fz_ipc("prep:image", L4_IPC_CALL, task, L4_TAG(L4_TASK_MEM_MAP, 2, 0), 0, 0);
	u->mr[0] = L4_FPAGE(scr, HSTACK_ORDER, 7);
	u->mr[1] = 1;
	fz_ipc("prep:unmap", L4_IPC_CALL, L4_CAP_SELF, L4_TAG(L4_TASK_MEM_UNMAP, 2, 0), 0, 0);
	u->mr[0] = scr;
	u->mr[1] = 1u << (HSTACK_ORDER - 12);
	u->mr[2] = 0;
	fz_ipc("prep:alloc", L4_IPC_CALL, L4_CAP_SIGMA0, L4_TAG(L4_S0_MEM_ALLOC, 3, 0), 0, 0);
	u->mr[0] = L4_FPAGE(scr, HSTACK_ORDER, L4_MEM_R | L4_MEM_W);
	u->mr[1] = HSTACK;
	fz_ipc("prep:stacks", L4_IPC_CALL, task, L4_TAG(L4_TASK_MEM_MAP, 2, 0), 0, 0);
}
