/* <nic.h> - a network interface's client side: the session stubs
 * (nic_attach, nic_info, nic_stats; lib/nic.idl) and the region the
 * driver shares (doc/drivers.md).
 *
 * After seL4 sDDF: frames live in buffers of a region the driver owns
 * (DMA memory, so the device reads and writes them in place: zero copy),
 * and buffer descriptors move through four single-producer
 * single-consumer rings (<l4/util/ring.h>) at the region's start:
 *
 *   NIC_RX_FREE    client -> driver  empty buffers to receive into
 *   NIC_RX_ACTIVE  driver -> client  received frames
 *   NIC_TX_ACTIVE  client -> driver  frames to send
 *   NIC_TX_FREE    driver -> client  sent buffers, empty again
 *
 * At attach the driver holds buffers 0..NIC_RX_INITIAL-1 in its receive
 * ring and has put the others into NIC_TX_FREE (leaving out those the
 * client says it holds, after a restart of the driver).  Every ring holds all
 * NIC_NBUF buffers, so an honest side never finds one full.  The driver
 * checks every descriptor (a buffer inside the region, one it does not
 * hold already, a length a frame can have): a bad one is dropped and
 * counted (NIC_STAT_REFUSED), and a ring whose indices claim more than it
 * holds detaches the client (NIC_STAT_BROKEN); it never reaches the
 * device. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <l4/util/ring.h>
#include <nic_client.h>

#define NIC_REGION_ORDER 20                     /* 1 MiB, aligned to it */
#define NIC_REGION_SIZE  (1u << NIC_REGION_ORDER)
#define NIC_RING_BYTES   8192u                  /* 512 descriptors each */
#define NIC_BUF_BASE     (NIC_RINGS * NIC_RING_BYTES)
#define NIC_BUF_SIZE     2048u                  /* the e1000's receive buffer size */
#define NIC_NBUF         ((NIC_REGION_SIZE - NIC_BUF_BASE) / NIC_BUF_SIZE)   /* 496 */
#define NIC_RX_INITIAL   240u                   /* in the driver's receive ring at attach */
#define NIC_FRAME_MIN    14u                    /* a header: the device pads to 60 */
#define NIC_FRAME_MAX    1514u                  /* without FCS, no VLAN tag */

enum { NIC_RX_FREE, NIC_RX_ACTIVE, NIC_TX_ACTIVE, NIC_TX_FREE, NIC_RINGS };

/* A buffer descriptor: off from the region's start (a multiple of
 * NIC_BUF_SIZE from NIC_BUF_BASE), len the frame's bytes (0 in the free
 * rings), csum NIC_RX_CSUM_* (NIC_RX_ACTIVE: the device's verdict) or
 * NIC_TX_CSUM_* (NIC_TX_ACTIVE: checksums the device is to insert), l4
 * the TCP/UDP header's offset in the frame (NIC_TX_ACTIVE with csum;
 * otherwise 0). */
struct nic_desc {
	uint32_t off;
	uint16_t len;
	uint8_t csum, l4;
};
_Static_assert(sizeof(struct nic_desc) == 8, "ABI: nic_desc");

/* Checksum offload (8254x SDM 3.2.9 receive, 3.3.5 transmit).  Received
 * frames (NIC_RX_ACTIVE) say what the device verified; a checksum it did
 * not verify (not IPv4, not TCP or UDP, a fragment, a device that does
 * not check: QEMU's e1000 never does) has neither bit and is the
 * stack's to check.  A frame whose checksum the device found wrong is
 * handed on all the same, marked bad. */
#define NIC_RX_CSUM_IP_OK  0x1u /* the IPv4 header checksum is right */
#define NIC_RX_CSUM_L4_OK  0x2u /* the TCP or UDP checksum is right */
#define NIC_RX_CSUM_IP_BAD 0x4u /* the IPv4 header checksum is wrong */
#define NIC_RX_CSUM_L4_BAD 0x8u /* the TCP or UDP checksum is wrong */
/* Frames to send (NIC_TX_ACTIVE): an Ethernet II frame with an IPv4
 * header at NIC_L3_OFF and the TCP or UDP header at l4 (its end).  IP:
 * the device computes the header's checksum (the field must be 0).  TCP,
 * UDP: it computes the checksum from l4 to the frame's end, seeded with
 * what the field holds, which must be the pseudo-header's sum (RFC 793,
 * 768; not complemented).  The driver refuses unknown bits, TCP and UDP
 * together, and an l4 that leaves no IPv4 header (20..60 bytes, a
 * multiple of 4) or no room for the TCP or UDP header in len. */
