/* test_cap.c - capability spaces and the derivation tree.
 *
 * Three small cspaces stand for three tasks.  Objects are bare struct kobj
 * embedded in test structures; a dead list collects the ones whose last
 * reference went away.  Deep trees are walked on a thread with a small stack
 * so that any recursion would crash, and a randomized run is compared
 * against an independent model of the tree after every step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "cap.h"

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

static void obj_init(struct tobj *o, enum kobj_type type)
{
	memset(o, 0, sizeof *o);
	o->k.type = (uint8_t)type;
}

static int setup(void **state)
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
static struct cap *S(int t, uint64_t i)
{
	return cap_slot(&cs[t], i);
}

static void check_all(void)
{
	for (int i = 0; i < NCS; i++) {
		const char *err = cspace_check(&cs[i]);
		if (err != NULL)
			fail_msg("cspace %d: %s", i, err);
	}
}

static bool slot_is_zero(const struct cap *c)
{
	return c->obj == NULL && c->badge == 0 && c->rights == 0 && c->parent == NULL &&
	       c->child == NULL && c->next == NULL && c->prev == NULL;
}

static unsigned dead_len(void)
{
	unsigned n = 0;
	for (struct kobj *o = dead.head; o != NULL; o = o->dead_next)
		n++;
	return n;
}

static unsigned dead_count(const struct kobj *k)
{
	unsigned n = 0;
	for (struct kobj *o = dead.head; o != NULL; o = o->dead_next)
		if (o == k)
			n++;
	return n;
}

/* Is c in p's child list? */
static bool has_child(const struct cap *p, const struct cap *c)
{
	for (const struct cap *s = p->child; s != NULL; s = s->next)
		if (s == c)
			return true;
	return false;
}

static unsigned nchildren(const struct cap *p)
{
	unsigned n = 0;
	for (const struct cap *s = p->child; s != NULL; s = s->next)
		n++;
	return n;
}

/* ---- cspace basics ---- */

static void init_zeroes_slots(void **state)
{
	(void)state;
	for (int t = 0; t < NCS; t++)
		for (int i = 0; i < NSLOTS; i++)
			assert_true(slot_is_zero(&slots[t][i]));
	assert_ptr_equal(cs[1].slots, slots[1]);
	assert_int_equal(cs[1].nslots, NSLOTS);
	check_all();
}

static void slot_bounds(void **state)
{
	(void)state;
	struct cspace none;
	assert_ptr_equal(S(0, 0), &slots[0][0]);
	assert_ptr_equal(S(2, NSLOTS - 1), &slots[2][NSLOTS - 1]);
	assert_null(S(0, NSLOTS));
	assert_null(S(0, NSLOTS + 1));
	assert_null(S(0, UINT64_MAX));
	assert_null(S(0, 1ull << 32));          /* must not be truncated to 0 */
	assert_null(S(0, (1ull << 32) + 1));
	cspace_init(&none, NULL, 0);
	assert_null(cap_slot(&none, 0));
	assert_null(cspace_check(&none));
}

/* ---- install ---- */

static void install_root(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 3), &ep.k, CAP_READ | CAP_WRITE, 0), CAP_OK);
	assert_ptr_equal(S(0, 3)->obj, &ep.k);
	assert_int_equal(S(0, 3)->rights, CAP_READ | CAP_WRITE);
	assert_int_equal(S(0, 3)->badge, 0);
	assert_null(S(0, 3)->parent);
	assert_null(S(0, 3)->child);
	assert_null(S(0, 3)->next);
	assert_null(S(0, 3)->prev);
	assert_int_equal(ep.k.refs, 1);
	assert_int_equal(cap_install(S(1, 0), &ntf.k, CAP_ALL, 7), CAP_OK);
	assert_int_equal(S(1, 0)->badge, 7);
	assert_int_equal(cap_descendants(S(0, 3)), 0);
	check_all();
}

static void install_errors(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_install(S(0, 0), &ep2.k, CAP_ALL, 0), CAP_EFULL);
	assert_ptr_equal(S(0, 0)->obj, &ep.k);
	assert_int_equal(cap_install(S(0, 1), NULL, CAP_ALL, 0), CAP_EEMPTY);
	assert_int_equal(cap_install(NULL, &ep2.k, CAP_ALL, 0), CAP_ERANGE);
	assert_int_equal(cap_install(S(0, 1), &ep2.k, CAP_ALL | 0x10, 0), CAP_ERIGHTS);
	assert_int_equal(cap_install(S(0, 1), &thr.k, CAP_ALL, 5), CAP_EBADGE);
	assert_int_equal(ep2.k.refs, 0);
	assert_int_equal(thr.k.refs, 0);
	assert_true(slot_is_zero(S(0, 1)));
	check_all();
}

/* ---- derive ---- */

static void derive_basic(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *b = S(1, 5);
	assert_int_equal(cap_install(a, &thr.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, b, CAP_READ | CAP_CONTROL, 0), CAP_OK);
	assert_ptr_equal(b->obj, &thr.k);
	assert_int_equal(b->rights, CAP_READ | CAP_CONTROL);
	assert_int_equal(b->badge, 0);
	assert_ptr_equal(b->parent, a);
	assert_ptr_equal(a->child, b);
	assert_null(b->prev);
	assert_null(b->next);
	assert_null(b->child);
	assert_null(a->parent);
	assert_int_equal(thr.k.refs, 2);
	assert_int_equal(cap_descendants(a), 1);
	check_all();
}

