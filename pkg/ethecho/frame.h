/* frame.h - ethecho's answer to a frame: pure logic on bytes (frame.c),
 * tested on the host (test/host). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define ETH_ALEN      6
#define ETH_HLEN      14
#define ETH_ZLEN      60               /* the shortest frame, without FCS */
#define ETH_P_ARP     0x0806
#define ETH_P_IPV4    0x0800
#define ETH_FRAME_MAX 1514             /* without FCS, no VLAN tag */
#define ETH_P_CONTROL 0x88b5            /* IEEE local experimental: the test peer's "stop" */

struct counts {
	uint64_t frames, bytes, echoed, arp, broadcast, malformed, giant;
};

enum { ANSWER_STOP = -1, ANSWER_MARK = -2 };

/* frame.c: what to answer to frame f of len bytes, built in place: its
 * length, 0 to drop it, ANSWER_STOP or ANSWER_MARK for the peer's control
 * frames (EtherType 0x88b5, "STOP" or "MARK"). */
int frame_answer(uint8_t *f, uint32_t len, const uint8_t mac[ETH_ALEN], const uint8_t ip[4],
		 struct counts *c);
