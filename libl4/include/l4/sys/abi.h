/* <l4/sys/abi.h> - the binary interface between the Minnow kernel and user
 * code: system call numbers, error codes, and the boot-info block the kernel
 * maps into the root task.  The kernel includes this file too, so there is
 * exactly one definition of every number that crosses the boundary.
 *
 * System calls use the `syscall` instruction: number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9; result in rax (>= 0 success, -L4_Exxx error);
 * rcx and r11 are clobbered by the instruction itself.
 */
#pragma once
#include <stdint.h>
#include <l4/sys/abi_layout.h>   /* the bit layouts, generated from libl4/lib/abi_layout.dev */

enum l4_syscall {
	L4_SYS_DEBUG_WRITE = 0,   /* (const char *buf, size_t len) -> bytes written */
	L4_SYS_EXIT        = 1,   /* (int status): ends the calling thread (the root task's
	                             first thread: the whole system) */
	L4_SYS_IPC         = 2,   /* the IPC system call, see below */
	L4_SYS_YIELD       = 3,   /* give up the rest of the time slice */
	L4_SYS_DEBUG       = 4,   /* kernel debugger operations (L4_DBG_*) */
	L4_SYS_COUNT
};

/* ---- IPC ------------------------------------------------------------------
 * One system call does every IPC; the phases it runs are flags in rax bits
 * 8..15 (rax = L4_SYS_IPC | flags << 8):
 *
 *   L4_IPC_SEND          send the message to the capability in rdi
 *   L4_IPC_RECV          then receive from the endpoint capability in rdx
 *   L4_IPC_CALL          send to rdi and wait for the reply (implicit
 *                        one-shot reply capability), atomically
 *   L4_IPC_REPLY         first reply to the last caller (never blocks)
 *
 * so send = SEND, receive = RECV, call = CALL, reply-and-wait = REPLY|RECV,
 * reply = REPLY.  Calling a kernel object's capability (task, thread,
 * factory, ...) is a call that the kernel answers itself.
 *
 * Registers in:  rdi = destination capability slot, rsi = message tag,
 *                rdx = receive endpoint slot, r10 = timeouts,
 *                r8, r9, r12, r13 = MR0..MR3 (MR4.. in the UTCB)
 * Registers out: rax = tag (error in L4_TAG_ERROR), rdi = sender's badge,
 *                r8, r9, r12, r13 = MR0..MR3
 */
enum l4_ipc_flags {
	L4_IPC_SEND  = 1u << 0,
	L4_IPC_RECV  = 1u << 1,
	L4_IPC_CALL  = 1u << 2,
	L4_IPC_REPLY = 1u << 3,
};
#define L4_IPC_FLAGS_SHIFT 8

/* Message tag (layout l4_tag in abi_layout.dev): label 63..32, error
 * 31..24, typed 13..8, items 7, untyped 6..0.  The typed count means
 * something only with the items flag set: L4_TAG sets the flag exactly when
 * there are typed items, L4_TAG_TYPED reads 0 without it, and the kernel
 * refuses the flag without a count.  These names are the ABI's; the bits
 * come from the description alone. */
/* A field of a generated layout as a constant expression (usable in
 * initializers and case labels): LAYOUT_GET(L4_TAG_TYPED, t), LAYOUT_PUT(...). */
#define LAYOUT_GET(F, w)  (((uint64_t)(w) & F##_MASK) >> F##_SHIFT)
#define LAYOUT_PUT(F, v)  (((uint64_t)(v) << F##_SHIFT) & F##_MASK)
#define L4_TAG_UNTYPED(t)   ((unsigned)LAYOUT_GET(L4_TAG_UNTYPED, t))   /* words MR0.. */
#define L4_TAG_TYPED(t)     (((uint64_t)(t) & L4_TAG_ITEMS) ? (unsigned)LAYOUT_GET(L4_TAG_TYPED, t) : 0u) /* 2-word items after them */
#define L4_TAG_ERROR(t)     ((unsigned)LAYOUT_GET(L4_TAG_ERROR, t))     /* enum l4_err, 0 = ok */
#define L4_TAG_LABEL(t)     ((uint32_t)LAYOUT_GET(L4_TAG_LABEL, t))
#define L4_TAG(label, untyped, typed) \
	(LAYOUT_PUT(L4_TAG_LABEL, label) | LAYOUT_PUT(L4_TAG_ITEMS, (typed) != 0) | \
	 LAYOUT_PUT(L4_TAG_TYPED, typed) | LAYOUT_PUT(L4_TAG_UNTYPED, untyped))
