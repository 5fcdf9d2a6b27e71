/* lapic.c - the local APIC (SDM 3A chapter 11 "Advanced Programmable
 * Interrupt Controller (APIC)"; chapter 10 in older editions), its timer,
 * and the kernel's clock.
 *
 * The LAPIC is used in xAPIC mode through its MMIO page (mapped uncached by
 * mmio.c; the IA32_APIC_BASE MSR says where).  Every LVT entry the kernel
 * does not use is masked; LINT0 stays in ExtINT ("virtual wire", SDM 3A
 * 11.5.1 / MP spec 3.6.2.2) only when the legacy PIC delivers the device
 * interrupts, LINT1 is NMI.
 *
 * Time: the TSC, calibrated against the PIT at arch_timer_init(), gives
 * arch_time_ns().  The periodic tick is the LAPIC timer, calibrated in the
 * same PIT interval; without a LAPIC (or when calibration fails) PIT
 * channel 0 ticks instead, through the interrupt controller. */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>
#include "k/irq.h"
#include "apic.h"

/* Register offsets (SDM 3A table 11-1). */
enum lapic_reg {
	LAPIC_ID = 0x020, LAPIC_VER = 0x030, LAPIC_TPR = 0x080, LAPIC_EOI = 0x0b0,
	LAPIC_SVR = 0x0f0, LAPIC_ESR = 0x280, LAPIC_LVT_CMCI = 0x2f0,
	LAPIC_LVT_TIMER = 0x320, LAPIC_LVT_THERMAL = 0x330, LAPIC_LVT_PERF = 0x340,
	LAPIC_LVT_LINT0 = 0x350, LAPIC_LVT_LINT1 = 0x360, LAPIC_LVT_ERROR = 0x370,
	LAPIC_TIMER_INIT = 0x380, LAPIC_TIMER_CUR = 0x390, LAPIC_TIMER_DIV = 0x3e0,
};

/* LVT fields (SDM 3A figure 11-8). */
enum {
	LVT_MASKED      = 1u << 16,
	LVT_PERIODIC    = 1u << 17,       /* timer mode 01 */
	LVT_ACTIVE_LOW  = 1u << 13,       /* LINT0/1 pin polarity */
	LVT_LEVEL       = 1u << 15,       /* LINT0/1 trigger mode */
	LVT_DM_NMI      = 4u << 8,
	LVT_DM_EXTINT   = 7u << 8,
	SVR_ENABLE      = 1u << 8,        /* APIC software enable */
	DIV_BY_16       = 0x3,            /* divide configuration, bits 0,1,3 (figure 11-10) */
};

/* IA32_APIC_BASE: layout/x86_ctl.dev. */
#define MSR_APIC_BASE    X86_MSR_APIC_BASE_OFFSET
#define APIC_BASE_EXTD   X86_MSR_APIC_BASE_EXTD
#define APIC_BASE_EN     X86_MSR_APIC_BASE_EN

static volatile uint32_t *regs;
static uint64_t regs_pa;
static unsigned max_lvt;

static uint32_t rd(unsigned r) { return regs[r / 4]; }
static void wr(unsigned r, uint32_t v) { regs[r / 4] = v; }

bool lapic_present(void)
{
	uint32_t c[4];
	cpuid(1, 0, c);
	return c[3] & (1u << 9);
}

bool lapic_active(void) { return regs != NULL; }
uint64_t lapic_phys(void) { return regs_pa; }
uint32_t lapic_id(void) { return regs ? rd(LAPIC_ID) >> 24 : 0; }

void lapic_eoi(void)
{
	if (regs)
		wr(LAPIC_EOI, 0);
}

