/* e1000.h - the driver's state, shared by its three parts:
 *   hw.c     the device: reset, address, descriptor rings, interrupts,
 *            statistics registers (8254x SDM chapter 14, "General
 *            Initialization and Reset Operation")
 *   rings.c  the client's rings: every descriptor checked, then given to
 *            the device or back to the client
 *   main.c   start-up, the session (nic.idl) and the one receive loop */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <devregs/e1000.h>
#include <nic.h>

#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif

/* The ITR interval unless itr= says otherwise (doc/drivers.md: measured). */
#define ITR_DEFAULT 0u

#define TX_NO_BUF 0xffffu        /* tx_buf[]: a descriptor without a buffer */

#define RXD_COUNT 256u          /* descriptors per device ring (a multiple of 8: 128 bytes) */
#define TXD_COUNT 256u

/* Bits of the driver's bound notification. */
#define BIT_CLIENT 0x1u         /* the client's rings (l4_ring_notif_signal's bit) */
#define BIT_IRQ    0x2u         /* the device's interrupt */

struct drv {
	volatile void *regs;            /* BAR 0 */
	uint8_t mac[6];
	bool link;
	unsigned mbps;

	/* The region shared with the client (<nic.h>) and its bus address. */
	uint8_t *region;
	uint64_t region_phys;
	/* The device's descriptor rings: driver-private DMA memory. */
	volatile e1000_rxd_t *rxd;
	volatile e1000_txd_t *txd;
	uint64_t rxd_phys, txd_phys;
	/* Which buffer each descriptor holds, and the ring positions: the
	 * device owns [rx_clean, rx_tail) and [tx_clean, tx_tail). */
	uint16_t rx_buf[RXD_COUNT], tx_buf[TXD_COUNT];   /* TX_NO_BUF: a context descriptor */
	unsigned rx_clean, rx_tail, tx_clean, tx_tail;
	/* The checksum context the device has (3.3.6: it stays until the
	 * next context descriptor): l4 << 1 | TCP, 0 for none yet. */
	unsigned tx_ctx;
	/* held[b]: buffer b is in a device ring; a client descriptor naming
	 * it is refused (it would hand one buffer to the device twice). */
	bool held[NIC_NBUF];

	/* The client (one), its rings and whether they are still trusted. */
	bool attached, detached;
	struct l4_ring ring[NIC_RINGS];
	uint64_t refusals_told;         /* refusals printed (the first few) */

	uint64_t stat[NIC_STAT_COUNT];
	uint64_t crash_after, rx_seen;
	bool faults;                    /* the fault call works (argument `faults`) */
	uint64_t notif;                 /* our bound notification's slot */
	uint64_t t_main, t_rctl;        /* us since boot: main began, RCTL written (restart figures) */
	unsigned itr;                   /* ITR interval, 256 ns units (itr=) */
	uint64_t span_t, span_sys;      /* NIC_STAT_DRIVER_TSC: this turn's start, its system calls */           /* fault injection for the tests: 0 = never */
};

extern const char *me;

/* hw.c */
int hw_init(struct drv *d);
void hw_start(struct drv *d);                      /* interrupts on, receiver on */
void hw_rx_post(struct drv *d, uint16_t buf);     /* a buffer into the receive ring */
bool hw_rx_room(const struct drv *d);
void hw_rx_commit(struct drv *d);                  /* tell the device (RDT) */
bool hw_tx_room(const struct drv *d);             /* for one frame: a context and a data descriptor */
void hw_tx_post(struct drv *d, uint16_t buf, const struct nic_desc *x);   /* checked by rings.c */
void hw_tx_commit(struct drv *d);                  /* tell the device (TDT) */
unsigned hw_rx_csum(volatile e1000_rxd_t *x);     /* the device's verdict: NIC_RX_CSUM_* */
uint32_t hw_irq_causes(struct drv *d);             /* read (and clear) ICR */
void hw_link(struct drv *d);                       /* STATUS into link, mbps */
void hw_stats(struct drv *d);                      /* fold the clear-on-read counters in */

/* rings.c */
unsigned rings_init(struct drv *d, const uint64_t *held);   /* format the client's rings, hand
								 * out the buffers not held; how many are */
void rings_rx_done(struct drv *d);                 /* received frames to the client */
void rings_tx_done(struct drv *d);                 /* sent buffers back to the client */
void rings_take(struct drv *d);                    /* the client's free and active buffers */
bool rings_idle(struct drv *d);                    /* armed: sleep on the notification */
