/* sigma0.c - the root task's physical resources; see sigma0.h. */
#include "k/kernel.h"
#include "k/cap.h"
#include "k/factory.h"
#include "k/ioport.h"
#include "k/irqobj.h"
#include "k/mdb.h"
#include "k/obj.h"
#include "k/sigma0.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

struct kobj sigma0_obj = { .type = KOBJ_SIGMA0 };


int sigma0_op(struct thread *caller, uint64_t tag, const uint64_t *mr, uint64_t *out,
	      unsigned *nout)
{
	int err = 0;
	struct task *t;
	switch (L4_TAG_LABEL(tag)) {
	case L4_S0_MEM_ALLOC:
		return mdb_alloc_anon(caller->task, mr[0], mr[1], (unsigned)mr[2], out, nout,
				      obj_cont(caller, tag, mr, &caller->task->obj, NULL));
	case L4_S0_MEM_DEVICE:
		return mdb_map_device(caller->task, mr[0], mr[1], mr[2],
				      obj_cont(caller, tag, mr, &caller->task->obj, NULL));
	case L4_S0_PHYS_QUERY:
		if (!(t = caller_obj(caller, mr[0], KOBJ_TASK, 0, &err)))
			return err;
		return mdb_phys_query(t, mr[1], out, nout);
	case L4_S0_IRQ_CREATE: {
		struct cap *dst = cap_slot(&caller->task->cs, mr[1]);
		if (!dst)
			return -L4_ENOCAP;
		if (dst->obj)
			return -L4_ESLOT;
		struct irq *irq = irq_create(caller->task->factory, (unsigned)mr[0], (unsigned)mr[2], &err);
		if (!irq)
			return err;
		cap_install(dst, &irq->obj, CAP_ALL, 0);
		return 0;
	}
	case L4_S0_IO_GRANT:
		if (!(t = caller_obj(caller, mr[0], KOBJ_TASK, 0, &err)))
			return err;
		if (mr[1] > 0xffff)
			return EINVAL_AT(1);
		if (mr[2] == 0 || mr[2] > 0x10000 - mr[1])
			return EINVAL_AT(2);
		return io_grant(t, (uint32_t)mr[1], (uint32_t)mr[2]);
	}
	return -L4_ENOSYS;
}
