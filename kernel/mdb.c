/* mdb.c - the mapping database; see mdb.h. */
#include "k/kernel.h"
#include "k/arch.h"
#include "k/factory.h"
#include "k/mdb.h"
#include "k/mm.h"
#include "k/obj.h"
#include "k/preempt.h"
#include "k/task.h"
#include <arch/layout.h>
#include <l4/sys/abi.h>

static unsigned vm_prot(unsigned rights, bool device)
{
	return (rights & L4_MEM_R ? VM_READ : 0) | (rights & L4_MEM_W ? VM_WRITE : 0) |
	       (rights & L4_MEM_X ? VM_EXEC : 0) | (device ? VM_UNCACHED : 0);
}

/* ---- the per-task table ---- */

static inline uint32_t hash(uint64_t va, uint32_t n)
{
	return (uint32_t)(((va >> PAGE_SHIFT) * 0x9E3779B97F4A7C15ull) >> 32) & (n - 1);
}

/* While the table grows, nodes not yet moved are still in the old array
 * (its buckets below mt.moved are empty): look in both.  The old array is
 * searched out of line, the rest is inline in this file's walks (as the
 * whole lookup was before the table grew in steps): a map or unmap looks
 * up two to four times a page, and a call with its register moves for
 * each was some 20 instructions a page in make bench's map-2m. */
static __attribute__((noinline)) struct mapping *lookup_old(struct task *t, uint64_t va)
{
	for (struct mapping *m = t->mt.old[hash(va, t->mt.nold)]; m; m = m->hnext)
		if (m->va == va)
			return m;
	return NULL;
}

static inline __attribute__((always_inline)) struct mapping *lookup(struct task *t, uint64_t va)
{
	if (!t->mt.nbuckets)
		return NULL;
	for (struct mapping *m = t->mt.buckets[hash(va, t->mt.nbuckets)]; m; m = m->hnext)
		if (m->va == va)
			return m;
	return unlikely(t->mt.old != NULL) ? lookup_old(t, va) : NULL;
}

struct mapping *mdb_lookup(struct task *t, uint64_t va)
{
	return lookup(t, va);
}

/* Move a few buckets of the old array into the new one.  Growing moves
 * nothing at once: each new node moves REHASH_STEP old buckets, so a table
 * of 2^18 nodes never stops the kernel for a rehash of them all (5 ms of
 * guest time at 2^17 nodes: longops' map-dense).  The old array has half
 * the buckets, and filling the new one takes as many insertions as the
 * old has buckets, so the move always ends before the next growth. */
#define REHASH_STEP 4
/* A new array is zeroed frames, all in one go: 2^16 buckets (512 KiB) is
 * about 0.5 ms of guest time; beyond that the chains grow instead (four
 * nodes each at 2^18 pages, sixteen at 2^20). */
#define MT_MAX_BUCKETS (1u << 16)

static void rehash_step(struct task *t)
{
	struct mtable *mt = &t->mt;
	for (unsigned k = 0; k < REHASH_STEP && mt->moved < mt->nold; k++, mt->moved++) {
		struct mapping *m = mt->old[mt->moved], *next;
		mt->old[mt->moved] = NULL;
		for (; m; m = next) {
			next = m->hnext;
			uint32_t h = hash(m->va, mt->nbuckets);
			m->hnext = mt->buckets[h];
			mt->buckets[h] = m;
		}
	}
	if (mt->old && mt->moved == mt->nold) {
		factory_free(t->factory, mt->old, mt->nold * sizeof *mt->old);
		mt->old = NULL;
		mt->nold = mt->moved = 0;
	}
}

static int table_grow(struct task *t)
{
	struct mtable *mt = &t->mt;
	while (mt->old)
		rehash_step(t);          /* not reached (see above); kept for safety */
	uint32_t n = mt->nbuckets ? mt->nbuckets * 2 : 64;
	int err = 0;
	struct mapping **b = factory_alloc(t->factory, n * sizeof *b, &err);
	if (!b)
		return err;
	mt->old = mt->buckets;
	mt->nold = mt->nbuckets;
	mt->moved = 0;
	mt->buckets = b;
	mt->nbuckets = n;
	if (!mt->old)
		mt->nold = 0;
	return 0;
}

