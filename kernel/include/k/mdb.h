/* mdb.h - the mapping database: where every user page came from.
 *
 * Each page mapped into a task through the MDB has a node; a page mapped
 * from another task's page is that node's child.  Unmapping a page removes
 * everything derived from it, in every address space, however deep (L4's
 * recursive unmap).  Roots are pages the kernel gave out: the root task's
 * image, and what Sigma0 hands the root task (free RAM, device memory).  A
 * root that owns its frame frees it when it goes; and when a task dies, its
 * nodes go with everything derived from them.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct task;
struct preempt_cont;

struct mapping {
	struct task *task;            /* whose address space */
	uint64_t va;                  /* page address there */
	uint64_t pa;                  /* the frame */
	uint8_t rights;               /* L4_MEM_R | L4_MEM_W | L4_MEM_X */
	bool owns_frame;              /* a root that frees the frame when removed */
	bool device;                  /* uncached device memory */
	struct mapping *parent, *child, *next, *prev;   /* derivation tree */
	struct mapping *hnext;        /* chain in the task's table */
};

/* The per-task index va -> node (a hash table, grown as needed). */
struct mtable {
	struct mapping **buckets;
	uint32_t nbuckets;
	uint32_t count;
	/* Growing: the previous array, its size, and how many of its buckets
	 * have been moved into buckets[] (mdb.c: rehash_step). */
	struct mapping **old;
	uint32_t nold, moved;
};

int mdb_insert_root(struct task *t, uint64_t va, uint64_t pa, unsigned rights, bool owns,
		    bool device);
/* Map [src, src + 2^order) of from at dst in to, rights at most the source's.
 * Pages of from that are not mapped are skipped; an occupied destination
 * page with another frame is refused (-L4_ESLOT) before anything changes.
 * With a continuation pc (a system call's: preempt.h) the walk stops at a
 * preemption point with OBJ_PREEMPTED and goes on from pc when called
 * again; NULL: no preemption (an IPC's memory items). */
int mdb_map_fpage(struct task *from, uint64_t fpage, struct task *to, uint64_t dst,
		  struct preempt_cont *pc);
/* The check alone.  With budget, each source page to map takes one from
 * *budget; none left is MDB_TOO_MANY (an IPC's memory items: doc/kernel-api.md 2.5). */
#define MDB_TOO_MANY 3                   /* positive: never an L4 error */
int mdb_map_check(struct task *from, uint64_t fpage, struct task *to, uint64_t dst,
		  uint64_t *budget);
/* The map alone, right after mdb_map_check passed for the same item (a
 * fault reply's items, each checked with the IPC page budget, then mapped). */
int mdb_map_checked(struct task *from, uint64_t fpage, struct task *to, uint64_t dst);
/* Remove what was derived from the pages of fpage in t; also the pages
 * themselves if self.  0 and the number of mappings removed in *count,
 * -L4_EINVAL for a malformed flexpage, or OBJ_PREEMPTED (pc as for
 * mdb_map_fpage; the count so far is in pc->count). */
int mdb_unmap_fpage(struct task *t, uint64_t fpage, bool self, struct preempt_cont *pc,
		    uint64_t *count);
/* A task's pages and everything derived from them; with preemptible, false
 * when a preemption point stopped it (call again to go on). */
bool mdb_task_destroy(struct task *t, bool preemptible);
struct mapping *mdb_lookup(struct task *t, uint64_t va);

/* Sigma0's operations. */
int mdb_alloc_anon(struct task *t, uint64_t va, uint64_t npages, unsigned flags, uint64_t *out,
		   unsigned *nout, struct preempt_cont *pc);
int mdb_map_device(struct task *t, uint64_t va, uint64_t pa, uint64_t npages,
		   struct preempt_cont *pc);
int mdb_phys_query(struct task *t, uint64_t va, uint64_t *out, unsigned *nout);
bool mdb_check(const struct task *t, const char **why);
