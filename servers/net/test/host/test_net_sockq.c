/* test_net_sockq.c - servers/net's socket receive queue (server/sockq.c)
 * on the real lwIP heap: datagrams kept whole with their sender, read one
 * per call and cut to the reader's room; a stream read across chunks and
 * in pieces; peeking takes nothing; every byte of heap counted and given
 * back (lwIP's heap statistics return to where they were); a push lwIP's
 * heap cannot hold refused with nothing appended. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lwip/init.h>
#include <lwip/mem.h>
#include <lwip/pbuf.h>
#include <lwip/stats.h>
#include "sockq.h"

static struct pbuf *chain(const uint8_t *data, unsigned len, unsigned split)
{
	/* two pbufs, as lwIP hands up a frame held in several */
	struct pbuf *a = pbuf_alloc(PBUF_RAW, (u16_t)split, PBUF_RAM);
	struct pbuf *b = pbuf_alloc(PBUF_RAW, (u16_t)(len - split), PBUF_RAM);
	assert_non_null(a);
	assert_non_null(b);
	memcpy(a->payload, data, split);
	memcpy(b->payload, data + split, len - split);
	pbuf_cat(a, b);
	return a;
}

static uint8_t pattern[4096];

static int setup(void **state)
{
	static int done;
	if (!done) {
		lwip_init();
		done = 1;
	}
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	return 0;
}

static void test_datagrams(void **state)
{
	mem_size_t used0 = lwip_stats.mem.used;
	struct sockq q = { 0 };
	uint8_t out[2000];
	uint32_t addr = 0;
	uint16_t port = 0;
	size_t freed;
	for (unsigned i = 0; i < 3; i++) {
		struct pbuf *p = chain(pattern + i, 100 + i, 40);
		assert_int_equal(sockq_push(&q, p, 0x0a000200u + i, (uint16_t)(1000 + i)), 0);
		pbuf_free(p);
	}
	assert_int_equal(q.count, 3);
	assert_int_equal(q.bytes, 100 + 101 + 102);
	assert_int_equal(q.cost, sockq_cost(100) + sockq_cost(101) + sockq_cost(102));
	assert_int_equal(lwip_stats.mem.used - used0, q.cost);
	/* peek: the first, nothing taken */
	assert_int_equal(sockq_read(&q, out, sizeof(out), 0, 1, &addr, &port, &freed), 100);
	assert_int_equal(freed, 0);
	assert_int_equal(q.count, 3);
	assert_int_equal(addr, 0x0a000200u);
	assert_int_equal(port, 1000);
	/* one datagram per read, whole */
	assert_int_equal(sockq_read(&q, out, sizeof(out), 0, 0, &addr, &port, &freed), 100);
	assert_memory_equal(out, pattern, 100);
	assert_int_equal(freed, sockq_cost(100));
	/* a reader with less room: cut, and the rest of that datagram gone */
	assert_int_equal(sockq_read(&q, out, 10, 0, 0, &addr, &port, &freed), 10);
	assert_memory_equal(out, pattern + 1, 10);
	assert_int_equal(addr, 0x0a000201u);
	assert_int_equal(port, 1001);
	assert_int_equal(q.count, 1);
	assert_int_equal(q.bytes, 102);
	assert_int_equal(sockq_clear(&q), sockq_cost(102));
	assert_int_equal(q.count, 0);
	assert_int_equal(q.bytes, 0);
	assert_int_equal(q.cost, 0);
	assert_null(q.head);
	assert_int_equal(lwip_stats.mem.used, used0);
	assert_int_equal(sockq_read(&q, out, sizeof(out), 0, 0, NULL, NULL, &freed), 0);
}

static void test_stream(void **state)
{
	mem_size_t used0 = lwip_stats.mem.used;
	struct sockq q = { 0 };
	uint8_t out[4096];
	size_t freed, total = 0;
	unsigned at = 0;
	/* 1000 + 1500 + 1596 bytes of one stream, in three segments */
	const unsigned seg[] = { 1000, 1500, 1596 };
	for (unsigned i = 0; i < 3; i++) {
		struct pbuf *p = chain(pattern + at, seg[i], seg[i] / 3);
		assert_int_equal(sockq_push(&q, p, 0, 0), 0);
		pbuf_free(p);
		at += seg[i];
	}
	/* peek across chunks */
	assert_int_equal(sockq_read(&q, out, 2000, 1, 1, NULL, NULL, &freed), 2000);
	assert_memory_equal(out, pattern, 2000);
	assert_int_equal(freed, 0);
	/* pieces of 777: across chunk borders, in order */
	at = 0;
	while (q.bytes) {
		uint32_t n = sockq_read(&q, out, 777, 1, 0, NULL, NULL, &freed);
		assert_true(n > 0 && n <= 777);
		assert_memory_equal(out, pattern + at, n);
		at += n;
		total += freed;
		assert_int_equal(q.bytes, 4096 - at);
	}
	assert_int_equal(at, 4096);
	assert_int_equal(total, sockq_cost(1000) + sockq_cost(1500) + sockq_cost(1596));
	assert_int_equal(q.count, 0);
	assert_int_equal(lwip_stats.mem.used, used0);
}

static void test_heap_full(void **state)
{
	mem_size_t used0 = lwip_stats.mem.used;
	struct sockq q = { 0 };
	struct pbuf *p = pbuf_alloc(PBUF_RAW, 60000, PBUF_POOL);
	assert_non_null(p);
	unsigned n = 0;
	/* lwIP's heap (MEM_SIZE) fills: a push then refused, nothing added */
	while (sockq_push(&q, p, 0, 0) == 0)
		n++;
	assert_true(n >= 1 && n <= MEM_SIZE / 60000);
	assert_int_equal(q.count, n);
	assert_int_equal(q.bytes, n * 60000u);
	assert_int_equal(sockq_clear(&q), n * sockq_cost(60000));
	pbuf_free(p);
	assert_int_equal(lwip_stats.mem.used, used0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_datagrams, setup),
		cmocka_unit_test_setup(test_stream, setup),
		cmocka_unit_test_setup(test_heap_full, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
