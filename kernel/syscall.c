/* syscall.c - the system calls of this first slice: debug output and exit.
 * Arguments are untrusted: pointers are copied through as_copy_from_user(),
 * which checks the caller's page tables, never dereferenced directly. */
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "task.h"
#include "syscall.h"
#include <l4/sys/abi.h>

static long sys_debug_write(struct task *t, uint64_t buf, uint64_t len)
{
	static char kbuf[256];          /* [kernel lock] */
	if (len > L4_DEBUG_WRITE_MAX)
		len = L4_DEBUG_WRITE_MAX;
	/* Check the whole range first so a bad buffer prints nothing. */
	for (uint64_t off = 0; off < len; off += sizeof kbuf) {
		uint64_t n = len - off < sizeof kbuf ? len - off : sizeof kbuf;
		if (as_copy_from_user(&t->as, kbuf, buf + off, n))
			return -L4_EFAULT;
	}
	for (uint64_t off = 0; off < len; off += sizeof kbuf) {
		uint64_t n = len - off < sizeof kbuf ? len - off : sizeof kbuf;
		as_copy_from_user(&t->as, kbuf, buf + off, n);
		console_write(kbuf, n);
	}
	return (long)len;
}

long syscall_handle(uint64_t nr, uint64_t a0, uint64_t a1)
{
	struct task *t = this_cpu()->current;
	switch (nr) {
	case L4_SYS_DEBUG_WRITE:
		return sys_debug_write(t, a0, a1);
	case L4_SYS_EXIT:
		task_exit(t, (long)a0);
	default:
		return -L4_ENOSYS;
	}
}
