/* factory.h - the Factory object: kernel memory with a quota.
 *
 * Every kernel object is created through a factory, which charges the
 * memory it takes (object, kernel stack, capability slots) against its quota
 * and gets it back when the object dies.  A child factory takes its whole
 * quota from its parent at creation.  So a task looping on create exhausts
 * the quota of its own factory and nobody else's.
 */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include "kobj.h"

struct factory {
	struct kobj obj;
	struct factory *parent;    /* [ref] NULL for the root factory */
	uint64_t quota;            /* bytes it may hand out */
	uint64_t used;             /* bytes currently charged */
};

struct factory *factory_create_root(uint64_t quota);
struct factory *factory_create(struct factory *parent, uint64_t quota, int *err);
void factory_destroy(struct factory *f);

/* Allocate size zeroed bytes charged to f; NULL with *err = -L4_ENOMEM when
 * the quota or the kernel's memory is exhausted.  Takes a reference on f. */
void *factory_alloc(struct factory *f, size_t size, int *err);
void factory_free(struct factory *f, void *p, size_t size);   /* drops the reference */
/* Count memory the kernel takes outside kmem (page tables) against the
 * quota: 0 or -L4_ENOMEM; refund gives back what was charged. */
int factory_charge(struct factory *f, uint64_t bytes);
void factory_refund(struct factory *f, uint64_t bytes);
