/* <l4/util/ring.h> - a single-producer single-consumer queue in memory two
 * programs share, after seL4 sDDF's queues: the way packets and console
 * text move between programs.
 *
 * The shared region starts with struct l4_ring_shared (two cache lines:
 * what the producer writes, what the consumer writes) and then `size`
 * entries of `esize` bytes, size a power of two.  head and tail run freely
 * (mod 2^32); the producer owns head and the entries [tail, head) are
 * full, the consumer owns tail.  An entry is written before head is
 * published and read after head is seen (the index accesses are
 * sequentially consistent, so at least release and acquire), and the same
 * for tail in the other direction, so the entry copies need no atomics.
 *
 * Sleeping.  A side that cannot go on (producer: ring full; consumer:
 * empty) sleeps on its own wake-up object (a Notification in Minnow, a
 * futex or condition variable on a host); the other side signals it only
 * when it has said it sleeps, so a busy ring costs no system calls.  The
 * race, for the consumer (the producer's is the mirror image):
 *
 *     consumer                               producer
 *     1. sees the ring empty                 a. writes the entry
 *     2. consumer_sleeps = 1                 b. head++
 *     3. looks again (loads head):           c. if consumer_sleeps:
 *        empty? then wait()                     clear it, signal()
 *
 * Steps 2-3 and b-c are each a store and then a load of what the other
 * side stores, all four sequentially consistent (Dekker; a plain fence
 * would do too, but ThreadSanitizer does not understand fences): in
 * their single total order at least one side sees the other's store.  Either the
 * consumer sees the new entry at 4 and does not sleep, or the producer
 * sees the flag at c and signals.  A signal between 4 and wait() is not
 * lost: a Notification keeps its bits until they are waited for (the host
 * test's binary semaphore too), so wait() returns at once.  The signaller
 * clears the flag (an exchange), so of several puts while the consumer
 * sleeps only the first signals.  A wake-up with nothing to do (the flag
 * was cleared by a signal whose work the sleeper had already seen) only
 * costs one more turn of the loop.
 *
 * The shared memory is the other program's to write too: the attacher
 * keeps size and esize in its private struct l4_ring and never reads them
 * again, and an index pair that claims more than `size` entries is
 * refused (L4_RING_BROKEN) instead of read past the ring.
 *
 * Header only, no system calls: wait and signal are the caller's
 * (<l4/util/ring_notif.h> has the Notification ones). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define L4_RING_MAGIC   0x474e4952u    /* "RING" */
#define L4_RING_LINE    64

struct l4_ring_shared {
	uint32_t magic, size, esize, pad0;  /* written once, by l4_ring_format */
	_Alignas(L4_RING_LINE) uint32_t head;            /* producer: next entry to fill */
	uint32_t producer_sleeps;                        /* producer: waits for room */
	_Alignas(L4_RING_LINE) uint32_t tail;            /* consumer: next entry to take */
	uint32_t consumer_sleeps;                        /* consumer: waits for entries */
	_Alignas(L4_RING_LINE) unsigned char entries[];
};
_Static_assert(offsetof(struct l4_ring_shared, head) == 64 &&
	       offsetof(struct l4_ring_shared, tail) == 128 &&
	       offsetof(struct l4_ring_shared, entries) == 192, "ABI: ring layout");

/* One side's view.  wait() blocks until signalled (a signal before the
 * wait counts); signal() wakes the other side's wait(). */
struct l4_ring {
	struct l4_ring_shared *s;
	uint32_t mask, esize;              /* private copies: never read again from s */
	void (*wait)(void *ctx);
	void (*signal)(void *ctx);
	void *wait_ctx, *signal_ctx;       /* their arguments: ours, the other side's */
	uint64_t signals, sleeps;          /* how often this side signalled, slept */
};

enum { L4_RING_EMPTY = 0, L4_RING_OK = 1, L4_RING_FULL = 0, L4_RING_BROKEN = -1 };

/* Lay out a ring in mem[0..bytes): as many entries of esize bytes as fit,
 * rounded down to a power of two.  The number of entries, or 0 when not
 * even two fit (or esize is 0). */
static inline uint32_t l4_ring_format(void *mem, size_t bytes, uint32_t esize)
{
	struct l4_ring_shared *s = (struct l4_ring_shared *)mem;
	if (!esize || bytes < sizeof *s || (bytes - sizeof *s) / esize < 2)
		return 0;
	size_t n = (bytes - sizeof *s) / esize;
	uint32_t size = 2;
	while ((size_t)size * 2 <= n && size < (1u << 30))
		size *= 2;
	memset(s, 0, sizeof *s);
	s->size = size;
	s->esize = esize;
	__atomic_store_n(&s->magic, L4_RING_MAGIC, __ATOMIC_RELEASE);
	return size;
}

/* Attach to a ring formatted in mem[0..bytes) (by either side); 0, or -1
 * when the header does not describe a ring that fits in bytes with
 * entries of esize bytes. */
