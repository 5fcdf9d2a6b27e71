/* <l4/sys/task.h> - a task's capability space. */
#pragma once
#include <l4/sys/ipc.h>

/* Copy the caller's capability src into slot dst of task, with rights
 * reduced to rights and (for an unbadged endpoint) a new badge. */
static inline int l4_task_cap_map(uint64_t task, uint64_t src, uint64_t dst, unsigned rights,
				  uint64_t badge)
{
	return l4_invoke(task, L4_TASK_CAP_MAP, src, dst, rights, badge);
}
/* The same from another task's capability space: src is a slot of src_task
 * (itself a task capability of the caller, with the control right). */
static inline int l4_task_cap_map_from(uint64_t task, uint64_t src_task, uint64_t src,
				       uint64_t dst, unsigned rights, uint64_t badge)
{
	struct l4_utcb *u = l4_utcb();
	u->mr[0] = src;
	u->mr[1] = dst;
	u->mr[2] = rights;
	u->mr[3] = badge;
	u->mr[4] = src_task;
	return l4_error(l4_call(task, L4_TAG(L4_TASK_CAP_MAP, 5, 0)));
}

static inline int l4_task_cap_move(uint64_t task, uint64_t src, uint64_t dst)
{
	return l4_invoke(task, L4_TASK_CAP_MOVE, src, dst, 0, 0);
}
/* Remove everything derived from slot (in task), wherever it is. */
static inline int l4_task_cap_revoke(uint64_t task, uint64_t slot)
{
	return l4_invoke(task, L4_TASK_CAP_REVOKE, slot, 0, 0, 0);
}
static inline int l4_task_cap_delete(uint64_t task, uint64_t slot)
{
	return l4_invoke(task, L4_TASK_CAP_DELETE, slot, 0, 0, 0);
}

struct l4_cap_info {
	unsigned type;      /* enum l4_obj_type, 0 = empty */
	unsigned rights;
	uint64_t badge;
	uint64_t derived;   /* capabilities derived from it */
};

static inline int l4_task_cap_info(uint64_t task, uint64_t slot, struct l4_cap_info *info)
{
	int e = l4_invoke(task, L4_TASK_CAP_INFO, slot, 0, 0, 0);
	if (!e) {
		struct l4_utcb *u = l4_utcb();
		info->type = (unsigned)u->mr[0];
		info->rights = (unsigned)u->mr[1];
		info->badge = u->mr[2];
		info->derived = u->mr[3];
	}
	return e;
}

/* ---- memory ---- */

/* Map the caller's pages fpage (L4_FPAGE(base, order, rights)) to dst in task. */
static inline int l4_task_mem_map(uint64_t task, uint64_t fpage, uint64_t dst)
{
	return l4_invoke(task, L4_TASK_MEM_MAP, fpage, dst, 0, 0);
}

/* The same from another task's space (src_task: a task slot of the caller). */
static inline int l4_task_mem_map_from(uint64_t task, uint64_t src_task, uint64_t fpage,
				       uint64_t dst)
{
	return l4_invoke(task, L4_TASK_MEM_MAP, fpage, dst, src_task, 0);
}

/* Remove every mapping derived from fpage's pages in task (and the pages
 * there too, with self); *count (may be NULL) = mappings removed. */
static inline int l4_task_mem_unmap(uint64_t task, uint64_t fpage, int self, uint64_t *count)
{
	int e = l4_invoke(task, L4_TASK_MEM_UNMAP, fpage, self ? 1 : 0, 0, 0);
	if (!e && count)
		*count = l4_utcb()->mr[0];
	return e;
}
