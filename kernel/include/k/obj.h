/* obj.h - object lifetime and kernel-object invocation. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "cap.h"
#include "kobj.h"

struct thread;

/* Objects whose last reference went away; drained by obj_reap(). */
extern struct kobj_list obj_dead;

/* Destroy what is on the dead list (destruction may add more); a task's
 * destruction (long: its pages, its capabilities) only up to the current
 * call's budget, the rest left on the list for the next reap. */
void obj_reap(void);
/* The same, but a task stopped part way stops the call: 0 when the list is
 * empty, OBJ_PREEMPTED when stopped (preempt.h; L4_TASK_CAP_DELETE). */
int obj_reap_preemptible(void);
/* Everything at once (the teardown at the end of the system). */
void obj_reap_all(void);
/* On the idle thread: one budget's worth of the dead list; false if it was
 * empty.  Interrupts are let in between two calls. */
bool obj_reap_idle(void);

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
 * objects a, b it works on), else a fresh one; it also begins the call's
 * budget (preempt_begin), so every operation that passes preemption
 * points gets its continuation first.  An operation that then
 * stops at a preemption point returns OBJ_PREEMPTED (preempt.h), and
 * obj_invoke has the caller issue the call again. */
struct preempt_cont;
struct preempt_cont *obj_cont(struct thread *caller, uint64_t tag, const uint64_t *mr,
			      struct kobj *a, struct kobj *b);

/* A call to a kernel object's capability: decode the operation from the
 * caller's message, do it, and write the reply into the caller. */
void obj_invoke(struct thread *caller, struct cap *c, uint64_t tag);
