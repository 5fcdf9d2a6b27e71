/* ioport.h - I/O port permissions per task: an I/O permission bitmap
 * (SDM 3A 19.5.2) that the TSS carries while a thread of the task runs. */
#pragma once
#include <stdint.h>

struct task;

/* Allow task to use ports [first, first + count): 0 or -L4_Exxx. */
int io_grant(struct task *t, uint32_t first, uint32_t count);
/* Does task hold all of [first, first + count)? (for L4_ITEM_IO transfer) */
int io_allowed(const struct task *t, uint32_t first, uint32_t count);
void io_task_destroy(struct task *t);        /* free its bitmap */

/* ---- provided by the architecture (x86-64: iobitmap.c) ---- */

/* The running thread's task has this bitmap (NULL: no ports): make the CPU
 * enforce it.  Cheap when it is the one enforced already; copies it only
 * when the CPU's copy is of another one. */
void arch_io_bitmap_load(const uint8_t *bitmap);
/* bitmap changed or is about to be freed: forget any copy of it (a CPU
 * enforcing it denies every port until the next load). */
void arch_io_bitmap_drop(const uint8_t *bitmap);
