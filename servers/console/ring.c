/* ring.c - the clients' output rings (console.idl open; <l4/util/ring.h>).
 * Each client's ring is 16 KiB of our own shared memory, lent to it for
 * as long as it lives: it produces chunks of text, we consume them.  The
 * memory is ours, so a client that ends (and loses its mapping) cannot
 * make us fault; one that scribbles on the indices only breaks its own
 * ring, which we then drop (L4_RING_BROKEN).
 *
 * We never wait on a ring.  Before the loop sleeps, rings_idle() says, in
 * every ring, that we sleep, and looks once more (the ring's protocol);
 * a producer that then adds text rings the doorbell, our notification's
 * CONSOLE_DOORBELL bit, and we drain every ring. */
#include <stdio.h>
#include <l4/sys/notification.h>
#include <l4/rt/env.h>
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

int ring_open(unsigned id, uint64_t *va)
{
	struct client *c = &cons_client[id];
	if (!c->ring_mem) {
		uint64_t a;
		int e = parent_shm_alloc(L4_ENV_PARENT, CONSOLE_RING_BYTES, &a);
		if (e)
			return e;
		c->ring_mem = (void *)a;
	}
	if (!l4_ring_format(c->ring_mem, CONSOLE_RING_BYTES, sizeof(struct console_chunk)) ||
	    l4_ring_attach(&c->ring, c->ring_mem, CONSOLE_RING_BYTES, sizeof(struct console_chunk),
			   no_wait, 0, wake_producer, (void *)(uintptr_t)id))
		return -L4_EINVAL;
	c->ring_on = true;
	*va = (uint64_t)c->ring_mem;
	return 0;
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
	while ((e = l4_ring_get(&c->ring, &ch)) == L4_RING_OK) {
		if (unlikely(ch.len == 0 || ch.len > sizeof ch.text)) {
			e = L4_RING_BROKEN;
			break;
		}
		screen_write(id, ch.text, ch.len);
	}
	if (unlikely(e == L4_RING_BROKEN)) {
		c->ring_on = false;
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
		if (head != __atomic_load_n(&c->ring.s->tail, __ATOMIC_RELAXED)) {
			ring_drain(id);
			more = true;
		}
	}
	return more;
}
