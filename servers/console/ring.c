/* ring.c - the clients' output rings (console.idl open; <l4/util/ring.h>).
 * Each client's ring is 16 KiB of our own shared memory, lent to it for
 * as long as it lives (mapped by the root task, so it stays the client's
 * while we restart): it produces chunks of text, we consume them.  The
 * memory is ours, so a client that ends (and loses its mapping) cannot
 * make us fault; one that scribbles on the indices only breaks its own
 * ring, which we then drop (L4_RING_BROKEN).
 *
 * We never wait on a ring.  Before the loop sleeps, rings_idle() says, in
 * every ring, that we sleep, and looks once more (the ring's protocol);
 * a producer that then adds text rings the doorbell, our notification's
 * CONSOLE_DOORBELL bit, and we drain every ring. */
#include <stdio.h>
#include <string.h>
#include <l4/sys/notification.h>
#include <l4/rt/env.h>
#include <l4/util/rdtsc.h>
#include <parent_client.h>
#include "console.h"

/* Never called: we do not block on rings. */
static void no_wait(void *ctx)
{
}

/* The producer waits for room on its wake notification.  Not signalled
 * here: we may be between a request and its reply, where a kernel call
 * would overwrite the message registers; rings_after_reply() does it. */
static void wake_producer(void *ctx)
{
	cons_client[(uintptr_t)ctx].room_owed = true;
}

struct cons_saved *cons_saved;

#define SAVED_BYTES 4096u
_Static_assert(sizeof(struct cons_saved) * (CONS_CLIENTS + 1) <= SAVED_BYTES, "one page");