static void derive_rights_subset_chain(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *b = S(1, 0), *c = S(2, 0);
	assert_int_equal(cap_install(a, &ep.k, CAP_READ | CAP_WRITE | CAP_GRANT, 0), CAP_OK);
	assert_int_equal(cap_derive(a, b, CAP_READ | CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(b, c, CAP_WRITE, 0), CAP_OK);
	assert_int_equal(c->rights, CAP_WRITE);
	/* Equal rights are fine. */
	assert_int_equal(cap_derive(a, S(0, 1), CAP_READ | CAP_WRITE | CAP_GRANT, 0), CAP_OK);
	assert_int_equal(S(0, 1)->rights, CAP_READ | CAP_WRITE | CAP_GRANT);
	/* No rights at all is a valid (useless) capability. */
	assert_int_equal(cap_derive(c, S(2, 1), 0, 0), CAP_OK);
	assert_int_equal(S(2, 1)->rights, 0);
	assert_int_equal(cap_descendants(a), 4);
	assert_int_equal(ep.k.refs, 5);
	check_all();
}

static void derive_extra_rights_refused(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *b = S(1, 0);
	assert_int_equal(cap_install(a, &ep.k, CAP_READ | CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(a, b, CAP_READ | CAP_GRANT, 0), CAP_ERIGHTS);
	assert_int_equal(cap_derive(a, b, CAP_ALL, 0), CAP_ERIGHTS);
	assert_int_equal(cap_derive(a, b, CAP_READ | 0x100, 0), CAP_ERIGHTS);
	assert_int_equal(cap_derive(a, b, 0x80000000u, 0), CAP_ERIGHTS);
	assert_true(slot_is_zero(b));
	assert_null(a->child);
	assert_int_equal(ep.k.refs, 1);
	/* A lesser child cannot regain what it lost. */
	assert_int_equal(cap_derive(a, b, CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(b, S(2, 0), CAP_WRITE, 0), CAP_ERIGHTS);
	assert_int_equal(cap_derive(b, S(2, 0), CAP_READ | CAP_WRITE, 0), CAP_ERIGHTS);
	assert_true(slot_is_zero(S(2, 0)));
	check_all();
}

static void derive_inserts_at_head(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *c1 = S(1, 1), *c2 = S(2, 2), *c3 = S(0, 3);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, c1, CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(a, c2, CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(a, c3, CAP_READ, 0), CAP_OK);
	assert_ptr_equal(a->child, c3);
	assert_null(c3->prev);
	assert_ptr_equal(c3->next, c2);
	assert_ptr_equal(c2->prev, c3);
	assert_ptr_equal(c2->next, c1);
	assert_ptr_equal(c1->prev, c2);
	assert_null(c1->next);
	assert_int_equal(nchildren(a), 3);
	check_all();
}

static void badge_mint_endpoint_and_notification(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_WRITE, 42), CAP_OK);
	assert_int_equal(S(1, 0)->badge, 42);
	assert_int_equal(S(0, 0)->badge, 0);          /* source untouched */
	assert_int_equal(cap_install(S(0, 1), &ntf.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 1), S(1, 1), CAP_WRITE, UINT64_MAX), CAP_OK);
	assert_int_equal(S(1, 1)->badge, UINT64_MAX);
	/* Several differently badged children of one unbadged cap. */
	assert_int_equal(cap_derive(S(0, 0), S(2, 0), CAP_WRITE, 43), CAP_OK);
	assert_int_equal(S(2, 0)->badge, 43);
	check_all();
}

static void badge_kept_from_source(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_ALL, 9), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(S(2, 0), S(2, 1), CAP_WRITE, 0), CAP_OK);
	assert_int_equal(S(2, 0)->badge, 9);
	assert_int_equal(S(2, 1)->badge, 9);
	/* Unbadged stays unbadged. */
	assert_int_equal(cap_derive(S(0, 0), S(0, 1), CAP_READ, 0), CAP_OK);
	assert_int_equal(S(0, 1)->badge, 0);
	check_all();
}

static void badge_no_rebadge(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_ALL, 9), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_WRITE, 10), CAP_EBADGE);
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_WRITE, 9), CAP_EBADGE);
	assert_true(slot_is_zero(S(2, 0)));
	/* A root installed badged cannot be rebadged either. */
	assert_int_equal(cap_install(S(0, 1), &ntf.k, CAP_ALL, 3), CAP_OK);
	assert_int_equal(cap_derive(S(0, 1), S(2, 1), CAP_ALL, 4), CAP_EBADGE);
	assert_int_equal(ep.k.refs, 2);
	assert_int_equal(ntf.k.refs, 1);
	check_all();
}

static void badge_refused_for_other_types(void **state)
{
	(void)state;
	struct tobj *objs[] = { &thr, &tsk, &irq, &fac };
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(cap_install(S(0, i), &objs[i]->k, CAP_ALL, 0), CAP_OK);
		assert_int_equal(cap_derive(S(0, i), S(1, i), CAP_ALL, 1), CAP_EBADGE);
		assert_true(slot_is_zero(S(1, i)));
		assert_int_equal(objs[i]->k.refs, 1);
		assert_int_equal(cap_derive(S(0, i), S(1, i), CAP_ALL, 0), CAP_OK);
	}
	check_all();
}

static void derive_into_occupied(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_install(S(1, 0), &thr.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_READ, 0), CAP_EFULL);
	assert_ptr_equal(S(1, 0)->obj, &thr.k);
	assert_int_equal(S(1, 0)->rights, CAP_ALL);
	assert_null(S(1, 0)->parent);
	assert_null(S(0, 0)->child);
	assert_int_equal(ep.k.refs, 1);
	assert_int_equal(thr.k.refs, 1);
	check_all();
}

static void derive_from_empty(void **state)
{
	(void)state;
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), 0, 0), CAP_EEMPTY);
	assert_true(slot_is_zero(S(1, 0)));
	check_all();
}

static void derive_same_slot(void **state)
{
	(void)state;
	assert_int_equal(cap_derive(S(0, 0), S(0, 0), 0, 0), CAP_ESAME);
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(0, 0), CAP_READ, 0), CAP_ESAME);
	assert_null(S(0, 0)->child);
	assert_null(S(0, 0)->parent);
	assert_int_equal(ep.k.refs, 1);
	check_all();
}

static void derive_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, NSLOTS), CAP_READ, 0), CAP_ERANGE);
	assert_int_equal(cap_derive(S(0, NSLOTS), S(1, 0), CAP_READ, 0), CAP_ERANGE);
	assert_int_equal(cap_move(S(0, 0), S(1, NSLOTS)), CAP_ERANGE);
	assert_int_equal(cap_move(S(0, UINT64_MAX), S(1, 0)), CAP_ERANGE);
	assert_int_equal(ep.k.refs, 1);
	assert_int_equal(cap_revoke(NULL, &dead), 0);
	cap_delete(NULL, &dead);
	assert_int_equal(cap_descendants(NULL), 0);
	check_all();
}

/* ---- move ---- */

static void move_root_with_children(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *na = S(2, 7);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	for (int i = 0; i < 4; i++)
		assert_int_equal(cap_derive(a, S(1, i), CAP_READ, (uint64_t)i + 1), CAP_OK);
	assert_int_equal(cap_move(a, na), CAP_OK);
	assert_true(slot_is_zero(a));
	assert_ptr_equal(na->obj, &ep.k);
	assert_int_equal(na->rights, CAP_ALL);
	assert_null(na->parent);
	assert_int_equal(ep.k.refs, 5);
	for (int i = 0; i < 4; i++)
		assert_ptr_equal(S(1, i)->parent, na);
	assert_int_equal(nchildren(na), 4);
	check_all();
}

