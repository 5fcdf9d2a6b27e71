/* config.h - the root task's boot configuration: which programs to start,
 * and with what.  Pure logic (config.c), host-tested
 * (servers/roottask/test/host).  The syntax, one program per line:
 *
 *   # a comment, to the end of the line
 *   start NAME [option ...]
 *
 * options (each at most once per line):
 *   module=FILE      the boot module to load (default: NAME)
 *   prio=N           priority of its first thread, 1..254 (default 100)
 *   args="..."       its arguments (argv[1..]); quotes needed for spaces
 *   caps=P[:AS],...  the endpoint of program P (of this config), named AS
 *                    (default P) in the program's environment
 *   irq=N,...        an Irq object for ISA line N (0..15), named "irqN"
 *                    (the firmware's override applies), or for GSI N
 *                    (IOAPIC input 0..255) as gsiN[:level|:edge][:low|:high]
 *                    (default edge, active high), named "gsiN"
 *   pci=VVVV:DDDD    the PCI function with that vendor:device (hex; the
 *                    next one not given to an earlier program), or
 *   pci=BB:DD.F      the one at bus:device.function (hex): its config
 *                    space (parent interface), memory BARs (mmio_map), I/O
 *                    BARs (granted), interrupt (an Irq "pci-irq"), bus mastering
 *   io=LO-HI,...     I/O ports LO..HI (inclusive), 0..0xffff
 *   mmio=BASE+SIZE,...  device memory it may map (page aligned)
 *   mem=SIZE         memory quota (default 4M); SIZE: N, NK, NM or NG
 *   factory=SIZE     a factory with that kernel-memory quota
 *   restart=N        restart it up to N times when it fails (default 0)
 *   restart=always   restart it whenever it ends, without limit (not
 *                    after a kill by rtctl's stop); exponential backoff
 *   heartbeat=Nms|Ns it must answer the root task's heartbeat within
 *                    this period, or it is killed (and restarted as
 *                    restart= says); 20ms..60s
 *   threads=N        threads it may run besides its first (default 0)
 *   shutdown         when it ends for good, the system powers off with
 *                    its exit status
 *   control          it gets "rtctl": the root task's rtctl interface
 *                    (list, start and kill programs; a shell)
 *
 * Numbers are decimal or 0x-hex.  An error stops the parse and is
 * described as "FILE:LINE: reason". */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define CFG_MAX_PROGS   16
#define CFG_NAME_MAX    16    /* with the NUL: names are 1..15 of [A-Za-z0-9_-] */
#define CFG_ARGS_MAX    200
#define CFG_MAX_CAPS    8     /* caps= entries per program */
#define CFG_MAX_IRQS    4
#define CFG_MAX_IO      4
#define CFG_MAX_MMIO    4
#define CFG_LINE_MAX    512
#define CFG_MAX_THREADS 32    /* threads= at most */
#define CFG_RESTART_ALWAYS 0xffffffffu    /* restart=always */
#define CFG_HEARTBEAT_MIN_MS 20u          /* two timer ticks */
#define CFG_HEARTBEAT_MAX_MS 60000u

struct cfg_cap {
	unsigned prog;                  /* index of the program whose endpoint it is */
	char as[CFG_NAME_MAX];          /* name in the receiver's environment */
};

enum cfg_irq_mode {
	CFG_IRQ_GSI   = 1,              /* the line is a GSI, not an ISA IRQ */
	CFG_IRQ_LEVEL = 2,              /* level-triggered (else edge) */
	CFG_IRQ_LOW   = 4,              /* active low (else high) */
};

/* pci=: by vendor:device, or by bus:device.function. */
struct cfg_pci {
	bool set, by_id;
	uint16_t vendor, device;
	uint8_t bus, dev, fn;
};

struct cfg_range {
	uint64_t base, size;            /* io: first port, count; mmio: phys, bytes */
};

struct cfg_prog {
	char name[CFG_NAME_MAX];
	char module[CFG_NAME_MAX * 4];  /* file name of the boot module */
	char args[CFG_ARGS_MAX];        /* "" when none */
	unsigned line;                  /* where it was declared */
	unsigned prio;
	unsigned ncaps, nirq, nio, nmmio;
	struct cfg_cap caps[CFG_MAX_CAPS];
	unsigned irq[CFG_MAX_IRQS];     /* ISA IRQ or GSI, by irq_mode */
	uint8_t irq_mode[CFG_MAX_IRQS]; /* enum cfg_irq_mode */
	struct cfg_pci pci;
	struct cfg_range io[CFG_MAX_IO];
	struct cfg_range mmio[CFG_MAX_MMIO];
	uint64_t mem;                   /* bytes */
	uint64_t factory;               /* bytes of kernel-memory quota, 0 = no factory */
	unsigned restart;               /* times, or CFG_RESTART_ALWAYS */
	unsigned heartbeat_ms;          /* 0: no heartbeat */
	unsigned threads;               /* besides the first: parent_thread_create */
	bool shutdown;
	bool control;                   /* "rtctl" in its environment */
};

struct config {
	unsigned nprogs;
	struct cfg_prog prog[CFG_MAX_PROGS];
};

/* Parse text[0..len) (need not be NUL-terminated; a NUL byte inside is an
 * error) into *out.  0 on success; -1 with "file:line: reason" in err. */
int config_parse(const char *text, size_t len, const char *file, struct config *out,
		 char *err, size_t errlen);
