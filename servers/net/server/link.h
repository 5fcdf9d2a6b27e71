/* link.h - what the stack asks of the link under an interface.  The
 * netif layer (netif.c) speaks lwIP on one side and this on the other, so
 * a device slots in by filling a struct net_link: the e1000 client rings
 * (servers/e1000's <nic.h>: sDDF-style RX/TX free and active rings in a
 * region the driver shares, with notifications both ways, link_e1000.c)
 * and the dummy link (link_dummy.c) are the two there are.
 *
 * The event loop (loop.c) calls these, never lwIP's callbacks: nothing is
 * entered twice.  A link signals work by bits of the server's bound
 * notification (wake_bits), the same wait that ends for timers and
 * client requests. */
#ifndef NET_LINK_H
#define NET_LINK_H

#include <stdint.h>

struct netif;
struct pbuf;

#define NET_LINK_EVENT_BIT 0x8          /* the e1000 link's event (its driver restarted) */
struct net_link;

struct net_link_ops {
	/* Send one Ethernet frame (without FCS).  lwIP keeps its pbuf:
	 * copy it into a buffer of the link's, or hold a reference (pbuf_ref)
	 * until the device has sent it.  0 (sent, or held until a buffer is
	 * free), or -L4_ENOMEM when it cannot (the frame is dropped and
	 * counted; TCP sends again). */
	int (*transmit)(struct net_link *l, struct pbuf *p);
	/* Hand at most `budget` received frames to netif->input (which owns
	 * each pbuf from then on); how many there were. */
	unsigned (*receive)(struct net_link *l, struct netif *netif, unsigned budget);
	/* The loop is about to sleep: ask the other side to signal wake_bits
	 * when it has work (ring_notif's protocol), and say whether work came
	 * meanwhile (nonzero: the loop does not sleep). */
	int (*idle)(struct net_link *l);
	/* event_bits came (NULL: the link has none): for the e1000 link, the
	 * root task says the driver has started again (parent_watch), and
	 * the link attaches to the new one (doc/restart.md). */
	void (*event)(struct net_link *l);
};

/* Checksum offload (net_link.csum): what the device does, set by the
 * link; netif.c clears it when args= say offload=off. */
#define NET_LINK_CSUM_TX 0x1u   /* it inserts the IPv4 header, TCP and UDP checksums of frames
				 * sent (the link asks it per frame: csum.c), so lwIP leaves them */
#define NET_LINK_CSUM_RX 0x2u   /* it checks them on receive and says so per frame
				 * (net_netif_input's verdict) */

/* A received frame's verdict, for net_netif_input. */
#define NET_RX_CSUM_IP_OK 0x1u  /* the device found the IPv4 header checksum right */
#define NET_RX_CSUM_L4_OK 0x2u  /* ... the TCP or UDP checksum */
#define NET_RX_CSUM_BAD   0x4u  /* ... a checksum wrong: lwIP checks all and drops it */

struct net_link {
	const struct net_link_ops *ops;
	const char *kind;               /* "dummy", "e1000" */
	uint8_t mac[6];
	uint16_t mtu;                   /* IP bytes per frame: 1500 on Ethernet */
	int up;                         /* carrier */
	uint64_t wake_bits;             /* of the server's bound notification */
	uint64_t event_bits;            /* ... that call ops->event */
	uint64_t rx, tx, tx_drop;       /* frames, counted by netif.c */
	uint64_t rx_refused;            /* descriptors from the device's side refused (the link counts) */
	uint64_t tx_waited;             /* frames that waited for a transmit buffer (the link counts) */
	unsigned csum;                  /* NET_LINK_CSUM_* */
	uint64_t tx_csum;               /* frames sent with checksums left to the device (the link counts) */
	uint64_t rx_csum_ok, rx_csum_bad; /* received with a checksum the device verified, found
					   * wrong (counted by net_netif_input) */
	void *priv;
};

/* link_dummy.c: an interface with no device (Linux's "dummy"): no
 * carrier, frames sent are dropped and counted, nothing is received. */
void net_link_dummy(struct net_link *l);
/* link_e1000.c: the e1000 driver's session (servers/e1000's <nic.h>):
 * attach to the driver at endpoint ep, its region in our receive window;
 * mine is our notification's slot (the one bound to the loop's thread),
 * theirs an empty slot for the driver's.  0 or -L4_Exxx. */
int net_link_e1000(struct net_link *l, uint64_t ep, uint64_t mine, uint64_t theirs);
/* Before net_link_e1000: use at most n transmit buffers (args=
 * tx-buffers=), so that they run out as on a busy link. */
void net_link_e1000_tx_buffers(unsigned n);

#endif