#define L4_TAG_WITH_ERROR(t, e) (((uint64_t)(t) & ~L4_TAG_ERROR_MASK) | LAYOUT_PUT(L4_TAG_ERROR, e))

/* Timeouts in r10: send timeout in the low 32 bits, receive timeout in the
 * high 32 bits; each is L4_TIMEOUT_NEVER (wait forever), L4_TIMEOUT_ZERO
 * (poll) or a relative time in microseconds (1 .. 2^32-2). */
#define L4_TIMEOUT_NEVER 0xffffffffu
#define L4_TIMEOUT_ZERO  0u
#define L4_TIMEOUTS(snd, rcv) (LAYOUT_PUT(L4_TIMEOUTS_SND, snd) | LAYOUT_PUT(L4_TIMEOUTS_RCV, rcv))

#define L4_MR_COUNT     128    /* message registers per thread */
#define L4_UNTYPED_MAX  127    /* the most untyped words a tag counts: each count fits */
_Static_assert(L4_UNTYPED_MAX == L4_TAG_UNTYPED_MASK && L4_UNTYPED_MAX < L4_MR_COUNT, "ABI: tag");
#define L4_MR_IN_REGS   4      /* MR0..MR3 travel in registers */

/* Typed items: two words each, following the untyped words. */
enum l4_item_type {
	L4_ITEM_MAP   = 1,     /* word1 = source slot: copy with word0 rights */
	L4_ITEM_GRANT = 2,     /* word1 = source slot: move it */
	L4_ITEM_MEM   = 3,     /* word1 = source flexpage; word0 bits 12..63 = destination address */
	L4_ITEM_IO    = 4,     /* word1 = first port | count << 16: the receiver may use them too */
};
#define L4_ITEM(type, rights) (LAYOUT_PUT(L4_ITEM_TYPE, type) | LAYOUT_PUT(L4_ITEM_RIGHTS, rights))
#define L4_ITEM_TYPE(w)       ((unsigned)LAYOUT_GET(L4_ITEM_TYPE, w))
#define L4_ITEM_RIGHTS(w)     ((unsigned)LAYOUT_GET(L4_ITEM_RIGHTS, w))
/* A memory item's word 0 (layout l4_mem_item) has no rights byte: bits
 * 63..12 are the destination, its rights are the source flexpage's.  An I/O
 * item's word 1 is layout l4_io_item (first port, count). */

/* Capability rights. */
enum l4_cap_rights {               /* layout l4_rights */
	L4_CAP_READ    = L4_RIGHTS_READ,      /* receive from an endpoint; read object state */
	L4_CAP_WRITE   = L4_RIGHTS_WRITE,     /* send to an endpoint; modify an object */
	L4_CAP_GRANT   = L4_RIGHTS_GRANT,     /* pass typed items (capabilities, memory, ports) through it */
	L4_CAP_CONTROL = L4_RIGHTS_CONTROL,   /* control operations on the object */
	L4_CAP_ALL     = L4_RIGHTS_ALL,
};

/* ---- the kernel info page -------------------------------------------------
 * One read-only page at L4_KIP_ADDR in every task. */
#define L4_KIP_ADDR     0x00007fe800000000ull
#define L4_KIP_MAGIC    0x504b4e4du             /* "MNKP" */
/* major << 16 | minor.  2.0: the tag's items flag and 128 message registers
 * (1.0: typed count in bits 7..12, 64 registers). */
#define L4_KIP_VERSION  (2u << 16)
#define L4_KIP_MEM_MAX  64

enum l4_kip_features {
	L4_FEAT_SMEP = 1u << 0, L4_FEAT_SMAP = 1u << 1, L4_FEAT_IOAPIC = 1u << 2,
	L4_FEAT_LAPIC_TIMER = 1u << 3, L4_FEAT_FASTPATH = 1u << 4, L4_FEAT_KDB = 1u << 5,
	L4_FEAT_DEBUG = 1u << 6,
};

struct l4_kip_mem {
	uint64_t base, size;
	uint32_t type;                 /* 1 usable, 2 reserved, 3 ACPI, 4 ACPI NVS, 5 bad */
	uint32_t pad;
};