/* The moved capability keeps its place: still revocable from above. */
static void move_then_revoke_ancestor(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *b = S(1, 0), *c = S(2, 0), *nb = S(2, 10);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, b, CAP_READ | CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(b, c, CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_move(b, nb), CAP_OK);
	assert_true(slot_is_zero(b));
	assert_ptr_equal(a->child, nb);
	assert_ptr_equal(nb->parent, a);
	assert_ptr_equal(c->parent, nb);
	assert_int_equal(nb->rights, CAP_READ | CAP_WRITE);
	check_all();
	assert_int_equal(cap_revoke(a, &dead), 2);
	assert_true(slot_is_zero(nb));
	assert_true(slot_is_zero(c));
	assert_ptr_equal(a->obj, &ep.k);
	assert_int_equal(ep.k.refs, 1);
	check_all();
}

static void move_then_revoke_moved(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *b = S(1, 0), *nb = S(1, 1);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, b, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(b, S(2, 0), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(b, S(2, 1), CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(S(2, 0), S(0, 5), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_move(b, nb), CAP_OK);
	check_all();
	assert_int_equal(cap_descendants(nb), 3);
	assert_int_equal(cap_revoke(nb, &dead), 3);
	assert_true(slot_is_zero(S(2, 0)));
	assert_true(slot_is_zero(S(2, 1)));
	assert_true(slot_is_zero(S(0, 5)));
	assert_ptr_equal(nb->parent, a);
	assert_ptr_equal(a->child, nb);
	assert_int_equal(ep.k.refs, 2);
	check_all();
}

/* Moving the first, a middle and the last sibling relinks the list. */
static void move_siblings(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *c[4];
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	for (int i = 0; i < 4; i++) {
		c[i] = S(1, i);
		assert_int_equal(cap_derive(a, c[i], CAP_READ, 0), CAP_OK);
	}
	/* list: c3 c2 c1 c0 */
	assert_int_equal(cap_move(c[3], S(2, 3)), CAP_OK);   /* first */
	assert_ptr_equal(a->child, S(2, 3));
	check_all();
	assert_int_equal(cap_move(c[1], S(2, 1)), CAP_OK);   /* middle */
	assert_ptr_equal(c[2]->next, S(2, 1));
	assert_ptr_equal(c[0]->prev, S(2, 1));
	check_all();
	assert_int_equal(cap_move(c[0], S(2, 0)), CAP_OK);   /* last */
	assert_ptr_equal(S(2, 1)->next, S(2, 0));
	assert_null(S(2, 0)->next);
	check_all();
	assert_int_equal(nchildren(a), 4);
	for (int i = 0; i < 4; i++)
		assert_true(i == 2 ? has_child(a, c[2]) : has_child(a, S(2, i)));
	assert_int_equal(cap_revoke(a, &dead), 4);
	assert_int_equal(ep.k.refs, 1);
	check_all();
}

static void move_errors(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_install(S(1, 0), &thr.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(0, 1), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_move(S(0, 1), S(1, 0)), CAP_EFULL);
	assert_ptr_equal(S(1, 0)->obj, &thr.k);
	assert_ptr_equal(S(0, 1)->parent, S(0, 0));
	assert_int_equal(cap_move(S(2, 0), S(2, 1)), CAP_EEMPTY);
	assert_int_equal(cap_move(S(0, 1), S(0, 1)), CAP_ESAME);
	assert_ptr_equal(S(0, 1)->obj, &ep.k);
	assert_int_equal(ep.k.refs, 2);
	assert_int_equal(thr.k.refs, 1);
	check_all();
}

/* ---- revoke ---- */

/* Root in task 0, children in task 1, grandchildren in task 2 and back in
 * task 0; an independent root of the same object and another object's tree
 * must survive. */
static void revoke_three_tasks(void **state)
{
	(void)state;
	struct cap *r = S(0, 0);
	assert_int_equal(cap_install(r, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_install(S(0, 1), &ep.k, CAP_READ, 0), CAP_OK); /* second root */
	assert_int_equal(cap_derive(S(0, 1), S(2, 30), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_install(S(1, 20), &ntf.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 20), S(2, 20), CAP_ALL, 0), CAP_OK);

	assert_int_equal(cap_derive(r, S(1, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(r, S(1, 1), CAP_WRITE, 5), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 1), CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 1), S(2, 2), CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_derive(S(2, 0), S(0, 2), CAP_READ, 0), CAP_OK);
	check_all();
	assert_int_equal(ep.k.refs, 9);
	assert_int_equal(cap_descendants(r), 6);
	assert_int_equal(cap_descendants(S(1, 0)), 3);

	assert_int_equal(cap_revoke(r, &dead), 6);
	assert_ptr_equal(r->obj, &ep.k);
	assert_null(r->child);
	assert_int_equal(r->rights, CAP_ALL);
	for (int i = 0; i < 2; i++)
		assert_true(slot_is_zero(S(1, i)));
	for (int i = 0; i < 3; i++)
		assert_true(slot_is_zero(S(2, i)));
	assert_true(slot_is_zero(S(0, 2)));
	/* Unrelated capabilities stay. */
	assert_ptr_equal(S(0, 1)->obj, &ep.k);
	assert_ptr_equal(S(2, 30)->parent, S(0, 1));
	assert_ptr_equal(S(2, 20)->parent, S(1, 20));
	assert_int_equal(ep.k.refs, 3);
	assert_int_equal(ntf.k.refs, 2);
	assert_null(dead.head);
	assert_int_equal(cap_descendants(r), 0);
	check_all();
	/* Revoking again is a no-op. */
	assert_int_equal(cap_revoke(r, &dead), 0);
}

static void revoke_subtree_only(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 1), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(2, 0), S(2, 1), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 1), S(2, 5), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_revoke(S(1, 0), &dead), 2);
	assert_ptr_equal(S(1, 0)->parent, S(0, 0));
	assert_null(S(1, 0)->child);
	assert_true(slot_is_zero(S(2, 0)));
	assert_true(slot_is_zero(S(2, 1)));
	assert_ptr_equal(S(2, 5)->parent, S(1, 1));
	assert_int_equal(cap_descendants(S(0, 0)), 3);
	assert_int_equal(ep.k.refs, 4);
	check_all();
}

static void revoke_leaf_and_empty(void **state)
{
	(void)state;
	assert_int_equal(cap_revoke(S(0, 0), &dead), 0);
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(0, 1), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_revoke(S(0, 1), &dead), 0);
	assert_ptr_equal(S(0, 1)->obj, &ep.k);
	assert_int_equal(ep.k.refs, 2);
	check_all();
}

/* ---- delete ---- */

