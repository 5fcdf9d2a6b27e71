/* thread.c - l4_thread_create/exit/join over the parent interface.
 *
 * A thread starts in thread_start() with rdi = its struct l4_thread, which
 * it keeps in its UTCB's first user word, so that l4_thread_exit() can find
 * where to leave its status from any depth.  The status is stored before
 * the exit system call; the root task signals the thread's notification
 * only once it has received the exit notice, so a joiner woken by that
 * signal reads a status that is already written and a thread that is dead. */
#include <l4/rt/env.h>
#include <l4/rt/thread.h>
#include <l4/sys/notification.h>
#include <l4/sys/syscall.h>
#include <l4/sys/task.h>
#include <parent_client.h>

enum { UTCB_THREAD = 0 };   /* l4_utcb()->user[UTCB_THREAD]: our struct l4_thread */

_Noreturn void l4_thread_exit(int status)
{
	struct l4_thread *t = (struct l4_thread *)l4_utcb()->user[UTCB_THREAD];
	if (t)
		__atomic_store_n(&t->status, status, __ATOMIC_RELEASE);
	l4_exit(status);
}

/* Entered as if called (rsp = stack top - 8), never returns. */
static _Noreturn void thread_start(struct l4_thread *t)
{
	l4_utcb()->user[UTCB_THREAD] = (uint64_t)t;
	l4_thread_exit(t->fn(t->arg));
}

int l4_thread_create(struct l4_thread *t, uint64_t slot, int (*fn)(void *), void *arg)
{
	t->slot = slot;
	t->fn = fn;
	t->arg = arg;
	t->status = -1;
	uint32_t id = 0;
	int e = parent_thread_create(L4_ENV_PARENT, (uint64_t)thread_start, (uint64_t)t, slot, &id);
	t->id = id;
	return e;
}

int l4_thread_join(struct l4_thread *t, int *status)
{
	int e = l4_notification_wait(t->slot + 1, L4_TIMEOUT_NEVER, 0);
	if (e)
		return e;
	l4_task_cap_delete(L4_ENV_TASK, t->slot);
	l4_task_cap_delete(L4_ENV_TASK, t->slot + 1);
	if (status)
		*status = __atomic_load_n(&t->status, __ATOMIC_ACQUIRE);
	return 0;
}