struct l4_kip {
	uint32_t magic;                /* L4_KIP_MAGIC */
	uint32_t version;              /* kernel ABI version: major << 16 | minor */
	uint32_t features;             /* enum l4_kip_features */
	uint32_t timer_hz;             /* scheduler tick */
	volatile uint64_t clock_ns;    /* nanoseconds since boot, updated every tick */
	volatile uint64_t ticks;       /* timer ticks since boot */
	uint64_t tsc_khz;              /* the time stamp counter's rate */
	char kernel[32];               /* "Minnow 0.1" */
	uint32_t nmem;                 /* entries used in mem[] */
	uint32_t pad;
	struct l4_kip_mem mem[L4_KIP_MEM_MAX];   /* the boot memory map */
};
_Static_assert(sizeof(struct l4_kip) <= 4096, "the KIP is one page");

/* ---- the user thread control block ----------------------------------------
 * One page per thread, mapped where the thread's creator asked. */
struct l4_utcb {
	uint64_t mr[L4_MR_COUNT];      /* message registers (MR0..3 mirror the registers) */
	uint64_t cap_window;           /* where received capabilities go: first slot | count << 32 */
	uint64_t mem_window;           /* where received memory may go: an L4_FPAGE, 0 = nowhere */
	uint64_t error_arg;            /* after an L4_EINVAL: 1 + the index of the MR whose
	                                  value was refused, 0 if no one word was at fault
	                                  (the kernel sets it with every error result) */
	uint64_t self;                 /* this UTCB's own address (the kernel sets it) */
	uint64_t user[4];              /* free for the user-level runtime (TLS, ...) */
};
/* While a thread runs, its GS base points at its UTCB: %gs:L4_UTCB_SELF_OFFSET
 * reads the address back. */
#define L4_UTCB_SELF_OFFSET (8 * (L4_MR_COUNT + 3))
_Static_assert(__builtin_offsetof(struct l4_utcb, self) == L4_UTCB_SELF_OFFSET, "ABI: utcb");
#define L4_CAP_WINDOW(first, count) \
	(LAYOUT_PUT(L4_CAP_WINDOW_FIRST, first) | LAYOUT_PUT(L4_CAP_WINDOW_COUNT, count))

/* ---- capabilities the root task starts with ------------------------------ */
enum l4_root_caps {
	L4_CAP_NULL     = 0,    /* by convention empty: 0 means "none" in arguments */
	L4_CAP_SELF     = 1,    /* the root task itself */
	L4_CAP_THREAD   = 2,    /* the root task's first thread */
	L4_CAP_FACTORY  = 3,    /* a factory holding all kernel memory */
	L4_CAP_SIGMA0   = 4,    /* all physical resources: RAM, device memory, IRQs, ports */
	L4_CAP_FIRST_FREE = 8,
};
#define L4_ROOT_CSPACE_SLOTS 4096
#define L4_ROOT_UTCB_ADDR 0x00007fe000000000ull   /* the root thread's UTCB */

/* ---- kernel objects and their operations (the label of a call) ------------ */
enum l4_obj_type {
	L4_OBJ_TASK = 1, L4_OBJ_THREAD, L4_OBJ_ENDPOINT, L4_OBJ_NOTIFICATION,
	L4_OBJ_IRQ, L4_OBJ_FACTORY, L4_OBJ_SIGMA0,
};

/* Notification: a word of pending bits.  Signalling through a badged
 * capability ORs in the badge, through an unbadged one MR0. */
enum l4_notification_op {
	L4_NOTIF_SIGNAL = 1,    /* MR0 = bits (unbadged capability); needs write */
	L4_NOTIF_WAIT,          /* MR0 = timeout (us, L4_TIMEOUT_*); reply MR0 = bits, cleared; needs read */
};

/* Irq: one interrupt line.  Bound to a notification it sets bits there;
 * bound to a thread, that thread collects interrupts with L4_IRQ_WAIT.  A
 * level-triggered line stays masked after it fires until L4_IRQ_ACK. */
enum l4_irq_op {
	L4_IRQ_BIND_NOTIF = 1,  /* MR0 = notification slot (caller), MR1 = bits to set */
	L4_IRQ_BIND_THREAD,     /* MR0 = thread slot (caller) */
	L4_IRQ_UNBIND,
	L4_IRQ_WAIT,            /* the bound thread: MR0 = timeout; reply MR0 = interrupts since last wait */
	L4_IRQ_ACK,             /* unmask the line again */
	L4_IRQ_INFO,            /* reply MR0 = gsi, MR1 = interrupts delivered in all */
	/* The console line's Irq only (COM1's, which the kernel debugger's key
	 * used before a driver took it): enter the kernel debugger, so the
	 * driver can pass the key on.  L4_EPERM for other lines, L4_ENOSYS in a
	 * kernel without the debugger.  Needs control. */
	L4_IRQ_KDB_ENTER,
};

