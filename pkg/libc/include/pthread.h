/* <pthread.h> - a small POSIX threads subset on <l4/rt/thread.h>.
 *
 * Threads: pthread_create (attributes: only NULL), pthread_join,
 * pthread_exit, pthread_self, pthread_equal.  Each thread is one of the
 * threads= of the program's config line (EAGAIN when they run already)
 * and takes two capability slots of the C library's (L4_ENV_LIBC_SLOTS..255)
 * until it is joined.  pthread_exit in the first thread ends the program
 * with status 0 (unlike POSIX, which waits for the others).
 *
 * Mutexes: normal (not recursive, no error checking; attributes: only
 * NULL).  Uncontended, a lock and an unlock are one atomic operation each;
 * the first contention gets the mutex a notification from the parent
 * (parent_notif_create), on which waiters sleep and which an unlock
 * signals when someone waits (Drepper's three-state mutex, the
 * notification in the futex's place: its bits stay until waited for, so a
 * wake-up between a waiter's last look and its wait is not lost).
 * Without one (no slot, no kernel memory) waiters yield instead.
 *
 * malloc and the output streams take a lock of their own: threads may
 * use them.  errno is still one for all threads. */
#pragma once
#include <stdint.h>

typedef struct __pthread *pthread_t;
typedef struct { int unused; } pthread_attr_t;
typedef struct { int unused; } pthread_mutexattr_t;

typedef struct {
	int state;          /* 0 free, 1 locked, 2 locked and maybe waited for */
	uint32_t notif;     /* its notification's slot, 0 until the first contention */
} pthread_mutex_t;
#define PTHREAD_MUTEX_INITIALIZER { 0, 0 }

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg);
int pthread_join(pthread_t thread, void **ret);
_Noreturn void pthread_exit(void *ret);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

/* How many times a lock has slept on a notification (all mutexes), for tests. */
extern unsigned long __pthread_mutex_sleeps;
