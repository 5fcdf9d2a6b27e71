/* roottask.h - the root task: loader, pager and parent of every program the
 * boot config starts (the sigma0 and ned roles of L4Re in one program).
 *
 * It runs one thread, at the top priority, that receives on one endpoint:
 * page faults, exceptions and exit notices of every program's threads, and
 * the `parent` interface calls of the programs (libl4/lib/parent.idl).  The
 * badge of each message says which program (and incarnation) sent it. */
#pragma once
#include <stdint.h>
#include <stdbool.h>
#include <l4/rt/env.h>
#include "config.h"

#define RT_PRIO         255     /* the root task's own priority: above every program */
#define RT_TASK_SLOTS   256     /* capability slots of a program */
/* Kernel memory a program may cost (its task, thread, capability slots,
 * page tables and mapping nodes): a fixed part, a part per page of mem=,
 * and its own factory's quota on top.  It comes from a factory of its own,
 * so a program that maps and maps only exhausts itself. */
#define RT_KMEM_BASE     (192 * 1024ull)
#define RT_KMEM_PER_PAGE 192ull   /* a mapping node (128), its hash slot, page tables */
/* ... and per thread of threads=: the thread object and its 16 KiB kernel
 * stack, its notification, its UTCB page (the kernel charges it to the
 * task's factory), and room for its stack's page tables. */
#define RT_KMEM_PER_THREAD (28 * 1024ull)

/* A program's address space (see doc/runtime.md). */
#define P_TEXT_MIN      0x0000000000001000ull   /* ELF segments: [P_TEXT_MIN, P_HEAP_BASE) */
#define P_HEAP_BASE     0x0000100000000000ull   /* mem_alloc regions, upward */
#define P_DMA_BASE      0x0000200000000000ull   /* dma_alloc regions, upward */
#define P_SHM_BASE      0x0000280000000000ull   /* shm_alloc regions, upward */
#define P_MMIO_BASE     0x0000300000000000ull   /* mmio_map regions, upward */
#define P_STACK_TOP     0x00007ffffff00000ull   /* first thread's stack, below this */
#define P_STACK_SIZE    (64 * 1024ull)
/* Thread k (0..threads-1, besides the first): its UTCB a page above the
 * first thread's, its stack below the first thread's with a 64 KiB gap
 * between any two stacks, so an overflow faults instead of corrupting. */
#define P_UTCB(k)       (L4_ROOT_UTCB_ADDR + ((uint64_t)(k) + 1) * 4096)
#define P_TSTACK_TOP(k) (P_STACK_TOP - ((uint64_t)(k) + 1) * 2 * P_STACK_SIZE)

/* The root task's own address space, besides its image, heap and modules. */
#define RT_MIRROR_BASE  0x0000500000000000ull   /* each program's memory, seen by us */
#define RT_MIRROR_SPAN  (1ull << 31)            /* one window per program slot (2 GiB) */
#define RT_MIRROR_DMA   (RT_MIRROR_SPAN - (256ull << 20))   /* DMA memory: the window's top 256 MiB */
#define RT_DEVICE_BASE  0x0000580000000000ull   /* device memory while it is mapped on */

/* The root task's exit status, which the kernel powers off with: the
 * `shutdown` program's own exit status (0..58), or one of these (62 is
 * libc's abort(), 63 the kernel's clamp for larger statuses). */
enum rt_exit {
	RT_EXIT_KILLED = 59,    /* the shutdown program was killed (or exited with > 58) */
	RT_EXIT_FAILED = 60,    /* no shutdown program; all ended, not all with status 0 */
	RT_EXIT_CONFIG = 61,    /* the boot config was refused: nothing was started */
};

/* Badges: which program, which incarnation, which thread kind. */
#define BADGE_PROG(b)   ((unsigned)((b) & 0xff) - 1)
#define BADGE_GEN(b)    ((unsigned)(((b) >> 8) & 0xffff))
#define BADGE_MAIN      (1ull << 24)    /* from the first thread's handler capability */
#define BADGE(idx, gen) (((uint64_t)(idx) + 1) | (uint64_t)((gen) & 0xffff) << 8)
#define BADGE_THREAD(k) (((uint64_t)(k) + 1) << 32)   /* thread k's handler capability */
#define BADGE_THREAD_OF(b) ((unsigned)(((b) >> 32) & 0xff) - 1)   /* k, or ~0u: none */
#define BADGE_CONTROL   (1ull << 40)    /* "rtctl" of a program with `control` (rtctl.c) */