static void delete_middle_reparents(void **state)
{
	(void)state;
	struct cap *a = S(0, 0), *b = S(1, 0), *c = S(2, 0), *d = S(2, 1), *e = S(1, 1);
	struct cap *f = S(1, 2);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, f, CAP_READ, 0), CAP_OK);   /* a: f */
	assert_int_equal(cap_derive(a, b, CAP_ALL, 0), CAP_OK);    /* a: b f */
	assert_int_equal(cap_derive(a, e, CAP_READ, 0), CAP_OK);   /* a: e b f */
	assert_int_equal(cap_derive(b, c, CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(b, d, CAP_WRITE, 0), CAP_OK);  /* b: d c */
	assert_int_equal(cap_derive(c, S(0, 9), CAP_READ, 0), CAP_OK);
	cap_delete(b, &dead);
	assert_true(slot_is_zero(b));
	/* a: e d c f, in b's place */
	assert_ptr_equal(a->child, e);
	assert_ptr_equal(e->next, d);
	assert_ptr_equal(d->prev, e);
	assert_ptr_equal(d->next, c);
	assert_ptr_equal(c->prev, d);
	assert_ptr_equal(c->next, f);
	assert_ptr_equal(f->prev, c);
	assert_ptr_equal(c->parent, a);
	assert_ptr_equal(d->parent, a);
	assert_ptr_equal(S(0, 9)->parent, c);
	assert_int_equal(ep.k.refs, 6);
	assert_null(dead.head);
	check_all();
	assert_int_equal(cap_revoke(a, &dead), 5);
	assert_int_equal(ep.k.refs, 1);
	check_all();
}

/* The deleted cap's children land at the head and the tail of the list. */
static void delete_first_and_last_child(void **state)
{
	(void)state;
	struct cap *a = S(0, 0);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, S(1, 0), CAP_ALL, 0), CAP_OK);   /* last */
	assert_int_equal(cap_derive(a, S(1, 1), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(a, S(1, 2), CAP_ALL, 0), CAP_OK);   /* first */
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 2), S(2, 2), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 2), S(2, 3), CAP_ALL, 0), CAP_OK);
	cap_delete(S(1, 2), &dead);
	assert_ptr_equal(a->child, S(2, 3));
	assert_null(S(2, 3)->prev);
	assert_ptr_equal(S(2, 2)->next, S(1, 1));
	check_all();
	cap_delete(S(1, 0), &dead);
	assert_ptr_equal(S(1, 1)->next, S(2, 0));
	assert_null(S(2, 0)->next);
	assert_ptr_equal(S(2, 0)->parent, a);
	check_all();
	/* Deleting leaves: first, middle, last. */
	cap_delete(S(2, 3), &dead);
	assert_ptr_equal(a->child, S(2, 2));
	check_all();
	cap_delete(S(1, 1), &dead);
	assert_ptr_equal(S(2, 2)->next, S(2, 0));
	check_all();
	cap_delete(S(2, 0), &dead);
	assert_null(S(2, 2)->next);
	check_all();
	cap_delete(S(2, 2), &dead);
	assert_null(a->child);
	assert_int_equal(ep.k.refs, 1);
	check_all();
}

static void delete_root_makes_roots(void **state)
{
	(void)state;
	struct cap *a = S(0, 0);
	assert_int_equal(cap_install(a, &ep.k, CAP_ALL, 0), CAP_OK);
	for (int i = 0; i < 3; i++)
		assert_int_equal(cap_derive(a, S(1, i), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 1), S(2, 0), CAP_READ, 0), CAP_OK);
	cap_delete(a, &dead);
	assert_true(slot_is_zero(a));
	for (int i = 0; i < 3; i++) {
		assert_null(S(1, i)->parent);
		assert_null(S(1, i)->next);
		assert_null(S(1, i)->prev);
	}
	assert_ptr_equal(S(2, 0)->parent, S(1, 1));
	assert_int_equal(ep.k.refs, 4);
	assert_null(dead.head);
	check_all();
	/* The roots are independent now. */
	assert_int_equal(cap_revoke(S(1, 0), &dead), 0);
	assert_int_equal(cap_revoke(S(1, 1), &dead), 1);
	assert_ptr_equal(S(1, 2)->obj, &ep.k);
	check_all();
}

static void delete_empty_is_noop(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 1), &ep.k, CAP_ALL, 0), CAP_OK);
	cap_delete(S(0, 0), &dead);
	assert_true(slot_is_zero(S(0, 0)));
	assert_null(dead.head);
	assert_int_equal(ep.k.refs, 1);
	cap_delete(S(0, 1), &dead);
	cap_delete(S(0, 1), &dead);              /* twice: no double put */
	assert_int_equal(dead_len(), 1);
	assert_int_equal(ep.k.refs, 0);
	check_all();
}

/* ---- references and the dead list ---- */

static void refs_object_dies_with_last_cap(void **state)
{
	(void)state;
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(ep.k.refs, 3);
	cap_delete(S(0, 0), &dead);
	assert_int_equal(ep.k.refs, 2);
	assert_null(dead.head);
	cap_delete(S(2, 0), &dead);
	assert_int_equal(ep.k.refs, 1);
	assert_null(dead.head);
	cap_delete(S(1, 0), &dead);
	assert_int_equal(ep.k.refs, 0);
	assert_ptr_equal(dead.head, &ep.k);
	assert_null(ep.k.dead_next);
	assert_int_equal(dead_len(), 1);
	check_all();
}

/* An internal reference (say a thread's task) keeps the object alive. */
static void refs_internal_reference(void **state)
{
	(void)state;
	kobj_get(&tsk.k);
	assert_int_equal(cap_install(S(0, 0), &tsk.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_revoke(S(0, 0), &dead), 1);
	cap_delete(S(0, 0), &dead);
	assert_int_equal(tsk.k.refs, 1);
	assert_null(dead.head);
	kobj_put(&tsk.k, &dead);
	assert_int_equal(dead_count(&tsk.k), 1);
}

static void refs_revoke_dead_list(void **state)
{
	(void)state;
	/* Two roots of one endpoint; revoking one's subtree and deleting it
	 * leaves the object alive through the other. */
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_install(S(0, 1), &ep.k, CAP_ALL, 0), CAP_OK);
	for (int i = 0; i < 10; i++)
		assert_int_equal(cap_derive(S(0, 0), S(1, i), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_revoke(S(0, 0), &dead), 10);
	cap_delete(S(0, 0), &dead);
	assert_null(dead.head);
	assert_int_equal(ep.k.refs, 1);
	/* The other root is the last reference, but only its children go. */
	assert_int_equal(cap_derive(S(0, 1), S(2, 0), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_revoke(S(0, 1), &dead), 1);
	assert_null(dead.head);
	cap_delete(S(0, 1), &dead);
	assert_int_equal(dead_count(&ep.k), 1);
	assert_int_equal(dead_len(), 1);
	check_all();
}

/* ---- cspace_clear ---- */

static void clear_reparents_to_other_tasks(void **state)
{
	(void)state;
	/* task0 root -> task1 middle -> task2 leaves; task1 also holds roots. */
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(0, 0), S(1, 0), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(1, 1), CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 1), S(2, 0), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 0), S(2, 1), CAP_WRITE, 0), CAP_OK);
	assert_int_equal(cap_install(S(1, 5), &thr.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 5), S(2, 5), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_install(S(1, 6), &irq.k, CAP_ALL, 0), CAP_OK);
	cspace_clear(&cs[1], &dead);
	for (int i = 0; i < NSLOTS; i++)
		assert_true(slot_is_zero(S(1, i)));
	assert_ptr_equal(S(2, 0)->parent, S(0, 0));
	assert_ptr_equal(S(2, 1)->parent, S(0, 0));
	assert_null(S(2, 5)->parent);
	assert_int_equal(cap_descendants(S(0, 0)), 2);
	assert_int_equal(ep.k.refs, 3);
	assert_int_equal(thr.k.refs, 1);
	assert_int_equal(irq.k.refs, 0);
	assert_int_equal(dead_count(&irq.k), 1);
	assert_int_equal(dead_len(), 1);
	check_all();
	assert_int_equal(cap_revoke(S(0, 0), &dead), 2);
	check_all();
}

