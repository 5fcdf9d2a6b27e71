/* kmem.c - size-class object allocator on top of a page source.
 *
 * Every page the allocator holds starts with a 64-byte header, so kmem_free
 * finds the header of any object by masking its address to the page:
 *
 *   small (<= 2048 bytes): one page of objects of one class
 *     [ header | obj 0 | obj 1 | ... | slack ]
 *     objects start at offset KMEM_HDR (64, so 16-byte aligned) and are
 *     linked through their first word while free; a bitmap in the header
 *     says which are allocated, which is what catches double and
 *     misaligned frees.  16 bytes: 252 per page ... 2048 bytes: 1 per page
 *     (the header costs the 2048 class half its page; it is the price of
 *     finding headers by masking).
 *
 *   large (> 2048 bytes): npages = ceil((size + 64) / 4096) contiguous pages
 *     [ header (class KMEM_LARGE, npages) | object ... ]
 *     the object starts at page + 64, so only that exact address is a valid
 *     large free.
 *
 * Pages with free objects sit on their class's partial list; full pages are
 * on no list (free finds them by masking).  A page whose last object is
 * freed is kept as the class's one cached empty page, or handed back to the
 * page source if there is one already, so a single alloc/free pair at a page
 * boundary does not thrash the page source.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "k/kmem.h"
#include "k/kstring.h"

#define unlikely(x) __builtin_expect(!!(x), 0)

#define KMEM_PAGE   4096u
#define KMEM_HDR    64u
#define KMEM_MAGIC  0x4b4d454du          /* "KMEM" */
#define KMEM_LARGE  0xffffu
#define KMEM_MIN    16u
#define KMEM_MAX    (KMEM_MIN << (KMEM_NCLASSES - 1))
#define MAX_OBJS    ((KMEM_PAGE - KMEM_HDR) / KMEM_MIN)

struct kmem_free { struct kmem_free *next; };

struct kmem_slab {
	uint32_t magic;              /* KMEM_MAGIC while the page belongs to kmem */
	uint16_t cls;                /* class index, or KMEM_LARGE */
	uint16_t inuse;              /* objects handed out */
	struct kmem_free *free;      /* free objects in this page */
	struct kmem_slab *next, *prev;   /* partial list links */
	union {
		uint64_t used[(MAX_OBJS + 63) / 64];   /* bit i: object i allocated */
		size_t npages;                         /* large: pages in the block */
	};
};

_Static_assert(sizeof(struct kmem_slab) <= KMEM_HDR, "slab header must fit KMEM_HDR");
_Static_assert(KMEM_HDR % 16 == 0, "objects must stay 16-byte aligned");
_Static_assert(KMEM_MAX == 2048, "classes are 16..2048");

static inline size_t class_size(unsigned c) { return (size_t)KMEM_MIN << c; }
static inline unsigned class_objs(unsigned c) { return (unsigned)((KMEM_PAGE - KMEM_HDR) / class_size(c)); }
static inline char *obj_base(struct kmem_slab *s) { return (char *)s + KMEM_HDR; }

static unsigned size_class(size_t size)
{
	unsigned c = 0;

	while (class_size(c) < size)
		c++;
	return c;
}

static void list_add(struct kmem_slab **head, struct kmem_slab *s)
{
	s->prev = NULL;
	s->next = *head;
	if (*head != NULL)
		(*head)->prev = s;
	*head = s;
}

