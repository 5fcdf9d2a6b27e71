/* irq.c - device interrupts: choosing the interrupt controller at boot,
 * line configuration, and the dispatcher every vector from 0x20 up reaches
 * (irq_entry.S -> irq_dispatch).
 *
 * With an ACPI MADT listing an IOAPIC, GSI n is routed to vector 0x30 + n on
 * the boot CPU's local APIC, ISA lines configured as the MADT's interrupt
 * source overrides say.  Without one, the legacy 8259 pair (remapped to
 * 0x20..0x2f by pic.c) delivers IRQ 0..15 through LINT0 in virtual-wire
 * mode.  Either way every line starts masked.
 *
 * The dispatcher: vector -> GSI; a level-triggered line is masked (the
 * driver unmasks it when the device is quiet); EOI; only then the generic
 * hook, which may switch threads and not come back for a while.  Spurious
 * vectors (LAPIC 0xff, PIC IRQ 7/15 with nothing in service) are counted and
 * otherwise ignored. */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>
#include "x86.h"
#include "k/irq.h"
#include "k/kdebug.h"
#include "apic.h"

enum irq_mode { MODE_NONE, MODE_PIC, MODE_IOAPIC };

static enum irq_mode mode;
static unsigned nlines;
static bool line_level[IRQ_MAX_LINES];
static bool line_low[IRQ_MAX_LINES];
static int pit_timer_gsi = -1;          /* the tick comes from the PIT on this line */
static uint8_t dest_apic;               /* where the IOAPIC sends everything */
static struct madt_info madt;
static bool have_madt;

struct irq_stats irq_stats;

/* ---- default hooks, until the generic kernel provides them ---- */

__attribute__((weak)) void irq_handle(unsigned gsi)
{
	(void)gsi;
	irq_stats.default_handle++;
}

__attribute__((weak)) void timer_tick(void)
{
	irq_stats.default_tick++;
}

/* ---- the legacy PIC (ports as in pic.c; OCW3 and ELCR here) ---- */

enum {
	PIC1_CMD = 0x20, PIC1_DATA = 0x21, PIC2_CMD = 0xa0, PIC2_DATA = 0xa1,
	PIC_EOI = 0x20,            /* OCW2: non-specific EOI */
	PIC_READ_ISR = 0x0b,       /* OCW3: next read of the command port is the ISR */
	ELCR1 = 0x4d0, ELCR2 = 0x4d1,   /* PIIX/ICH edge/level control, bit per IRQ */
	PIC_CASCADE = 2,
};

static void pic_set_mask(unsigned irq, bool masked)
{
	uint16_t port = irq < 8 ? PIC1_DATA : PIC2_DATA;
	uint8_t bit = (uint8_t)(1u << (irq & 7));
	uint8_t m = inb(port);
	outb(port, masked ? m | bit : m & ~bit);
	if (irq >= 8 && !masked) {                 /* the slave needs the cascade open */
		m = inb(PIC1_DATA);
		outb(PIC1_DATA, m & ~(1u << PIC_CASCADE));
	}
}

static void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

static uint8_t pic_isr(uint16_t cmd)
{
	outb(cmd, PIC_READ_ISR);
	return inb(cmd);
}

static void pic_set_level(unsigned irq, bool level)
{
	uint16_t port = irq < 8 ? ELCR1 : ELCR2;
	uint8_t bit = (uint8_t)(1u << (irq & 7));
	uint8_t v = inb(port);
	outb(port, level ? v | bit : v & ~bit);
}

/* ---- setup ---- */

/* ACPI tables are RAM (direct map) unless they sit above it.  Those get an
 * uncached window mapping, slow but correct for a few reads, in 64 KiB
 * chunks (firmware keeps its tables together) and within a budget, so that
 * a hostile RSDT cannot fill the window the LAPIC and IOAPICs still need. */