static void table_remove(struct task *t, struct mapping *m)
{
	struct mtable *mt = &t->mt;
	for (struct mapping **p = &mt->buckets[hash(m->va, mt->nbuckets)]; *p; p = &(*p)->hnext)
		if (*p == m) {
			*p = m->hnext;
			mt->count--;
			return;
		}
	if (mt->old)
		for (struct mapping **p = &mt->old[hash(m->va, mt->nold)]; *p; p = &(*p)->hnext)
			if (*p == m) {
				*p = m->hnext;
				mt->count--;
				return;
			}
	panic("mdb: node %#lx not in its task's table", m->va);
}

/* A node for (t, va) -> pa, entered in the page tables and the table. */
static struct mapping *node_new(struct task *t, uint64_t va, uint64_t pa, unsigned rights,
				bool device, int *err)
{
	if (t->mt.count >= t->mt.nbuckets && t->mt.nbuckets < MT_MAX_BUCKETS &&
	    (*err = table_grow(t)))
		return NULL;
	if (t->mt.old)
		rehash_step(t);
	struct mapping *m = factory_alloc(t->factory, sizeof *m, err);
	if (!m)
		return NULL;
	/* The page tables a mapping may need (three levels below the PML4) are
	 * the task's cost too, or a task mapping one page at ever new places
	 * would take frames without limit; what as_set did not use goes back. */
	if ((*err = factory_charge(t->factory, 3 * PAGE_SIZE))) {
		factory_free(t->factory, m, sizeof *m);
		return NULL;
	}
	uint64_t before = as_frames(&t->as);
	*err = as_set(&t->as, va, pa, vm_prot(rights, device));
	uint64_t used = (as_frames(&t->as) - before) * PAGE_SIZE;
	factory_refund(t->factory, 3 * PAGE_SIZE - used);
	t->table_charge += used;
	if (*err) {
		factory_free(t->factory, m, sizeof *m);
		return NULL;
	}
	m->task = t;
	m->va = va;
	m->pa = pa;
	m->rights = (uint8_t)rights;
	m->device = device;
	uint32_t h = hash(va, t->mt.nbuckets);
	m->hnext = t->mt.buckets[h];
	t->mt.buckets[h] = m;
	t->mt.count++;
	return m;
}

/* Take a leaf out of everything: tree, table, page tables; free it. */
static void node_free(struct mapping *m)
{
	assert(!m->child);
	if (m->parent && m->parent->child == m)
		m->parent->child = m->next;
	if (m->prev)
		m->prev->next = m->next;
	if (m->next)
		m->next->prev = m->prev;
	struct task *t = m->task;
	as_unmap(&t->as, m->va);
	table_remove(t, m);
	if (m->owns_frame)
		frame_free(m->pa);
	factory_free(t->factory, m, sizeof *m);
}

/* Remove everything below m, deepest first, without recursion, counting
 * into *n.  With preemptible, stops (false) when a preemption point says
 * so; what is left is still a tree below m, so a second call goes on. */
static inline __attribute__((always_inline)) bool
remove_below(struct mapping *m, uint64_t *n, bool preemptible)
{
	struct mapping *cur = m->child;
	while (cur) {
		while (cur->child)
			cur = cur->child;
		struct mapping *up = cur->parent;
		node_free(cur);
		(*n)++;
		if (preemptible && preempt_point())
			return false;
		cur = up == m ? m->child : up;
	}
	return true;
}

int mdb_insert_root(struct task *t, uint64_t va, uint64_t pa, unsigned rights, bool owns,
		    bool device)
{
	if (lookup(t, va))
		return -L4_ESLOT;
	int err = 0;
	struct mapping *m = node_new(t, va, pa, rights, device, &err);
	if (!m)
		return err;
	m->owns_frame = owns;
	return 0;
}

/* Map one page.  A destination that src mapped before (its child) gains
 * the rights asked - how a pager upgrades a mapping; it never loses any,
 * or its own children could end with more than it has (unmap lowers). */
