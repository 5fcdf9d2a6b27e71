/* <l4/sys/factory.h> - creating kernel objects. */
#pragma once
#include <l4/sys/ipc.h>

/* Create an object of type (enum l4_obj_type) in slot dst of the caller's
 * capability space.  param: task = capability slots, factory = quota in bytes. */
static inline int l4_factory_create(uint64_t factory, unsigned type, uint64_t dst, uint64_t param)
{
	return l4_invoke(factory, L4_FACTORY_CREATE, type, dst, param, 0);
}

/* Quota and bytes in use. */
static inline int l4_factory_info(uint64_t factory, uint64_t *quota, uint64_t *used)
{
	int e = l4_invoke(factory, L4_FACTORY_INFO, 0, 0, 0, 0);
	if (!e) {
		*quota = l4_utcb()->mr[0];
		*used = l4_utcb()->mr[1];
	}
	return e;
}