#define NIC_TX_CSUM_IP     0x1u
#define NIC_TX_CSUM_TCP    0x2u
#define NIC_TX_CSUM_UDP    0x4u
#define NIC_L3_OFF         14u  /* Ethernet II, no VLAN tag */
_Static_assert((NIC_RING_BYTES - sizeof(struct l4_ring_shared)) / sizeof(struct nic_desc) >= NIC_NBUF,
	       "every ring holds every buffer");
_Static_assert(NIC_NBUF > NIC_RX_INITIAL, "buffers left for sending");

/* Counters (nic_stats v[]).  The device's: */
enum {
	NIC_STAT_RX_PACKETS,    /* good packets received (GPRC) */
	NIC_STAT_RX_BYTES,      /* good octets received (GORC) */
	NIC_STAT_TX_PACKETS,    /* good packets sent (GPTC) */
	NIC_STAT_TX_BYTES,      /* good octets sent (GOTC) */
	NIC_STAT_RX_ERRORS,     /* CRC errors (CRCERRS) and descriptors with errors */
	NIC_STAT_MISSED,        /* missed: no receive descriptor (MPC) */
	/* the driver's: */
	NIC_STAT_RX_DROPPED,    /* received but not handed on (bad frame, client gone) */
	NIC_STAT_REFUSED,       /* descriptors from the client refused */
	NIC_STAT_BROKEN,        /* client rings found broken (the client detached) */
	NIC_STAT_IRQS,          /* interrupts taken */
	NIC_STAT_WAKEUPS,       /* client notifications received */
	NIC_STAT_LINK_CHANGES,  /* link status changes (LSC) */
	NIC_STAT_DRIVER_TSC,    /* rdtsc ticks in the driver's own code, its system calls
				 * excluded: guest instructions under -icount shift=0 */
	NIC_STAT_RX_CSUM_OK,    /* frames received with a checksum the device verified */
	NIC_STAT_RX_CSUM_BAD,   /* ... with a checksum the device found wrong (handed on, marked) */
	NIC_STAT_TX_CSUM,       /* frames sent with checksums the device inserted */
	NIC_STAT_COUNT
};
_Static_assert(NIC_STAT_COUNT <= 16, "nic_stats returns 16 counters");

/* The client's end of an attached interface. */
struct nic {
	uint64_t ep;                    /* the driver's endpoint */
	uint8_t *base;                  /* the region */
	struct l4_ring ring[NIC_RINGS];
};

#define NIC_HELD_WORDS ((NIC_NBUF + 63) / 64)      /* nic_attach's held[] */
_Static_assert(NIC_HELD_WORDS == 8, "nic.idl: held[8]");
/* The last bit of held[] names no buffer: set, it says the client has
 * been attached to an earlier incarnation of the driver. */
#define NIC_HELD_AGAIN_BIT 511u
_Static_assert(NIC_NBUF <= NIC_HELD_AGAIN_BIT, "a bit to spare");

/* Attach to the driver `ep`: the region goes to `at` (aligned to
 * NIC_REGION_SIZE, in the caller's receive window, where nothing else
 * is), `mine` is the slot of the caller's notification (read and write),
 * `theirs` an empty slot for the driver's.  held: NULL at the first
 * attach; after the driver's restart, a bit per buffer the caller still
 * holds (bit b % 64 of word b / 64), which the driver leaves out when it
 * hands the buffers round (doc/restart.md).  0 or a negative L4_Exxx. */
int nic_open(struct nic *n, uint64_t ep, uint64_t at, uint64_t mine, uint64_t theirs,
	     const uint64_t held[NIC_HELD_WORDS]);

/* Whether the driver still serves: 0, or -L4_ETIMEOUT when nobody
 * received on its endpoint within us microseconds (it has ended; its
 * region is gone then, so do not touch it).  Sure only when the caller
 * runs at a higher priority than the driver on one CPU: the driver cannot
 * end between this answer and the caller's next block. */
int nic_alive(const struct nic *n, uint32_t us);

/* A descriptor's buffer, or NULL when off is not one (the driver is not
 * trusted either). */
static inline uint8_t *nic_buf(const struct nic *n, uint32_t off)
{
	if (off < NIC_BUF_BASE || off >= NIC_REGION_SIZE || (off - NIC_BUF_BASE) % NIC_BUF_SIZE)
		return NULL;
	return n->base + off;
}