static void clear_all_objects_die_once(void **state)
{
	(void)state;
	struct tobj *objs[] = { &ep, &ntf, &thr, &tsk, &irq, &fac, &ep2 };
	for (int i = 0; i < 7; i++) {
		assert_int_equal(cap_install(S(0, i), &objs[i]->k, CAP_ALL, 0), CAP_OK);
		for (int j = 0; j < 3; j++)
			assert_int_equal(cap_derive(S(0, i), S(0, 10 + 3 * i + j), CAP_READ, 0),
					 CAP_OK);
		assert_int_equal(cap_derive(S(0, 10 + 3 * i), S(0, 40 + i), CAP_READ, 0), CAP_OK);
	}
	cspace_clear(&cs[0], &dead);
	assert_int_equal(dead_len(), 7);
	for (int i = 0; i < 7; i++) {
		assert_int_equal(objs[i]->k.refs, 0);
		assert_int_equal(dead_count(&objs[i]->k), 1);
	}
	for (int i = 0; i < NSLOTS; i++)
		assert_true(slot_is_zero(S(0, i)));
	check_all();
}

/* ---- cspace_check ---- */

/* a: c3 c2 c1 in task 1, c2 has a child in task 2. */
static void build_small_tree(void)
{
	assert_int_equal(cap_install(S(0, 0), &ep.k, CAP_READ | CAP_WRITE, 0), CAP_OK);
	for (int i = 1; i <= 3; i++)
		assert_int_equal(cap_derive(S(0, 0), S(1, i), CAP_READ, 0), CAP_OK);
	assert_int_equal(cap_derive(S(1, 2), S(2, 0), CAP_READ, 0), CAP_OK);
	check_all();
}

static void expect_broken(void)
{
	bool found = false;
	for (int i = 0; i < NCS; i++)
		if (cspace_check(&cs[i]) != NULL)
			found = true;
	assert_true(found);
}

static void check_broken_prev(void **state)
{
	(void)state;
	build_small_tree();
	struct cap *saved = S(1, 1)->prev;
	S(1, 1)->prev = S(1, 3);             /* should be c2 */
	assert_non_null(cspace_check(&cs[1]));
	S(1, 1)->prev = saved;
	check_all();
	S(1, 3)->prev = S(1, 1);             /* the first child has a prev */
	assert_non_null(cspace_check(&cs[1]));
	assert_non_null(cspace_check(&cs[0]));
}

static void check_broken_next(void **state)
{
	(void)state;
	build_small_tree();
	S(1, 2)->next = NULL;               /* c1 drops out of the list */
	assert_non_null(cspace_check(&cs[1]));
}

static void check_parent_cycle(void **state)
{
	(void)state;
	/* Two caps each the other's parent and only child: every local link is
	 * consistent, only the cycle is wrong. */
	struct cap *a = S(0, 0), *b = S(1, 0);
	a->obj = b->obj = &ep.k;
	ep.k.refs = 2;
	a->rights = b->rights = CAP_ALL;
	a->parent = b;
	a->child = b;
	b->parent = a;
	b->child = a;
	assert_non_null(cspace_check(&cs[0]));
	assert_non_null(cspace_check(&cs[1]));
	/* A self-parent. */
	memset(a, 0, sizeof *a);
	memset(b, 0, sizeof *b);
	a->obj = &ep.k;
	a->parent = a;
	a->child = a;
	assert_non_null(cspace_check(&cs[0]));
}

static void check_longer_cycle(void **state)
{
	(void)state;
	/* A cycle of three through three tasks, and a cap hanging off it in
	 * a fourth slot: it is not in the cycle but its parent chain is. */
	struct cap *c[3] = { S(0, 0), S(1, 0), S(2, 0) };
	for (int i = 0; i < 3; i++) {
		c[i]->obj = &ep.k;
		c[i]->rights = CAP_ALL;
		c[i]->parent = c[(i + 2) % 3];
		c[i]->child = c[(i + 1) % 3];
	}
	ep.k.refs = 3;
	for (int i = 0; i < 3; i++)
		assert_non_null(cspace_check(&cs[i]));
}

static void check_rights_escalation(void **state)
{
	(void)state;
	build_small_tree();
	S(2, 0)->rights = CAP_READ | CAP_WRITE;   /* parent c2 has only READ */
	expect_broken();
	S(2, 0)->rights = CAP_READ;
	check_all();
	S(1, 1)->rights = CAP_GRANT;              /* root lacks GRANT */
	assert_non_null(cspace_check(&cs[0]));
	S(1, 1)->rights = CAP_READ;
	S(0, 0)->rights = 0x10 | CAP_READ;        /* not a right at all */
	assert_non_null(cspace_check(&cs[0]));
}

static void check_other_corruptions(void **state)
{
	(void)state;
	build_small_tree();
	/* Child refers to another object. */
	S(2, 0)->obj = &ep2.k;
	ep2.k.refs = 1;
	expect_broken();
	S(2, 0)->obj = &ep.k;
	check_all();
	/* Child's parent points elsewhere. */
	S(1, 1)->parent = S(1, 2);
	expect_broken();
	S(1, 1)->parent = S(0, 0);
	check_all();
	/* Empty slot with a stale link. */
	S(2, 9)->parent = S(0, 0);
	assert_non_null(cspace_check(&cs[2]));
	S(2, 9)->parent = NULL;
	S(2, 9)->next = S(1, 1);
	assert_non_null(cspace_check(&cs[2]));
	S(2, 9)->next = NULL;
	check_all();
	/* A root with a sibling. */
	assert_int_equal(cap_install(S(0, 5), &thr.k, CAP_ALL, 0), CAP_OK);
	S(0, 5)->next = S(1, 3);
	assert_non_null(cspace_check(&cs[0]));
	S(0, 5)->next = NULL;
	/* Badge on a thread capability. */
	S(0, 5)->badge = 1;
	assert_non_null(cspace_check(&cs[0]));
	S(0, 5)->badge = 0;
	check_all();
	/* Parent slot emptied under its child. */
	struct cap saved = *S(1, 2);
	memset(S(1, 2), 0, sizeof saved);
	S(0, 0)->child = S(1, 3);               /* keep the root's list valid */
	S(1, 3)->next = S(1, 1);
	S(1, 1)->prev = S(1, 3);
	assert_non_null(cspace_check(&cs[2]));
}