#define ACPI_CHUNK (64u * 1024)
#define ACPI_MAX_CHUNKS 8
#define ACPI_BUDGET_BYTES (1024u * 1024)

static const void *acpi_p2v(uint64_t pa, size_t len)
{
	static struct { uint64_t base, top; const uint8_t *va; } chunk[ACPI_MAX_CHUNKS];
	static unsigned nchunks;
	static uint64_t spent;

	if (len == 0)
		len = 1;
	uint64_t end = phys_map_end();
	if (pa < end && len <= end - pa)
		return phys_to_virt(pa);
	if (len > ACPI_BUDGET_BYTES || pa > UINT64_MAX - ACPI_BUDGET_BYTES - ACPI_CHUNK)
		return NULL;
	for (unsigned i = 0; i < nchunks; i++)
		if (pa >= chunk[i].base && pa + len <= chunk[i].top)
			return chunk[i].va + (pa - chunk[i].base);
	uint64_t base = ALIGN_DOWN(pa, (uint64_t)ACPI_CHUNK);
	uint64_t top = ALIGN_UP(pa + len, (uint64_t)ACPI_CHUNK);
	if (nchunks == ACPI_MAX_CHUNKS || top - base > ACPI_BUDGET_BYTES - spent)
		return NULL;
	const uint8_t *va = arch_map_mmio(base, top - base);
	if (!va)
		return NULL;
	spent += top - base;
	chunk[nchunks].base = base;
	chunk[nchunks].top = top;
	chunk[nchunks++].va = va;
	return va + (pa - base);
}

/* ISA line defaults: edge, active high ("conforms to the bus" for ISA). */
static void override_mode(uint16_t flags, bool *level, bool *low)
{
	*level = (flags & MPS_TRIG_MASK) == MPS_TRIG_LEVEL;
	*low = (flags & MPS_POL_MASK) == MPS_POL_LOW;
}

static const struct madt_override *isa_override(unsigned isa)
{
	if (!have_madt || mode != MODE_IOAPIC)
		return NULL;
	for (unsigned i = 0; i < madt.noverrides; i++)
		if (madt.override[i].bus == 0 && madt.override[i].source == isa)
			return &madt.override[i];
	return NULL;
}

unsigned arch_isa_irq_to_gsi(unsigned isa, bool *level, bool *active_low)
{
	bool lv = false, lo = false;
	unsigned gsi = isa;
	const struct madt_override *o = isa < 16 ? isa_override(isa) : NULL;
	if (o) {
		gsi = o->gsi;
		override_mode(o->flags, &lv, &lo);
	}
	if (level)
		*level = lv;
	if (active_low)
		*active_low = lo;
	return gsi;
}

static void setup_ioapic_lines(void)
{
	nlines = ioapic_lines();
	dest_apic = (uint8_t)lapic_id();
	/* ISA range edge/high, PCI range level/low (their conventions) ... */
	for (unsigned gsi = 0; gsi < nlines; gsi++) {
		line_level[gsi] = gsi >= 16;
		line_low[gsi] = gsi >= 16;
	}
	/* ... unless the firmware says otherwise for an ISA source. */
	for (unsigned i = 0; i < madt.noverrides; i++) {
		const struct madt_override *o = &madt.override[i];
		if (o->bus != 0 || o->gsi >= nlines)
			continue;
		override_mode(o->flags, &line_level[o->gsi], &line_low[o->gsi]);
	}
	for (unsigned gsi = 0; gsi < nlines; gsi++)
		ioapic_route(gsi, (uint8_t)(VEC_GSI_BASE + gsi), line_level[gsi], line_low[gsi],
			     dest_apic);
}

