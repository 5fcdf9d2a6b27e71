/* mem.c - a program's memory: regions of its address space that we back
 * with RAM from Sigma0.
 *
 * Every page we give a program is first ours: it lives in the program's
 * mirror window in our address space (at the region's mirror offset), and
 * what the program sees is a mapping derived from it.  So writing an ELF
 * segment or an environment page is a plain memory copy, and when the
 * program ends one unmap of the window (with our own pages) returns every
 * frame to the kernel and takes every derived mapping with it.
 *
 * mem= is a commitment limit: a region counts in full when it is made, so
 * a program learns it has run out when it asks (mem_alloc says L4_ENOMEM),
 * never by dying at a page fault in memory it was promised. */
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include "pci.h"
#include "roottask.h"

#define PAGE 4096ull

static uint64_t window(const struct prog *p)
{
	return RT_MIRROR_BASE + p->idx * RT_MIRROR_SPAN;
}

void mem_reset(struct prog *p)
{
	p->committed = p->mirror_next = 0;
	p->heap_next = P_HEAP_BASE;
	p->dma_next = P_DMA_BASE;
	p->shm_next = P_SHM_BASE;
	p->mmio_next = P_MMIO_BASE;
	p->nregions = p->ndev = 0;
	p->dma_count = p->shm_count = 0;
}

uint64_t mem_mirror(const struct prog *p, const struct region *r)
{
	return window(p) + r->mirror_off;
}

static bool fits(const struct prog *p, uint64_t size)
{
	return size && size <= p->cfg->mem && p->committed <= p->cfg->mem - size;
}

/* Count size more bytes against p's mem= quota (memory that is not a
 * region of ours: a thread's UTCB, which the kernel gives). */
int mem_commit(struct prog *p, uint64_t size)
{
	if (!fits(p, size))
		return -L4_ENOMEM;
	p->committed += size;
	return 0;
}

/* Reserve [va, va+size) (page aligned) against the quota.  A new heap
 * region right after the last one extends it (malloc grows in steps). */
int mem_region(struct prog *p, uint64_t va, uint64_t size, unsigned rights,
	       enum region_kind kind, struct region **out)
{
	if (!fits(p, size) || p->mirror_next + size > RT_MIRROR_SPAN)
		return -L4_ENOMEM;
	struct region *last = p->nregions ? &p->reg[p->nregions - 1] : 0;
	if (last && last->va + last->size == va && last->rights == rights && last->kind == kind &&
	    last->mirror_off + last->size == p->mirror_next) {
		last->size += size;
	} else {
		if (p->nregions == MAX_REGIONS)
			return -L4_ENOMEM;
		last = &p->reg[p->nregions++];
		*last = (struct region){ .va = va, .size = size, .mirror_off = p->mirror_next,
					 .rights = rights, .kind = kind };
	}
	p->mirror_next += size;
	p->committed += size;
	if (out)
		*out = last;
	return 0;
}

/* Our [ours, ours+size) at [va, va+size) in p, page by page (flexpages
 * would need both sides aligned to their size). */
int mem_map_range(struct prog *p, uint64_t ours, uint64_t va, uint64_t size, unsigned rights)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		int e = l4_task_mem_map(p->task, L4_FPAGE(ours + off, 12, rights), va + off);
		if (e)
			return e;
	}
	return 0;
}

/* Make the page of r at va present in the program (and in our mirror). */
int mem_back(struct prog *p, struct region *r, uint64_t va)
{
	/* LAB 3 BEGIN: a frame from Sigma0 at the page's place in our mirror, mapped on to the program */
	va &= ~(PAGE - 1);
	uint64_t ours = mem_mirror(p, r) + (va - r->va);
	int e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, ours, 1, 0, 0);
	if (e && e != -L4_ESLOT)            /* ESLOT: we have it already */
		return e;
	/* Its kernel memory (mapping nodes, page tables) is charged to its own
	 * factory: ENOMEM here is the program's quota, not the machine's. */
	e = l4_task_mem_map(p->task, L4_FPAGE(ours, 12, r->rights), va);
	return e == -L4_ENOMEM ? -L4_EAGAIN : e;
	/* LAB 3 END */
	return -L4_ENOSYS;
}

/* LAB 3 BEGIN: find(p, addr): the region of p that holds addr, or 0 */
static struct region *find(struct prog *p, uint64_t addr)
{
	for (unsigned i = 0; i < p->nregions; i++)
		if (addr - p->reg[i].va < p->reg[i].size)
			return &p->reg[i];
	return 0;
}
/* LAB 3 END */

/* The region of p that starts at addr, or 0 (not find(): lab 3's skeleton
 * leaves that out, and a share names a region by its start). */
static struct region *region_at(struct prog *p, uint64_t addr)
{
	for (unsigned i = 0; i < p->nregions; i++)
		if (p->reg[i].va == addr)
			return &p->reg[i];
	return 0;
}