static inline __attribute__((always_inline)) int
map_page(struct mapping *src, struct task *to, uint64_t dst, unsigned rights)
{
	struct mapping *d = lookup(to, dst);
	if (d) {
		if (d->parent != src)                /* mdb_map_check refused that */
			return -L4_ESLOT;
		d->rights |= (uint8_t)rights;
		return as_set(&to->as, dst, d->pa, vm_prot(d->rights, d->device));
	}
	int err = 0;
	struct mapping *m = node_new(to, dst, src->pa, rights, src->device, &err);
	if (!m)
		return err;
	m->parent = src;
	m->next = src->child;
	if (src->child)
		src->child->prev = m;
	src->child = m;
	return 0;
}

/* A flexpage's pages are visited one by one with the kernel lock held, so
 * its size is bounded: the kernel is not preemptible, and a 2^47-byte
 * flexpage would keep it busy for hours. */
static bool fpage_ok(uint64_t fpage, uint64_t *base, uint64_t *size)
{
	unsigned order = L4_FPAGE_ORDER(fpage);
	if (order < PAGE_SHIFT || order > L4_FPAGE_MAX_ORDER)
		return false;
	*size = 1ull << order;
	*base = L4_FPAGE_BASE(fpage);
	return !(*base & (*size - 1)) && *base < USER_TOP && *size <= USER_TOP - *base;
}

/* The database node of the next page of [base, base + size) that t has
 * mapped, at or after *off (which it moves there); NULL if none.  A mapped
 * page costs one lookup, as before; a hole is crossed by one walk of the
 * page tables (every database page is in them), so a sparse flexpage costs
 * its mapped pages and the empty table entries between them, not 2^18
 * lookups per GiB (ipc-31gib in pkg/longops: 1.3 s of guest time before). */
static struct mapping *next_mapping(struct task *t, uint64_t base, uint64_t *off, uint64_t size)
{
	while (*off < size) {
		struct mapping *m = lookup(t, base + *off);
		if (m)
			return m;
		uint64_t n = as_next_present(&t->as, base + *off, base + size) - base;
		*off = n > *off ? n : *off + PAGE_SIZE;   /* present, no node (a UTCB): step over */
	}
	return NULL;
}

/* The check, from *pos on: only the source's mapped pages matter (the
 * walk skips the rest).  Each page below limit is a preemption point
 * (limit: the size, or 0 for none); where it stopped goes to *pos then,
 * and only then: a call that is not stopped keeps no bookkeeping. */
static int map_check(struct task *from, uint64_t base, uint64_t size, struct task *to,
		     uint64_t dst, uint64_t *pos, uint64_t limit, uint64_t *budget)
{
	struct mapping *s;
	for (uint64_t off = *pos; (s = next_mapping(from, base, &off, size)); ) {
		if (budget && !(*budget)--)
			return MDB_TOO_MANY;             /* more pages than an IPC may map */
		struct mapping *d = lookup(to, dst + off);
		/* A taken destination is only updated where s itself put it:
		 * another frame, or the same frame by another path (s's own
		 * parent, say), stays as it is. */
		if (d && d->parent != s)
			return -L4_ESLOT;
		if (!d && as_pinned(&to->as, dst + off))
			return -L4_ESLOT;                /* a UTCB: found now, before anything moved */
		if (from == to && base + off == dst + off)
			return EINVAL_AT(1);             /* a page onto itself */
		off += PAGE_SIZE;
		if (off < limit && preempt_point()) {
			*pos = off;
			return OBJ_PREEMPTED;
		}
	}
	return 0;
}

static int map_args(uint64_t fpage, uint64_t dst, uint64_t *base, uint64_t *size)
{
	if (!fpage_ok(fpage, base, size))
		return EINVAL_AT(0);
	if (dst & (PAGE_SIZE - 1) || dst >= USER_TOP || *size > USER_TOP - dst)
		return EINVAL_AT(1);
	return 0;
}

int mdb_map_check(struct task *from, uint64_t fpage, struct task *to, uint64_t dst,
		  uint64_t *budget)
{
	uint64_t base, size, pos = 0;
	int e = map_args(fpage, dst, &base, &size);
	return e ? e : map_check(from, base, size, to, dst, &pos, 0, budget);
}

