/* setup.c - threads and the second task (setup.h). */
#include "setup.h"
#include "measure.h"
#include <l4/sys/factory.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>

#define REMOTE_STACKS 0x0000600000000000ull   /* in both tasks' view: the second's */
#define REMOTE_UTCBS  0x0000610000000000ull
#define LOCAL_UTCBS   0x0000620000000000ull
#define STACK_PAGES   4
#define LOCAL_THREADS 8

extern char __text_start[], __text_end[];

static unsigned nthreads;
static uint8_t stacks[LOCAL_THREADS][STACK_PAGES * 4096] __attribute__((aligned(16)));

uint64_t thread_start(uint64_t task, void (*fn)(uint64_t), uint64_t arg, uint64_t sp,
		      uint64_t utcb, unsigned prio, uint64_t pager)
{
	uint64_t slot = SLOT_THREADS + nthreads++;
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, slot, 0)) ||
	    (e = l4_thread_bind(slot, task, utcb)) ||
	    (e = l4_thread_set_prio(slot, prio, prio)) ||
	    (pager && (e = l4_thread_set_handlers(slot, pager, 0))) ||
	    (e = l4_thread_start(slot, (uint64_t)fn, sp, arg)))
		fail("thread", e);
	return slot;
}

uint64_t local_start(void (*fn)(uint64_t), uint64_t arg, unsigned prio)
{
	return local_start_paged(fn, arg, prio, 0);
}

uint64_t local_start_paged(void (*fn)(uint64_t), uint64_t arg, unsigned prio, uint64_t pager)
{
	static unsigned used;
	if (used == LOCAL_THREADS)
		fail("local thread", -L4_ENOMEM);
	unsigned i = used++;
	return thread_start(L4_CAP_SELF, fn, arg, (uint64_t)(stacks[i] + sizeof stacks[i]) - 8,
			    LOCAL_UTCBS + 4096ull * i, prio, pager);
}

uint64_t remote_stack(unsigned i) { return REMOTE_STACKS + (i + 1) * STACK_PAGES * 4096ull - 8; }
uint64_t remote_utcb(unsigned i) { return REMOTE_UTCBS + 4096ull * i; }

void remote_setup(unsigned n)
{
	int e;
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, SLOT_TASK, 64)))
		fail("create task", e);
	uint64_t text = (uint64_t)__text_start & ~0xfffull, end = (uint64_t)__text_end;
	for (uint64_t a = text; a < end; a += 4096)
		if ((e = l4_task_mem_map(SLOT_TASK, L4_FPAGE(a, 12, L4_MEM_R | L4_MEM_X), a)))
			fail("map code", e);
	/* Its stacks: fresh RAM of ours, mapped into it page by page. */
	if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, REMOTE_STACKS, n * STACK_PAGES, 0, 0)))
		fail("stacks", e);
	for (uint64_t a = REMOTE_STACKS; a < REMOTE_STACKS + n * STACK_PAGES * 4096ull; a += 4096)
		if ((e = l4_task_mem_map(SLOT_TASK, L4_FPAGE(a, 12, L4_MEM_R | L4_MEM_W), a)))
			fail("map stack", e);
}
