/* <l4/rt/env.h> - what a program started by the root task is given: its
 * environment page and the capability slots it starts with.
 *
 * This is the contract between servers/roottask (the loader) and every
 * program it starts, not a kernel interface: the kernel knows nothing of
 * it.  The root task itself gets a boot-info block instead (<l4/sys/bootinfo.h>);
 * both arrive in rdi at the entry point and at the same address, and the
 * framework's start code tells them apart by their magic.
 *
 * A program finds its capabilities by the names the boot config gave them:
 *
 *     uint64_t console = l4_env_cap("console");    // 0: the config gave none
 */
#pragma once
#include <stdint.h>
#include <l4/sys/abi.h>

#define L4_ENV_ADDR      L4_BOOTINFO_ADDR   /* read-only, one page */
#define L4_ENV_MAGIC     0x564e454du        /* "MENV" */
#define L4_ENV_VERSION   1
#define L4_ENV_NAME_MAX  16                 /* names, with their NUL */
#define L4_ENV_MAX_CAPS  24
#define L4_ENV_MAX_MMIO  4
#define L4_ENV_MAX_IO    4

/* Capability slots every started program finds filled. */
enum l4_env_slot {
	L4_ENV_TASK    = 1,   /* its own task (all rights) */
	L4_ENV_THREAD  = 2,   /* its first thread */
	L4_ENV_FACTORY = 3,   /* a factory, only with `factory=` in the config (else empty) */
	L4_ENV_PARENT  = 5,   /* the root task: the `parent` interface (memory, devices) and
	                         the pager and exception handler of its threads */
	L4_ENV_SERVER  = 6,   /* its own endpoint: what `caps=NAME` gives other programs */
	L4_ENV_FIRST_CAP = 8, /* named capabilities from here (caps=, irq=) */
	L4_ENV_FIRST_FREE = 64, /* the program's own from here ... */
	L4_ENV_LIBC_SLOTS = 192, /* ... to here: 192..255 are the C library's (<pthread.h>) */
};

/* The bit the root task signals on a program's "heartbeat" notification
 * (a config line with heartbeat=): the program answers with
 * parent_heartbeat() within its period, or is taken as hung. */
#define L4_ENV_HEARTBEAT_BIT (1ull << 63)

/* Where a program may open its memory receive window (l4_mem_window): the
 * root task backs nothing in [L4_ENV_RECV_BASE, L4_ENV_RECV_END), so pages
 * other programs send (IDL `mem`) land there and only there. */
#define L4_ENV_RECV_BASE 0x0000380000000000ull
#define L4_ENV_RECV_END  0x0000400000000000ull

struct l4_env_cap {
	char name[L4_ENV_NAME_MAX];   /* as the config named it */
	uint64_t slot;                /* where it is in the program's capability space */
	uint32_t type;                /* enum l4_obj_type */
	uint32_t rights;              /* enum l4_cap_rights */
};

struct l4_env_range {
	uint64_t base, size;          /* physical address (mmio) or first port (io) */
};

/* The PCI function the config's pci= gave the program (pci.present = 1).
 * Memory BARs are mapped with parent_mmio_map(base, size); I/O BARs are
 * granted at start; the interrupt is the Irq named "pci-irq" (if pin). */
enum l4_env_bar_kind { L4_ENV_BAR_NONE, L4_ENV_BAR_MEM, L4_ENV_BAR_IO };

struct l4_env_bar {
	uint64_t base, size;          /* physical address or first port; bytes or ports */
	uint32_t kind;                /* enum l4_env_bar_kind */
	uint32_t prefetch;            /* memory: prefetchable */
};

struct l4_env_pci {
	uint32_t present;
	uint16_t vendor, device;
	uint8_t bus, dev, fn, pin;    /* pin: 1..4 = INTA..INTD, 0 = none */
	uint32_t class_code;          /* class << 16 | subclass << 8 | prog-if */
	uint32_t gsi;                 /* the interrupt's GSI (with pin) */
	uint32_t irq_flags;           /* L4_S0_IRQ_LEVEL | L4_S0_IRQ_LOW as created */
	struct l4_env_bar bar[6];
};
_Static_assert(sizeof(struct l4_env_bar) == 24, "ABI: l4_env_bar layout");
_Static_assert(sizeof(struct l4_env_pci) == 24 + 6 * 24, "ABI: l4_env_pci layout");

struct l4_env {
	uint32_t magic;               /* L4_ENV_MAGIC */
	uint32_t version;             /* L4_ENV_VERSION */
	char name[L4_ENV_NAME_MAX];   /* the program's name in the boot config */
	char cmdline[L4_CMDLINE_MAX]; /* "module args..." (argv) */
	uint64_t mem_quota;           /* bytes of memory the root task will back (mem=) */
	uint32_t prio;                /* its first thread's priority */
	uint32_t ncaps, nmmio, nio;   /* entries used below */
	struct l4_env_cap caps[L4_ENV_MAX_CAPS];
	struct l4_env_range mmio[L4_ENV_MAX_MMIO];   /* device memory it may ask to map */
	struct l4_env_range io[L4_ENV_MAX_IO];       /* I/O ports it may use (already granted) */
	struct l4_env_pci pci;        /* its PCI function (pci=), if present */
};
_Static_assert(sizeof(struct l4_env) <= 4096, "the environment is one page");

/* The environment, or NULL in the root task (set by the framework's start code). */
extern const struct l4_env *__minnow_env;
static inline const struct l4_env *l4_env(void) { return __minnow_env; }

/* The slot of the capability the config named `name`, 0 if there is none. */
static inline uint64_t l4_env_cap(const char *name)
{
	const struct l4_env *e = __minnow_env;
	if (!e)
		return 0;
	for (uint32_t i = 0; i < e->ncaps && i < L4_ENV_MAX_CAPS; i++) {
		const char *a = e->caps[i].name, *b = name;
		unsigned k = 0;
		while (k < L4_ENV_NAME_MAX && a[k] && a[k] == b[k])
			k++;
		if (k < L4_ENV_NAME_MAX && a[k] == b[k])   /* both ended */
			return e->caps[i].slot;
	}
	return 0;
}
