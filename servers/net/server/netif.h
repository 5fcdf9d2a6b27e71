/* netif.h - one lwIP interface over a struct net_link (link.h). */
#ifndef NET_NETIF_H
#define NET_NETIF_H

#include <lwip/netif.h>
#include "config.h"
#include "link.h"

/* Add `n` over `l` with cfg's static address, or none and DHCP started
 * (cfg->dhcp); make it the default route.  0 or -L4_Exxx. */
int net_netif_add(struct netif *n, struct net_link *l, const struct net_config *cfg);
/* Hand up what the link received, `budget` frames at most per call to
 * the link; how many frames. */
unsigned net_netif_poll(struct netif *n, unsigned budget);

/* What a link's receive calls for each frame instead of netif->input:
 * lwIP skips the checks the device has made (verdict NET_RX_CSUM_*),
 * and only those - every other check (ICMP, a fragment, a frame the
 * device did not look at or found bad) is lwIP's as before.  lwIP has no
 * per-packet flag, so this sets the interface's checksum control for
 * the one synchronous input (NO_SYS: nothing else runs meanwhile). */
err_t net_netif_input(struct netif *n, struct pbuf *p, unsigned verdict);
/* lwIP's loopback (netif_poll): packets the stack sent to its own
 * address.  With transmit offload their checksums were left to a device
 * that never saw them, so they are not checked (Linux does the same:
 * loopback is CHECKSUM_UNNECESSARY). */
void net_netif_loop(struct netif *n);

#endif
