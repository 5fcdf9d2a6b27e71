/* ktest.h - a tiny TAP test harness for the kernel test suite.
 * A test is a function returning 0 (pass) or 1 (fail); CHECK() reports the
 * failing line.  After every test the kernel's invariants are checked. */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>

struct ktest {
	const char *name;
	int (*fn)(void);
};

#define KTEST_LIST(name) const struct ktest name[]
#define KT(fn, desc) { desc, fn }

void ktest_fail(const char *file, int line, const char *what, long a, long b);

#define CHECK(c) do { if (!(c)) { ktest_fail(__FILE__, __LINE__, #c, 0, 0); return 1; } } while (0)
#define CHECK_EQ(a, b) do { long _a = (long)(a), _b = (long)(b); if (_a != _b) { \
	ktest_fail(__FILE__, __LINE__, #a " == " #b, _a, _b); return 1; } } while (0)

/* ---- helpers (util.c) ---- */
uint64_t slot_new(void);                       /* a fresh empty slot of ours */
uint64_t ep_new(void);                         /* a new endpoint, in a fresh slot */
uint64_t notif_new(void);                      /* a new notification, in a fresh slot */
int cap_type(uint64_t task, uint64_t slot);    /* enum l4_obj_type, 0 if empty */
void cap_drop(uint64_t slot);                  /* delete one of ours */

/* Threads in our own task, running fn(arg) on a stack of their own. */
uint64_t spawn(void (*fn)(uint64_t), uint64_t arg, unsigned prio);
/* The same for an existing thread (slot t), with a pager and exception handler. */
uint64_t spawn_with_pager(uint64_t t, void (*fn)(uint64_t), uint64_t arg, uint64_t pager,
			  uint64_t exc);
void thread_kill(uint64_t thread);             /* stop and delete it */
unsigned thread_state(uint64_t thread);
_Noreturn void thread_exit(long status);
void spin_until(volatile int *flag, int value); /* yield until *flag == value (bounded) */
long frames_free(void);
/* The KIP's clock (nanoseconds, real time, updated every tick).  Timeouts
 * are measured with it, not by counting ticks: a loaded host can deliver
 * fewer ticks than the time that passed. */
uint64_t kip_ns(void);
#define TICK_NS 10000000ull                     /* the 100 Hz tick bounds the precision */
