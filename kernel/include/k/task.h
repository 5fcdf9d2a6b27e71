/* task.h - the Task object: an address space and a capability space.
 * Threads bound to a task run in its address space and name objects through
 * its capability space.  The task's references count only capabilities to
 * it; when the last goes, the task dies and its threads are stopped and
 * unbound (they live on as long as capabilities to them do). */
#pragma once
#include <stdint.h>
#include "arch.h"
#include "cap.h"
#include "kobj.h"
#include "mdb.h"

struct factory;
struct thread;

struct task {
	struct kobj obj;
	struct aspace as;            /* [owned] */
	struct cspace cs;            /* [owned] slots from the factory */
	struct mtable mt;            /* [owned] its pages in the mapping database */
	struct factory *factory;     /* [ref] */
	uint64_t table_charge;       /* bytes of page tables charged to factory (mdb.c) */
	struct thread *threads;      /* bound threads, linked by task_next */
	uint8_t *iobitmap;           /* [owned] 8 KiB, 0 = allowed; NULL: no ports */
	char name[16];
	struct task *all_next;       /* every task, for the debugger and checks */
	/* Destruction in steps (task_destroy_step): how far it got. */
	uint8_t destroy_phase;       /* 0: not begun */
	uint32_t clear_pos;          /* next slot of the cspace to clear */
	uint64_t destroy_pos;        /* next bucket (phase 2), address (3) */
};

extern struct task *all_tasks;

struct task *task_create(struct factory *f, uint32_t nslots, int *err);
/* Destroy a task whose last reference went (obj_reap).  With preemptible,
 * stops at a preemption point (false) and goes on when called again: its
 * threads are unbound and it is off all_tasks from the first step, so
 * nothing new reaches it; its capabilities go one slot, its pages one
 * mapping at a time.  true: done, the memory freed. */
bool task_destroy_step(struct task *t, bool preemptible);
void task_set_name(struct task *t, const char *name);

/* Fresh zeroed frames at [va, va + n pages), roots in the mapping database
 * with rights L4_MEM_*. */
int task_map_anon(struct task *t, uint64_t va, uint64_t npages, unsigned rights);
