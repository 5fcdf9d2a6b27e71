/* threadtest - threads of a program the root task started (<l4/rt/thread.h>).
 *
 *   threadtest run     three rounds of 8 threads that each compute a checked
 *                      sum, joined; a thread that ends early from deep
 *                      inside (l4_thread_exit); one thread too many
 *   threadtest fault   a second thread writes to address 0: the root task
 *                      kills the program
 *   threadtest pthread <pthread.h>: a mutex, the heap and printf from 8
 *                      threads at once (pthread.c)
 *   threadtest quota   threads that stay alive until mem= has no room for
 *                      another one's stack and UTCB
 *
 * In the l4_thread_* parts only the first thread prints. */
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/rt/thread.h>
#include <l4/sys/debug.h>
#include <l4/sys/thread.h>
#include <parent_client.h>
#include "threadtest.h"

#define NTHREADS 8
#define ROUNDS   3
#define TERMS    1000000ull   /* long enough that the threads share the CPU */

const char *me = "threadtest";

struct job {
	unsigned i;
	uint64_t sum;          /* sum of (k * k + i) for k < TERMS, written by the thread */
};

static int work(void *arg)
{
	struct job *j = arg;
	uint64_t s = 0;
	for (uint64_t k = 0; k < TERMS; k++) {
		s += k * k + j->i;
		if (!(k & 0x3fff))
			__asm__ volatile("" ::: "memory");   /* keep the loop a loop */
	}
	j->sum = s;
	return (int)j->i + 1;
}

/* The closed form: sum k^2 = (n-1) n (2n-1) / 6, plus n * i. */
static uint64_t expect(unsigned i)
{
	uint64_t n = TERMS;
	return (n - 1) * n * (2 * n - 1) / 6 + n * i;
}

/* Called through a pointer: the compiler would call a recursion that ends
 * only in a noreturn function infinite. */
static void (*volatile end_thread)(int) = l4_thread_exit;

static int deep(int depth)
{
	if (depth)
		return deep(depth - 1) + 1;
	end_thread(7);
	return 0;
}

static int early(void *arg)
{
	(void)arg;
	deep(10);
	return 99;             /* never: the thread ended in deep() */
}

static int faulty(void *arg)
{
	(void)arg;
	*(volatile int *)0 = 1;
	return 0;
}

static volatile int stop;

static int spin(void *arg)
{
	(void)arg;
	while (!stop)
		l4_yield();
	return 0;
}

/* Threads that stay alive until mem= has no room for one more: each
 * takes its 64 KiB stack from the quota (its UTCB is kernel memory). */
static int quota(void)
{
	struct l4_thread t[32];
	uint64_t q, before, after;
	unsigned n = 0;
	int e = 0;
	parent_mem_info(L4_ENV_PARENT, &q, &before);
	while (n < 32 && !(e = l4_thread_create(&t[n], L4_ENV_FIRST_FREE + 2 * n, spin, 0)))
		n++;
	parent_mem_info(L4_ENV_PARENT, &q, &after);
	stop = 1;
	for (unsigned i = 0; i < n; i++)
		l4_thread_join(&t[i], 0);
	printf("%s: %u threads took %lluK of mem= each; one more: %s\n", me, n,
	       n ? (unsigned long long)(after - before) / n / 1024 : 0ull, l4_strerror(e));
	return !n || e != -L4_ENOMEM;
}

static int round_of(unsigned r)
{
	struct l4_thread t[NTHREADS];
	struct job job[NTHREADS];
	for (unsigned i = 0; i < NTHREADS; i++) {
		job[i] = (struct job){ .i = i };
		int e = l4_thread_create(&t[i], L4_ENV_FIRST_FREE + 2 * i, work, &job[i]);
		if (e) {
			printf("%s: round %u: thread %u: %s\n", me, r, i, l4_strerror(e));
			return 1;
		}
	}
	unsigned ok = 0;
	for (unsigned i = 0; i < NTHREADS; i++) {
		int st, e = l4_thread_join(&t[i], &st);
		if (e || st != (int)i + 1 || job[i].sum != expect(i))
			printf("%s: round %u: thread %u: join %d, status %d, sum %llu (want %llu)\n",
			       me, r, i, e, st, (unsigned long long)job[i].sum,
			       (unsigned long long)expect(i));
		else
			ok++;
	}
	printf("%s: round %u: %u of %u threads joined with the right result\n", me, r, ok,
	       NTHREADS);
	return ok != NTHREADS;
}

static int run(void)
{
	uint64_t quota, used1 = 0, used;
	int fail = 0;
	for (unsigned r = 1; r <= ROUNDS; r++) {
		fail |= round_of(r);
		if (r == 1)
			parent_mem_info(L4_ENV_PARENT, &quota, &used1);
	}
	parent_mem_info(L4_ENV_PARENT, &quota, &used);
	printf("%s: memory in use after round 1: %lluK, after round %u: %lluK\n", me,
	       (unsigned long long)used1 / 1024, ROUNDS, (unsigned long long)used / 1024);
	fail |= used != used1;

	struct l4_thread t;
	int st = -1, e = l4_thread_create(&t, L4_ENV_FIRST_FREE, early, 0);
	if (!e)
		e = l4_thread_join(&t, &st);
	printf("%s: early exit: %s, status %d\n", me, l4_strerror(e), st);
	fail |= e || st != 7;

	/* threads= of the config is 8: a ninth at once is refused. */
	struct l4_thread many[NTHREADS + 1];
	struct job job[NTHREADS + 1];
	unsigned n = 0;
	for (; n <= NTHREADS; n++) {
		job[n] = (struct job){ .i = n };
		if ((e = l4_thread_create(&many[n], L4_ENV_FIRST_FREE + 2 * n, work, &job[n])))
			break;
	}
	printf("%s: thread %u of %u refused: %s\n", me, n + 1, NTHREADS + 1, l4_strerror(e));
	fail |= n != NTHREADS || e != -L4_ENOMEM;
	for (unsigned i = 0; i < n; i++)
		l4_thread_join(&many[i], 0);

	/* A slot that is taken: refused, nothing started. */
	e = l4_thread_create(&t, L4_ENV_PARENT, work, &job[0]);
	printf("%s: thread in slot %u: %s\n", me, L4_ENV_PARENT, l4_strerror(e));
	fail |= e != -L4_EINVAL;
	return fail;
}

int main(int argc, char **argv)
{
	if (l4_env())
		me = l4_env()->name;
	if (argc > 1 && !strcmp(argv[1], "fault")) {
		struct l4_thread t;
		int e = l4_thread_create(&t, L4_ENV_FIRST_FREE, faulty, 0);
		printf("%s: started a thread that writes to address 0: %s\n", me, l4_strerror(e));
		l4_thread_join(&t, 0);
		printf("%s: still alive\n", me);
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "run"))
		return run();
	if (argc > 1 && !strcmp(argv[1], "pthread"))
		return pthread_run();
	if (argc > 1 && !strcmp(argv[1], "quota"))
		return quota();
	printf("%s: usage: threadtest run|fault|pthread|quota\n", me);
	return 2;
}
