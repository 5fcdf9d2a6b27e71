/* kdebug.h - the kernel debugger and the debug system call. */
#pragma once
#include <stdint.h>

struct thread;

long kdebug_syscall(struct thread *cur, uint64_t op, uint64_t arg);
void kdebug_enter(const char *why);           /* interactive, on the serial line */
int kdebug_check(void);                        /* invariants: 0 or -L4_EINVAL */
void kdebug_init(void);                        /* the serial key that enters the debugger */
extern int kdebug_gsi;                         /* its interrupt line, -1 if none */
void kdebug_serial_interrupt(void);            /* called by the arch on kdebug_gsi */

#define KDB_KEY 0x1b                           /* ESC on the serial line enters the debugger */
void kdebug_trace_ipc(const struct thread *from, const struct thread *to, uint64_t tag,
		      unsigned flags);