int mdb_map_fpage(struct task *from, uint64_t fpage, struct task *to, uint64_t dst,
		  struct preempt_cont *pc)
{
	uint64_t base, size;
	int e = map_args(fpage, dst, &base, &size);
	if (e)
		return e;
	/* Without a continuation no page is a preemption point (limit 0);
	 * with one, where a stopped call goes on is written when it stops. */
	uint64_t limit = pc ? size : 0, pos = pc ? pc->pos : 0;
	/* Phase 0 checks everything first, so that a refused map changes
	 * nothing; phase 1 maps. */
	if (!pc || pc->phase == 0) {
		if ((e = map_check(from, base, size, to, dst, &pos, limit, NULL))) {
			if (e == OBJ_PREEMPTED)
				pc->pos = pos;
			return e;
		}
		pos = 0;
	}
	unsigned rights = L4_FPAGE_RIGHTS(fpage);
	struct mapping *s;
	for (uint64_t off = pos; (s = next_mapping(from, base, &off, size)); ) {
		if ((e = map_page(s, to, dst + off, rights & s->rights)))
			return e;
		off += PAGE_SIZE;
		if (off < limit && preempt_point()) {
			pc->phase = 1;
			pc->pos = off;
			return OBJ_PREEMPTED;
		}
	}
	return 0;
}

int mdb_map_checked(struct task *from, uint64_t fpage, struct task *to, uint64_t dst)
{
	uint64_t base, size;
	int e = map_args(fpage, dst, &base, &size);
	if (e)
		return e;
	unsigned rights = L4_FPAGE_RIGHTS(fpage);
	struct mapping *s;
	for (uint64_t off = 0; (s = next_mapping(from, base, &off, size)); off += PAGE_SIZE)
		if ((e = map_page(s, to, dst + off, rights & s->rights)))
			return e;
	return 0;
}

int mdb_unmap_fpage(struct task *t, uint64_t fpage, bool self, struct preempt_cont *pc,
		    uint64_t *count)
{
	uint64_t base, size;
	if (!fpage_ok(fpage, &base, &size))
		return EINVAL_AT(0);
	/* As for a map: where to go on, and the count so far, are written
	 * to pc only when a point stops the call. */
	uint64_t limit = pc ? size : 0, n = pc ? pc->count : 0;
	struct mapping *m;
	for (uint64_t off = pc ? pc->pos : 0; (m = next_mapping(t, base, &off, size)); ) {
		if (!remove_below(m, &n, pc != NULL)) {
			pc->pos = off;           /* stopped below m: this page again */
			pc->count = n;
			return OBJ_PREEMPTED;
		}
		if (self) {
			/* Its own place in the tree goes too. */
			node_free(m);
			n++;
		}
		off += PAGE_SIZE;
		if (off < limit && preempt_point()) {
			pc->pos = off;
			pc->count = n;
			return OBJ_PREEMPTED;
		}
	}
	*count = n;
	return 0;
}

bool mdb_task_destroy(struct task *t, bool preemptible)
{
	while (t->mt.old) {
		rehash_step(t);          /* one array to empty, a few buckets a point */
		if (preemptible && preempt_point())
			return false;
	}
	/* Progress is the table itself (what is removed is gone; nothing maps
	 * into a dying task) and the bucket reached, t->destroy_pos. */
	for (; t->destroy_pos < t->mt.nbuckets; t->destroy_pos++)
		while (t->mt.buckets[t->destroy_pos]) {
			uint32_t i = (uint32_t)t->destroy_pos;
			struct mapping *m = t->mt.buckets[i];
			uint64_t n = 0;
			if (!remove_below(m, &n, preemptible))
				return false;
			node_free(m);
			if (preemptible && preempt_point())
				return false;
		}
	if (t->mt.buckets)
		factory_free(t->factory, t->mt.buckets, t->mt.nbuckets * sizeof(struct mapping *));
	t->mt.buckets = NULL;
	t->mt.nbuckets = t->mt.count = 0;
	return true;
}

/* ---- Sigma0 ---- */

