/* pthread.c - <pthread.h> on l4_thread_create/join and notifications from
 * the parent; libc's own lock.  The design and its limits are in the
 * header. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <l4/rt/env.h>
#include <l4/rt/thread.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <parent_client.h>
#include "libc_internal.h"

struct __pthread {
	struct l4_thread t;
	void *(*start)(void *);
	void *arg, *ret;
};

enum { UTCB_PTHREAD = 1 };   /* l4_utcb()->user[1]: our struct __pthread (user[0]: libl4's) */

static struct __pthread first;   /* pthread_self() of the first thread */
unsigned long __pthread_mutex_sleeps;

/* ---- the C library's capability slots: L4_ENV_LIBC_SLOTS..255 ---- */

#define NSLOTS 64
static uint64_t used_slots;          /* bit i: slot L4_ENV_LIBC_SLOTS + i */

/* n (1 or 2) adjacent free slots, or 0. */
uint64_t __libc_slots_alloc(unsigned n)
{
	uint64_t mask = (1ull << n) - 1;
	for (unsigned i = 0; i + n <= NSLOTS; i += n) {
		uint64_t old = __atomic_load_n(&used_slots, __ATOMIC_RELAXED);
		while (!(old & (mask << i)))
			if (__atomic_compare_exchange_n(&used_slots, &old, old | mask << i, false,
							__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
				return L4_ENV_LIBC_SLOTS + i;
	}
	return 0;
}

static void slots_free(uint64_t slot, unsigned n)
{
	__atomic_and_fetch(&used_slots, ~(((1ull << n) - 1) << (slot - L4_ENV_LIBC_SLOTS)),
			   __ATOMIC_RELEASE);
}

/* ---- threads ---- */

static int run(void *arg)
{
	struct __pthread *p = arg;
	l4_utcb()->user[UTCB_PTHREAD] = (uint64_t)p;
	p->ret = p->start(p->arg);
	return 0;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg)
{
	if (attr)
		return EINVAL;
	struct __pthread *p = malloc(sizeof *p);
	if (!p)
		return EAGAIN;
	*p = (struct __pthread){ .start = start, .arg = arg };
	uint64_t slot = __libc_slots_alloc(2);
	if (!slot || l4_thread_create(&p->t, slot, run, p)) {
		if (slot)
			slots_free(slot, 2);
		free(p);
		return EAGAIN;
	}
	*thread = p;
	return 0;
}

int pthread_join(pthread_t p, void **ret)
{
	if (!p || p == &first)
		return EINVAL;
	if (p == pthread_self())
		return EDEADLK;
	if (l4_thread_join(&p->t, 0))
		return EINVAL;
	if (ret)
		*ret = p->ret;
	slots_free(p->t.slot, 2);
	free(p);
	return 0;
}

_Noreturn void pthread_exit(void *ret)
{
	struct __pthread *p = (struct __pthread *)l4_utcb()->user[UTCB_PTHREAD];
	if (!p)
		exit(0);                /* the first thread: the program ends */
	p->ret = ret;
	l4_thread_exit(0);
}

/* NULL in a thread l4_thread_create made directly. */
pthread_t pthread_self(void)
{
	struct l4_utcb *u = l4_utcb();
	if (u->user[UTCB_PTHREAD])
		return (pthread_t)u->user[UTCB_PTHREAD];
	return u->user[0] ? 0 : &first;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* ---- mutexes ---- */

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	if (attr)
		return EINVAL;
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	if (__atomic_load_n(&m->state, __ATOMIC_RELAXED))
		return EBUSY;
	if (m->notif) {
		l4_task_cap_delete(L4_ENV_TASK, m->notif);
		slots_free(m->notif, 1);
		m->notif = 0;
	}
	return 0;
}

/* The notification waiters of m sleep on, made at the first contention;
 * 0 when none can be had (they yield then). */
static uint32_t notif_of(pthread_mutex_t *m)
{
	uint32_t n = __atomic_load_n(&m->notif, __ATOMIC_ACQUIRE);
	if (n || !l4_env())             /* the root task has no parent */
		return n;
	uint64_t slot = __libc_slots_alloc(1);
	if (!slot)
		return 0;
	if (parent_notif_create(L4_ENV_PARENT, slot)) {
		slots_free(slot, 1);
		return 0;
	}
	if (!__atomic_compare_exchange_n(&m->notif, &n, (uint32_t)slot, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		l4_task_cap_delete(L4_ENV_TASK, slot);   /* another waiter made one first */
		slots_free(slot, 1);
	}
	return __atomic_load_n(&m->notif, __ATOMIC_ACQUIRE);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	int c = 0;
	return __atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED) ? 0 : EBUSY;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	int c = 0;
	if (__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	/* Contended.  The notification exists before we say "waited for" (2),
	 * so an unlock that sees 2 finds it. */
	uint32_t n = notif_of(m);
	if (c != 2)
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	while (c) {
		if (n) {
			__atomic_add_fetch(&__pthread_mutex_sleeps, 1, __ATOMIC_RELAXED);
			l4_notification_wait(n, L4_TIMEOUT_NEVER, 0);
		} else {
			l4_yield();
		}
		c = __atomic_exchange_n(&m->state, 2, __ATOMIC_ACQUIRE);
	}
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (__atomic_exchange_n(&m->state, 0, __ATOMIC_RELEASE) == 2) {
		uint32_t n = __atomic_load_n(&m->notif, __ATOMIC_ACQUIRE);
		if (n)
			l4_notification_signal(n, 1);
	}
	return 0;
}

/* ---- libc's lock: recursive (printf may report a bad free, abort may
 * flush), owned by a thread named by its UTCB's address ---- */

static pthread_mutex_t libc_mutex = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t libc_owner;
static unsigned libc_depth;

void __libc_lock(void)
{
	uintptr_t me = (uintptr_t)l4_utcb();
	if (__atomic_load_n(&libc_owner, __ATOMIC_RELAXED) == me) {
		libc_depth++;
		return;
	}
	pthread_mutex_lock(&libc_mutex);
	__atomic_store_n(&libc_owner, me, __ATOMIC_RELAXED);
	libc_depth = 1;
}

void __libc_unlock(void)
{
	if (--libc_depth)
		return;
	__atomic_store_n(&libc_owner, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&libc_mutex);
}
