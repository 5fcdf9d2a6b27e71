/* t_cap.c - capability map, move, delete, revoke, rights and badges. */
#include "ktest.h"

static int map_reduces_rights(void)
{
	uint64_t e = ep_new(), d = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, d, L4_CAP_WRITE, 0), 0);
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, d, &info), 0);
	CHECK_EQ(info.type, L4_OBJ_ENDPOINT);
	CHECK_EQ(info.rights, L4_CAP_WRITE);
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, e, &info), 0);
	CHECK_EQ(info.derived, 1);
	cap_drop(d);
	cap_drop(e);
	return 0;
}

static int map_cannot_add_rights(void)
{
	uint64_t e = ep_new(), d = slot_new(), d2 = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, d, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, d, d2, L4_CAP_WRITE | L4_CAP_READ, 0), -L4_EPERM);
	CHECK_EQ(cap_type(L4_CAP_SELF, d2), 0);
	cap_drop(e);
	return 0;
}

static int badge_minted(void)
{
	uint64_t e = ep_new(), d = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, d, L4_CAP_WRITE, 0x1234), 0);
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, d, &info), 0);
	CHECK_EQ(info.badge, 0x1234);
	cap_drop(e);
	return 0;
}

static int no_rebadge(void)
{
	uint64_t e = ep_new(), d = slot_new(), d2 = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, d, L4_CAP_ALL, 7), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, d, d2, L4_CAP_ALL, 8), -L4_EINVAL);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, d, d2, L4_CAP_ALL, 0), 0);   /* keeps badge 7 */
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, d2, &info), 0);
	CHECK_EQ(info.badge, 7);
	cap_drop(e);
	return 0;
}

static int no_badge_on_task(void)
{
	uint64_t d = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, L4_CAP_SELF, d, L4_CAP_READ, 5), -L4_EINVAL);
	CHECK_EQ(cap_type(L4_CAP_SELF, d), 0);
	return 0;
}

static int move_empties_source(void)
{
	uint64_t e = ep_new(), d = slot_new();
	CHECK_EQ(l4_task_cap_move(L4_CAP_SELF, e, d), 0);
	CHECK_EQ(cap_type(L4_CAP_SELF, e), 0);
	CHECK_EQ(cap_type(L4_CAP_SELF, d), L4_OBJ_ENDPOINT);
	CHECK_EQ(l4_task_cap_move(L4_CAP_SELF, e, slot_new()), -L4_ENOCAP);
	cap_drop(d);
	return 0;
}

static int map_into_occupied_slot(void)
{
	uint64_t e = ep_new(), f = ep_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, f, L4_CAP_ALL, 0), -L4_ESLOT);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, e, L4_CAP_ALL, 0), -L4_EINVAL);
	cap_drop(e);
	cap_drop(f);
	return 0;
}

static int empty_and_invalid_slots(void)
{
	uint64_t s = slot_new();
	CHECK_EQ(l4_error(l4_call(s, L4_TAG(1, 0, 0))), -L4_ENOCAP);
	CHECK_EQ(l4_error(l4_call(1ull << 40, L4_TAG(1, 0, 0))), -L4_ENOCAP);
	CHECK_EQ(l4_error(l4_call(L4_CAP_NULL, L4_TAG(1, 0, 0))), -L4_ENOCAP);
	CHECK_EQ(l4_task_cap_delete(L4_CAP_SELF, s), -L4_ENOCAP);
	CHECK_EQ(l4_task_cap_revoke(L4_CAP_SELF, s), -L4_ENOCAP);
	return 0;
}

static int unknown_operation(void)
{
	CHECK_EQ(l4_invoke(L4_CAP_SELF, 999, 0, 0, 0, 0), -L4_ENOSYS);
	CHECK_EQ(l4_invoke(L4_CAP_THREAD, 999, 0, 0, 0, 0), -L4_ENOSYS);
	CHECK_EQ(l4_invoke(L4_CAP_FACTORY, 999, 0, 0, 0, 0), -L4_ENOSYS);
	return 0;
}

static int revoke_in_own_space(void)
{
	uint64_t e = ep_new(), a = slot_new(), b = slot_new(), c = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, a, L4_CAP_ALL, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, a, b, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, c, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_task_cap_revoke(L4_CAP_SELF, e), 0);
	CHECK_EQ(l4_utcb()->mr[0], 3);
	CHECK_EQ(cap_type(L4_CAP_SELF, a), 0);
	CHECK_EQ(cap_type(L4_CAP_SELF, b), 0);
	CHECK_EQ(cap_type(L4_CAP_SELF, c), 0);
	CHECK_EQ(cap_type(L4_CAP_SELF, e), L4_OBJ_ENDPOINT);
	cap_drop(e);
	return 0;
}

