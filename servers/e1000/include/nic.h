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
 * rings). */
struct nic_desc {
	uint32_t off, len;
};
_Static_assert(sizeof(struct nic_desc) == 8, "ABI: nic_desc");
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
