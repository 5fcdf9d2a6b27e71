/* obj.h - object lifetime and kernel-object invocation. */
#pragma once
#include <stdint.h>
#include "cap.h"
#include "kobj.h"

struct thread;

/* Objects whose last reference went away; drained by obj_reap(). */
extern struct kobj_list obj_dead;

/* Destroy everything on the dead list (destruction may add more). */
void obj_reap(void);
/* The same, stopping at preemption points (a task's destruction is long):
 * 0 when the list is empty, OBJ_PREEMPTED when stopped (preempt.h). */
int obj_reap_preemptible(void);

/* The object behind slot of the caller's capability space, if it has the
 * type and all the rights asked for; else NULL and *err = -L4_ENOCAP,
 * -L4_ETYPE or -L4_EPERM. */
void *caller_obj(struct thread *caller, uint64_t slot, enum kobj_type type, uint32_t rights,
		 int *err);

/* An object operation returns this instead of an error when the caller now
 * waits and whoever wakes it writes its reply. */
#define OBJ_REPLY_LATER 1

/* The continuation of the caller's current call (preempt.h): its own if
 * this is the same call again (label, invoked slot, MR0..MR3 and the
 * objects a, b it works on), else a fresh one.  An operation that then
 * stops at a preemption point returns OBJ_PREEMPTED (preempt.h), and
 * obj_invoke has the caller issue the call again. */
struct preempt_cont;
struct preempt_cont *obj_cont(struct thread *caller, uint64_t tag, const uint64_t *mr,
			      struct kobj *a, struct kobj *b);

/* A call to a kernel object's capability: decode the operation from the
 * caller's message, do it, and write the reply into the caller. */
void obj_invoke(struct thread *caller, struct cap *c, uint64_t tag);