/* A page fault of p at addr: 0 when it may go on, else why not. */
int mem_fault(struct prog *p, uint64_t addr, unsigned access, const char **why)
{
	*why = "the pager is not written yet (lab 3)";
	/* LAB 3 BEGIN: find addr's region, check the access against its rights, back the page */
	struct region *r = find(p, addr);
	if (!r) {
		*why = "no memory there";
		return -L4_EFAULT;
	}
	if ((access & L4_PF_WRITE) && !(r->rights & L4_MEM_W)) {
		*why = "write to read-only memory";
		return -L4_EPERM;
	}
	if ((access & L4_PF_EXEC) && !(r->rights & L4_MEM_X)) {
		*why = "execution of non-executable memory";
		return -L4_EPERM;
	}
	int e = mem_back(p, r, addr);
	if (e)
		*why = e == -L4_ENOMEM ? "the machine is out of memory" :
		       e == -L4_EAGAIN ? "its kernel memory quota is used up" : "cannot map the page";
	return e;
	/* LAB 3 END */
	return -L4_ENOSYS;
}

/* size bytes (page aligned, at most 16 MiB) of read-write memory, present
 * at once, at *next; *next moves past it and a guard page. */
static int eager(struct prog *p, uint64_t *next, uint64_t size, unsigned s0flags, uint64_t *va,
		 uint64_t *phys)
{
	struct region *r;
	if (size > (1u << 24))
		return -L4_EINVAL;
	int e = mem_region(p, *next, size, L4_MEM_R | L4_MEM_W, R_EAGER, &r);
	if (e)
		return e;
	uint64_t ours = mem_mirror(p, r) + (*next - r->va);
	if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, ours, size / PAGE, s0flags, phys)))
		return e;
	if ((e = mem_map_range(p, ours, *next, size, L4_MEM_R | L4_MEM_W)))
		return e;
	*va = *next;
	*next += size + PAGE;
	return 0;
}

/* Contiguous, present memory for DMA; *phys = its bus address. */
/* DMA memory lives in its own part of the mirror window (from
 * RT_MIRROR_DMA) and, for a program with a PCI function, outlives the
 * incarnation: its device may still write there after the program died
 * (until the next incarnation resets it), and a client may still hold
 * buffers in it (doc/restart.md).  Shared memory (shm_alloc) of a
 * program with restart= lives there too and outlives its incarnations
 * likewise: what its clients were given stays theirs while it restarts.
 * The k-th dma_alloc (shm_alloc) of an incarnation gets the k-th such
 * region kept from the one before when the size is the same: same
 * address, same bus address, same contents (not zeroed: the clients'
 * data are there).  A kept region that is not taken back stays held. */
static int kept(struct prog *p, bool shm, uint64_t size, uint64_t *next, uint64_t *va,
		uint64_t *phys)
{
	unsigned *count = shm ? &p->shm_count : &p->dma_count, k = 0, seen = 0;
	struct dma_region *d = 0;
	for (; k < p->ndma; k++)
		if (p->dma[k].shm == shm && seen++ == *count)
			break;
	if (k < p->ndma && p->dma[k].size == size)
		d = &p->dma[k];         /* else that one stays held, a new one follows */
	int e = mem_commit(p, size);
	if (e)
		return e;
	if (!d) {
		if (p->ndma == RT_MAX_DMA || p->dma_mirror_next + size > RT_MIRROR_SPAN - RT_MIRROR_DMA) {
			p->committed -= size;
			return -L4_ENOMEM;
		}
		d = &p->dma[p->ndma];
		*d = (struct dma_region){ .va = *next, .size = size, .shm = shm,
					  .mirror_off = RT_MIRROR_DMA + p->dma_mirror_next };
		if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, window(p) + d->mirror_off, size / PAGE,
					     shm ? 0 : L4_S0_CONTIGUOUS, &d->phys))) {
			p->committed -= size;
			return e;
		}
		p->dma_mirror_next += size;
		p->ndma++;
	}
	/* Kept regions keep their address too: the same calls in the same
	 * order land where they did. */
	if ((e = mem_map_range(p, window(p) + d->mirror_off, d->va, size, L4_MEM_R | L4_MEM_W)))
		return e;
	++*count;
	*va = d->va;
	if (phys)
		*phys = d->phys;
	if (*next < d->va + size + PAGE)
		*next = d->va + size + PAGE;
	return 0;
}

int mem_dma(struct prog *p, uint64_t size, uint64_t *va, uint64_t *phys)
{
	size = (size + PAGE - 1) & ~(PAGE - 1);
	if (size > (1u << 24))
		return -L4_EINVAL;
	return kept(p, false, size, &p->dma_next, va, phys);
}

/* parent_share: DMA or shared region addr of p (all of it) into program `to`
 * at `at`, read-write, mapped from our mirror: the mapping is ours, not
 * p's, so it outlives p (a restarted driver's client keeps its buffers). */