/* A sibling list that loops back on itself without reaching the cap. */
static void check_sibling_loop(void **state)
{
	(void)state;
	struct cap *p = S(0, 0), *x = S(1, 0), *y = S(1, 1), *z = S(2, 0);
	assert_int_equal(cap_install(p, &ep.k, CAP_ALL, 0), CAP_OK);
	assert_int_equal(cap_derive(p, z, CAP_ALL, 0), CAP_OK);
	/* x and y claim p as parent and link to each other, but are not in
	 * p's list (p -> z only). */
	*x = *z;
	*y = *z;
	x->next = y;
	x->prev = y;
	y->next = x;
	y->prev = x;
	ep.k.refs = 4;
	assert_non_null(cspace_check(&cs[1]));
	assert_null(cspace_check(&cs[2]));
}

/* ---- deep trees, on a small stack ---- */

#define DEEP 100000
#define SMALL_STACK (256 * 1024)

enum job_op { JOB_REVOKE, JOB_DESCENDANTS, JOB_CLEAR, JOB_DELETE };
struct job {
	enum job_op op;
	struct cap *c;
	struct cspace *cs;
	size_t result;
};

static void *job_run(void *arg)
{
	struct job *j = arg;
	switch (j->op) {
	case JOB_REVOKE:
		j->result = cap_revoke(j->c, &dead);
		break;
	case JOB_DESCENDANTS:
		j->result = cap_descendants(j->c);
		break;
	case JOB_CLEAR:
		cspace_clear(j->cs, &dead);
		break;
	case JOB_DELETE:
		cap_delete(j->c, &dead);
		break;
	}
	return NULL;
}

static size_t on_small_stack(enum job_op op, struct cap *c, struct cspace *s)
{
	pthread_attr_t attr;
	pthread_t th;
	struct job j = { op, c, s, 0 };
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setstacksize(&attr, SMALL_STACK), 0);
	assert_int_equal(pthread_create(&th, &attr, job_run, &j), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
	pthread_attr_destroy(&attr);
	return j.result;
}

static struct cap *deep_slots;
static struct cspace deep_cs;

/* Slot 0 root, slot i derived from slot i-1. */
static void build_chain(unsigned n)
{
	deep_slots = calloc(n, sizeof *deep_slots);
	assert_non_null(deep_slots);
	cspace_init(&deep_cs, deep_slots, n);
	assert_int_equal(cap_install(&deep_slots[0], &ep.k, CAP_ALL, 0), CAP_OK);
	for (unsigned i = 1; i < n; i++) {
		/* Alternate the rights downward so the subset rule is exercised. */
		uint32_t r = i < n / 2 ? CAP_ALL : CAP_READ;
		assert_int_equal(cap_derive(&deep_slots[i - 1], &deep_slots[i], r, 0), CAP_OK);
	}
	assert_int_equal(ep.k.refs, n);
}

static int deep_teardown(void **state)
{
	(void)state;
	free(deep_slots);
	deep_slots = NULL;
	return 0;
}

static void deep_chain_revoke(void **state)
{
	(void)state;
	build_chain(DEEP + 1);
	assert_int_equal(on_small_stack(JOB_DESCENDANTS, &deep_slots[0], NULL), DEEP);
	assert_int_equal(on_small_stack(JOB_DESCENDANTS, &deep_slots[DEEP / 2], NULL),
			 DEEP / 2);
	assert_int_equal(on_small_stack(JOB_DESCENDANTS, &deep_slots[DEEP], NULL), 0);
	/* Revoke the lower half first, then the rest. */
	assert_int_equal(on_small_stack(JOB_REVOKE, &deep_slots[DEEP / 2], NULL), DEEP / 2);
	assert_null(deep_slots[DEEP / 2].child);
	assert_int_equal(ep.k.refs, DEEP / 2 + 1);
	assert_int_equal(on_small_stack(JOB_REVOKE, &deep_slots[0], NULL), DEEP / 2);
	assert_int_equal(ep.k.refs, 1);
	for (unsigned i = 1; i <= DEEP; i++)
		if (!slot_is_zero(&deep_slots[i]))
			fail_msg("slot %u not cleared", i);
	assert_null(dead.head);
	assert_null(cspace_check(&deep_cs));
}

static void deep_chain_delete(void **state)
{
	(void)state;
	build_chain(DEEP + 1);
	/* Delete the root and one in the middle: the chain closes up. */
	on_small_stack(JOB_DELETE, &deep_slots[0], NULL);
	assert_null(deep_slots[1].parent);
	on_small_stack(JOB_DELETE, &deep_slots[DEEP / 2], NULL);
	assert_ptr_equal(deep_slots[DEEP / 2 + 1].parent, &deep_slots[DEEP / 2 - 1]);
	assert_int_equal(on_small_stack(JOB_DESCENDANTS, &deep_slots[1], NULL), DEEP - 2);
	assert_int_equal(ep.k.refs, DEEP - 1);
	/* Then everything, in slot order (each delete hands one child up). */
	on_small_stack(JOB_CLEAR, NULL, &deep_cs);
	assert_int_equal(ep.k.refs, 0);
	assert_int_equal(dead_count(&ep.k), 1);
	assert_int_equal(dead_len(), 1);
	assert_null(cspace_check(&deep_cs));
}

/* Same, but deleting from the leaf end backwards and a broad tree. */
static void deep_chain_delete_bottom_up(void **state)
{
	(void)state;
	build_chain(DEEP + 1);
	for (unsigned i = DEEP; i > 0; i--)
		cap_delete(&deep_slots[i], &dead);
	assert_null(deep_slots[0].child);
	assert_int_equal(ep.k.refs, 1);
	assert_null(dead.head);
	cap_delete(&deep_slots[0], &dead);
	assert_int_equal(dead_len(), 1);
}

/* A wide and deep tree: every node gets two children until the slots run
 * out, so descendants/revoke see both kinds of walk. */
