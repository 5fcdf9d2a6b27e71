/* port/rand.c - LWIP_RAND() for lwIP: xorshift64* (Vigna, "An experimental
 * exploration of Marsaglia's xorshift generators", 2016).  Not a
 * cryptographic generator: it spreads TCP sequence numbers, DHCP
 * transaction ids and ephemeral ports; the program seeds it (servers/net
 * from the TSC) so that two boots do not start alike. */
#include <arch/cc.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

void lwip_port_seed(uint64_t seed)
{
	state = seed ? seed : 0x9e3779b97f4a7c15ull;   /* 0 is the one fixed point */
}

uint32_t lwip_port_rand(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 0x2545f4914f6cdd1dull) >> 32);
}
