/* main.c - kmain: from boot.S to the root task.
 * The order matters: consoles first (so everything after can complain),
 * then the boot information (copied out before its memory is reused), the
 * real page tables, the frame allocator, the CPU features, the root task. */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/bootinfo.h"
#include "k/mm.h"
#include "k/irq.h"
#include "k/kip.h"
#include "k/kdebug.h"
#include <l4/sys/abi.h>
#include "k/roottask.h"
#include "k/sched.h"
#include <arch/thread.h>

#define MINNOW_VERSION "0.1"
#define TIMER_HZ 100

static struct boot_info bootinfo;     /* written once, here */

static const char *const mem_type_name[] = {
	[BOOT_MEM_USABLE] = "usable", [BOOT_MEM_RESERVED] = "reserved",
	[BOOT_MEM_ACPI] = "ACPI", [BOOT_MEM_NVS] = "ACPI NVS", [BOOT_MEM_BAD] = "bad",
};

static void print_boot_info(const struct boot_info *bi)
{
	kprintf("minnow: booted via multiboot%d by %s; kernel command line '%s'\n",
		bi->proto, bi->loader[0] ? bi->loader : "an unnamed loader", bi->cmdline);
	for (unsigned i = 0; CONFIG_BOOT_VERBOSE && i < bi->nmem; i++)
		kprintf("minnow:   mem %#014lx-%#014lx %s\n", bi->mem[i].base,
			bi->mem[i].base + bi->mem[i].len,
			bi->mem[i].type < ARRAY_SIZE(mem_type_name) && mem_type_name[bi->mem[i].type]
				? mem_type_name[bi->mem[i].type] : "?");
	for (unsigned i = 0; i < bi->nmod; i++)
		kprintf("minnow:   module %u: %#lx-%#lx '%s'\n", i, bi->mod[i].start,
			bi->mod[i].end, bi->mod[i].cmdline);
}

void kmain(uint32_t magic, uint64_t mbi);

void kmain(uint32_t magic, uint64_t mbi)
{
	arch_early_init();
	kprintf("Minnow " MINNOW_VERSION " (x86_64) starting\n");

	enum boot_err e = boot_parse(magic, mbi, arch_boot_p2v, &bootinfo);
	if (e) {
		kprintf("minnow: unusable boot information (magic %#x at %#lx): %s\n",
			magic, mbi, boot_strerror(e));
		arch_shutdown(SHUTDOWN_BOOT_ERROR);
	}
	print_boot_info(&bootinfo);
	arch_vm_init(&bootinfo);
	mm_init(&bootinfo);
	arch_cpu_init();
	arch_fpu_init();
	arch_irq_init();
	arch_timer_init(TIMER_HZ);
	kip_init(&bootinfo, arch_features() | (CONFIG_KDB ? L4_FEAT_KDB : 0) |
		 (CONFIG_KERNEL_DEBUG ? L4_FEAT_DEBUG : 0) | L4_FEAT_FASTPATH, TIMER_HZ);
	kdebug_init(bootinfo.cmdline);
	sched_init();

	if (bootinfo.nmod == 0) {
		kprintf("minnow: no boot modules: nothing to run (the first module is the root task)\n");
		arch_shutdown(SHUTDOWN_BOOT_ERROR);
	}
	roottask_create(&bootinfo);
	sched_start();
}