static inline int l4_ring_attach(struct l4_ring *r, void *mem, size_t bytes, uint32_t esize,
				 void (*wait)(void *), void *wait_ctx,
				 void (*signal)(void *), void *signal_ctx)
{
	struct l4_ring_shared *s = (struct l4_ring_shared *)mem;
	if (bytes < sizeof *s || __atomic_load_n(&s->magic, __ATOMIC_ACQUIRE) != L4_RING_MAGIC)
		return -1;
	uint32_t size = __atomic_load_n(&s->size, __ATOMIC_RELAXED);
	if (__atomic_load_n(&s->esize, __ATOMIC_RELAXED) != esize || !esize || size < 2 ||
	    (size & (size - 1)) || (bytes - sizeof *s) / esize < size)
		return -1;
	*r = (struct l4_ring){ .s = s, .mask = size - 1, .esize = esize, .wait = wait,
			       .signal = signal, .wait_ctx = wait_ctx, .signal_ctx = signal_ctx };
	return 0;
}

/* If the other side said it sleeps (flag), clear that and signal it.  Our
 * index store and this load are sequentially consistent (step b above). */
static inline void l4_ring__wake(struct l4_ring *r, uint32_t *flag)
{
	if (__atomic_load_n(flag, __ATOMIC_SEQ_CST) && __atomic_exchange_n(flag, 0, __ATOMIC_SEQ_CST)) {
		r->signals++;
		r->signal(r->signal_ctx);
	}
}

/* Producer: append *item.  L4_RING_OK, L4_RING_FULL, or L4_RING_BROKEN. */
static inline int l4_ring_put(struct l4_ring *r, const void *item)
{
	struct l4_ring_shared *s = r->s;
	uint32_t head = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
	uint32_t used = head - __atomic_load_n(&s->tail, __ATOMIC_SEQ_CST);
	if (used > r->mask + 1u)
		return L4_RING_BROKEN;
	if (used == r->mask + 1u)
		return L4_RING_FULL;
	memcpy(s->entries + (size_t)(head & r->mask) * r->esize, item, r->esize);
	__atomic_store_n(&s->head, head + 1, __ATOMIC_SEQ_CST);
	l4_ring__wake(r, &s->consumer_sleeps);
	return L4_RING_OK;
}

/* Consumer: take the oldest entry into *item.  L4_RING_OK, L4_RING_EMPTY,
 * or L4_RING_BROKEN. */
static inline int l4_ring_get(struct l4_ring *r, void *item)
{
	struct l4_ring_shared *s = r->s;
	uint32_t tail = __atomic_load_n(&s->tail, __ATOMIC_RELAXED);
	uint32_t used = __atomic_load_n(&s->head, __ATOMIC_SEQ_CST) - tail;
	if (used > r->mask + 1u)
		return L4_RING_BROKEN;
	if (!used)
		return L4_RING_EMPTY;
	memcpy(item, s->entries + (size_t)(tail & r->mask) * r->esize, r->esize);
	__atomic_store_n(&s->tail, tail + 1, __ATOMIC_SEQ_CST);
	l4_ring__wake(r, &s->producer_sleeps);
	return L4_RING_OK;
}

/* For a side that waits for several things at once (a driver's receive
 * loop, an event loop): say that it sleeps on r, then look again (steps
 * 2-3 above).  true: nothing to do still, so the other side's next put
 * (consumer) or get (producer) will signal; false: there is, and the flag
 * is taken back.  The caller then waits for its wake-up object itself. */
static inline bool l4_ring_consumer_arm(struct l4_ring *r)
{
	struct l4_ring_shared *s = r->s;
	__atomic_store_n(&s->consumer_sleeps, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->head, __ATOMIC_SEQ_CST) == __atomic_load_n(&s->tail, __ATOMIC_RELAXED))
		return true;
	__atomic_store_n(&s->consumer_sleeps, 0, __ATOMIC_SEQ_CST);
	return false;
}
static inline bool l4_ring_producer_arm(struct l4_ring *r)
{
	struct l4_ring_shared *s = r->s;
	__atomic_store_n(&s->producer_sleeps, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->head, __ATOMIC_RELAXED) - __atomic_load_n(&s->tail, __ATOMIC_SEQ_CST) ==
	    r->mask + 1u)
		return true;
	__atomic_store_n(&s->producer_sleeps, 0, __ATOMIC_SEQ_CST);
	return false;
}

/* Sleep until op(r, item) is not `busy` (steps 1-3 above). */
static inline int l4_ring__block(struct l4_ring *r, void *item, uint32_t *flag,
				 int (*op)(struct l4_ring *, void *), int busy)
{
	for (;;) {
		int e = op(r, item);
		if (e != busy)
			return e;
		__atomic_store_n(flag, 1, __ATOMIC_SEQ_CST);
		if ((e = op(r, item)) != busy) {
			/* Not needed after all; if the other side cleared the
			 * flag meanwhile its signal is pending: one spare wake-up. */
			__atomic_store_n(flag, 0, __ATOMIC_SEQ_CST);
			return e;
		}
		r->sleeps++;
		r->wait(r->wait_ctx);
	}
}

static inline int l4_ring__put(struct l4_ring *r, void *item) { return l4_ring_put(r, item); }

/* Blocking forms: L4_RING_OK or L4_RING_BROKEN. */
static inline int l4_ring_push(struct l4_ring *r, const void *item)
{
	return l4_ring__block(r, (void *)item, &r->s->producer_sleeps, l4_ring__put, L4_RING_FULL);
}
static inline int l4_ring_pop(struct l4_ring *r, void *item)
{
	return l4_ring__block(r, item, &r->s->consumer_sleeps, l4_ring_get, L4_RING_EMPTY);
}