/* MADT "local APIC NMI" entries for this CPU (UID 0xff: every CPU). */
static void setup_lint_nmis(void)
{
	int uid = -1;
	uint32_t id = lapic_id();
	for (unsigned i = 0; i < madt.ncpus; i++)
		if (madt.cpu[i].apic_id == id)
			uid = madt.cpu[i].uid;
	for (unsigned i = 0; i < madt.nnmis; i++)
		if (madt.nmi[i].uid == 0xff || madt.nmi[i].uid == uid)
			lapic_set_lint_nmi(madt.nmi[i].lint, madt.nmi[i].flags);
}

void arch_irq_init(void)
{
	clock_start();

	struct acpi_range ranges[2];
	unsigned nr = acpi_pc_ranges(acpi_p2v, ranges);
	enum acpi_err err = acpi_find_madt(acpi_p2v, ranges, nr, &madt);
	have_madt = err == ACPI_OK;
	if (!have_madt)
		kprintf("minnow: irq: no usable ACPI MADT: %s\n", acpi_strerror(err));
	else if (madt.dropped)
		kprintf("minnow: irq: MADT has %u more entries than the kernel keeps\n",
			madt.dropped);

	bool lapic = lapic_present();
	if (have_madt && lapic)
		for (unsigned i = 0; i < madt.nioapics; i++)
			if (!ioapic_add(madt.ioapic[i].id, madt.ioapic[i].addr, madt.ioapic[i].gsi_base))
				kprintf("minnow: irq: ioapic %u at %#x unusable\n",
					madt.ioapic[i].id, madt.ioapic[i].addr);
	bool use_ioapic = ioapic_count() > 0 && ioapic_lines() > 0;

	if (lapic && !lapic_init(!use_ioapic))
		use_ioapic = false;                 /* no mapping for the LAPIC: PIC only */
	if (lapic_active() && have_madt)
		setup_lint_nmis();

	if (use_ioapic && lapic_active()) {
		mode = MODE_IOAPIC;
		setup_ioapic_lines();
		kprintf("minnow: irq: ioapic at %#lx, %u pins, lapic at %#lx\n",
			ioapic_phys(0), nlines, lapic_phys());
	} else {
		/* pic.c remapped and masked the 8259s in arch_early_init. */
		mode = MODE_PIC;
		nlines = 16;
		for (unsigned i = 0; i < 16; i++)
			line_level[i] = line_low[i] = false;
		kprintf("minnow: irq: legacy PIC\n");
	}
}

unsigned arch_irq_lines(void) { return nlines; }

int arch_irq_config(unsigned gsi, bool level, bool active_low)
{
	if (gsi >= nlines)
		return -1;
	/* The chipset wires these PIC inputs edge only (PIIX ELCR: timer,
	 * keyboard, cascade, RTC, FPU error). */
	if (mode == MODE_PIC && level && (gsi <= 2 || gsi == 8 || gsi == 13))
		return -1;
	uint64_t f = irq_save();
	line_level[gsi] = level;
	line_low[gsi] = active_low;
	if (mode == MODE_IOAPIC)
		ioapic_route(gsi, (uint8_t)(VEC_GSI_BASE + gsi), level, active_low, dest_apic);
	else
		pic_set_level(gsi, level);   /* ELCR level lines are active low; nothing to set */
	irq_restore(f);
	return 0;
}

static void line_mask(unsigned gsi, bool masked)
{
	if (gsi >= nlines)
		return;
	uint64_t f = irq_save();
	if (mode == MODE_IOAPIC)
		ioapic_set_mask(gsi, masked);
	else
		pic_set_mask(gsi, masked);
	irq_restore(f);
}

void arch_irq_mask(unsigned gsi) { line_mask(gsi, true); }
void arch_irq_unmask(unsigned gsi) { line_mask(gsi, false); }

void arch_irq_enable_cpu(void) { __asm__ volatile("sti" ::: "memory"); }
void arch_irq_disable_cpu(void) { __asm__ volatile("cli" ::: "memory"); }

