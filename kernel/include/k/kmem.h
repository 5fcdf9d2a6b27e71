/* kmem.h - kernel object allocator.
 *
 * Size classes of 16..2048 bytes carved from whole pages (a page holds objects
 * of one class, with a small header at its start); larger requests take whole
 * contiguous pages.  Pages come from a page source so the allocator can be
 * tested on the host.  Not thread-safe: the caller holds the kernel lock.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

struct kmem_page_source {
	/* Return a page-aligned, zeroed kernel-virtual block of n pages, or NULL. */
	void *(*alloc_pages)(void *ctx, size_t n);
	void (*free_pages)(void *ctx, void *p, size_t n);
	void *ctx;
};

#define KMEM_NCLASSES 8           /* 16, 32, ..., 2048 */

struct kmem_slab;                  /* private: one per page in use */

struct kmem {
	struct kmem_page_source src;
	struct kmem_slab *partial[KMEM_NCLASSES];   /* pages with at least one free object */
	struct kmem_slab *empty[KMEM_NCLASSES];     /* at most one cached all-free page per class */
	size_t bytes_in_use;                        /* sum of rounded object sizes (large: whole pages) */
	size_t pages_in_use;                        /* pages held from src, cached empty ones included */
	int poison;                                 /* fill free objects with KMEM_POISON and check
	                                               the fill when they go out again (debug) */
};
#define KMEM_POISON 0x6b

void kmem_init(struct kmem *k, const struct kmem_page_source *src);
void *kmem_alloc(struct kmem *k, size_t size);   /* zeroed, 16-byte aligned; NULL if out */
void kmem_free(struct kmem *k, void *p);          /* NULL is a no-op */
void kmem_trim(struct kmem *k);                   /* give cached empty pages back to src */

/* Called by kmem_free (and by kmem_alloc on a corrupted free list) when the
 * heap is misused: p is not an object kmem handed out, or was already freed.
 * Not defined by kmem.c: the kernel defines it (and panics); the host tests
 * define it to record the call.  If it returns, the offending call does
 * nothing further (kmem_alloc returns NULL).  With poison on, a write into a
 * freed small object is reported when the object is handed out again. */
void kmem_bad_free(const void *p, const char *why);
