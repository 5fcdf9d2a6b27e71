/* kip.c - the kernel info page; see kip.h. */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/irq.h"
#include "k/kip.h"
#include "k/mm.h"
#include <l4/sys/abi.h>

static struct l4_kip *kip;          /* kernel view; written only here */
static uint64_t kip_phys;

void kip_init(const struct boot_info *bi, uint32_t features, uint32_t timer_hz)
{
	kip_phys = frame_alloc_zeroed();
	if (!kip_phys)
		panic("no frame for the kernel info page");
	kip = phys_to_virt(kip_phys);
	kip->magic = L4_KIP_MAGIC;
	kip->version = L4_KIP_VERSION;
	kip->features = features;
	kip->timer_hz = timer_hz;
	kip->tsc_khz = arch_tsc_khz();
	ksnprintf(kip->kernel, sizeof kip->kernel, "Minnow 0.1 (x86_64)");
	for (unsigned i = 0; i < bi->nmem && i < L4_KIP_MEM_MAX; i++) {
		kip->mem[i].base = bi->mem[i].base;
		kip->mem[i].size = bi->mem[i].len;
		kip->mem[i].type = bi->mem[i].type;
		kip->nmem = i + 1;
	}
}

int kip_map(struct aspace *as)
{
	return as_map(as, L4_KIP_ADDR, kip_phys, VM_READ | VM_PINNED);   /* shared, never owned */
}

void kip_tick(uint64_t now_ns)
{
	kip->clock_ns = now_ns;
	kip->ticks++;
}
