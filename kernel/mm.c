/* mm.c - glue between the boot memory map, the frame allocator (pmm.c) and
 * the kernel object allocator (kmem.c).  Frames are reached through the
 * direct map, so every managed frame must lie below phys_map_end(). */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/mm.h"
#include "k/kmem.h"

static struct pmm pmm;         /* [kernel lock] */
static struct kmem kmem;       /* [kernel lock] */
static const struct boot_info *boot;   /* the memory map and modules, for mm_is_device */

static void *pmm_p2v(uint64_t pa, size_t len)
{
	if (pa >= phys_map_end() || len > phys_map_end() - pa)
		return NULL;
	return phys_to_virt(pa);
}

static void *kmem_pages(void *ctx, size_t n)
{
	(void)ctx;
	uint64_t pa = pmm_alloc_contig(&pmm, n, 1);
	if (!pa)
		return NULL;
	void *p = phys_to_virt(pa);
	memset(p, 0, n * PAGE_SIZE);
	return p;
}

static void kmem_unpages(void *ctx, void *p, size_t n)
{
	(void)ctx;
	enum pmm_err e = pmm_free_contig(&pmm, (uint64_t)p - (uint64_t)phys_to_virt(0), n);
	if (e)
		panic("kmem returned pages the frame allocator refuses (error %d)", e);
}

void kmem_bad_free(const void *p, const char *why)
{
	panic("kfree(%p): %s", p, why);
}

void mm_init(const struct boot_info *bi)
{
	struct pmm_range resv[BOOT_MAX_MODULES + 4];
	unsigned n = 0;
	boot = bi;
	resv[n++] = (struct pmm_range){ 0, 0x100000 };                 /* BIOS, IVT, EBDA, VGA */
	resv[n++] = (struct pmm_range){ kernel_phys_start(), kernel_phys_end() };
	resv[n++] = (struct pmm_range){ bi->mbi_start, bi->mbi_end };
	resv[n++] = (struct pmm_range){ phys_map_end(), ~0ull };      /* not reachable */
	for (unsigned i = 0; i < bi->nmod; i++)
		resv[n++] = (struct pmm_range){ bi->mod[i].start, bi->mod[i].end };

	enum pmm_err e = pmm_init(&pmm, bi->mem, bi->nmem, resv, n, pmm_p2v);
	if (e)
		panic("frame allocator: no usable memory (error %d)", e);
	struct kmem_page_source src = { kmem_pages, kmem_unpages, NULL };
	kmem_init(&kmem, &src);
	kmem.poison = CONFIG_KERNEL_DEBUG;     /* use after free is caught, in debug builds */
	kprintf("minnow: memory: %lu KiB free in %lu frames, kernel %lu KiB at %#lx\n",
		pmm.nfree * 4, pmm.nfree, (kernel_phys_end() - kernel_phys_start()) / 1024,
		kernel_phys_start());
}

uint64_t frame_alloc_zeroed(void)
{
	uint64_t pa = pmm_alloc(&pmm);
	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

uint64_t frame_alloc_contig(uint64_t n)
{
	return pmm_alloc_contig(&pmm, n, 1);
}

void frame_zero(uint64_t pa)
{
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
}

void frame_free_contig(uint64_t pa, uint64_t n)
{
	enum pmm_err e = n ? pmm_free_contig(&pmm, pa, n) : PMM_OK;
	if (unlikely(e))
		panic("frame_free_contig(%#lx, %lu): error %d", pa, n, e);
}

void frame_free(uint64_t pa)
{
	enum pmm_err e = pmm_free(&pmm, pa);
	if (unlikely(e))
		panic("frame_free(%#lx): error %d", pa, e);
}

bool mm_is_device(uint64_t pa, uint64_t end)
{
	if (unlikely(end <= pa))
		return false;
	return !boot_is_ram(boot, pa, end) &&
	       !(pa < kernel_phys_end() && kernel_phys_start() < end) &&
	       !arch_mmio_is_kernels(pa, end);
}

uint64_t frames_free(void) { return pmm.nfree; }
void *kmalloc(size_t size) { return kmem_alloc(&kmem, size); }
void kfree(void *p) { kmem_free(&kmem, p); }
void kmalloc_trim(void) { kmem_trim(&kmem); }
