/* task.c - the Task object; see task.h. */
#include "k/kernel.h"
#include "k/factory.h"
#include "k/ioport.h"
#include "k/kip.h"
#include "k/mm.h"
#include "k/task.h"
#include "k/preempt.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

struct task *task_create(struct factory *f, uint32_t nslots, int *err)
{
	if (unlikely(nslots < 2 || nslots > 65536)) {
		*err = EINVAL_AT(2);             /* L4_FACTORY_CREATE's parameter */
		return NULL;
	}
	struct task *t = factory_alloc(f, sizeof *t, err);
	if (!t)
		return NULL;
	struct cap *slots = factory_alloc(f, nslots * sizeof(struct cap), err);
	if (!slots) {
		factory_free(f, t, sizeof *t);
		return NULL;
	}
	if (as_create(&t->as) || kip_map(&t->as)) {
		as_destroy(&t->as);
		factory_free(f, slots, nslots * sizeof(struct cap));
		factory_free(f, t, sizeof *t);
		*err = -L4_ENOMEM;
		return NULL;
	}
	t->obj.type = KOBJ_TASK;
	t->factory = f;
	cspace_init(&t->cs, slots, nslots);
	memcpy(t->name, "task", 5);
	return t;
}

void task_set_name(struct task *t, const char *name)
{
	size_t n = strnlen(name, sizeof t->name - 1);
	memcpy(t->name, name, n);
	t->name[n] = '\0';
}

int task_map_anon(struct task *t, uint64_t va, uint64_t npages, unsigned rights)
{
	for (uint64_t i = 0; i < npages; i++) {
		uint64_t pa = frame_alloc_zeroed();
		if (!pa)
			return -L4_ENOMEM;
		int e = mdb_insert_root(t, va + i * PAGE_SIZE, pa, rights, true, false);
		if (e) {
			frame_free(pa);
			return e;
		}
	}
	return 0;
}

extern struct kobj_list obj_dead;
struct task *all_tasks;

/* Bytes of page tables destroyed in one go: 64 tables of 512 entries each
 * is some 0.1 ms; as_destroy_step visits the directories twice. */
#define AS_DESTROY_AT_ONCE (64 * PAGE_SIZE)

bool task_destroy_step(struct task *t, bool preemptible)
{
	if (t->destroy_phase == 0) {
		while (t->threads)
			thread_unbind(t->threads);
		for (struct task **p = &all_tasks; *p; p = &(*p)->all_next)
			if (*p == t) {
				*p = t->all_next;
				break;
			}
		t->destroy_phase = 1;
	}
	if (t->destroy_phase == 1) {
		/* Its capabilities, a slot a point: the objects losing their
		 * last reference go on the dead list, reaped before it. */
		while (t->clear_pos < t->cs.nslots) {
			cap_delete(&t->cs.slots[t->clear_pos++], &obj_dead);
			if (preemptible && preempt_point())
				return false;
		}
		io_task_destroy(t);
		t->destroy_phase = 2;
	}
	/* Its pages, and all mapped from them; then its page tables. */
	if (t->destroy_phase == 2) {
		if (!mdb_task_destroy(t, preemptible))
			return false;
		t->destroy_phase = 3;
		t->destroy_pos = 0;
	}
	/* A few tables go at once (as_destroy looks at each table once); many
	 * a table a point, from the cursor. */
	if (t->table_charge <= AS_DESTROY_AT_ONCE)
		as_destroy(&t->as);
	else if (!as_destroy_step(&t->as, &t->destroy_pos, preemptible))
		return false;
	struct factory *f = t->factory;
	factory_refund(f, t->table_charge);
	factory_free(f, t->cs.slots, t->cs.nslots * sizeof(struct cap));
	factory_free(f, t, sizeof *t);
	return true;
}