static bool name_fits(const char *s)
{
	size_t n = 0;
	for (; n < 16 && s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
			return false;
	return n && n < 16;
}

/* Our memory for every client's ring and the saved page, in one order
 * at every start: with restart= the root task hands a restarted console
 * the same regions (the k-th shm_alloc gets the k-th kept region), so
 * client id's ring is where it was.  A ring a dead console left in use
 * is taken on: its text since the saved point goes out under the saved
 * name, before its program even opens again. */
int rings_init(void)
{
	uint64_t a;
	int e = parent_shm_alloc(L4_ENV_PARENT, SAVED_BYTES, &a);
	if (e)
		return e;
	cons_saved = (struct cons_saved *)a;
	unsigned adopted = 0;
	for (unsigned id = 1; id <= CONS_CLIENTS; id++) {
		struct client *c = &cons_client[id];
		struct cons_saved *sv = &cons_saved[id];
		if ((e = parent_shm_alloc(L4_ENV_PARENT, CONSOLE_RING_BYTES, &a)))
			return e;
		c->ring_mem = (void *)a;
		if (!sv->open)
			continue;
		if (!name_fits(sv->name) || sv->raw > 1 ||
		    l4_ring_attach(&c->ring, c->ring_mem, CONSOLE_RING_BYTES,
				   sizeof(struct console_chunk), no_wait, 0, wake_producer,
				   (void *)(uintptr_t)id)) {
			sv->open = 0;
			continue;
		}
		memcpy(c->name, sv->name, sizeof c->name);
		c->raw = sv->raw;
		/* the client sees it and opens again before it rings our doorbell */
		__atomic_fetch_add(CONSOLE_RING_EPOCH(c->ring.s), 1, __ATOMIC_SEQ_CST);
		c->rd = c->tail = sv->tail;
		c->skip = sv->off < sizeof ((struct console_chunk *)0)->text ? sv->off : 0;
		c->ring_on = true;
		adopted++;
	}
	if (adopted) {
		uint64_t t = l4_tsc_us();
		printf("console: restarted: %u clients' rings taken on at %llu.%06llu s\n", adopted,
		       (unsigned long long)(t / 1000000), (unsigned long long)(t % 1000000));
	}
	return 0;
}

int ring_open(unsigned id, bool again, uint64_t ring_at)
{
	struct client *c = &cons_client[id];
	struct cons_saved *sv = &cons_saved[id];
	if (!(again && c->ring_on && sv->open)) {
		sv->open = 0;
		if (!l4_ring_format(c->ring_mem, CONSOLE_RING_BYTES, sizeof(struct console_chunk)) ||
		    l4_ring_attach(&c->ring, c->ring_mem, CONSOLE_RING_BYTES,
				   sizeof(struct console_chunk), no_wait, 0, wake_producer,
				   (void *)(uintptr_t)id))
			return -L4_EINVAL;
		c->rd = c->tail = c->skip = 0;
		*sv = (struct cons_saved){ .open = 1 };
	}
	memcpy(sv->name, c->name, sizeof sv->name);
	/* Mapped by the root task: it stays the client's while we restart. */
	int e = parent_share(L4_ENV_PARENT, (uint64_t)c->ring_mem, id, ring_at);
	if (e)
		return e;
	c->ring_on = true;
	return 0;
}

/* The chunk at c->rd, without taking it: the ring's tail moves only when
 * text has gone out (commit), so what we hold of an unfinished line stays
 * in the ring for a restarted console to read again. */
static int peek(struct client *c, struct console_chunk *ch)
{
	struct l4_ring_shared *s = c->ring.s;
	uint32_t head = __atomic_load_n(&s->head, __ATOMIC_SEQ_CST);
	if (head - c->tail > c->ring.mask + 1u || c->rd - c->tail > head - c->tail)
		return L4_RING_BROKEN;
	if (c->rd == head)
		return L4_RING_EMPTY;
	memcpy(ch, s->entries + (size_t)(c->rd & c->ring.mask) * sizeof *ch, sizeof *ch);
	return L4_RING_OK;
}

/* Everything before chunk `tail` (and off bytes of it) has gone out. */
static void commit(unsigned id, uint32_t tail, uint32_t off)
{
	struct client *c = &cons_client[id];
	c->tail = tail;
	cons_saved[id].tail = tail;
	cons_saved[id].off = off;
	__atomic_store_n(&c->ring.s->tail, tail, __ATOMIC_SEQ_CST);
	l4_ring__wake(&c->ring, &c->ring.s->producer_sleeps);
}

/* All of client id's text in its ring, to the screen. */
void ring_drain(unsigned id)
{
	struct client *c = &cons_client[id];
	struct console_chunk ch;
	int e;
	if (!c->ring_on)
		return;
	__atomic_store_n(&c->ring.s->consumer_sleeps, 0, __ATOMIC_SEQ_CST);
	while ((e = peek(c, &ch)) == L4_RING_OK) {
		if (unlikely(ch.len == 0 || ch.len > sizeof ch.text)) {
			e = L4_RING_BROKEN;
			break;
		}
		uint32_t skip = c->skip < ch.len ? c->skip : 0;
		size_t n = ch.len - skip;
		size_t done = screen_write(id, ch.text + skip, n);
		c->rd++;
		c->skip = 0;
		if (done == n)
			commit(id, c->rd, 0);
		else if (done)
			commit(id, c->rd - 1, skip + (uint32_t)done);
	}
	if (unlikely(e == L4_RING_BROKEN)) {
		c->ring_on = false;
		cons_saved[id].open = 0;
		c->ring_broken = true;  /* said after the reply (printing is a kernel call) */
	}
}

/* What ring_drain owed, once no reply is pending: wake producers that
 * wait for room, and name rings that were dropped. */
void rings_after_reply(void)
{
	for (unsigned id = 1; id <= CONS_CLIENTS; id++) {
		struct client *c = &cons_client[id];
		if (c->room_owed) {
			c->room_owed = false;
			(void)l4_notification_signal(c->wake, CONSOLE_WAKE_ROOM);
		}
		if (unlikely(c->ring_broken)) {
			c->ring_broken = false;
			printf("console: '%s' broke its output ring (indices or a chunk length); "
			       "it may still write by message\n", c->name);
		}
	}
}

bool rings_owe(void)
{
	for (unsigned id = 1; id <= CONS_CLIENTS; id++)
		if (cons_client[id].room_owed || cons_client[id].ring_broken)
			return true;
	return false;
}

/* Before the loop sleeps: each ring empty and told so (the ring's steps
 * 2-3).  True when some ring had text after all (drained: look again). */
bool rings_idle(void)
{
	bool more = false;
	for (unsigned id = 1; id <= CONS_CLIENTS; id++) {
		struct client *c = &cons_client[id];
		if (!c->ring_on)
			continue;
		__atomic_store_n(&c->ring.s->consumer_sleeps, 1, __ATOMIC_SEQ_CST);
		uint32_t head = __atomic_load_n(&c->ring.s->head, __ATOMIC_SEQ_CST);
		if (head != c->rd) {
			ring_drain(id);
			more = true;
		}
	}
	return more;
}
