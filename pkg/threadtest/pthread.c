/* pthread.c - threadtest's <pthread.h> part: 8 threads that count under
 * one mutex and use the heap and printf at the same time, their return
 * values through pthread_join and pthread_exit. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <parent_client.h>
#include "threadtest.h"

#define NTHREADS 8
#define ROUNDS   5000
#define HOLD     2000     /* steps inside the lock: long enough to be preempted there */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile uint64_t counter;
static pthread_t selves[NTHREADS];

struct arg {
	unsigned i;
	unsigned heap_errors;
};

static void *counting(void *p)
{
	struct arg *a = p;
	selves[a->i] = pthread_self();
	for (unsigned r = 0; r < ROUNDS; r++) {
		pthread_mutex_lock(&lock);
		uint64_t c = counter;
		for (volatile unsigned k = 0; k < HOLD; k++)
			;
		counter = c + 1;        /* a lost update if two were in here at once */
		pthread_mutex_unlock(&lock);
		/* The heap from every thread at once: a block of our own pattern. */
		size_t n = 16 + (r * 37 + a->i * 101) % 2000;
		unsigned char *b = malloc(n);
		if (!b) {
			a->heap_errors++;
			continue;
		}
		memset(b, (int)a->i + 1, n);
		for (volatile unsigned k = 0; k < 50; k++)
			;
		for (size_t k = 0; k < n; k++)
			a->heap_errors += b[k] != a->i + 1;
		free(b);
	}
	printf("%s: thread %u counted to the end\n", me, a->i);
	if (a->i == 3)
		pthread_exit((void *)(uintptr_t)333);
	return (void *)(uintptr_t)(a->i * 10);
}

int pthread_run(void)
{
	pthread_t t[NTHREADS];
	struct arg args[NTHREADS];
	int fail = 0;
	for (unsigned i = 0; i < NTHREADS; i++) {
		args[i] = (struct arg){ .i = i };
		int e = pthread_create(&t[i], 0, counting, &args[i]);
		if (e) {
			printf("%s: pthread_create %u: error %d\n", me, i, e);
			return 1;
		}
	}
	unsigned good = 0, heap = 0;
	for (unsigned i = 0; i < NTHREADS; i++) {
		void *ret = 0;
		int e = pthread_join(t[i], &ret);
		uintptr_t want = i == 3 ? 333 : i * 10;
		good += !e && (uintptr_t)ret == want && pthread_equal(selves[i], t[i]);
		heap += args[i].heap_errors;
	}
	printf("%s: %u of %u joined with their values; counter %llu of %u; heap errors %u; "
	       "the lock slept %lu times\n", me, good, NTHREADS, (unsigned long long)counter,
	       NTHREADS * ROUNDS, heap, __pthread_mutex_sleeps);
	fail |= good != NTHREADS || counter != NTHREADS * ROUNDS || heap;
	fail |= pthread_join(pthread_self(), 0) == 0;     /* the first thread: refused */
	fail |= pthread_mutex_trylock(&lock) != 0 || pthread_mutex_trylock(&lock) == 0 ||
		pthread_mutex_unlock(&lock) || pthread_mutex_destroy(&lock);

	/* notif_create refuses slots that are not the program's, or are taken. */
	int e1 = parent_notif_create(L4_ENV_PARENT, L4_ENV_PARENT);
	int e2 = parent_notif_create(L4_ENV_PARENT, L4_ENV_FIRST_FREE);
	int e3 = parent_notif_create(L4_ENV_PARENT, L4_ENV_FIRST_FREE);
	printf("%s: notif_create in slot 5: %s; in a free slot: %s; again: %s\n", me,
	       l4_strerror(e1), l4_strerror(e2), l4_strerror(e3));
	fail |= e1 != -L4_EINVAL || e2 || e3 != -L4_ESLOT;
	return fail;
}
