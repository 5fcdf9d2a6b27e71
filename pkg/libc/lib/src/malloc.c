/* malloc.c - boundary-tag allocator with segregated free lists.
 *
 * The heap is one or more segments from __libc_morecore (morecore.c).  A
 * segment is a row of chunks, each 16-byte aligned, ending in a 16-byte
 * in-use sentinel.  A chunk starts with two words: its size with flags, and
 * a check word (the chunk's address, size and state mixed with a magic
 * number), which lets free() tell a live block from a freed one or from a
 * pointer malloc never returned.  The payload follows, 16-byte aligned.  A
 * free chunk also keeps its list links at the start of the payload and its
 * size in its last word (footer), so its successor can merge with it.
 *
 * Free chunks live in 128 doubly-linked lists: exact 16-byte classes below
 * 1 KiB, power-of-two classes above.  Freeing merges with free neighbours
 * at once, so no two free chunks are ever adjacent. */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include "libc_internal.h"

#define HDR        16u
#define MIN_CHUNK  48u                   /* header, two links, footer */
#define INUSE      1u
#define PREV_FREE  2u
#define FLAGS      15u
#define MAGIC_USED 0x6d696e6e6f77a110ull
#define MAGIC_FREE 0x6d696e6e6f77f4eeull
#define NBINS      128
#define GROW_MIN   (64u * 1024)

struct chunk {
	size_t head;                     /* size | INUSE | PREV_FREE */
	uint64_t check;
	struct chunk *next, *prev;       /* free chunks only */
};

static struct chunk bins[NBINS];         /* list heads (only next/prev used) */
static char *seg_end;                    /* end of the last segment */

#define SIZE(c)      ((c)->head & ~(size_t)FLAGS)
#define AT(p, off)   ((struct chunk *)((char *)(p) + (off)))

static uint64_t check_of(const struct chunk *c, uint64_t magic)
{
	return magic ^ (uintptr_t)c ^ ((uint64_t)SIZE(c) << 20);
}

static void set_head(struct chunk *c, size_t size, unsigned flags)
{
	c->head = size | flags;
	c->check = check_of(c, (flags & INUSE) ? MAGIC_USED : MAGIC_FREE);
}

static unsigned bin_of(size_t size)
{
	if (size < 1024)
		return (unsigned)(size >> 4);
	unsigned b = 64 + (63 - (unsigned)__builtin_clzll(size)) - 10;
	return b < NBINS ? b : NBINS - 1;
}

static void list_init(void)
{
	if (!bins[0].next)
		for (int i = 0; i < NBINS; i++)
			bins[i].next = bins[i].prev = &bins[i];
}

static void unlink_chunk(struct chunk *c)
{
	c->prev->next = c->next;
	c->next->prev = c->prev;
}

/* Mark c (size bytes) free, tell its successor, and file it. */
static void put_free(struct chunk *c, size_t size)
{
	set_head(c, size, c->head & PREV_FREE);
	*(size_t *)((char *)c + size - sizeof(size_t)) = size;
	AT(c, size)->head |= PREV_FREE;
	struct chunk *b = &bins[bin_of(size)];
	c->next = b->next;
	c->prev = b;
	b->next->prev = c;
	b->next = c;
}

/* Free c, merging with free neighbours. */
static void release(struct chunk *c)
{
	size_t size = SIZE(c);
	set_head(c, size, c->head & PREV_FREE);      /* freed: check word says so */
	struct chunk *n = AT(c, size);
	if (!(n->head & INUSE)) {
		unlink_chunk(n);
		size += SIZE(n);
	}
	if (c->head & PREV_FREE) {
		size_t psize = *(size_t *)((char *)c - sizeof(size_t));
		c = AT(c, -(ptrdiff_t)psize);
		unlink_chunk(c);
		size += psize;
	}
	put_free(c, size);
}

/* A new segment [p, p + bytes), or the continuation of the last one. */
static void add_segment(char *p, size_t bytes)
{
	struct chunk *c;
	if (p == seg_end) {                  /* contiguous: the old sentinel starts it */
		c = AT(p, -(ptrdiff_t)HDR);
		set_head(c, bytes, INUSE | (c->head & PREV_FREE));
	} else {
		c = (struct chunk *)p;
		bytes -= HDR;
		set_head(c, bytes, INUSE);
	}
	seg_end = (char *)c + bytes + HDR;
	set_head(AT(c, bytes), HDR, INUSE);      /* the sentinel */
	release(c);
}

