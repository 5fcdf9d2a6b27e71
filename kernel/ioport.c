/* ioport.c - I/O port permissions per task; see ioport.h.
 *
 * A task that was never granted a port has no bitmap (iobitmap == NULL) and
 * every user port access of its threads faults.  The first grant allocates
 * 8 KiB from the task's factory, all ones (denied, as the CPU reads it);
 * grants clear bits.  There is no revocation: a task keeps its ports until
 * it dies.  The scheduler hands the running task's bitmap to the CPU
 * (arch_io_bitmap_load in switch_to). */
#include "k/kernel.h"
#include "k/factory.h"
#include "k/ioport.h"
#include "k/sched.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

#define IO_PORTS 0x10000u
#define IO_MAP_BYTES (IO_PORTS / 8)

static bool range_ok(uint32_t first, uint32_t count)
{
	return count && first < IO_PORTS && count <= IO_PORTS - first;
}

int io_grant(struct task *t, uint32_t first, uint32_t count)
{
	if (!range_ok(first, count))
		return -L4_EINVAL;
	if (!t->iobitmap) {
		int err = 0;
		uint8_t *b = factory_alloc(t->factory, IO_MAP_BYTES, &err);
		if (!b)
			return err;
		memset(b, 0xff, IO_MAP_BYTES);
		t->iobitmap = b;
	}
	arch_io_bitmap_drop(t->iobitmap);    /* a CPU's copy is stale now */
	for (uint32_t p = first; p < first + count; p++)
		t->iobitmap[p >> 3] &= (uint8_t)~(1u << (p & 7));
	struct thread *cur = sched_current();
	if (cur && cur->task == t)
		arch_io_bitmap_load(t->iobitmap);
	return 0;
}

int io_allowed(const struct task *t, uint32_t first, uint32_t count)
{
	if (!t->iobitmap || !range_ok(first, count))
		return 0;
	for (uint32_t p = first; p < first + count; p++)
		if (t->iobitmap[p >> 3] & (1u << (p & 7)))
			return 0;
	return 1;
}

void io_task_destroy(struct task *t)
{
	if (!t->iobitmap)
		return;
	arch_io_bitmap_drop(t->iobitmap);
	factory_free(t->factory, t->iobitmap, IO_MAP_BYTES);
	t->iobitmap = NULL;
}
