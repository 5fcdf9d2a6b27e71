/* kdebug.h - the kernel debugger and the debug system call. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct thread;

long kdebug_syscall(struct thread *cur, uint64_t op, uint64_t arg);
void kdebug_enter(const char *why);           /* interactive, on the serial line */
int kdebug_check(void);                        /* invariants: 0 or -L4_EINVAL */
void kdebug_init(const char *cmdline);         /* the serial key; "ipctrace" prints each IPC */
extern int kdebug_gsi;                         /* its interrupt line, -1 if none or lent */
void kdebug_serial_interrupt(void);            /* called by the arch on kdebug_gsi */

/* The console's input line goes to a user-level driver and comes back: a
 * driver's Irq for it takes it (the debugger no longer reads the line; the
 * kernel still writes its lines, and panics, by polling), the Irq's end
 * gives it back.  kdebug_console_line() says whether gsi is that line. */
bool kdebug_console_line(unsigned gsi);
void kdebug_console_lend(void);
void kdebug_console_return(void);

#define KDB_KEY 0x1b                           /* ESC on the serial line enters the debugger */
/* One delivered message: its tag as the receiver sees it, the badge it
 * carried, how many capabilities it moved. */
void kdebug_trace_ipc(const struct thread *from, const struct thread *to, uint64_t tag,
		      uint64_t badge, unsigned caps);
