/* apic.h - what the x86-64 interrupt and timer files share: the vector
 * map, the local APIC, the IOAPICs, the 8254 PIT, device MMIO mappings and
 * the ACPI table parser.
 *
 * The ACPI part is pure (no kernel headers, no hardware): acpi.c is also
 * compiled for the host by kernel/test.  acpi.c and the host test define
 * APIC_H_ACPI_ONLY before including this, and see only that part; keep
 * anything that needs the kernel or the CPU below the #ifndef. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* ---- vectors ----------------------------------------------------------------
 *   0x00..0x1f  CPU exceptions (entry.S)
 *   0x20..0x2f  legacy 8259 PIC, IRQ 0..15 (pic.c remaps it there)
 *   0x30..0xef  device lines: GSI n -> vector 0x30 + n
 *   0xf0        local APIC timer
 *   0xf1..0xfd  free (IPIs will live here)
 *   0xfe        local APIC error
 *   0xff        local APIC spurious
 * Vectors 0x20 and up all go through irq_entry.S -> irq_dispatch(). */
#define VEC_PIC_BASE      0x20
#define VEC_GSI_BASE      0x30
#define VEC_LAPIC_TIMER   0xf0
#define VEC_LAPIC_ERROR   0xfe
#define VEC_SPURIOUS      0xff
#define IRQ_MAX_LINES     (VEC_LAPIC_TIMER - VEC_GSI_BASE)   /* 192 GSIs get a vector */

/* ---- ACPI tables (acpi.c, pure) ----------------------------------------------
 * References: ACPI 6.x, 5.2.5 (RSDP), 5.2.6 (table header), 5.2.7 (RSDT),
 * 5.2.8 (XSDT), 5.2.12 (MADT). */

/* Reads physical memory: a pointer to len readable bytes at pa, or NULL. */
typedef const void *(*acpi_p2v_fn)(uint64_t pa, size_t len);

struct acpi_range { uint64_t base, len; };   /* where to look for the RSDP */

#define MADT_MAX_CPUS      64
#define MADT_MAX_IOAPICS   8
#define MADT_MAX_OVERRIDES 24
#define MADT_MAX_NMIS      8
#define ACPI_MAX_TABLE_LEN (1u << 20)   /* no sane RSDT/XSDT/MADT is longer */

struct madt_cpu      { uint8_t uid, apic_id; uint32_t flags; };          /* type 0 */
struct madt_ioapic   { uint8_t id; uint32_t addr, gsi_base; };           /* type 1 */
struct madt_override { uint8_t bus, source; uint32_t gsi; uint16_t flags; }; /* type 2 */
struct madt_nmi      { uint8_t uid, lint; uint16_t flags; };             /* type 4 */

/* MPS INTI flags (ACPI 5.2.12.5, table "MPS INTI flags"). */
enum {
	MPS_POL_MASK = 0x3, MPS_POL_CONFORM = 0x0, MPS_POL_HIGH = 0x1, MPS_POL_LOW = 0x3,
	MPS_TRIG_MASK = 0xc, MPS_TRIG_CONFORM = 0x0, MPS_TRIG_EDGE = 0x4, MPS_TRIG_LEVEL = 0xc,
};
#define MADT_CPU_ENABLED   0x1
#define MADT_CPU_ONLINE_OK 0x2
#define MADT_PCAT_COMPAT   0x1     /* MADT flags: dual 8259s present */

struct madt_info {
	uint8_t rsdp_revision;         /* 0 = ACPI 1.0 (RSDT), >= 2 (XSDT) */
	bool via_xsdt;                 /* the MADT was found through the XSDT */
	uint64_t rsdp_addr, madt_addr;
	uint64_t lapic_addr;           /* 32-bit field, or the type 5 override */
	uint32_t flags;
	unsigned ncpus, nioapics, noverrides, nnmis;
	unsigned dropped;              /* entries that did not fit the arrays */
	unsigned unknown;              /* entries of types we skip */
	struct madt_cpu cpu[MADT_MAX_CPUS];
	struct madt_ioapic ioapic[MADT_MAX_IOAPICS];
	struct madt_override override[MADT_MAX_OVERRIDES];
	struct madt_nmi nmi[MADT_MAX_NMIS];
};

enum acpi_err {
	ACPI_OK = 0,
	ACPI_E_NO_RSDP,        /* no RSDP with a valid checksum in the ranges */
	ACPI_E_BAD_ROOT,       /* RSDT/XSDT unreadable, bad signature, length or checksum */
	ACPI_E_NO_MADT,        /* no valid "APIC" table listed */
	ACPI_E_BAD_MADT,       /* MADT found but malformed */
};
const char *acpi_strerror(enum acpi_err e);

/* Where a PC BIOS leaves the RSDP (ACPI 5.2.5.1): the first KiB of the EBDA
 * (segment in the BDA word at 0x40e) and 0xe0000..0xfffff.  Fills out[0..1]
 * and returns how many ranges it filled. */
