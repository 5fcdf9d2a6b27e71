/* fuzz.h - the system call fuzzer's shared pieces.
 *
 * The fuzzer is the root task.  Each step draws one operation from a table
 * (every kernel object's every label, raw IPC with typed items, the other
 * system calls) and its arguments from the generators of gen.c, all from one
 * seeded generator that never looks at a result: the same seed issues the
 * same calls.  (What helper threads do in between depends on timer
 * interrupts, so a run is reproducible in its calls, not instant by instant.)
 *
 * Capabilities live in a pool of slots, grouped by the type created there so
 * that operations often meet an object of their kind (not always: then the
 * label means another object's operation, with arguments meant for the
 * first).  The root task's own slots below the pool are not generated as
 * targets and never copied into the pool (the fuzzer would cut its own
 * branch), though 3 and 4 are among the odd slots (gen.c) and a junk call
 * may still hit one; its own thread capability (slot 2) is used only by the
 * watchdog, and every check makes sure it is still there (main.c). */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>

/* ---- the capability pool ---- */
#define POOL0   16u
#define NPOOL   48u
#define P_TASK    16u   /* 6 slots */
#define P_THREAD  22u   /* 12 */
#define P_EP      34u   /* 8 */
#define P_NTF     42u   /* 4 */
#define P_IRQ     46u   /* 3 */
#define P_FAC     49u   /* 3 */
#define P_MISC    52u   /* 12: receive windows, grants, copies */

/* ---- addresses (the same in every task the fuzzer makes) ---- */
#define FZ_BASE     0x0000100000000000ull  /* memory operations happen here */
#define FZ_PAGES    1024u                  /* most of them in the first 4 MiB */
#define UT_BASE     0x0000510000000000ull  /* UTCBs: one of 256 pages */
#define HSTACK      0x0000520000000000ull  /* helper stacks, 1 KiB per pool slot */
#define HSTACK_ORDER 16                    /* 64 KiB */
#define SCR_BASE    0x0000530000000000ull  /* our copies of other tasks' stacks */
#define IMAGE_BASE  0x400000ull
#define IMAGE_ORDER 22                     /* the program image, mapped into helper tasks */

/* ---- the generator ---- */
extern uint64_t rng_state;
static inline uint64_t rnd(void)
{
	/* xorshift64* */
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}
static inline unsigned below(unsigned n) { return (unsigned)(rnd() % n); }
static inline int chance(unsigned percent) { return below(100) < percent; }

/* Argument generators (gen.c), by kind. */
uint64_t gen_slot(unsigned group, unsigned n);   /* mostly group..group+n, else anywhere */
uint64_t gen_any_slot(void);     /* the pool, sometimes 0, 1, 3, 4 or out of range */
uint64_t gen_target(void);       /* a task: pool tasks, SELF, junk */
uint64_t gen_rights(void);
uint64_t gen_badge(void);
uint64_t gen_addr(void);         /* a page in the fuzz window, sometimes not */
uint64_t gen_fpage(void);        /* a flexpage in the fuzz window, sometimes 1 GiB, sometimes bad */
uint64_t gen_utcb(void);
uint64_t gen_prio(void);
uint64_t gen_timeout(void);      /* a receive/wait timeout the main thread may block for */
uint64_t gen_timeouts(void);     /* the IPC register: send and receive */
uint64_t gen_word(void);         /* anything: small, boundary, random */
uint64_t gen_ip(void);           /* a helper's entry, a faulting or a refused address */
uint64_t gen_helper_arg(void);

/* ---- operations (ops.c) ---- */
struct op {
	const char *name;
	void (*run)(const struct op *op);
	uint32_t label;
	uint8_t group, ngroup;   /* where the destination capability is drawn from */
	const char *args;        /* one generator letter per MR, gen.c */
};
extern const struct op ops[];
extern const unsigned n_ops;
extern uint64_t op_ok[], op_calls[];

/* ---- what happened (trace.c) ---- */
struct rec {
	uint64_t n;              /* call number in the seed's run */
	const char *name;
	uint64_t sys, dest, tag, rcv, tmo, mr[6], result;
};
void rec_begin(const char *name, uint64_t sys, uint64_t dest, uint64_t tag, uint64_t rcv,
	       uint64_t tmo);
void rec_end(uint64_t result);
void rec_dump(unsigned last);   /* the last calls, oldest first */
extern uint64_t calls_done, calls_ok, trace_from;
/* tags=1: now and then an IPC tag with the items flag alone or a typed
 * count alone (off by default, so that older seeds replay as they were). */
extern int raw_tags;
void out(const char *s);
void outx(uint64_t v);
void outu(uint64_t v);

/* One system call the fuzzer makes: recorded, then made. */
uint64_t fz_ipc(const char *name, unsigned flags, uint64_t dest, uint64_t tag, uint64_t rcv,
		uint64_t tmo);
long fz_sys(const char *name, long nr, long a0, long a1);

/* ---- the watchdog (watchdog.c) ---- */
int watchdog_start(void);
extern uint64_t watchdog_kicks, watchdog_boosts;

/* ---- helpers (helper.c) ---- */
void helper_entry(uint64_t arg);        /* what helper threads run, in any task */
void helper_stacks_init(void);
void prep_task(uint64_t task);          /* our image and fresh stacks into a task */