/* What one last-level page table maps: one check of phase 0 below. */
#define TABLE_SPAN (512 * PAGE_SIZE)

/* Phase 0 of Sigma0's RAM and device maps: no page of [va, va + size) is
 * taken in t (or a UTCB, the KIP), a page table's worth per preemption
 * point, from pc->pos on.  0 when the whole range is free. */
static int range_free(struct task *t, uint64_t va, uint64_t size, struct preempt_cont *pc)
{
	while (pc->pos < size) {
		uint64_t stop = ALIGN_DOWN(va + pc->pos, TABLE_SPAN) + TABLE_SPAN;
		if (stop > va + size)
			stop = va + size;
		if (as_next_present(&t->as, va + pc->pos, stop) != stop)
			return -L4_ESLOT;
		pc->pos = stop - va;
		if (pc->pos < size && preempt_point())
			return OBJ_PREEMPTED;
	}
	return 0;
}

/* Sigma0's fresh RAM.  Phase 0 checks that no page of the range is taken
 * (a page table's worth per preemption point) and that the frames are
 * there; phase 1 takes a zeroed frame per page, each a preemption point
 * (16,384 pages were 60 ms in one go); a page that cannot be entered
 * (frames or quota gone meanwhile, a page taken by another thread of the
 * task) sends it to phase 2, which takes back the pages before it, also in
 * steps, and returns the error: all or nothing.  A contiguous run is
 * reserved whole at the end of phase 0 (one bitmap search, not zeroed) and
 * handed over a page at a time in phase 1, zeroed then, in steps as the
 * rest; the frames not yet handed over belong to the continuation, whose
 * release hook gives them back if it is dropped part way (64 MiB in one
 * stretch were 60 ms). */
static void contig_release(struct preempt_cont *pc)
{
	/* Phase 1 of a contiguous run: pages pos.. are still the run's. */
	frame_free_contig(pc->aux + pc->pos * PAGE_SIZE, pc->count - pc->pos);
}

int mdb_alloc_anon(struct task *t, uint64_t va, uint64_t npages, unsigned flags, uint64_t *out,
		   unsigned *nout, struct preempt_cont *pc)
{
	if (va & (PAGE_SIZE - 1) || va >= USER_TOP)
		return EINVAL_AT(0);
	if (!npages || npages > (1u << 20) || npages > (USER_TOP - va) / PAGE_SIZE)
		return EINVAL_AT(1);
	bool contig = flags & L4_S0_CONTIGUOUS;
	uint64_t size = npages * PAGE_SIZE;
	int e;
	if (pc->phase == 0) {
		if ((e = range_free(t, va, size, pc)))
			return e;
		if (frames_free() < npages + 64)        /* keep a reserve for page tables */
			return -L4_ENOMEM;
		pc->aux = 0;
		if (contig && !(pc->aux = frame_alloc_contig(npages)))
			return -L4_ENOMEM;
		pc->phase = 1;
		pc->pos = 0;
		if (contig) {
			pc->count = npages;
			pc->release = contig_release;   /* the run is the call's until handed over */
		}
	}
	if (pc->phase == 1) {
		while (pc->pos < npages) {
			uint64_t i = pc->pos;
			uint64_t pa = contig ? pc->aux + i * PAGE_SIZE : frame_alloc_zeroed();
			if (contig)
				frame_zero(pa);
			e = pa ? mdb_insert_root(t, va + i * PAGE_SIZE, pa, L4_MEM_RWX, true, false)
			       : -L4_ENOMEM;
			if (unlikely(e)) {
				if (contig) {            /* page i and the rest of the run */
					frame_free_contig(pa, npages - i);
					pc->release = NULL;
				} else if (pa) {
					frame_free(pa);
				}
				pc->phase = 2;           /* take back pages 0..i-1 */
				pc->count = (uint64_t)-e;
				break;
			}
			if (i == 0 && !contig)
				pc->aux = pa;            /* the first page's frame: the reply */
			pc->pos = i + 1;
			if (pc->pos < npages && preempt_point())
				return OBJ_PREEMPTED;
		}
		if (pc->phase == 1) {
			pc->release = NULL;              /* every page handed over */
			out[0] = pc->aux;
			*nout = 1;
			return 0;
		}
	}
	while (pc->pos) {
		pc->pos--;
		/* Another thread of the task may have unmapped or mapped on a
		 * page meanwhile: what is there now goes. */
		struct mapping *m = lookup(t, va + pc->pos * PAGE_SIZE);
		if (m) {
			uint64_t n = 0;
			remove_below(m, &n, false);
			node_free(m);                    /* frees its frame */
		}
		if (pc->pos && preempt_point())
			return OBJ_PREEMPTED;
	}
	return -(int)pc->count;
}