static void deep_broad_tree(void **state)
{
	(void)state;
	unsigned n = 1u << 16;
	deep_slots = calloc(n, sizeof *deep_slots);
	assert_non_null(deep_slots);
	cspace_init(&deep_cs, deep_slots, n);
	assert_int_equal(cap_install(&deep_slots[0], &ntf.k, CAP_ALL, 0), CAP_OK);
	for (unsigned i = 1; i < n; i++)
		assert_int_equal(cap_derive(&deep_slots[(i - 1) / 2], &deep_slots[i], CAP_ALL, 0),
				 CAP_OK);
	assert_null(cspace_check(&deep_cs));
	assert_int_equal(on_small_stack(JOB_DESCENDANTS, &deep_slots[0], NULL), n - 1);
	/* Subtree of node 1: all i whose heap ancestor chain hits 1. */
	size_t want = 0;
	for (unsigned i = 2; i < n; i++) {
		unsigned k = i;
		while (k > 1)
			k = (k - 1) / 2;
		if (k == 1)
			want++;
	}
	assert_int_equal(cap_descendants(&deep_slots[1]), want);
	assert_int_equal(on_small_stack(JOB_REVOKE, &deep_slots[1], NULL), want);
	assert_null(cspace_check(&deep_cs));
	assert_int_equal(ntf.k.refs, n - want);
	assert_int_equal(on_small_stack(JOB_REVOKE, &deep_slots[0], NULL), n - want - 1);
	assert_int_equal(ntf.k.refs, 1);
}

/* cspace_check walks parent chains, so it is quadratic in depth: check a
 * chain of modest depth, then break it deep down. */
static void check_deep_chain(void **state)
{
	(void)state;
	build_chain(3000);
	assert_null(cspace_check(&deep_cs));
	deep_slots[2000].rights = CAP_ALL;        /* parent 1999 has only READ */
	assert_non_null(cspace_check(&deep_cs));
	deep_slots[2000].rights = CAP_READ;
	assert_null(cspace_check(&deep_cs));
	/* Close the chain into a loop: the root's parent becomes the leaf. */
	deep_slots[0].parent = &deep_slots[2999];
	deep_slots[2999].child = &deep_slots[0];
	deep_slots[0].rights = CAP_READ;
	for (unsigned i = 0; i < 1500; i++)
		deep_slots[i].rights = CAP_READ;
	assert_non_null(cspace_check(&deep_cs));
}

/* ---- randomized, against a model ---- */

#define NG (NCS * NSLOTS)
#define NOBJ 7

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static unsigned rnd_below(unsigned n) { return (unsigned)(rnd() % n); }

struct mslot {
	int obj;          /* -1 empty */
	int parent;       /* -1 root */
	uint32_t rights;
	uint64_t badge;
};
static struct mslot model[NG];
static struct tobj sobj[NOBJ];
static const enum kobj_type stypes[NOBJ] = {
	KOBJ_ENDPOINT, KOBJ_NOTIFICATION, KOBJ_THREAD, KOBJ_TASK,
	KOBJ_ENDPOINT, KOBJ_IRQ, KOBJ_FACTORY,
};

static struct cap *gslot(int g) { return &slots[g / NSLOTS][g % NSLOTS]; }
static int gindex(const struct cap *c)
{
	for (int t = 0; t < NCS; t++)
		if (c >= slots[t] && c < slots[t] + NSLOTS)
			return t * NSLOTS + (int)(c - slots[t]);
	return -2;
}

static bool m_is_desc(int g, int anc)
{
	for (int p = model[g].parent; p >= 0; p = model[p].parent)
		if (p == anc)
			return true;
	return false;
}

static unsigned m_refs(int o)
{
	unsigned n = 0;
	for (int g = 0; g < NG; g++)
		if (model[g].obj == o)
			n++;
	return n;
}

static void m_clear(int g)
{
	model[g].obj = -1;
	model[g].parent = -1;
	model[g].rights = 0;
	model[g].badge = 0;
}

static void m_delete(int g)
{
	if (model[g].obj < 0)
		return;
	for (int i = 0; i < NG; i++)
		if (model[i].obj >= 0 && model[i].parent == g)
			model[i].parent = model[g].parent;
	m_clear(g);
}

static size_t m_revoke(int g)
{
	size_t n = 0;
	if (model[g].obj < 0)
		return 0;
	/* Mark first: clearing while scanning would cut ancestor chains. */
	bool kill[NG];
	for (int i = 0; i < NG; i++)
		kill[i] = model[i].obj >= 0 && m_is_desc(i, g);
	for (int i = 0; i < NG; i++)
		if (kill[i]) {
			m_clear(i);
			n++;
		}
	return n;
}

/* Descendant counts of every slot in one pass over the ancestor chains. */
static void m_descendants(size_t out[NG])
{
	for (int i = 0; i < NG; i++)
		out[i] = 0;
	for (int i = 0; i < NG; i++)
		if (model[i].obj >= 0)
			for (int p = model[i].parent; p >= 0; p = model[p].parent)
				out[p]++;
}

/* A random slot, usually one that is occupied (full) or empty (!full). */
static int pick(bool full)
{
	int g = (int)rnd_below(NG);
	if (rnd_below(5) == 0)
		return g;
	for (int i = 0; i < NG; i++, g = (g + 1) % NG)
		if ((model[g].obj >= 0) == full)
			return g;
	return g;
}

static uint32_t rnd_rights(uint32_t within)
{
	uint32_t r = (uint32_t)rnd() & CAP_ALL;
	if (rnd_below(8) != 0)
		r &= within;         /* mostly legal */
	return r;
}

static void compare_with_model(unsigned before[NOBJ], unsigned step)
{
	size_t desc[NG];

	check_all();
	m_descendants(desc);
	for (int g = 0; g < NG; g++) {
		struct cap *c = gslot(g);
		struct mslot *m = &model[g];
		if (m->obj < 0) {
			if (!slot_is_zero(c))
				fail_msg("step %u: slot %d should be empty", step, g);
			continue;
		}
		if (c->obj != &sobj[m->obj].k || c->rights != m->rights || c->badge != m->badge)
			fail_msg("step %u: slot %d contents differ", step, g);
		if ((m->parent < 0 ? c->parent != NULL : c->parent != gslot(m->parent)))
			fail_msg("step %u: slot %d parent %d, model %d", step, g,
				 c->parent ? gindex(c->parent) : -1, m->parent);
		if (cap_descendants(c) != desc[g])
			fail_msg("step %u: slot %d descendants differ", step, g);
	}
	/* refs == capabilities; the dead list holds exactly those that just
	 * dropped to zero, once each. */
	for (int o = 0; o < NOBJ; o++) {
		unsigned now = m_refs(o);
		if (sobj[o].k.refs != now)
			fail_msg("step %u: obj %d refs %u, slots %u", step, o, sobj[o].k.refs, now);
		unsigned want = before[o] > 0 && now == 0;
		if (dead_count(&sobj[o].k) != want)
			fail_msg("step %u: obj %d on dead list %u times, want %u", step, o,
				 dead_count(&sobj[o].k), want);
	}
	unsigned total = 0;
	for (int o = 0; o < NOBJ; o++)
		total += dead_count(&sobj[o].k);
	assert_int_equal(dead_len(), total);
	/* Reap: the dead objects may be "created" again. */
	for (struct kobj *k = dead.head, *nx; k != NULL; k = nx) {
		nx = k->dead_next;
		k->dead_next = NULL;
	}
	dead.head = NULL;
}

