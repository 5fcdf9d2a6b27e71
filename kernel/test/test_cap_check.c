/* test_cap_check.c - cspace_check(): valid trees pass, and every kind of
 * corrupted link, cycle or rights escalation is reported. */
#include "cap_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(check_broken_prev),
		T(check_broken_next),
		T(check_parent_cycle),
		T(check_longer_cycle),
		T(check_rights_escalation),
		T(check_other_corruptions),
		T(check_sibling_loop),
	};
	return cmocka_run_group_tests_name("cap_check", tests, NULL, NULL);
}
