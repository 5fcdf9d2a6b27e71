/* factory.c - kernel memory with a quota; see factory.h. */
#include "k/kernel.h"
#include "k/factory.h"
#include "k/mm.h"
#include <l4/sys/abi.h>

/* What an allocation really costs: kmem rounds to its size class or pages. */
static uint64_t charge_of(size_t size)
{
	if (size > 2048)
		return ALIGN_UP(size + 64, PAGE_SIZE);
	size_t c = 16;
	while (c < size)
		c <<= 1;
	return c;
}

struct factory *factory_create_root(uint64_t quota)
{
	struct factory *f = kmalloc(sizeof *f);
	if (!f)
		panic("no memory for the root factory");
	f->obj.type = KOBJ_FACTORY;
	f->quota = quota;
	return f;
}

void *factory_alloc(struct factory *f, size_t size, int *err)
{
	uint64_t c = charge_of(size);
	if (unlikely(f->used + c > f->quota || f->used + c < f->used)) {
		*err = -L4_ENOMEM;
		return NULL;
	}
	void *p = kmalloc(size);
	if (unlikely(!p)) {
		*err = -L4_ENOMEM;
		return NULL;
	}
	f->used += c;
	kobj_get(&f->obj);
	return p;
}

void factory_free(struct factory *f, void *p, size_t size)
{
	uint64_t c = charge_of(size);
	assert(f->used >= c);
	kfree(p);
	f->used -= c;
	/* The caller's object held a reference; dropping it may free f itself,
	 * which goes through the dead list like any object. */
	extern struct kobj_list obj_dead;
	kobj_put(&f->obj, &obj_dead);
}

int factory_charge(struct factory *f, uint64_t bytes)
{
	if (unlikely(f->used + bytes > f->quota || f->used + bytes < f->used))
		return -L4_ENOMEM;
	f->used += bytes;
	return 0;
}

void factory_refund(struct factory *f, uint64_t bytes)
{
	assert(f->used >= bytes);
	f->used -= bytes;
}

struct factory *factory_create(struct factory *parent, uint64_t quota, int *err)
{
	/* The child's whole quota is charged to the parent up front. */
	if (unlikely(parent->used + quota < parent->used || parent->used + quota > parent->quota)) {
		*err = -L4_ENOMEM;
		return NULL;
	}
	struct factory *f = factory_alloc(parent, sizeof *f, err);
	if (!f)
		return NULL;
	if (parent->used + quota > parent->quota) {
		factory_free(parent, f, sizeof *f);
		*err = -L4_ENOMEM;
		return NULL;
	}
	parent->used += quota;
	f->obj.type = KOBJ_FACTORY;
	f->parent = parent;
	f->quota = quota;
	return f;
}

void factory_destroy(struct factory *f)
{
	/* Objects made by f hold references on it, so none is left. */
	assert(f->used == 0);
	struct factory *parent = f->parent;
	if (!parent) {
		kfree(f);
		return;
	}
	parent->used -= f->quota;
	factory_free(parent, f, sizeof *f);
}
