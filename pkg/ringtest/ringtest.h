/* ringtest.h - what the producer and the consumer share. */
#pragma once
#include <stdint.h>
#include <l4/rt/env.h>

#define ITEMS       1000000u
#define RING_BYTES  (64 * 1024u)           /* 64 KiB: 8,168 entries fit, 4,096 used */
#define RECV_ORDER  20                      /* the consumer's window: 1 MiB */

/* The consumer's last word to the producer, on the producer's notification
 * (the ring's wakeups use bit 0): it has printed its result, so the two
 * programs' lines come in one order. */
#define DONE_BIT 0x100u

/* Slots of our own. */
enum { NOTIF = L4_ENV_FIRST_FREE, PEER_NOTIF };

/* Item i: a value the consumer can check on its own. */
static inline uint64_t item(uint64_t i)
{
	return i * 0x9e3779b97f4a7c15ull ^ (i >> 7);
}

extern const char *me;
int producer(void);
int consumer(void);
