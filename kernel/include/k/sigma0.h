/* sigma0.h - the Sigma0 object: the root task's authority over physical
 * resources - free RAM, device memory, interrupt lines and I/O ports.
 * There is one, and only the root task gets a capability to it; everything
 * else receives these resources from the root task, by mapping. */
#pragma once
#include <stdint.h>
#include "kobj.h"

struct thread;

extern struct kobj sigma0_obj;

int sigma0_op(struct thread *caller, uint64_t tag, const uint64_t *mr, uint64_t *out,
	      unsigned *nout);