/* Sigma0: the root task's authority over physical resources. */
enum l4_sigma0_op {
	/* MR0 = destination address (caller's space), MR1 = pages, MR2 = flags
	 * (L4_S0_CONTIGUOUS); fresh zeroed RAM; reply MR0 = physical address of
	 * the first page. */
	L4_S0_MEM_ALLOC = 1,
	L4_S0_MEM_DEVICE,       /* MR0 = destination, MR1 = physical address, MR2 = pages: uncached, not RAM */
	L4_S0_PHYS_QUERY,       /* MR0 = task slot, MR1 = address; reply MR0 = physical address */
	L4_S0_IRQ_CREATE,       /* MR0 = line, MR1 = destination slot, MR2 = L4_S0_IRQ_* flags */
	L4_S0_IO_GRANT,         /* MR0 = task slot, MR1 = first port, MR2 = count */
};
enum { L4_S0_CONTIGUOUS = 1 };
enum {
	L4_S0_IRQ_ISA   = 1,    /* MR0 is an ISA IRQ: apply the firmware's overrides */
	L4_S0_IRQ_LEVEL = 2,    /* level-triggered (else edge) */
	L4_S0_IRQ_LOW   = 4,    /* active low (else high) */
};

/* Memory and I/O ports move by mapping (Task operations or typed items). */
/* Flexpage (layout l4_fpage): base 63..12, rights 8..6, order 5..0. */
#define L4_FPAGE(base, order, rights) \
	(((uint64_t)(base) & L4_FPAGE_BASE_MASK) | LAYOUT_PUT(L4_FPAGE_ORDER, order) | \
	 LAYOUT_PUT(L4_FPAGE_RIGHTS, rights))
#define L4_FPAGE_BASE(f)   ((uint64_t)(f) & L4_FPAGE_BASE_MASK)   /* in place: aligned */
#define L4_FPAGE_ORDER(f)  ((unsigned)LAYOUT_GET(L4_FPAGE_ORDER, f))   /* size = 2^order bytes, 12..30 */
#define L4_FPAGE_MAX_ORDER 30                         /* at most 1 GiB per operation */
/* The memory items of one message map at most this many pages in all: a
 * message is one stretch of the kernel with interrupts off (about 0.5 ms
 * at this size); more goes by L4_TASK_MEM_MAP, which is preemptible. */
#define L4_IPC_MEM_PAGES_MAX 256
#define L4_FPAGE_RIGHTS(f) ((unsigned)LAYOUT_GET(L4_FPAGE_RIGHTS, f)) /* L4_MEM_* */
enum l4_mem_rights {               /* layout l4_mem_rights */
	L4_MEM_R = L4_MEM_RIGHTS_R, L4_MEM_W = L4_MEM_RIGHTS_W, L4_MEM_X = L4_MEM_RIGHTS_X,
	L4_MEM_RWX = L4_MEM_RIGHTS_RWX,
};

enum l4_factory_op {
	/* create: MR0 = type, MR1 = destination slot in the caller's cspace,
	 * MR2.. = parameters (task: cspace slots; factory: quota in bytes).
	 * Reply MR0 = bytes charged. */
	L4_FACTORY_CREATE = 1,
	L4_FACTORY_INFO,        /* reply MR0 = quota, MR1 = used */
};

enum l4_task_op {
	/* map: MR0 = source slot, MR1 = destination slot (this task),
	 * MR2 = rights mask, MR3 = badge (0: keep), MR4 = the task the source
	 * slot is in (a slot of the caller; 0 or absent: the caller itself). */
	L4_TASK_CAP_MAP = 1,
	L4_TASK_CAP_REVOKE,     /* MR0 = slot in this task: remove what was derived from it */
	L4_TASK_CAP_DELETE,     /* MR0 = slot in this task */
	L4_TASK_CAP_INFO,       /* MR0 = slot; reply MR0 = type (0 empty), MR1 = rights, MR2 = badge, MR3 = descendants */
	L4_TASK_CAP_MOVE,       /* MR0 = source slot (caller), MR1 = destination slot (this task) */
	/* memory: MR0 = source flexpage (L4_FPAGE), MR1 = destination address in
	 * this task, MR2 = the task the source is in (a task slot of the caller
	 * with the control right; 0: the caller); rights at most the source's. */
	L4_TASK_MEM_MAP,
	/* MR0 = flexpage in this task: remove every mapping derived from those
	 * pages, in every task; MR1 = 1 to unmap the pages here too. */
	L4_TASK_MEM_UNMAP,
};

