/* syscall.c - system call dispatch.
 * Arguments are untrusted: pointers are copied through as_copy_from_user(),
 * which checks the caller's page tables, never dereferenced directly. */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/ipc.h"
#include "k/kdebug.h"
#include "k/percpu.h"
#include "k/preempt.h"
#include "k/sched.h"
#include "k/syscall.h"
#include "k/task.h"
#include "k/thread.h"
#include <l4/sys/abi.h>

static long sys_debug_write(struct thread *t, uint64_t buf, uint64_t len)
{
	static char kbuf[256];          /* [kernel lock] */
	if (len > L4_DEBUG_WRITE_MAX)
		len = L4_DEBUG_WRITE_MAX;
	/* Check the whole range first so a bad buffer prints nothing. */
	for (uint64_t off = 0; off < len; off += sizeof kbuf) {
		uint64_t n = len - off < sizeof kbuf ? len - off : sizeof kbuf;
		if (as_copy_from_user(&t->task->as, kbuf, buf + off, n))
			return -L4_EFAULT;
	}
	for (uint64_t off = 0; off < len; off += sizeof kbuf) {
		uint64_t n = len - off < sizeof kbuf ? len - off : sizeof kbuf;
		as_copy_from_user(&t->task->as, kbuf, buf + off, n);
		console_write(kbuf, n);
	}
	return (long)len;
}

void syscall_handle(user_regs_t *r)
{
	struct thread *cur = sched_current();
	uint64_t nr = regs_sysno(r);
	preempt_debug_enter();          /* no budget: operations begin their own */
	if (unlikely(preempt_stretch_on()))
		preempt_stretch_begin();
	/* An IPC got here when the fast path (entry.S, fastpath.c) declined it. */
	switch (nr & 0xff) {
	case L4_SYS_DEBUG_WRITE:
		regs_set_ret(r, (uint64_t)sys_debug_write(cur, regs_arg0(r), regs_arg1(r)));
		break;
	case L4_SYS_EXIT:
		thread_exit_current((long)regs_arg0(r));
	case L4_SYS_IPC:
		ipc_syscall(cur, (unsigned)(nr >> L4_IPC_FLAGS_SHIFT) & 0xff, r);
		break;
	case L4_SYS_YIELD:
		regs_set_ret(r, 0);
		sched_yield();
		break;
	case L4_SYS_DEBUG:
		regs_set_ret(r, (uint64_t)kdebug_syscall(cur, regs_arg0(r), regs_arg1(r)));
		break;
	default:
		regs_set_ret(r, (uint64_t)-L4_ENOSYS);
	}
	/* Stopped or destroyed by its own call, it must not return to user; and
	 * a better thread made ready by the call runs now.  The stretch flag
	 * shares need_resched's word (percpu.h): one test for the common way. */
	struct percpu *c = this_cpu();
	if (unlikely(cur->state != L4_THREAD_READY || c->exit_work)) {
		if (unlikely(c->stretch))
			preempt_stretch_end();
		if (cur->state != L4_THREAD_READY || c->need_resched)
			schedule();
	}
}
