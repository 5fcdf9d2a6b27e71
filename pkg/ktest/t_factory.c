/* t_factory.c - creating objects, quotas, child factories. */
#include "ktest.h"

static int create_endpoint(void)
{
	uint64_t s = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, s, 0), 0);
	struct l4_cap_info info;
	CHECK_EQ(l4_task_cap_info(L4_CAP_SELF, s, &info), 0);
	CHECK_EQ(info.type, L4_OBJ_ENDPOINT);
	CHECK_EQ(info.rights, L4_CAP_ALL);
	CHECK_EQ(info.badge, 0);
	cap_drop(s);
	CHECK_EQ(cap_type(L4_CAP_SELF, s), 0);
	return 0;
}

static int create_each_type(void)
{
	static const unsigned types[] = { L4_OBJ_TASK, L4_OBJ_THREAD, L4_OBJ_ENDPOINT, L4_OBJ_FACTORY };
	for (unsigned i = 0; i < 4; i++) {
		uint64_t s = slot_new();
		CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, types[i], s, 4096 * 4), 0);
		CHECK_EQ(cap_type(L4_CAP_SELF, s), types[i]);
		cap_drop(s);
	}
	return 0;
}

static int create_into_occupied_slot(void)
{
	uint64_t s = ep_new();
	CHECK(s);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, s, 0), -L4_ESLOT);
	CHECK_EQ(cap_type(L4_CAP_SELF, s), L4_OBJ_ENDPOINT);
	cap_drop(s);
	return 0;
}

static int create_out_of_range(void)
{
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, L4_ROOT_CSPACE_SLOTS, 0), -L4_ENOCAP);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, ~0ull, 0), -L4_ENOCAP);
	return 0;
}

static int create_bad_type(void)
{
	uint64_t s = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, 99, s, 0), -L4_EINVAL);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, 0, s, 0), -L4_EINVAL);
	CHECK_EQ(cap_type(L4_CAP_SELF, s), 0);
	return 0;
}

static int task_slots_validated(void)
{
	uint64_t s = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, s, 1), -L4_EINVAL);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, s, 1u << 20), -L4_EINVAL);
	CHECK_EQ(cap_type(L4_CAP_SELF, s), 0);
	return 0;
}

static int quota_accounting(void)
{
	uint64_t q0, u0, q1, u1, q2, u2;
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q0, &u0), 0);
	uint64_t s = ep_new();
	CHECK(s);
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q1, &u1), 0);
	CHECK(u1 > u0);
	CHECK_EQ(q1, q0);
	cap_drop(s);
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &q2, &u2), 0);
	CHECK_EQ(u2, u0);
	return 0;
}

static int child_factory_quota(void)
{
	uint64_t f = slot_new(), before_q, before_u, q, u;
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &before_q, &before_u), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_FACTORY, f, 8192), 0);
	CHECK_EQ(l4_factory_info(f, &q, &u), 0);
	CHECK_EQ(q, 8192);
	CHECK_EQ(u, 0);
	/* The parent is charged the whole quota (plus the factory object). */
	uint64_t pq, pu;
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &pq, &pu), 0);
	CHECK(pu >= before_u + 8192);
	cap_drop(f);
	CHECK_EQ(l4_factory_info(L4_CAP_FACTORY, &pq, &pu), 0);
	CHECK_EQ(pu, before_u);
	return 0;
}

static int child_quota_beyond_parent(void)
{
	uint64_t f = slot_new(), g = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_FACTORY, f, 4096), 0);
	CHECK_EQ(l4_factory_create(f, L4_OBJ_FACTORY, g, 8192), -L4_ENOMEM);
	CHECK_EQ(cap_type(L4_CAP_SELF, g), 0);
	cap_drop(f);
	return 0;
}

/* A factory's user loops on create: it runs out, nobody else does. */
static int quota_exhaustion_is_contained(void)
{
	uint64_t f = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_FACTORY, f, 16384), 0);
	uint64_t first = 0, n = 0;
	int err = 0;
	for (;;) {
		uint64_t s = slot_new();
		if (!first)
			first = s;
		err = l4_factory_create(f, L4_OBJ_ENDPOINT, s, 0);
		if (err)
			break;
		n++;
		CHECK(n < 10000);
	}
	CHECK_EQ(err, -L4_ENOMEM);
	CHECK(n > 10);
	/* The root factory still creates. */
	uint64_t other = ep_new();
	CHECK(other);
	cap_drop(other);
	for (uint64_t i = 0; i < n; i++)
		cap_drop(first + i);
	uint64_t q, u;
	CHECK_EQ(l4_factory_info(f, &q, &u), 0);
	CHECK_EQ(u, 0);
	cap_drop(f);
	return 0;
}

static int factory_needs_control_right(void)
{
	uint64_t weak = slot_new(), s = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, L4_CAP_FACTORY, weak, L4_CAP_READ | L4_CAP_WRITE, 0), 0);
	CHECK_EQ(l4_factory_create(weak, L4_OBJ_ENDPOINT, s, 0), -L4_EPERM);
	CHECK_EQ(cap_type(L4_CAP_SELF, s), 0);
	cap_drop(weak);
	return 0;
}

static int destroyed_task_returns_frames(void)
{
	long before = frames_free();
	uint64_t t = slot_new(), th = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, t, 64), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, th, 0), 0);
	CHECK_EQ(l4_thread_bind(th, t, 0x10000), 0);
	CHECK(frames_free() < before);
	cap_drop(t);
	cap_drop(th);
	CHECK_EQ(frames_free(), before);
	return 0;
}

KTEST_LIST(factory_tests) = {
	KT(create_endpoint, "factory: create an endpoint, capability has all rights"),
	KT(create_each_type, "factory: create task, thread, endpoint, factory"),
	KT(create_into_occupied_slot, "factory: occupied destination slot refused"),
	KT(create_out_of_range, "factory: destination slot out of range refused"),
	KT(create_bad_type, "factory: unknown object type refused"),
	KT(task_slots_validated, "factory: task capability-space size validated"),
	KT(quota_accounting, "factory: objects charged and refunded"),
	KT(child_factory_quota, "factory: child factory takes its quota from the parent"),
	KT(child_quota_beyond_parent, "factory: child quota larger than the parent's refused"),
	KT(quota_exhaustion_is_contained, "factory: exhausting a quota affects only that factory"),
	KT(factory_needs_control_right, "factory: create needs the control right"),
	KT(destroyed_task_returns_frames, "factory: a destroyed task returns all its frames"),
};
const unsigned n_factory_tests = sizeof factory_tests / sizeof factory_tests[0];