enum l4_thread_op {
	/* bind: MR0 = task slot (caller), MR1 = UTCB address (page aligned, in that task) */
	L4_THREAD_BIND = 1,
	L4_THREAD_START,        /* MR0 = rip, MR1 = rsp, MR2 = rdi */
	L4_THREAD_STOP,
	L4_THREAD_SET_PRIO,     /* MR0 = priority, MR1 = maximum controlled priority */
	L4_THREAD_SET_HANDLERS, /* MR0 = pager endpoint slot, MR1 = exception endpoint slot (caller) */
	L4_THREAD_INFO,         /* reply MR0 = state, MR1 = priority, MR2 = mcp */
	L4_THREAD_SET_NAME,     /* MR0..MR1 = up to 15 bytes of name */
	L4_THREAD_REGS_GET,     /* reply MR0..MR17 = the user registers (L4_REG_*) */
	L4_THREAD_REGS_SET,     /* MR0..MR17 as above; only a stopped thread (L4_ESTATE) */
	L4_THREAD_RESUME,       /* a stopped thread goes on where it stopped (with any new
	                           registers); a system call it was blocked in returns
	                           L4_ECANCELED */
	/* MR0 = notification slot (caller; needs read), 0 = unbind.  While bound,
	 * the thread's receives (endpoint, or slot 0 as a sleep) also end when
	 * the notification is signalled: label L4_LABEL_NOTIFY, MR0 = the bits
	 * (cleared).  A notification binds to one thread, a thread to one
	 * notification (else L4_ESTATE). */
	L4_THREAD_BIND_NOTIF,
};

/* The user register file as L4_THREAD_REGS_GET/SET lay it out in MRs.
 * Setting keeps only the arithmetic flags, DF and TF of rflags (IF stays
 * on, IOPL 0) and refuses a rip or rsp outside user space. */
enum l4_reg {
	L4_REG_RIP, L4_REG_RSP, L4_REG_RFLAGS, L4_REG_RAX, L4_REG_RBX, L4_REG_RCX,
	L4_REG_RDX, L4_REG_RSI, L4_REG_RDI, L4_REG_RBP, L4_REG_R8, L4_REG_R9,
	L4_REG_R10, L4_REG_R11, L4_REG_R12, L4_REG_R13, L4_REG_R14, L4_REG_R15,
	L4_REG_COUNT
};

enum l4_thread_state {
	L4_THREAD_INACTIVE = 0, L4_THREAD_READY, L4_THREAD_SEND, L4_THREAD_RECV,
	L4_THREAD_REPLY, L4_THREAD_DEAD,
};

#define L4_PRIO_MAX 255

/* ---- faults delivered as IPC ------------------------------------------------
 * A thread's page faults go to its pager, its other exceptions to its
 * exception handler (L4_THREAD_SET_HANDLERS), as a call the thread makes
 * without knowing:
 *   page fault:  label L4_LABEL_PAGEFAULT, MR0 = address, MR1 = access
 *                (L4_PF_*), MR2 = rip.  The reply's L4_ITEM_MEM items are
 *                mapped into the faulting task; the thread then retries.
 *   exception:   label L4_LABEL_EXCEPTION, MR0 = vector, MR1 = error code,
 *                MR2 = rip, MR3 = rsp.  A reply with one word sets rip, with
 *                two rip and rsp; with none the instruction is retried.
 * A reply labelled L4_FAULT_STOP stops the thread instead.  A thread with
 * no handler for its fault is stopped and the kernel reports it. */
#define L4_LABEL_PAGEFAULT 0xfffffff0u
#define L4_LABEL_EXCEPTION 0xfffffff1u
#define L4_FAULT_STOP      0xfffffff2u
/* A thread with an exception handler that calls exit sends it a last,
 * one-way message: label L4_LABEL_EXIT, MR0 = the exit status (badge: the
 * handler capability's).  The thread ends once the handler has received it. */
#define L4_LABEL_EXIT      0xfffffff3u
/* A receive of a thread with a bound notification (L4_THREAD_BIND_NOTIF)
 * that ended because the notification was signalled: MR0 = the bits, badge 0.
 * Pending bits are delivered before a waiting sender's message. */
#define L4_LABEL_NOTIFY    0xfffffff4u
enum l4_pf_access { L4_PF_EXEC = 1, L4_PF_WRITE = 2, L4_PF_PRESENT = 4 };

