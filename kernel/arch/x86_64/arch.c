/* arch.c - x86-64 bring-up: consoles, descriptor tables, syscall MSRs and
 * the protection features the CPU offers. */
#include "k/kernel.h"
#include "k/arch.h"
#include <arch/cpu.h>
#include <arch/layout.h>
#include "serial.h"
#include "x86.h"
#include "k/irq.h"
#include <l4/sys/abi.h>

enum { VGA_TEXT = 0xb8000, VGA_TEXT_END = 0xc0000 };   /* the colour text buffer */

/* Time stamps for the benchmarks (L4_DBG_STAMP): the TSC at the kernel's
 * first instructions (boot.S stores it where the boot page tables still map
 * it at its physical address), and at the dispatch of the last device
 * interrupt (irq.c). */
extern uint64_t boot_tsc;
static uint64_t boot_stamp;
uint64_t irq_line_stamp;

uint64_t arch_stamp(unsigned which)
{
	return which == 0 ? boot_stamp : irq_line_stamp;
}

void arch_early_init(void)
{
	boot_stamp = *(volatile uint64_t *)&boot_tsc;
	serial_init();
	if (CONFIG_VGA_CONSOLE)
		vga_init();
	gdt_init();
	idt_init();
	pic_disable();
}

void arch_console_write(const char *s, size_t n)
{
	serial_write(s, n);
	if (CONFIG_VGA_CONSOLE)
		vga_write(s, n);
}

void arch_device_lend(uint64_t pa, uint64_t end)
{
	if (CONFIG_VGA_CONSOLE && pa < VGA_TEXT_END && end > VGA_TEXT)
		vga_lend();
}

int arch_console_getc(void)
{
	return serial_getc();
}

int arch_console_poll(void)
{
	return serial_getc_nowait();
}

/* The console's input interrupt: COM1 is ISA IRQ 4. */
int arch_console_irq_enable(void)
{
	bool level, low;
	unsigned gsi = arch_isa_irq_to_gsi(4, &level, &low);
	if (arch_irq_config(gsi, level, low))
		return -1;
	serial_enable_rx_irq();
	arch_irq_unmask(gsi);
	return (int)gsi;
}

/* syscall/sysret (SDM 2B; 3A 5.8.8): STAR holds the selectors, LSTAR the
 * entry point, FMASK the RFLAGS bits to clear on entry.  SMEP and SMAP
 * (3A 4.6.1) keep the kernel from running or touching user pages by
 * accident: the kernel reaches user memory only through the direct map
 * after checking the user's page tables (paging.c). */
void arch_cpu_init(void)
{
	wrmsr(MSR_STAR, x86_msr_star_sysret_insert(x86_msr_star_syscall_insert(0, SEL_KCODE), SEL_KDATA));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC | RFLAGS_NT |
	      RFLAGS_IOPL);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);

	/* SSE for user code (SDM 3A 13.1.3): OSFXSR + OSXMMEXCPT, CR0.MP on, EM off.
	 * The kernel itself is built without SSE; FPU state is the task's. */
	write_cr0((read_cr0() & ~CR0_EM) | CR0_MP);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		if (r[1] & (1u << 7))
			cr4 |= CR4_SMEP;
		if (r[1] & (1u << 20))
			cr4 |= CR4_SMAP;
	}
	write_cr4(cr4);
	kprintf("minnow: cpu: syscall/sysret, NX%s%s\n",
		cr4 & CR4_SMEP ? ", SMEP" : "", cr4 & CR4_SMAP ? ", SMAP" : "");
}

/* What the KIP reports about this CPU and platform. */
uint32_t arch_features(void)
{
	uint64_t cr4 = read_cr4();
	return (cr4 & CR4_SMEP ? L4_FEAT_SMEP : 0) | (cr4 & CR4_SMAP ? L4_FEAT_SMAP : 0) |
	       (arch_irq_lines() > 16 ? L4_FEAT_IOAPIC : 0) | L4_FEAT_LAPIC_TIMER;
}

void arch_dump_regs(void)
{
	uint64_t rsp, rbp;
	__asm__ volatile("mov %%rsp, %0; mov %%rbp, %1" : "=r"(rsp), "=r"(rbp));
	kprintf("  rsp=%016lx rbp=%016lx cr0=%016lx cr2=%016lx\n  cr3=%016lx cr4=%016lx\n",
		rsp, rbp, read_cr0(), read_cr2(), read_cr3(), read_cr4());
	/* A short frame-pointer backtrace: the kernel keeps frame pointers. */
	for (int i = 0; i < 8 && rbp >= KERNEL_VMA && !(rbp & 7); i++) {
		uint64_t *fp = (uint64_t *)rbp;
		kprintf("  #%d %016lx\n", i, fp[1]);
		rbp = fp[0];
	}
}
