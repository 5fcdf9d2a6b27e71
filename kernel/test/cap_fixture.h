/* cap_fixture.h - the fixture the capability tests share: three small
 * cspaces that stand for three tasks, objects that are bare struct kobj in
 * test structures, a dead list, and helpers that look at the tree.  Each
 * test_cap*.c includes it once (the functions are static). */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "k/cap.h"

#define T(f) cmocka_unit_test_setup(f, setup)

#define NSLOTS 64
#define NCS 3

struct tobj {
	struct kobj k;
	int tag;
};

static struct cap slots[NCS][NSLOTS];
static struct cspace cs[NCS];
static struct kobj_list dead;
static struct tobj ep, ntf, thr, tsk, irq, fac, ep2;

static inline void obj_init(struct tobj *o, enum kobj_type type)
{
	memset(o, 0, sizeof *o);
	o->k.type = (uint8_t)type;
}

static inline int setup(void **state)
{
	(void)state;
	memset(slots, 0x5a, sizeof slots);   /* cspace_init must clear them */
	for (int i = 0; i < NCS; i++)
		cspace_init(&cs[i], slots[i], NSLOTS);
	dead.head = NULL;
	obj_init(&ep, KOBJ_ENDPOINT);
	obj_init(&ntf, KOBJ_NOTIFICATION);
	obj_init(&thr, KOBJ_THREAD);
	obj_init(&tsk, KOBJ_TASK);
	obj_init(&irq, KOBJ_IRQ);
	obj_init(&fac, KOBJ_FACTORY);
	obj_init(&ep2, KOBJ_ENDPOINT);
	return 0;
}

/* Slot i of task t. */
static inline struct cap *S(int t, uint64_t i)
{
	return cap_slot(&cs[t], i);
}

static inline void check_all(void)
{
	for (int i = 0; i < NCS; i++) {
		const char *err = cspace_check(&cs[i]);
		if (err != NULL)
			fail_msg("cspace %d: %s", i, err);
	}
}

static inline bool slot_is_zero(const struct cap *c)
{
	return c->obj == NULL && c->badge == 0 && c->rights == 0 && c->parent == NULL &&
	       c->child == NULL && c->next == NULL && c->prev == NULL;
}

static inline unsigned dead_len(void)
{
	unsigned n = 0;
	for (struct kobj *o = dead.head; o != NULL; o = o->dead_next)
		n++;
	return n;
}

static inline unsigned dead_count(const struct kobj *k)
{
	unsigned n = 0;
	for (struct kobj *o = dead.head; o != NULL; o = o->dead_next)
		if (o == k)
			n++;
	return n;
}

/* Is c in p's child list? */
static inline bool has_child(const struct cap *p, const struct cap *c)
{
	for (const struct cap *s = p->child; s != NULL; s = s->next)
		if (s == c)
			return true;
	return false;
}

static inline unsigned nchildren(const struct cap *p)
{
	unsigned n = 0;
	for (const struct cap *s = p->child; s != NULL; s = s->next)
		n++;
	return n;
}

/* ---- cspace basics ---- */