int mem_share(struct prog *p, uint64_t addr, struct prog *to, uint64_t at)
{
	struct dma_region *d = 0;
	unsigned nth[2] = { 0, 0 };     /* regions of each kind before i */
	for (unsigned i = 0; i < p->ndma && !d; i++) {
		bool shm = p->dma[i].shm;
		/* one this incarnation has (the first shm_count/dma_count of its kind) */
		if (p->dma[i].va == addr && nth[shm] < (shm ? p->shm_count : p->dma_count))
			d = &p->dma[i];
		nth[shm]++;
	}
	if (!d) {
		/* Shared memory of a program without restart=: an ordinary
		 * region, whose pages go (and the client's mapping with them)
		 * when the program ends. */
		struct region *r = region_at(p, addr);
		if (!r || addr < P_SHM_BASE || addr >= P_MMIO_BASE || r->kind != R_EAGER)
			return -L4_EINVAL;
		if ((at & (PAGE - 1)) || at < L4_ENV_RECV_BASE || at > L4_ENV_RECV_END - r->size)
			return -L4_EINVAL;
		return mem_map_range(to, mem_mirror(p, r), at, r->size, L4_MEM_R | L4_MEM_W);
	}
	if ((at & (PAGE - 1)) || at < L4_ENV_RECV_BASE || at > L4_ENV_RECV_END - d->size)
		return -L4_EINVAL;
	if (d->to == to->idx + 1 && d->to_gen == to->gen && d->to_at == at)
		return 0;                       /* still there from the incarnation before */
	int e = mem_map_range(to, window(p) + d->mirror_off, at, d->size, L4_MEM_R | L4_MEM_W);
	if (e)
		return e;
	d->to = to->idx + 1;
	d->to_gen = to->gen;
	d->to_at = at;
	return 0;
}

/* Memory p may hand to other programs (an L4_ITEM_MEM of its own pages):
 * present, since a map skips pages that are not, and a power of two in
 * size, aligned to it, so that one flexpage covers it. */
int mem_shared(struct prog *p, uint64_t size, uint64_t *va)
{
	uint64_t pow = PAGE;
	while (pow < size && pow < (1u << 24))
		pow <<= 1;
	if (pow < size)
		return -L4_EINVAL;
	p->shm_next = (p->shm_next + pow - 1) & ~(pow - 1);
	if (p->cfg->restart)
		return kept(p, true, pow, &p->shm_next, va, 0);
	return eager(p, &p->shm_next, pow, 0, va, 0);
}

/* Device registers, only inside a range the config gave p. */
int mem_device(struct prog *p, uint64_t phys, uint64_t size, uint64_t *va)
{
	static uint64_t next = RT_DEVICE_BASE;
	if (!size || (phys | size) & (PAGE - 1) || phys + size < phys)
		return -L4_EINVAL;
	bool ok = false;
	for (unsigned i = 0; i < p->cfg->nmmio; i++) {
		const struct cfg_range *m = &p->cfg->mmio[i];
		if (phys >= m->base && phys + size <= m->base + m->size)
			ok = true;
	}
	if (!ok && !pci_bar_covers(p, phys, size))
		return -L4_EPERM;
	if (p->ndev == MAX_DEVMAPS)
		return -L4_ENOMEM;
	int e = l4_sigma0_mem_device(L4_CAP_SIGMA0, next, phys, size / PAGE);
	if (!e)
		e = mem_map_range(p, next, p->mmio_next, size, L4_MEM_R | L4_MEM_W);
	p->dev[p->ndev].va = next;          /* recorded even on failure: released with the rest */
	p->dev[p->ndev++].pages = size / PAGE;
	next += size + PAGE;
	if (e)
		return e;
	*va = p->mmio_next;
	p->mmio_next += size + PAGE;
	return 0;
}

/* Unmap [va, va+size) of ours with everything derived from it, in the
 * largest flexpages that fit (an fpage is aligned to its size). */
static void unmap_ours(uint64_t va, uint64_t size)
{
	while (size) {
		unsigned order = 12;
		while (order < L4_FPAGE_MAX_ORDER && !(va & ((2ull << order) - 1)) &&
		       (2ull << order) <= size)
			order++;
		l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(va, order, L4_MEM_RWX), 1, 0);
		va += 1ull << order;
		size -= 1ull << order;
	}
}

/* Give back everything p's incarnation had: its frames go to the kernel. */
void mem_release(struct prog *p)
{
	unmap_ours(window(p), (p->mirror_next + PAGE - 1) & ~(PAGE - 1));
	for (unsigned i = 0; i < p->ndev; i++)
		unmap_ours(p->dev[i].va, p->dev[i].pages * PAGE);
	/* DMA memory without a device behind it is memory like any other.
	 * With one, it is held: nothing but a reset stops the device from
	 * writing there (bus mastering off does in QEMU; doc/restart.md). */
	if (!p->pci && !p->cfg->restart)
		mem_release_kept(p);
	mem_reset(p);
}

/* The kept regions too: p has ended for good (or never keeps them).
 * With a PCI function the DMA memory stays held all the same: nothing
 * reset the device. */
void mem_release_kept(struct prog *p)
{
	if (p->pci)
		return;
	unmap_ours(window(p) + RT_MIRROR_DMA, p->dma_mirror_next);
	p->ndma = 0;
	p->dma_mirror_next = 0;
}
