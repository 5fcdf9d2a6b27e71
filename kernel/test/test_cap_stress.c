/* test_cap_stress.c - deep trees walked on a thread with a small stack (any
 * recursion would crash), and a randomized run compared against an
 * independent model of the tree after every step. */
#include <pthread.h>
#include "cap_fixture.h"

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

/* A chain of DEEP: the check is linear (its walks visit at most a few
 * capabilities per capability), then broken deep down and closed into a loop. */
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

/* The check is linear: a chain of DEEP and a root with DEEP children
 * (sibling lists and parent chains used to be walked from every capability:
 * 4.4 s for 40,000 siblings in the kernel) cost a few steps per capability. */
static void check_linear(void **state)
{
	(void)state;
	build_chain(DEEP);
	uint64_t before = cap_check_steps;
	assert_null(cspace_check(&deep_cs));
	assert_true(cap_check_steps - before <= 3ull * DEEP);
	free(deep_slots);
	deep_slots = calloc(DEEP, sizeof *deep_slots);
	assert_non_null(deep_slots);
	cspace_init(&deep_cs, deep_slots, DEEP);
	ep.k.refs = 0;
	assert_int_equal(cap_install(&deep_slots[0], &ep.k, CAP_ALL, 0), CAP_OK);
	for (unsigned i = 1; i < DEEP; i++)
		assert_int_equal(cap_derive(&deep_slots[0], &deep_slots[i], CAP_READ, 0), CAP_OK);
	before = cap_check_steps;
	assert_null(cspace_check(&deep_cs));
	assert_true(cap_check_steps - before <= 3ull * DEEP);
	/* Still caught: the last sibling leaves the list, one link at a time. */
	deep_slots[1].prev->next = NULL;
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

#define TD(f) cmocka_unit_test_setup_teardown(f, setup, deep_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TD(deep_chain_revoke),
		TD(deep_chain_delete),
		TD(deep_chain_delete_bottom_up),
		TD(deep_broad_tree),
		TD(check_deep_chain),
		TD(check_linear),
		T(stress_random),
	};
	return cmocka_run_group_tests_name("cap_stress", tests, NULL, NULL);
}