/* root -> A -> B: revoking in root empties A and B; revoking in A only B. */
static int revoke_cascade_three_tasks(void)
{
	uint64_t ta = slot_new(), tb = slot_new(), e = ep_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, ta, 64), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, tb, 64), 0);
	CHECK_EQ(l4_task_cap_map(ta, e, 10, L4_CAP_ALL, 0), 0);
	CHECK_EQ(l4_task_cap_map_from(tb, ta, 10, 20, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_task_cap_map_from(tb, ta, 10, 21, L4_CAP_READ, 0), 0);
	CHECK_EQ(cap_type(tb, 20), L4_OBJ_ENDPOINT);
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, e, &info), 0);
	CHECK_EQ(info.derived, 3);
	/* Revoking A's capability removes only what B got from it. */
	CHECK_EQ(l4_task_cap_revoke(ta, 10), 0);
	CHECK_EQ(cap_type(tb, 20), 0);
	CHECK_EQ(cap_type(tb, 21), 0);
	CHECK_EQ(cap_type(ta, 10), L4_OBJ_ENDPOINT);
	/* Again, and then from the root: everything below it goes. */
	CHECK_EQ(l4_task_cap_map_from(tb, ta, 10, 20, L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_task_cap_revoke(L4_CAP_SELF, e), 0);
	CHECK_EQ(cap_type(ta, 10), 0);
	CHECK_EQ(cap_type(tb, 20), 0);
	CHECK_EQ(cap_type(L4_CAP_SELF, e), L4_OBJ_ENDPOINT);
	cap_drop(e);
	cap_drop(ta);
	cap_drop(tb);
	return 0;
}

/* Deleting the middle capability hands B's to the root's: still revocable. */
static int delete_middle_keeps_revocable(void)
{
	uint64_t ta = slot_new(), tb = slot_new(), e = ep_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, ta, 64), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, tb, 64), 0);
	CHECK_EQ(l4_task_cap_map(ta, e, 10, L4_CAP_ALL, 0), 0);
	CHECK_EQ(l4_task_cap_map_from(tb, ta, 10, 20, L4_CAP_ALL, 0), 0);
	CHECK_EQ(l4_task_cap_delete(ta, 10), 0);
	CHECK_EQ(cap_type(tb, 20), L4_OBJ_ENDPOINT);
	CHECK_EQ(l4_task_cap_revoke(L4_CAP_SELF, e), 0);
	CHECK_EQ(cap_type(tb, 20), 0);
	cap_drop(e);
	cap_drop(ta);
	cap_drop(tb);
	return 0;
}

static int last_cap_destroys_object(void)
{
	/* A task holding the only capability to an endpoint: the task dies, the
	 * endpoint with it (its memory comes back). */
	long before = frames_free();
	uint64_t q0, u0, q1, u1;
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q0, &u0), 0);
	uint64_t ta = slot_new(), e = ep_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, ta, 64), 0);
	CHECK_EQ(l4_task_cap_move(ta, e, 5), 0);
	cap_drop(ta);
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q1, &u1), 0);
	CHECK_EQ(u1, u0);
	CHECK_EQ(frames_free(), before);
	return 0;
}

static int task_ops_need_rights(void)
{
	uint64_t ta = slot_new(), weak = slot_new(), e = ep_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, ta, 64), 0);
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, ta, weak, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_task_cap_map(weak, e, 3, L4_CAP_ALL, 0), -L4_EPERM);
	CHECK_EQ(l4_task_cap_revoke(weak, 3), -L4_EPERM);
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(weak, 3, &info), 0);   /* reading needs no control */
	CHECK_EQ(info.type, 0);
	CHECK_EQ(l4_task_cap_map_from(L4_CAP_SELF, weak, 1, slot_new(), L4_CAP_ALL, 0), -L4_EPERM);
	cap_drop(e);
	cap_drop(weak);
	cap_drop(ta);
	return 0;
}

static int wrong_object_type(void)
{
	uint64_t e = ep_new(), t = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0), 0);
	CHECK_EQ(l4_thread_bind(t, e, 0x10000), -L4_ETYPE);
	CHECK_EQ(l4_error(l4_recv_timeout(L4_CAP_SELF, 0, 0)), -L4_ETYPE);
	cap_drop(t);
	cap_drop(e);
	return 0;
}

KTEST_LIST(cap_tests) = {
	KT(map_reduces_rights, "cap: map with fewer rights"),
	KT(map_cannot_add_rights, "cap: map cannot add rights"),
	KT(badge_minted, "cap: badge minted on an endpoint"),
	KT(no_rebadge, "cap: a badged capability cannot be rebadged"),
	KT(no_badge_on_task, "cap: no badge on a task capability"),
	KT(move_empties_source, "cap: move (grant) empties the source"),
	KT(map_into_occupied_slot, "cap: map into an occupied slot or onto itself refused"),
	KT(empty_and_invalid_slots, "cap: empty and out-of-range slots refused"),
	KT(unknown_operation, "cap: unknown operation refused"),
	KT(revoke_in_own_space, "cap: revoke removes derived capabilities"),
	KT(revoke_cascade_three_tasks, "cap: revocation cascades across three tasks"),
	KT(delete_middle_keeps_revocable, "cap: deleting a middle capability keeps its children revocable"),
	KT(last_cap_destroys_object, "cap: the last capability's deletion destroys the object"),
	KT(task_ops_need_rights, "cap: task operations need the control right"),
	KT(wrong_object_type, "cap: object of the wrong type refused"),
};
const unsigned n_cap_tests = sizeof cap_tests / sizeof cap_tests[0];