static void stress_random(void **state)
{
	(void)state;
	unsigned counts[8] = { 0 };
	int last = -1;

	for (int o = 0; o < NOBJ; o++)
		obj_init(&sobj[o], stypes[o]);
	for (int g = 0; g < NG; g++)
		m_clear(g);

	for (unsigned step = 0; step < 30000; step++) {
		unsigned before[NOBJ];
		for (int o = 0; o < NOBJ; o++)
			before[o] = m_refs(o);
		unsigned op = rnd_below(100);
		int a = op < 8 ? pick(false) : pick(true), b = pick(false);
		struct mslot *ma = &model[a], *mb = &model[b];

		if (op < 8) {                                   /* install */
			int o = (int)rnd_below(NOBJ);
			uint32_t r = rnd_rights(CAP_ALL);
			bool bt = stypes[o] == KOBJ_ENDPOINT || stypes[o] == KOBJ_NOTIFICATION;
			uint64_t badge = bt && rnd_below(3) == 0 ? rnd() : 0;
			enum cap_err want = ma->obj >= 0 ? CAP_EFULL : CAP_OK;
			assert_int_equal(cap_install(gslot(a), &sobj[o].k, r, badge), want);
			if (want == CAP_OK) {
				ma->obj = o;
				ma->parent = -1;
				ma->rights = r;
				ma->badge = badge;
			}
			counts[0]++;
		} else if (op < 60) {                           /* derive */
			/* Often continue from the last derived slot: deeper trees. */
			if (last >= 0 && model[last].obj >= 0 && rnd_below(2) == 0) {
				a = last;
				ma = &model[a];
			}
			uint32_t r = rnd_rights(ma->rights);
			uint64_t badge = rnd_below(5) == 0 ? rnd() % 1000 : 0;
			enum cap_err want;
			if (a == b)
				want = CAP_ESAME;
			else if (mb->obj >= 0)
				want = CAP_EFULL;
			else if (ma->obj < 0)
				want = CAP_EEMPTY;
			else if (r & ~ma->rights)
				want = CAP_ERIGHTS;
			else if (badge && (ma->badge ||
					   (stypes[ma->obj] != KOBJ_ENDPOINT &&
					    stypes[ma->obj] != KOBJ_NOTIFICATION)))
				want = CAP_EBADGE;
			else
				want = CAP_OK;
			assert_int_equal(cap_derive(gslot(a), gslot(b), r, badge), want);
			if (want == CAP_OK) {
				mb->obj = ma->obj;
				mb->parent = a;
				mb->rights = r;
				mb->badge = badge ? badge : ma->badge;
				last = b;
			}
			counts[want == CAP_OK ? 1 : 2]++;
		} else if (op < 75) {                           /* move */
			enum cap_err want;
			if (a == b)
				want = CAP_ESAME;
			else if (mb->obj >= 0)
				want = CAP_EFULL;
			else if (ma->obj < 0)
				want = CAP_EEMPTY;
			else
				want = CAP_OK;
			assert_int_equal(cap_move(gslot(a), gslot(b)), want);
			if (want == CAP_OK) {
				*mb = *ma;
				for (int i = 0; i < NG; i++)
					if (model[i].obj >= 0 && model[i].parent == a)
						model[i].parent = b;
				m_clear(a);
			}
			counts[3]++;
		} else if (op < 90) {                           /* delete */
			cap_delete(gslot(a), &dead);
			m_delete(a);
			counts[4]++;
		} else if (op < 99) {                           /* revoke */
			size_t want = m_revoke(a);
			assert_int_equal(cap_revoke(gslot(a), &dead), want);
			counts[5] += want > 1;
		} else {                                        /* a task exits */
			int t = (int)rnd_below(NCS);
			cspace_clear(&cs[t], &dead);
			for (int i = 0; i < NSLOTS; i++)
				m_delete(t * NSLOTS + i);
			counts[6]++;
		}
		compare_with_model(before, step);
	}
	/* Every kind of step actually happened. */
	for (int i = 0; i < 7; i++)
		assert_true(counts[i] > 0);
	for (int t = 0; t < NCS; t++)
		cspace_clear(&cs[t], &dead);
	for (int o = 0; o < NOBJ; o++)
		assert_int_equal(sobj[o].k.refs, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)
#define TD(f) cmocka_unit_test_setup_teardown(f, setup, deep_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(init_zeroes_slots),
		T(slot_bounds),
		T(install_root),
		T(install_errors),
		T(derive_basic),
		T(derive_rights_subset_chain),
		T(derive_extra_rights_refused),
		T(derive_inserts_at_head),
		T(badge_mint_endpoint_and_notification),
		T(badge_kept_from_source),
		T(badge_no_rebadge),
		T(badge_refused_for_other_types),
		T(derive_into_occupied),
		T(derive_from_empty),
		T(derive_same_slot),
		T(derive_out_of_range),
		T(move_root_with_children),
		T(move_then_revoke_ancestor),
		T(move_then_revoke_moved),
		T(move_siblings),
		T(move_errors),
		T(revoke_three_tasks),
		T(revoke_subtree_only),
		T(revoke_leaf_and_empty),
		T(delete_middle_reparents),
		T(delete_first_and_last_child),
		T(delete_root_makes_roots),
		T(delete_empty_is_noop),
		T(refs_object_dies_with_last_cap),
		T(refs_internal_reference),
		T(refs_revoke_dead_list),
		T(clear_reparents_to_other_tasks),
		T(clear_all_objects_die_once),
		T(check_broken_prev),
		T(check_broken_next),
		T(check_parent_cycle),
		T(check_longer_cycle),
		T(check_rights_escalation),
		T(check_other_corruptions),
		T(check_sibling_loop),
		TD(deep_chain_revoke),
		TD(deep_chain_delete),
		TD(deep_chain_delete_bottom_up),
		TD(deep_broad_tree),
		TD(check_deep_chain),
		T(stress_random),
	};
	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
