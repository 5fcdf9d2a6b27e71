/* test_ring.c - <l4/util/ring.h> on the host: its layout checks, and two
 * pthreads moving 10^7 items through a small ring, checksummed, sleeping
 * on a binary semaphore (pending until waited for, as a Notification is)
 * that the other side signals only when it said it sleeps. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <l4/util/ring.h>

#define ITEMS    10000000ull
#define ENTRIES  256

/* A Notification's semantics with a mutex and a condition variable. */
struct sem {
	pthread_mutex_t m;
	pthread_cond_t c;
	int pending;
};

static void sem_wait_(void *ctx)
{
	struct sem *s = ctx;
	pthread_mutex_lock(&s->m);
	while (!s->pending)
		pthread_cond_wait(&s->c, &s->m);
	s->pending = 0;
	pthread_mutex_unlock(&s->m);
}

static void sem_signal(void *ctx)
{
	struct sem *s = ctx;
	pthread_mutex_lock(&s->m);
	s->pending = 1;
	pthread_cond_signal(&s->c);
	pthread_mutex_unlock(&s->m);
}

static void *region(size_t bytes)
{
	void *p = aligned_alloc(4096, bytes);
	assert_non_null(p);
	return p;
}

static void format_and_attach(void **state)
{
	size_t bytes = 4096;
	unsigned char *mem = region(bytes);
	struct l4_ring r = { 0 };
	/* (4096 - 192) / 8 = 488 entries fit: 256, a power of two */
	assert_int_equal(l4_ring_format(mem, bytes, 8), 256);
	assert_int_equal(l4_ring_attach(&r, mem, bytes, 8, 0, 0, 0, 0), 0);
	assert_int_equal(r.mask, 255);
	assert_int_equal(l4_ring_attach(&r, mem, bytes, 16, 0, 0, 0, 0), -1);   /* other entry size */
	assert_int_equal(l4_ring_attach(&r, mem, 1024, 8, 0, 0, 0, 0), -1);     /* does not fit */
	assert_int_equal(l4_ring_format(mem, 192 + 8, 8), 0);                /* one entry: none */
	assert_int_equal(l4_ring_format(mem, bytes, 0), 0);
	assert_int_equal(l4_ring_format(mem, 100, 8), 0);
	assert_int_equal(l4_ring_format(mem, bytes, 8), 256);
	struct l4_ring_shared *s = (void *)mem;
	s->size = 255;                                                       /* not a power of two */
	assert_int_equal(l4_ring_attach(&r, mem, bytes, 8, 0, 0, 0, 0), -1);
	s->size = 1u << 20;                                                  /* beyond the region */
	assert_int_equal(l4_ring_attach(&r, mem, bytes, 8, 0, 0, 0, 0), -1);
	s->magic = 0;
	s->size = 256;
	assert_int_equal(l4_ring_attach(&r, mem, bytes, 8, 0, 0, 0, 0), -1);
	free(mem);
}

static void full_empty_broken(void **state)
{
	size_t bytes = 192 + 4 * 8;
	unsigned char *mem = region(4096);
	struct l4_ring p = { 0 }, c = { 0 };
	assert_int_equal(l4_ring_format(mem, bytes, 8), 4);
	assert_int_equal(l4_ring_attach(&p, mem, bytes, 8, 0, 0, 0, 0), 0);
	assert_int_equal(l4_ring_attach(&c, mem, bytes, 8, 0, 0, 0, 0), 0);
	uint64_t v = 0, w;
	assert_int_equal(l4_ring_get(&c, &w), L4_RING_EMPTY);
	for (v = 0; v < 4; v++)
		assert_int_equal(l4_ring_put(&p, &v), L4_RING_OK);
	assert_int_equal(l4_ring_put(&p, &v), L4_RING_FULL);
	for (v = 0; v < 4; v++) {
		assert_int_equal(l4_ring_get(&c, &w), L4_RING_OK);
		assert_int_equal(w, v);
	}
	assert_int_equal(l4_ring_get(&c, &w), L4_RING_EMPTY);
	/* Indices wrap at 2^32. */
	c.s->head = c.s->tail = 0xfffffffeu;
	for (v = 10; v < 14; v++)
		assert_int_equal(l4_ring_put(&p, &v), L4_RING_OK);
	for (v = 10; v < 14; v++) {
		assert_int_equal(l4_ring_get(&c, &w), L4_RING_OK);
		assert_int_equal(w, v);
	}
	/* A peer that claims more entries than the ring has is refused, not
	 * followed past the end; nothing was signalled (no one slept). */
	c.s->head = c.s->tail + 5;
	assert_int_equal(l4_ring_get(&c, &w), L4_RING_BROKEN);
	assert_int_equal(l4_ring_put(&p, &v), L4_RING_BROKEN);
	assert_int_equal(l4_ring_pop(&c, &w), L4_RING_BROKEN);
	assert_int_equal(p.signals + c.signals, 0);
	free(mem);
}

struct side {
	struct l4_ring r;
	uint64_t sum;
	int err;
};

static uint64_t item(uint64_t i)
{
	return i * 0x9e3779b97f4a7c15ull ^ (i >> 7);
}

static void *producer(void *arg)
{
	struct side *s = arg;
	for (uint64_t i = 0; i < ITEMS; i++) {
		uint64_t v = item(i);
		s->sum += v;
		if (l4_ring_push(&s->r, &v) != L4_RING_OK) {
			s->err = 1;
			break;
		}
	}
	return 0;
}

static void *consumer(void *arg)
{
	struct side *s = arg;
	for (uint64_t i = 0; i < ITEMS; i++) {
		uint64_t v;
		if (l4_ring_pop(&s->r, &v) != L4_RING_OK || v != item(i)) {
			s->err = 1;
			break;
		}
		s->sum += v;
	}
	return 0;
}

static void two_threads(void **state)
{
	size_t bytes = 192 + ENTRIES * 8;
	unsigned char *mem = region(4096);
	struct sem wake_p = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct sem wake_c = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct side p = { 0 }, c = { 0 };
	assert_int_equal(l4_ring_format(mem, bytes, 8), ENTRIES);
	/* The producer sleeps on wake_p and signals wake_c; the consumer the other way. */
	assert_int_equal(l4_ring_attach(&p.r, mem, bytes, 8, sem_wait_, &wake_p, sem_signal, &wake_c), 0);
	assert_int_equal(l4_ring_attach(&c.r, mem, bytes, 8, sem_wait_, &wake_c, sem_signal, &wake_p), 0);
	pthread_t tp, tc;
	assert_int_equal(pthread_create(&tc, 0, consumer, &c), 0);
	assert_int_equal(pthread_create(&tp, 0, producer, &p), 0);
	pthread_join(tp, 0);
	pthread_join(tc, 0);
	assert_int_equal(p.err, 0);
	assert_int_equal(c.err, 0);
	assert_true(p.sum == c.sum);
	printf("# %llu items, checksum %016llx; producer slept %llu times and signalled %llu, "
	       "consumer slept %llu and signalled %llu\n", (unsigned long long)ITEMS,
	       (unsigned long long)c.sum, (unsigned long long)p.r.sleeps,
	       (unsigned long long)p.r.signals, (unsigned long long)c.r.sleeps,
	       (unsigned long long)c.r.signals);
	/* A signal only for a side that said it sleeps: far fewer than items
	 * (a side that raised its flag and then found work after all may
	 * still be signalled once, so signals and sleeps need not match). */
	assert_true(p.r.signals + c.r.signals < ITEMS / 10);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_and_attach),
		cmocka_unit_test(full_empty_broken),
		cmocka_unit_test(two_threads),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