enum region_kind { R_LAZY, R_EAGER };

/* A range of a program's address space the root task backs with memory.
 * Its pages live in the program's mirror window at mirror_off. */
struct region {
	uint64_t va, size;      /* in the program */
	uint64_t mirror_off;    /* in the mirror window */
	unsigned rights;        /* L4_MEM_* */
	enum region_kind kind;  /* lazy: backed on first touch */
};

#define MAX_REGIONS (48 + CFG_MAX_THREADS)
#define MAX_DEVMAPS 8
#define RT_MAX_DMA  24          /* kept regions of a program (DMA; shm with restart=) */
#define RT_MAX_WATCH 4          /* parent_watch of one incarnation */

/* A DMA region (mem.c): kept across the incarnations of a program with a
 * PCI function, and shared from here with its client (parent_share). */
struct dma_region {
	bool shm;               /* from shm_alloc (else dma_alloc) */
	uint64_t va, size, phys;
	uint64_t mirror_off;
	unsigned to, to_gen;    /* shared with program to - 1, incarnation to_gen ... */
	uint64_t to_at;         /* ... at this address (0: not shared) */
};

/* Restart policy (prog.c): the first restart after a death is at once;
 * each further one in a row waits twice as long as the one before, from
 * RT_BACKOFF_MIN_MS up to RT_BACKOFF_MAX_MS.  An incarnation that lived
 * RT_BACKOFF_RESET_MS ends the row. */
#define RT_BACKOFF_MIN_MS   10u
#define RT_BACKOFF_MAX_MS   1000u
#define RT_BACKOFF_RESET_MS 2000u

/* Heartbeats (prog.c): a program is taken as hung when RT_HEARTBEAT_MISSES
 * questions in a row went unanswered, each for a whole period.  One miss
 * is not enough: under TCG the guest's clock runs on while the host does
 * not run QEMU, and a program starved that long (by the host, or by the
 * programs above it) is not hung; the root task, which wakes first, asks
 * again and gives it a whole period more.  A hang is found 2 to 3 periods
 * after it began (doc/restart.md). */
#define RT_HEARTBEAT_MISSES 2u

enum prog_state { P_NEW, P_RUNNING, P_ENDED, P_BACKOFF };   /* BACKOFF: waiting to restart */

/* A thread besides the first (thread.c).  Its objects are made on first
 * use and kept for the incarnation: a thread that has exited is started
 * again by the next thread_create, so its UTCB (which the kernel keeps in
 * the task until the task dies), kernel stack and stack are reused. */
struct rthread {
	uint64_t thread, handler, notif;   /* our slots; handler badged BADGE_THREAD(k) */
	bool made;                         /* all of the above exist, bound, stack reserved */
	bool stack;                        /* its stack region is reserved (mem=) */
	bool busy;                         /* started, its exit notice not yet received */
};

struct prog {
	const struct cfg_prog *cfg;
	unsigned idx;
	enum prog_state state;
	unsigned gen;            /* incarnation: bumped by every start */
	unsigned restarts;       /* done so far */
	unsigned fails;          /* ends in a row without RT_BACKOFF_RESET_MS of life (backoff) */
	uint64_t restart_ns;     /* P_BACKOFF: when to start it again (KIP clock) */
	uint64_t started_ns;     /* when this incarnation started */
	int status;              /* exit status, or -1 when killed */
	bool stop;               /* killed through rtctl: no restart */

	/* Ours (slots of the root task), kept across restarts: */
	uint64_t server_ep;      /* its endpoint, what caps= hands out */
	uint64_t irq[CFG_MAX_IRQS];
	struct pci_fn *pci;      /* pci=: its function (pcidev.c), and its Irq: */
	uint64_t pci_irq;
	unsigned pci_line, pci_irq_flags, pci_gsi;   /* as asked of Sigma0, and the GSI */

