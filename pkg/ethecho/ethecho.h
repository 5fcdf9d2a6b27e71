/* ethecho.h - what ethecho's parts share. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <nic.h>

#define ETH_ALEN      6
#define ETH_HLEN      14
#define ETH_ZLEN      60               /* the shortest frame, without FCS */
#define ETH_P_ARP     0x0806
#define ETH_P_IPV4    0x0800
#define ETH_P_CONTROL 0x88b5            /* IEEE local experimental: the test peer's "stop" */

struct counts {
	uint64_t frames, bytes, echoed, arp, broadcast, malformed, giant;
};

extern const char *me;

/* frame.c: what to answer to frame f of len bytes, built in place;
 * 0 to drop it, -1 for the peer's stop frame. */
int frame_answer(uint8_t *f, uint32_t len, const uint8_t mac[ETH_ALEN], const uint8_t ip[4],
		 struct counts *c);

/* garbage.c: bad descriptors and broken indices into the driver's rings. */
void garbage_descriptors(struct nic *n);
void garbage_indices(struct nic *n);