/* ---- the debug system call (L4_SYS_DEBUG, rdi = operation, rsi = argument) */
enum l4_debug_op {
	L4_DBG_CHECK = 1,       /* check kernel invariants: 0, or -L4_EINVAL (printed); root task only */
	L4_DBG_ENTER = 2,       /* enter the kernel debugger (root task only, else L4_EPERM) */
	L4_DBG_FRAMES_FREE = 3, /* free physical frames, for leak tests */
	L4_DBG_TICKS = 4,       /* timer ticks since boot */
	L4_DBG_FASTPATH = 5,    /* argument 0 / 1: IPC fast path off / on (root task only) */
	L4_DBG_FPU_TRANSFERS = 6, /* fxsave + fxrstor the kernel executed since boot (lazy FPU) */
	L4_DBG_STAMP = 7,       /* time stamp counter at: 0 the kernel's entry, 1 the last device interrupt */
	L4_DBG_PREEMPT = 8,     /* preemption budget of long calls in ns (0: default, ~0: never); returns the old one; root task only */
	L4_DBG_STRETCH = 9,     /* 1: start measuring the longest kernel stretch, 0: stop; returns it (ns); root task only */
	L4_DBG_PREEMPTIONS = 10, /* long calls stopped at a preemption point since boot */
};

/* The one error enum.  Returned negated in rax. */
enum l4_err {
	L4_EOK     = 0,
	L4_ENOSYS  = 1,   /* no such system call or operation */
	L4_EFAULT  = 2,   /* a user pointer that is not mapped readable/writable */
	L4_EINVAL  = 3,   /* an argument out of range */
	L4_ENOMEM  = 4,   /* kernel memory or quota exhausted */
	L4_ENOCAP  = 5,   /* no capability in that slot */
	L4_EPERM   = 6,   /* the capability lacks a right */
	L4_ETIMEOUT = 7,  /* IPC timeout expired */
	L4_ECANCELED = 8, /* the partner went away */
	L4_EAGAIN  = 9,   /* reserved (zero timeouts report L4_ETIMEOUT) */
	L4_ETYPE   = 10,  /* the capability names an object of another type */
	L4_ESLOT   = 11,  /* destination slot occupied */
	L4_ESTATE  = 12,  /* the object is in the wrong state for this */
	L4_ERR_COUNT
};
/* Every stub and interface returns 0 or a negative -L4_Exxx; in a result tag
 * (L4_TAG_ERROR) the code is positive.  Which argument an L4_EINVAL refused
 * is in the UTCB's error_arg (seL4's invalid-argument number). */

#define L4_DEBUG_WRITE_MAX 4096   /* longer writes are cut, not refused */

/* Boot information for the root task, read-only at L4_BOOTINFO_ADDR; its
 * address also arrives in rdi at the program's entry point. */
#define L4_BOOTINFO_ADDR   0x00007ff000000000ull
#define L4_BOOTINFO_SIZE   16384ull
#define L4_BOOTINFO_MAGIC  0x574f4e4du     /* "MNOW" */
#define L4_BOOTINFO_VERSION 1
#define L4_MODULES_BASE    0x0000600000000000ull  /* boot modules, read-only, in order */
#define L4_BOOTINFO_MAX_MODULES 32
#define L4_CMDLINE_MAX     256

struct l4_bootinfo_module {
	uint64_t start;                 /* user virtual address of the contents */
	uint64_t size;                  /* bytes */
	char cmdline[L4_CMDLINE_MAX];   /* "name args...", as given in modules.list */
};

struct l4_bootinfo {
	uint32_t magic;                 /* L4_BOOTINFO_MAGIC */
	uint32_t version;               /* L4_BOOTINFO_VERSION */
	uint32_t nmodules;              /* entries used in mod[] */
	uint32_t boot_protocol;         /* 1 or 2: multiboot version that booted us */
	char cmdline[L4_CMDLINE_MAX];   /* the root task's own "name args..." */
	char kernel_cmdline[L4_CMDLINE_MAX];
	char loader[64];                /* boot loader name, if it gave one */
	struct l4_bootinfo_module mod[L4_BOOTINFO_MAX_MODULES];
};

_Static_assert(sizeof(struct l4_bootinfo) <= L4_BOOTINFO_SIZE,
	       "boot info must fit the pages the kernel maps for it");
_Static_assert(sizeof(struct l4_bootinfo_module) == 272, "ABI: module entry layout");