/* Device memory: whatever the firmware does not call usable RAM and the
 * kernel does not use itself (mm_is_device), below the 46 physical address
 * bits the page tables take here.  Phase 0 checks that no page of the range
 * is taken (a page table's worth per preemption point), phase 1 enters the
 * pages, each a preemption point (2^18 of them were 0.40 s in one go). */
int mdb_map_device(struct task *t, uint64_t va, uint64_t pa, uint64_t npages,
		   struct preempt_cont *pc)
{
	if ((va | pa) & (PAGE_SIZE - 1) || !npages || npages > (1u << 18) || va >= USER_TOP ||
	    npages > (USER_TOP - va) / PAGE_SIZE)
		return -L4_EINVAL;
	uint64_t end = pa + npages * PAGE_SIZE, size = npages * PAGE_SIZE;
	if (unlikely(end > (1ull << 46) || end < pa || !mm_is_device(pa, end)))
		return -L4_EPERM;
	if (pc->phase == 0) {
		int e = range_free(t, va, size, pc);
		if (e)
			return e;                /* a page there: nothing changed */
		pc->phase = 1;
		pc->pos = 0;
	}
	while (pc->pos < npages) {
		uint64_t i = pc->pos;
		int e = mdb_insert_root(t, va + i * PAGE_SIZE, pa + i * PAGE_SIZE,
					L4_MEM_R | L4_MEM_W, false, true);
		if (e)
			return e;                /* kernel memory, or a page entered meanwhile */
		pc->pos = i + 1;
		if (pc->pos < npages && preempt_point())
			return OBJ_PREEMPTED;
	}
	arch_device_lend(pa, end);
	return 0;
}

int mdb_phys_query(struct task *t, uint64_t va, uint64_t *out, unsigned *nout)
{
	struct mapping *m = lookup(t, va & ~(PAGE_SIZE - 1));
	if (!m)
		return -L4_EFAULT;
	out[0] = m->pa | (va & (PAGE_SIZE - 1));
	*nout = 1;
	return 0;
}

static bool check_bucket(const struct task *t, struct mapping *const *b, uint32_t nb, uint32_t i,
			 uint32_t *n, const char **why)
{
	for (const struct mapping *m = b[i]; m; m = m->hnext) {
		(*n)++;
		if (m->task != t || hash(m->va, nb) != i) {
			*why = "mapping in the wrong table or bucket";
			return false;
		}
		if (m->parent && (m->parent->pa != m->pa || (m->rights & ~m->parent->rights))) {
			*why = "mapping differs from its parent's frame or rights";
			return false;
		}
		for (const struct mapping *c = m->child; c; c = c->next)
			if (c->parent != m || (c->next && c->next->prev != c)) {
				*why = "mapping tree links disagree";
				return false;
			}
	}
	return true;
}

bool mdb_check(const struct task *t, const char **why)
{
	const struct mtable *mt = &t->mt;
	uint32_t n = 0;
	for (uint32_t i = 0; i < mt->nbuckets; i++)
		if (!check_bucket(t, mt->buckets, mt->nbuckets, i, &n, why))
			return false;
	for (uint32_t i = 0; mt->old && i < mt->nold; i++) {
		if (i < mt->moved && mt->old[i]) {
			*why = "mapping left in a moved bucket of the old table";
			return false;
		}
		if (!check_bucket(t, mt->old, mt->nold, i, &n, why))
			return false;
	}
	if (n != mt->count) {
		*why = "mapping table count wrong";
		return false;
	}
	return true;
}