static int grow(size_t need)
{
	size_t bytes = need + 2 * HDR > GROW_MIN ? need + 2 * HDR : GROW_MIN;
	bytes = (bytes + 4095) & ~(size_t)4095;
	char *p = __libc_morecore(bytes);
	if (!p || ((uintptr_t)p & 15))
		return 0;
	add_segment(p, bytes);
	return 1;
}

/* Cut c (in use) down to size bytes, freeing the rest if it is big enough. */
static void trim(struct chunk *c, size_t size)
{
	size_t have = SIZE(c);
	if (have - size < MIN_CHUNK)
		return;
	set_head(c, size, INUSE | (c->head & PREV_FREE));
	struct chunk *rest = AT(c, size);
	set_head(rest, have - size, INUSE);
	AT(rest, have - size)->head &= ~(size_t)PREV_FREE;
	release(rest);
}

static struct chunk *find(size_t need)
{
	for (unsigned b = bin_of(need); b < NBINS; b++)
		for (struct chunk *c = bins[b].next; c != &bins[b]; c = c->next)
			if (SIZE(c) >= need)
				return c;
	return NULL;
}

static size_t chunk_size_for(size_t n)
{
	if (n > SIZE_MAX / 4)
		return 0;
	size_t s = (n + HDR + 15) & ~(size_t)15;
	return s < MIN_CHUNK ? MIN_CHUNK : s;
}

static void *alloc(size_t n)
{
	size_t need = chunk_size_for(n);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	list_init();
	struct chunk *c = find(need);
	if (!c) {
		if (!grow(need) || !(c = find(need))) {
			errno = ENOMEM;
			return NULL;
		}
	}
	unlink_chunk(c);
	size_t size = SIZE(c);
	set_head(c, size, INUSE);                /* a free chunk's predecessor is in use */
	AT(c, size)->head &= ~(size_t)PREV_FREE;
	trim(c, need);
	return (char *)c + HDR;
}

/* The chunk of a pointer malloc returned, or abort with a message. */
static struct chunk *chunk_of(void *p, const char *who)
{
	struct chunk *c = AT(p, -(ptrdiff_t)HDR);
	const char *why = NULL;
	if ((uintptr_t)p & 15)
		why = "misaligned pointer";
	else if (c->check == check_of(c, MAGIC_FREE) && !(c->head & INUSE))
		why = "double free";
	else if (!(c->head & INUSE) || c->check != check_of(c, MAGIC_USED) ||
		 SIZE(c) < MIN_CHUNK)
		why = "invalid pointer (not from malloc, or heap corrupted)";
	if (why) {
		fprintf(stderr, "%s(%p): %s\n", who, p, why);
		abort();
	}
	return c;
}

void *malloc(size_t n)
{
	__libc_lock();
	void *p = alloc(n);
	__libc_unlock();
	return p;
}

void free(void *p)
{
	if (!p)
		return;
	__libc_lock();
	release(chunk_of(p, "free"));
	__libc_unlock();
}

void *calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

static void *resize(void *p, size_t n)
{
	if (!p)
		return alloc(n);
	struct chunk *c = chunk_of(p, "realloc");
	size_t need = chunk_size_for(n), have = SIZE(c);
	if (!need) {
		errno = ENOMEM;
		return NULL;
	}
	struct chunk *next = AT(c, have);
	if (need > have && !(next->head & INUSE) && have + SIZE(next) >= need) {
		unlink_chunk(next);                  /* grow in place into the free successor */
		have += SIZE(next);
		set_head(c, have, INUSE | (c->head & PREV_FREE));
		AT(c, have)->head &= ~(size_t)PREV_FREE;
	}
	if (need <= have) {
		trim(c, need);
		return p;
	}
	void *q = alloc(n);
	if (q) {
		memcpy(q, p, have - HDR);
		release(c);
	}
	return q;
}

void *realloc(void *p, size_t n)
{
	__libc_lock();
	void *q = resize(p, n);
	__libc_unlock();
	return q;
}