bool lapic_init(bool virtual_wire)
{
	if (!lapic_present())
		return false;
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (base & APIC_BASE_EXTD) {
		/* x2APIC -> xAPIC is only allowed through "disabled" (SDM 3A 11.12.5). */
		base &= ~(APIC_BASE_EXTD | APIC_BASE_EN);
		wrmsr(MSR_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_APIC_BASE, base);
	}
	regs_pa = x86_msr_apic_base_base_extract(base);
	volatile uint32_t *r = arch_map_mmio(regs_pa, 4096);
	if (!r)
		return false;
	regs = r;

	max_lvt = (rd(LAPIC_VER) >> 16) & 0xff;
	wr(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	wr(LAPIC_TIMER_INIT, 0);
	if (max_lvt >= 4)
		wr(LAPIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 5)
		wr(LAPIC_LVT_THERMAL, LVT_MASKED);
	if (max_lvt >= 6)
		wr(LAPIC_LVT_CMCI, LVT_MASKED);
	wr(LAPIC_LVT_LINT0, virtual_wire ? LVT_DM_EXTINT : LVT_MASKED);
	wr(LAPIC_LVT_LINT1, LVT_DM_NMI);
	wr(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
	wr(LAPIC_ESR, 0);                     /* write, then read: clears it (11.5.3) */
	(void)rd(LAPIC_ESR);
	wr(LAPIC_TPR, 0);                     /* accept every priority class */
	wr(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	wr(LAPIC_EOI, 0);                     /* anything the BIOS left in service */
	return true;
}

/* A MADT "local APIC NMI" entry: LINTn is an NMI pin (NMIs are always
 * edge triggered, only the polarity comes from the flags). */
void lapic_set_lint_nmi(unsigned lint, uint16_t mps_flags)
{
	if (!regs || lint > 1)
		return;
	uint32_t v = LVT_DM_NMI;
	if ((mps_flags & MPS_POL_MASK) == MPS_POL_LOW)
		v |= LVT_ACTIVE_LOW;
	wr(lint ? LAPIC_LVT_LINT1 : LAPIC_LVT_LINT0, v);
}

void lapic_error_interrupt(void)
{
	wr(LAPIC_ESR, 0);
	uint32_t esr = rd(LAPIC_ESR);
	if (irq_stats.lapic_errors++ < 4)
		kprintf("minnow: lapic: error interrupt, ESR %#x\n", esr);
}

void lapic_timer_start_oneshot_masked(void)
{
	wr(LAPIC_TIMER_DIV, DIV_BY_16);
	wr(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	wr(LAPIC_TIMER_INIT, 0xffffffff);
}

uint32_t lapic_timer_current(void) { return rd(LAPIC_TIMER_CUR); }

void lapic_timer_periodic(uint32_t initial_count)
{
	wr(LAPIC_TIMER_DIV, DIV_BY_16);
	wr(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_LAPIC_TIMER);
	wr(LAPIC_TIMER_INIT, initial_count);
}

void lapic_timer_stop(void)
{
	wr(LAPIC_LVT_TIMER, LVT_MASKED | VEC_LAPIC_TIMER);
	wr(LAPIC_TIMER_INIT, 0);
}

/* ---- the clock and the tick ---------------------------------------------- */

#define CAL_PIT_TICKS 11932u      /* 10 ms of PIT input clock */
#define CAL_ROUNDS 3
#define NSEC 1000000000ull

static uint64_t tsc_base;         /* TSC at clock_start(): time 0 */
static uint64_t tsc_mult;         /* ns = (tsc delta * tsc_mult) >> 32; 0 = not calibrated */
static uint64_t tsc_khz;
static uint64_t tick_ns;          /* fallback clock: ticks * tick_ns */

void clock_start(void)
{
	tsc_base = rdtsc();
}

uint64_t arch_time_ns(void)
{
	if (tsc_mult)
		return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_base) * tsc_mult) >> 32);
	return irq_stats.ticks * tick_ns;
}

static bool invariant_tsc(void)
{
	uint32_t c[4];
	cpuid(0x80000000, 0, c);
	if (c[0] < 0x80000007)
		return false;
	cpuid(0x80000007, 0, c);
	return c[3] & (1u << 8);
}

void arch_timer_init(unsigned hz)
{
	if (hz == 0)
		hz = 100;
	bool lapic = lapic_active();

	/* The PIT interval is the same for every round; a late look at the
	 * counter (an SMI, the host descheduling TCG) only makes a delta
	 * larger, so the smallest of a few rounds is the best estimate. */
	uint64_t best_tsc = UINT64_MAX;
	uint32_t best_lapic = UINT32_MAX;
	bool measured = false;
	for (int i = 0; i < CAL_ROUNDS; i++) {
		uint64_t dt;
		uint32_t dl = 0;
		if (lapic)
			lapic_timer_start_oneshot_masked();
		if (!pit_measure(CAL_PIT_TICKS, lapic, &dt, &dl))
			continue;
		measured = true;
		if (dt < best_tsc)
			best_tsc = dt;
		if (dl < best_lapic)
			best_lapic = dl;
	}
	if (lapic)
		lapic_timer_stop();

	if (measured && best_tsc) {
		uint64_t tsc_hz = best_tsc * PIT_HZ / CAL_PIT_TICKS;
		tsc_khz = tsc_hz / 1000;
		tsc_mult = (NSEC << 32) / tsc_hz;
		kprintf("minnow: timer: tsc %lu kHz%s\n", tsc_khz,
			invariant_tsc() ? ", invariant" : "");
	} else {
		kprintf("minnow: timer: PIT calibration failed; time follows the tick\n");
	}

	uint64_t bus_hz = measured && lapic
		? (uint64_t)best_lapic * LAPIC_TIMER_DIVIDE * PIT_HZ / CAL_PIT_TICKS : 0;
	uint64_t count = bus_hz / LAPIC_TIMER_DIVIDE / hz;
	if (lapic && count && count <= UINT32_MAX) {
		tick_ns = NSEC / hz;
		lapic_timer_periodic((uint32_t)count);
		kprintf("minnow: timer: lapic %u Hz (bus %lu kHz)\n", hz, bus_hz / 1000);
	} else {
		unsigned real = pit_periodic(hz);
		tick_ns = NSEC / real;
		unsigned gsi = irq_use_pit_timer();
		kprintf("minnow: timer: pit %u Hz (isa irq 0 -> gsi %u)\n", real, gsi);
	}
}

uint64_t arch_tsc_khz(void)
{
	return tsc_khz;
}
