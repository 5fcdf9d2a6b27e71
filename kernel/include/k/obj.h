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

/* The object behind slot of the caller's capability space, if it has the
 * type and all the rights asked for; else NULL and *err = -L4_ENOCAP,
 * -L4_ETYPE or -L4_EPERM. */
void *caller_obj(struct thread *caller, uint64_t slot, enum kobj_type type, uint32_t rights,
		 int *err);

/* An object operation returns this instead of an error when the caller now
 * waits and whoever wakes it writes its reply. */
#define OBJ_REPLY_LATER 1

/* A call to a kernel object's capability: decode the operation from the
 * caller's message, do it, and write the reply into the caller. */
void obj_invoke(struct thread *caller, struct cap *c, uint64_t tag);
