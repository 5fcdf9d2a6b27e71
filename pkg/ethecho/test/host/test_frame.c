/* test_frame.c - ethecho's answer to a frame (frame.c), on the host:
 * echo with the addresses swapped, ARP requests for our address answered
 * (padded to 60 bytes) and others not, broadcast, malformed and giant
 * frames counted and dropped, the peer's control frames. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "frame.h"

static const uint8_t MAC[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
static const uint8_t PEER[6] = { 0x52, 0x54, 0, 0, 0, 1 };
static const uint8_t IP[4] = { 10, 0, 2, 15 };

static uint32_t frame(uint8_t *f, const uint8_t *dst, uint16_t type, uint32_t len)
{
	memset(f, 0xa5, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, PEER, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	return len;
}

static void echo_swaps(void **state)
{
	uint8_t f[1514], want[1514];
	struct counts c = { 0 };
	for (uint32_t len = 60; len <= 1514; len += 727) {
		frame(f, MAC, 0x88b6, len);
		memcpy(want, f, len);
		assert_int_equal(frame_answer(f, len, MAC, IP, &c), len);
		assert_memory_equal(f, PEER, 6);
		assert_memory_equal(f + 6, MAC, 6);
		assert_memory_equal(f + 12, want + 12, len - 12);
	}
	assert_int_equal(c.echoed, 3);
	assert_int_equal(c.frames, 3);
}

static uint32_t arp_request(uint8_t *f, const uint8_t tip[4])
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	frame(f, bcast, ETH_P_ARP, 60);
	uint8_t *a = f + 14;
	const uint8_t hdr[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	memcpy(a, hdr, 8);
	memcpy(a + 8, PEER, 6);
	const uint8_t sip[4] = { 10, 0, 2, 2 };
	memcpy(a + 14, sip, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, tip, 4);
	return 60;
}

static void arp_answered(void **state)
{
	uint8_t f[60];
	struct counts c = { 0 };
	assert_int_equal(frame_answer(f, arp_request(f, IP), MAC, IP, &c), 60);
	assert_memory_equal(f, PEER, 6);
	assert_memory_equal(f + 6, MAC, 6);
	assert_int_equal(f[21], 2);                         /* reply */
	assert_memory_equal(f + 22, MAC, 6);                /* sender: us */
	assert_memory_equal(f + 28, IP, 4);
	assert_memory_equal(f + 32, PEER, 6);               /* target: the asker */
	for (int i = 42; i < 60; i++)
		assert_int_equal(f[i], 0);                  /* padded with zeros */
	const uint8_t other[4] = { 10, 0, 2, 16 };
	assert_int_equal(frame_answer(f, arp_request(f, other), MAC, IP, &c), 0);
	assert_int_equal(frame_answer(f, 41, MAC, IP, &c), 0);   /* too short for ARP */
	assert_int_equal(c.arp, 1);
}

static void dropped_and_counted(void **state)
{
	uint8_t f[2048];
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct counts c = { 0 };
	assert_int_equal(frame_answer(f, frame(f, bcast, 0x88b6, 60), MAC, IP, &c), 0);
	assert_int_equal(c.broadcast, 1);
	assert_int_equal(frame_answer(f, frame(f, MAC, 0x88b6, 1515), MAC, IP, &c), 0);
	assert_int_equal(c.giant, 1);
	assert_int_equal(frame_answer(f, 13, MAC, IP, &c), 0);
	/* an 802.3 length past the end, and one that fits (echoed) */
	assert_int_equal(frame_answer(f, frame(f, MAC, 47, 60), MAC, IP, &c), 0);
	assert_int_equal(frame_answer(f, frame(f, MAC, 46, 60), MAC, IP, &c), 60);
	/* IPv4: total length past the end, header length past it, version 6 */
	frame(f, MAC, ETH_P_IPV4, 60);
	f[14] = 0x45, f[16] = 0, f[17] = 47;
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), 0);
	f[17] = 46;
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), 60);
	frame(f, MAC, ETH_P_IPV4, 60);
	f[14] = 0x4f, f[16] = 0, f[17] = 46;
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), 0);
	frame(f, MAC, ETH_P_IPV4, 60);
	f[14] = 0x65, f[16] = 0, f[17] = 46;
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), 0);
	assert_int_equal(c.malformed, 5);
	assert_int_equal(c.echoed, 2);
	assert_int_equal(c.frames, 9);
}

static void control(void **state)
{
	uint8_t f[60];
	struct counts c = { 0 };
	frame(f, MAC, ETH_P_CONTROL, 60);
	memcpy(f + 14, "STOP", 4);
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), ANSWER_STOP);
	memcpy(f + 14, "MARK", 4);
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), ANSWER_MARK);
	memcpy(f + 14, "NOPE", 4);
	assert_int_equal(frame_answer(f, 60, MAC, IP, &c), 60);  /* just a frame */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(echo_swaps),
		cmocka_unit_test(arp_answered),
		cmocka_unit_test(dropped_and_counted),
		cmocka_unit_test(control),
	};
	return cmocka_run_group_tests_name("ethecho_frame", tests, NULL, NULL);
}
