/* kdebug.h - the kernel debugger and the debug system call. */
#pragma once
#include <stdint.h>

struct thread;

long kdebug_syscall(struct thread *cur, uint64_t op, uint64_t arg);
void kdebug_enter(const char *why);           /* interactive, on the serial line */
int kdebug_check(void);                        /* invariants: 0 or -L4_EINVAL */
void kdebug_trace_ipc(const struct thread *from, const struct thread *to, uint64_t tag,
		      unsigned flags);
