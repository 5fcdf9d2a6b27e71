/* frame.c - ethecho's answer to one frame: pure logic on bytes. */
#include <string.h>
#include "frame.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* An ARP request for our address (RFC 826, Ethernet and IPv4) becomes
 * the reply in place; 0 when f is no such request. */
static uint32_t arp(uint8_t *f, uint32_t len, const uint8_t mac[ETH_ALEN], const uint8_t ip[4])
{
	uint8_t *a = f + ETH_HLEN;
	if (len < ETH_ZLEN || be16(a) != 1 || be16(a + 2) != ETH_P_IPV4 || a[4] != 6 ||
	    a[5] != 4 || be16(a + 6) != 1 || memcmp(a + 24, ip, 4))
		return 0;
	memcpy(a + 18, a + 8, 10);              /* target = the sender */
	memcpy(a + 8, mac, ETH_ALEN);           /* sender = us */
	memcpy(a + 14, ip, 4);
	a[7] = 2;                               /* reply */
	memcpy(f, f + ETH_ALEN, ETH_ALEN);
	memcpy(f + ETH_ALEN, mac, ETH_ALEN);
	/* Padded to Ethernet's minimum here: QEMU's e1000 sends what it is
	 * given, whatever TCTL.PSP says. */
	memset(f + ETH_HLEN + 28, 0, ETH_ZLEN - ETH_HLEN - 28);
	return ETH_ZLEN;
}

/* The header says more than the frame holds: an 802.3 length field past
 * its end, an IPv4 header or total length past it. */
static bool malformed(const uint8_t *f, uint32_t len)
{
	uint16_t type = be16(f + 12);
	if (type < 0x0600)
		return ETH_HLEN + (uint32_t)type > len;
	if (type == ETH_P_IPV4) {
		const uint8_t *ip = f + ETH_HLEN;
		return len < ETH_HLEN + 20 || (ip[0] >> 4) != 4 || (ip[0] & 15) < 5 ||
		       ETH_HLEN + (uint32_t)(ip[0] & 15) * 4 > len || ETH_HLEN + (uint32_t)be16(ip + 2) > len;
	}
	return false;
}

int frame_answer(uint8_t *f, uint32_t len, const uint8_t mac[ETH_ALEN], const uint8_t ip[4],
		 struct counts *c)
{
	c->frames++;
	c->bytes += len;
	if (len > ETH_FRAME_MAX) {
		c->giant++;
		return 0;
	}
	if (len < ETH_HLEN) {
		c->malformed++;
		return 0;
	}
	uint16_t type = be16(f + 12);
	if (type == ETH_P_CONTROL && len >= ETH_HLEN + 4 && !memcmp(f + ETH_HLEN, "STOP", 4))
		return ANSWER_STOP;
	if (type == ETH_P_CONTROL && len >= ETH_HLEN + 4 && !memcmp(f + ETH_HLEN, "MARK", 4))
		return ANSWER_MARK;
	if (type == ETH_P_ARP) {
		uint32_t n = arp(f, len, mac, ip);
		c->arp += n != 0;
		return (int)n;
	}
	if (f[0] & 1) {                          /* broadcast or multicast: not ours to echo */
		c->broadcast++;
		return 0;
	}
	if (malformed(f, len)) {
		c->malformed++;
		return 0;
	}
	uint8_t t[ETH_ALEN];
	memcpy(t, f, ETH_ALEN);
	memcpy(f, f + ETH_ALEN, ETH_ALEN);
	memcpy(f + ETH_ALEN, t, ETH_ALEN);
	c->echoed++;
	return (int)len;
}
