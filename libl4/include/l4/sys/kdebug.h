/* <l4/sys/kdebug.h> - the kernel debugger and test hooks. */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>

static inline long l4_kdebug(uint64_t op, uint64_t arg)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"((long)L4_SYS_DEBUG), "D"(op), "S"(arg)
			 : "rcx", "r11", "memory");
	return ret;
}
static inline int l4_kdb_check(void) { return (int)l4_kdebug(L4_DBG_CHECK, 0); }
static inline void l4_kdb_enter(void) { l4_kdebug(L4_DBG_ENTER, 0); }
static inline long l4_kdb_frames_free(void) { return l4_kdebug(L4_DBG_FRAMES_FREE, 0); }
static inline long l4_kdb_ticks(void) { return l4_kdebug(L4_DBG_TICKS, 0); }
static inline void l4_kdb_fastpath(int on) { l4_kdebug(L4_DBG_FASTPATH, on ? 1 : 0); }
static inline long l4_kdb_fpu_transfers(void) { return l4_kdebug(L4_DBG_FPU_TRANSFERS, 0); }
/* The time stamp counter at the kernel's entry (which 0) or at the dispatch
 * of the last device interrupt (1); benchmarks subtract it from their own. */
static inline uint64_t l4_kdb_stamp(unsigned which) { return (uint64_t)l4_kdebug(L4_DBG_STAMP, which); }
/* Long system calls stop at preemption points once they have run for the
 * budget (doc/kernel-api.md 2.10): set it in ns (0: the default, ~0: never
 * preempt, as the kernel once was); returns the previous one.  Root only. */
static inline long l4_kdb_preempt_budget(uint64_t ns) { return l4_kdebug(L4_DBG_PREEMPT, ns); }
/* The longest stretch (ns of guest time) from a system call's entry to its
 * end or first thread switch: start (1) resets it, stop (0) ends the
 * measurement; both return the longest so far.  Root only. */
static inline long l4_kdb_stretch(int start) { return l4_kdebug(L4_DBG_STRETCH, start ? 1 : 0); }
/* Operations stopped at a preemption point since boot. */
static inline long l4_kdb_preemptions(void) { return l4_kdebug(L4_DBG_PREEMPTIONS, 0); }
