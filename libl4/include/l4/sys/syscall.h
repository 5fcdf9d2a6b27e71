/* <l4/sys/syscall.h> - raw system calls (ABI in <l4/sys/abi.h>). */
#pragma once
#include <stddef.h>
#include <l4/sys/abi.h>

static inline long l4_syscall2(long nr, long a0, long a1)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a0), "S"(a1)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Write len bytes to the kernel debug console.  Returns the count written
 * (at most L4_DEBUG_WRITE_MAX) or -L4_EFAULT if buf is not readable. */
static inline long l4_debug_write(const void *buf, size_t len)
{
	return l4_syscall2(L4_SYS_DEBUG_WRITE, (long)buf, (long)len);
}

/* End the calling thread with a status.  For the root task's first thread
 * this ends the system, and 0..63 reach the host as QEMU's exit status. */
static inline __attribute__((noreturn)) void l4_exit(long status)
{
	for (;;)
		l4_syscall2(L4_SYS_EXIT, status, 0);
}
