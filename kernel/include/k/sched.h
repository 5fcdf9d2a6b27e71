/* sched.h - fixed-priority round-robin scheduling on one CPU.
 *
 * 256 priorities; each has a FIFO ready queue, and a bitmap says which are
 * non-empty.  The running thread is not in any queue.  A thread runs until it
 * blocks, yields, is preempted by a higher-priority thread becoming ready, or
 * its time slice ends (then it goes to the back of its queue).  The kernel is
 * not preemptible: switches happen only at the points below.
 */
#pragma once
#include <stdint.h>
#include <stdbool.h>

struct thread;

#define SCHED_SLICE_TICKS 2      /* round-robin quantum, in timer ticks */

void sched_init(void);
struct thread *sched_current(void);
void sched_make_ready(struct thread *t);         /* enqueue; preempt if higher */
void sched_remove(struct thread *t);             /* leave the ready queue */
void schedule(void);                             /* run the best ready thread */
void sched_switch_to(struct thread *next);       /* hand the CPU directly (IPC) */
void sched_yield(void);
_Noreturn void sched_start(void);                /* leave kmain for good */
bool sched_queues_check(const char **why);       /* debug consistency check */
void sched_timeout_add(struct thread *t, uint64_t deadline_ns);
void sched_timeout_cancel(struct thread *t);
uint64_t sched_ticks(void);
void sched_set_prio(struct thread *t, uint8_t prio);
void sched_set_zombie(struct thread *t);

/* Highest priority with a ready thread, -1 if none (inline: the IPC fast
 * path asks on every call).  The ready queues keep a bitmap (one bit per
 * priority, a summary bit per word) and, from it, this answer: updated when
 * a queue becomes non-empty or empty, read with one load. */
extern int rq_top;
static inline int sched_best_prio(void) { return rq_top; }
