/* csum.c - a frame made ready for the device's checksum offload (csum.h). */
#include "csum.h"

#define ETH_HLEN 14

static unsigned be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

unsigned net_csum_tx(uint8_t *f, unsigned len, uint8_t *l4)
{
	*l4 = 0;
	if (len < ETH_HLEN + 20 || be16(f + 12) != 0x0800)
		return 0;
	uint8_t *ip = f + ETH_HLEN;
	unsigned ihl = (ip[0] & 15u) * 4, total = be16(ip + 2);
	if (ip[0] >> 4 != 4 || ihl < 20 || total < ihl || ETH_HLEN + total > len)
		return 0;
	ip[10] = ip[11] = 0;            /* the device sums the field too */
	*l4 = (uint8_t)(ETH_HLEN + ihl);
	unsigned proto = ip[9], l4len = total - ihl, field;
	if (be16(ip + 6) & 0x3fffu)     /* MF or an offset: a fragment */
		return NET_CSUM_IP;
	if (proto == 6 && l4len >= 20)
		field = 16;
	else if (proto == 17 && l4len >= 8)
		field = 6;
	else
		return NET_CSUM_IP;
	/* the pseudo-header: source, destination, zero and protocol, length */
	uint32_t sum = be16(ip + 12) + be16(ip + 14) + be16(ip + 16) + be16(ip + 18) + proto + l4len;
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	uint8_t *c = f + *l4 + field;
	c[0] = (uint8_t)(sum >> 8);
	c[1] = (uint8_t)sum;
	return NET_CSUM_IP | (proto == 6 ? NET_CSUM_TCP : NET_CSUM_UDP);
}