static void list_del(struct kmem_slab **head, struct kmem_slab *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		*head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void *get_pages(struct kmem *k, size_t n)
{
	void *pg = k->src.alloc_pages(k->src.ctx, n);

	if (pg == NULL)
		return NULL;
	if (unlikely(((uintptr_t)pg & (KMEM_PAGE - 1)) != 0)) {
		k->src.free_pages(k->src.ctx, pg, n);   /* broken source: refuse it */
		return NULL;
	}
	k->pages_in_use += n;
	return pg;
}

static void put_pages(struct kmem *k, struct kmem_slab *s, size_t n)
{
	s->magic = 0;            /* a later free of a stale pointer must not match */
	k->pages_in_use -= n;
	k->src.free_pages(k->src.ctx, s, n);
}

static struct kmem_slab *new_slab(struct kmem *k, unsigned c)
{
	struct kmem_slab *s = get_pages(k, 1);

	if (s == NULL)
		return NULL;
	memset(s, 0, KMEM_HDR);
	if (k->poison)
		memset(obj_base(s), KMEM_POISON, KMEM_PAGE - KMEM_HDR);
	s->magic = KMEM_MAGIC;
	s->cls = (uint16_t)c;
	/* Thread the free list in address order so objects go out ascending. */
	for (unsigned i = class_objs(c); i-- > 0;) {
		struct kmem_free *f = (struct kmem_free *)(void *)(obj_base(s) + i * class_size(c));
		f->next = s->free;
		s->free = f;
	}
	return s;
}

void kmem_init(struct kmem *k, const struct kmem_page_source *src)
{
	memset(k, 0, sizeof *k);
	k->src = *src;
}

static void *alloc_large(struct kmem *k, size_t size)
{
	if (size > SIZE_MAX - KMEM_HDR - KMEM_PAGE)
		return NULL;
	size_t n = (size + KMEM_HDR + KMEM_PAGE - 1) / KMEM_PAGE;
	struct kmem_slab *s = get_pages(k, n);
	if (s == NULL)
		return NULL;
	memset(s, 0, n * KMEM_PAGE);     /* header and object both start clean */
	s->magic = KMEM_MAGIC;
	s->cls = KMEM_LARGE;
	s->npages = n;
	k->bytes_in_use += n * KMEM_PAGE;
	return obj_base(s);
}

void *kmem_alloc(struct kmem *k, size_t size)
{
	if (size == 0)
		return NULL;
	if (size > KMEM_MAX)
		return alloc_large(k, size);

	unsigned c = size_class(size);
	struct kmem_slab *s = k->partial[c];
	if (s == NULL) {
		s = k->empty[c];
		k->empty[c] = NULL;
		if (s == NULL && (s = new_slab(k, c)) == NULL)
			return NULL;
		list_add(&k->partial[c], s);
	}

	struct kmem_free *f = s->free;
	uintptr_t off = (uintptr_t)f - (uintptr_t)obj_base(s);   /* wraps if below */
	size_t i = off / class_size(c);
	/* The free list lives in freed objects, so a write after free can
	 * corrupt it: check the link before trusting it. */
	if (unlikely(i >= class_objs(c) || off % class_size(c) != 0 ||
		     (s->used[i / 64] >> (i % 64)) & 1)) {
		kmem_bad_free(f, "kmem: free list corrupted (write after free?)");
		return NULL;
	}
	/* Past the link word a free object holds nothing but poison. */
	for (size_t b = sizeof *f; k->poison && b < class_size(c); b++)
		if (unlikely(((const unsigned char *)f)[b] != KMEM_POISON)) {
			kmem_bad_free(f, "kmem: write after free (poison overwritten)");
			return NULL;
		}
	s->free = f->next;
	s->used[i / 64] |= 1ull << (i % 64);
	s->inuse++;
	if (s->free == NULL)
		list_del(&k->partial[c], s);     /* full: reachable only by masking */
	k->bytes_in_use += class_size(c);
	memset(f, 0, class_size(c));
	return f;
}

static void free_large(struct kmem *k, struct kmem_slab *s, void *p)
{
	if (unlikely(p != obj_base(s) || s->npages == 0)) {
		kmem_bad_free(p, "kmem: pointer inside a large allocation");
		return;
	}
	k->bytes_in_use -= s->npages * KMEM_PAGE;
	put_pages(k, s, s->npages);
}

void kmem_free(struct kmem *k, void *p)
{
	if (p == NULL)
		return;

	struct kmem_slab *s = (struct kmem_slab *)((uintptr_t)p & ~(uintptr_t)(KMEM_PAGE - 1));
	if (unlikely((uintptr_t)p < (uintptr_t)obj_base(s))) {
		kmem_bad_free(p, "kmem: pointer into a page header");
		return;
	}
	if (unlikely(s->magic != KMEM_MAGIC)) {
		kmem_bad_free(p, "kmem: not a kmem page (bad magic)");
		return;
	}
	if (s->cls == KMEM_LARGE) {
		free_large(k, s, p);
		return;
	}
	unsigned c = s->cls;
	if (unlikely(c >= KMEM_NCLASSES)) {
		kmem_bad_free(p, "kmem: corrupted page header (bad class)");
		return;
	}
	size_t off = (size_t)((uintptr_t)p - (uintptr_t)obj_base(s));
	size_t i = off / class_size(c);
	if (unlikely(off % class_size(c) != 0 || i >= class_objs(c))) {
		kmem_bad_free(p, "kmem: pointer is not the start of an object");
		return;
	}
	if (unlikely(!((s->used[i / 64] >> (i % 64)) & 1))) {
		kmem_bad_free(p, "kmem: double free");
		return;
	}

	bool was_full = s->free == NULL;
	struct kmem_free *f = p;
	if (k->poison)
		memset(f, KMEM_POISON, class_size(c));
	s->used[i / 64] &= ~(1ull << (i % 64));
	f->next = s->free;
	s->free = f;
	s->inuse--;
	k->bytes_in_use -= class_size(c);

	if (s->inuse == 0) {
		if (!was_full)
			list_del(&k->partial[c], s);
		if (k->empty[c] == NULL)
			k->empty[c] = s;
		else
			put_pages(k, s, 1);
	} else if (was_full) {
		list_add(&k->partial[c], s);
	}
}

void kmem_trim(struct kmem *k)
{
	for (unsigned c = 0; c < KMEM_NCLASSES; c++) {
		if (k->empty[c] != NULL) {
			put_pages(k, k->empty[c], 1);
			k->empty[c] = NULL;
		}
	}
}