	/* Per incarnation: */
	uint64_t kmem;           /* the factory its kernel objects come from */
	uint64_t task, thread, factory, handler;   /* handler: badged, for the first thread;
	                                              factory: its own (factory=), from kmem */
	uint64_t committed;      /* bytes of mem= promised (regions) */
	uint64_t mirror_next;    /* first unused byte of the mirror window */
	uint64_t heap_next, dma_next, shm_next, mmio_next;
	unsigned nregions, ndev;
	struct region reg[MAX_REGIONS];
	struct { uint64_t va, pages; } dev[MAX_DEVMAPS];   /* our device mappings */
	struct rthread thr[CFG_MAX_THREADS];
	unsigned dma_count, shm_count;   /* dma_alloc, shm_alloc calls of this incarnation */
	uint64_t hb_notif;       /* heartbeat=: its notification (ours, write) */
	uint64_t hb_due;         /* when the heartbeat is next sent or found unanswered */
	bool hb_waiting;         /* sent, not yet answered */
	unsigned hb_missed;      /* questions in a row left unanswered for a period */
	struct { uint64_t notif, bits; unsigned target; } watch[RT_MAX_WATCH];
	unsigned nwatch;

	/* Kept across incarnations (mem.c): */
	struct dma_region dma[RT_MAX_DMA];
	unsigned ndma;
	uint64_t dma_mirror_next;
};

extern struct config rt_config;
extern bool rt_verbose;              /* -v: list the PCI functions found */
extern const char *rt_config_name;   /* the boot config's file name, for messages */
extern struct prog rt_progs[CFG_MAX_PROGS];
extern uint64_t rt_service_ep;       /* our endpoint */

/* prog.c: our capability slots. */
uint64_t slot_alloc(void);
void slot_free(uint64_t slot);
void slot_drop(uint64_t *slot);

/* mem.c: a program's memory. */
void mem_reset(struct prog *p);
int mem_commit(struct prog *p, uint64_t size);
int mem_region(struct prog *p, uint64_t va, uint64_t size, unsigned rights,
	       enum region_kind kind, struct region **out);
uint64_t mem_mirror(const struct prog *p, const struct region *r);
int mem_back(struct prog *p, struct region *r, uint64_t va);
int mem_map_range(struct prog *p, uint64_t ours, uint64_t va, uint64_t size, unsigned rights);
int mem_fault(struct prog *p, uint64_t addr, unsigned access, const char **why);
int mem_dma(struct prog *p, uint64_t size, uint64_t *va, uint64_t *phys);
int mem_shared(struct prog *p, uint64_t size, uint64_t *va);
int mem_device(struct prog *p, uint64_t phys, uint64_t size, uint64_t *va);
void mem_release(struct prog *p);
int mem_share(struct prog *p, uint64_t addr, struct prog *to, uint64_t at);
void mem_release_kept(struct prog *p);

/* loader.c: build and start one incarnation. */
struct l4_bootinfo_module;
const struct l4_bootinfo_module *boot_module(const char *name);
int prog_load(struct prog *p, char *why, unsigned whylen);

/* thread.c: threads besides the first. */
int thread_create(struct prog *p, uint64_t entry, uint64_t arg, uint64_t slot, uint32_t *id);
void thread_ended(struct prog *p, unsigned k);
void thread_drop_one(struct prog *p, unsigned k);
void thread_drop_all(struct prog *p);

/* prog.c: life and death. */
void prog_start_all(void);
void prog_died(struct prog *p, int status, const char *how);
int prog_add(unsigned idx, const struct cfg_prog *cfg);   /* start a program later (rtctl) */
uint64_t rt_now_ns(void);                    /* the KIP clock */
uint32_t prog_timers(void);                  /* due restarts and heartbeats; us to the next */
int prog_stop(struct prog *p, const char *by);   /* rtctl stop: ends it for good */
void prog_heartbeat(struct prog *p);         /* parent_heartbeat: answered */
int prog_watch(struct prog *p, uint64_t slot, uint64_t notif, uint64_t bits);

/* rtctl.c: the rtctl interface (libl4/lib/rtctl.idl), for `control` programs. */
struct prog *rt_sender(uint64_t badge);
bool rtctl_handle(uint64_t tag, uint64_t badge, uint64_t *reply);

/* service.c: the loop. */
_Noreturn void service_loop(void);
