/* <l4/rt/thread.h> - threads in a program the root task started.
 *
 * The root task makes each thread (parent_thread_create, libl4/lib/parent.idl):
 * its kernel objects come from the program's kernel-memory factory, its
 * 64 KiB stack and its UTCB count against mem=, and it may have threads= of
 * the config running at once.  A fault in any thread kills the program, as
 * one in the first does; returning from main (or exit) ends every thread.
 *
 *     static int work(void *arg) { ...; return 42; }
 *     struct l4_thread t;
 *     int e = l4_thread_create(&t, L4_ENV_FIRST_FREE, work, &job);  // slots 64, 65
 *     ...
 *     int status;
 *     e = l4_thread_join(&t, &status);                              // status == 42
 *
 * *t must stay valid until the join.  One thread joins a given thread; a
 * thread that is never joined keeps its two slots.  libc's malloc and
 * output streams take a lock (<pthread.h>, libc's pthread.c), so threads
 * may use them. */
#pragma once
#include <stdint.h>

struct l4_thread {
	uint64_t slot;          /* its capability (read); slot + 1: its notification */
	int (*fn)(void *);
	void *arg;
	int status;             /* what fn returned, or was given to l4_thread_exit */
	unsigned id;            /* the root task's number for it, 0..threads-1 */
};

/* Start fn(arg) in a new thread; slot and slot + 1 must be free slots of
 * ours (>= L4_ENV_FIRST_FREE).  0 or -L4_Exxx (parent.idl thread_create). */
int l4_thread_create(struct l4_thread *t, uint64_t slot, int (*fn)(void *), void *arg);

/* End the calling thread with status (the first thread: the program). */
_Noreturn void l4_thread_exit(int status);

/* Wait until t has ended, free its slots, *status (may be NULL) = its status. */
int l4_thread_join(struct l4_thread *t, int *status);
