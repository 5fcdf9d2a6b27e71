/* csum.h - what a link with transmit checksum offload asks of its device
 * for one frame (pure logic, host-tested: test_net_netif). */
#ifndef NET_CSUM_H
#define NET_CSUM_H

#include <stdint.h>

#define NET_CSUM_IP  0x1u       /* insert the IPv4 header checksum */
#define NET_CSUM_TCP 0x2u       /* insert the TCP checksum, from *l4 to the frame's end */
#define NET_CSUM_UDP 0x4u       /* ... the UDP checksum */

/* The checksums the device is to insert into the Ethernet frame f of len
 * bytes (in the link's buffer, lwIP having left them out: NET_LINK_CSUM_TX),
 * with *l4 the TCP/UDP header's offset (the IPv4 header's end); 0 and
 * *l4 = 0 for a frame that is not IPv4 or whose header does not fit.
 * Prepares f as the device needs it (8254x SDM 3.3.5): the IPv4 checksum
 * field zeroed; the TCP or UDP checksum field holding the pseudo-header's
 * sum (RFC 793 3.1, RFC 768), not complemented.  A fragment gets its
 * header checksum only: its TCP/UDP checksum covers the whole datagram,
 * which lwIP computes (sock_udp.c turns lwIP's on for those). */
unsigned net_csum_tx(uint8_t *f, unsigned len, uint8_t *l4);

#endif