unsigned acpi_pc_ranges(acpi_p2v_fn p2v, struct acpi_range out[2]);
/* The physical address of the first valid RSDP in ranges (16-byte aligned
 * candidates), or 0. */
uint64_t acpi_find_rsdp(acpi_p2v_fn p2v, const struct acpi_range *ranges, unsigned n);
/* Checks the table at pa (header, length, checksum, signature); the length
 * in *len.  NULL if anything is wrong. */
const uint8_t *acpi_table(acpi_p2v_fn p2v, uint64_t pa, const char sig[4], uint32_t *len);
/* Parses one MADT image (header included) of len bytes. */
enum acpi_err acpi_parse_madt(const uint8_t *t, uint32_t len, struct madt_info *mi);
/* The whole walk: RSDP in ranges -> XSDT (or RSDT) -> MADT -> *mi. */
enum acpi_err acpi_find_madt(acpi_p2v_fn p2v, const struct acpi_range *ranges, unsigned n,
			     struct madt_info *mi);

#ifndef APIC_H_ACPI_ONLY
/* ---- kernel only --------------------------------------------------------- */

/* mmio.c: map device registers uncached (PCD|PWT), NX, global, into the
 * kernel window at MMIO_BASE.  Returns the virtual address of pa (its page
 * offset kept), or NULL when the window is full.  Mappings are permanent;
 * asking again for a range already mapped returns the same address. */
#define MMIO_BASE 0xffffffffc0000000ull
void *arch_map_mmio(uint64_t pa, size_t len);

/* irq_entry.S: one stub per vector 32..255, installed by idt.c. */
extern const uint64_t irq_stubs[224];

/* lapic.c */
bool lapic_present(void);                  /* CPUID.1:EDX.APIC */
bool lapic_init(bool virtual_wire);        /* map + software-enable; false if absent */
bool lapic_active(void);
void lapic_eoi(void);
uint32_t lapic_id(void);
uint64_t lapic_phys(void);
void lapic_error_interrupt(void);          /* vector VEC_LAPIC_ERROR */
void lapic_set_lint_nmi(unsigned lint, uint16_t mps_flags);
/* The timer: one-shot masked count-down for calibration, then periodic. */
void lapic_timer_start_oneshot_masked(void);
uint32_t lapic_timer_current(void);
void lapic_timer_periodic(uint32_t initial_count);
void lapic_timer_stop(void);
#define LAPIC_TIMER_DIVIDE 16
void clock_start(void);                    /* arch_time_ns() counts from here */

/* ioapic.c */
bool ioapic_add(uint8_t id, uint64_t pa, uint32_t gsi_base);   /* mask every pin */
unsigned ioapic_lines(void);               /* 1 + highest GSI served (capped) */
unsigned ioapic_count(void);
uint64_t ioapic_phys(unsigned i);
unsigned ioapic_pins(unsigned i);
bool ioapic_route(unsigned gsi, uint8_t vector, bool level, bool active_low, uint8_t dest);
void ioapic_set_mask(unsigned gsi, bool masked);

/* pit.c: the 8254 at 1.193182 MHz. */
#define PIT_HZ 1193182u
/* Count down pit_ticks (<= 65535) on channel 2 with the gate on and the
 * speaker off; returns how far the TSC and the LAPIC timer (if lapic) moved
 * meanwhile.  False if channel 2 never finished (no PIT, or no port 0x61). */
bool pit_measure(uint16_t pit_ticks, bool lapic, uint64_t *tsc_delta, uint32_t *lapic_delta);
unsigned pit_periodic(unsigned hz);        /* channel 0, mode 2; the rate it got */

/* irq.c */
struct trapframe;
void irq_dispatch(struct trapframe *tf, uint64_t entry_tsc);   /* irq_entry.S */
extern const uint8_t irq_entry_insns[2];
unsigned irq_use_pit_timer(void);          /* route + unmask ISA IRQ 0 as the tick; its GSI */

struct irq_stats {
	uint64_t ticks;            /* timer interrupts taken */
	uint64_t device;           /* irq_handle() calls */
	uint64_t spurious;         /* LAPIC 0xff and PIC 7/15 spurious */
	uint64_t stray;            /* vectors nobody owns */
	uint64_t lapic_errors;
	uint64_t default_tick;     /* calls that reached irq.c's weak timer_tick() */
	uint64_t default_handle;   /* calls that reached irq.c's weak irq_handle() */
};
extern struct irq_stats irq_stats;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Save RFLAGS and disable interrupts / restore them: for register pairs
 * (IOREGSEL/IOWIN, PIC OCW3) that must not be interleaved. */
static inline uint64_t irq_save(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(f) :: "memory");
	return f;
}
static inline void irq_restore(uint64_t f)
{
	if (f & (1u << 9))
		__asm__ volatile("sti" ::: "memory");
}
#endif
