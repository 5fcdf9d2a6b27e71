/* test_cap.c - capability spaces and the derivation tree: install, derive
 * (rights, badges), move, revoke, delete, references and the dead list,
 * clearing a cspace.  The tree checker's own tests are in test_cap_check.c,
 * deep trees and the randomized model comparison in test_cap_stress.c. */
#include "cap_fixture.h"

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

/* The preemptible revoke (obj.c) takes the tree in pieces: each piece
 * removes at most max and says whether more is left; the pieces add up to
 * what one revoke removes, and the tree stays whole in between. */
static void revoke_bounded_in_pieces(void **state)
{
	(void)state;
	struct cap *r = S(0, 0);
	assert_int_equal(cap_install(r, &ep.k, CAP_ALL, 0), CAP_OK);
	for (int i = 0; i < 20; i++)
		assert_int_equal(cap_derive(r, S(1, i), CAP_ALL, 0), CAP_OK);
	for (int i = 0; i < 20; i++)          /* a chain below the first child */
		assert_int_equal(cap_derive(i ? S(2, i - 1) : S(1, 0), S(2, i), CAP_ALL, 0), CAP_OK);
	bool more = true;
	size_t total = 0, pieces = 0;
	while (more) {
		size_t n = cap_revoke_bounded(r, &dead, 7, &more);
		assert_true(n <= 7);
		assert_true(more ? n == 7 : 1);
		total += n;
		pieces++;
		check_all();
		assert_int_equal(cap_descendants(r), 40 - total);
	}
	assert_int_equal(total, 40);
	assert_int_equal(pieces, 6);
	assert_null(r->child);
	assert_int_equal(ep.k.refs, 1);
	assert_int_equal(cap_revoke_bounded(r, &dead, 7, &more), 0);
	assert_false(more);
}

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
		T(revoke_bounded_in_pieces),
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
	};
	return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