unsigned irq_use_pit_timer(void)
{
	bool level, low;
	unsigned gsi = mode == MODE_IOAPIC ? arch_isa_irq_to_gsi(0, &level, &low) : 0;
	if (gsi >= nlines)
		return gsi;
	pit_timer_gsi = (int)gsi;
	arch_irq_config(gsi, false, false);     /* the PIT output is an edge */
	arch_irq_unmask(gsi);
	return gsi;
}

/* ---- dispatch ---- */

static void line_interrupt(unsigned gsi, bool pic)
{
	if (line_level[gsi])
		line_mask(gsi, true);
	if (pic)
		pic_eoi(gsi);
	else
		lapic_eoi();
	if ((int)gsi == pit_timer_gsi) {
		irq_stats.ticks++;
		timer_tick();
	} else if ((int)gsi == kdebug_gsi) {
		kdebug_serial_interrupt();     /* the kernel debugger's key */
	} else {
		irq_stats.device++;
		irq_handle(gsi);
	}
}

/* The PIT's line (calibration, and the tick when there is no LAPIC timer)
 * and the PIC cascade.  The debugger's serial line is not kept: a driver's
 * Irq borrows it (kdebug_console_lend). */
bool arch_irq_reserved(unsigned gsi)
{
	return gsi == arch_isa_irq_to_gsi(0, NULL, NULL) || (int)gsi == pit_timer_gsi ||
	       (mode == MODE_PIC && gsi == 2);
}

extern uint64_t irq_line_stamp;          /* arch.c: arch_stamp(1) */

/* The instructions a device interrupt runs from its vector's first to the
 * rdtsc at irq_entry_stamp (irq_entry.S), from kernel and from user mode:
 * the stub's push, push, jmp; testb, jz; the 15 pushes of PUSH_GPRS; and
 * swapgs when it came from user mode.  Straight-line code, so a constant;
 * pkg/pingpong/test/irqentry.test steps through it with gdb and compares. */
const uint8_t irq_entry_insns[2] = { 3 + 2 + 15, 3 + 2 + 1 + 15 };

/* entry_tsc: the time stamp counter at irq_entry_stamp.  Under -icount
 * shift=0 it counts guest instructions, so that less irq_entry_insns is
 * the count at the vector's first instruction: where make bench's
 * irq-to-user-handler starts. */
void irq_dispatch(struct trapframe *tf, uint64_t entry_tsc)
{
	uint64_t vec = tf->vector;
	uint64_t now = entry_tsc - irq_entry_insns[(tf->cs & 3) != 0];

	if (vec == VEC_LAPIC_TIMER) {
		irq_stats.ticks++;
		lapic_eoi();
		timer_tick();
	} else if (vec == VEC_SPURIOUS) {
		irq_stats.spurious++;                  /* no EOI for a spurious vector */
	} else if (vec == VEC_LAPIC_ERROR) {
		lapic_error_interrupt();
		lapic_eoi();
	} else if (vec >= VEC_PIC_BASE && vec < VEC_PIC_BASE + 16) {
		unsigned irq = (unsigned)(vec - VEC_PIC_BASE);
		if (mode != MODE_PIC) {
			irq_stats.spurious++;              /* a masked PIC can still say IRQ 7/15 */
		} else if (irq == 7 && !(pic_isr(PIC1_CMD) & 0x80)) {
			irq_stats.spurious++;
		} else if (irq == 15 && !(pic_isr(PIC2_CMD) & 0x80)) {
			irq_stats.spurious++;
			outb(PIC1_CMD, PIC_EOI);           /* the master did see IRQ 2 */
		} else {
			irq_line_stamp = now;
			line_interrupt(irq, true);
		}
	} else if (mode == MODE_IOAPIC && vec >= VEC_GSI_BASE && vec < VEC_GSI_BASE + nlines) {
		irq_line_stamp = now;
		line_interrupt((unsigned)(vec - VEC_GSI_BASE), false);
	} else {
		irq_stats.stray++;
		lapic_eoi();
	}
}
