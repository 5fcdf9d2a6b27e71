/* rings.c - the client's side of the driver: its four rings (<nic.h>).
 * Nothing the client writes is trusted: a descriptor is a buffer offset
 * and a length, checked here before anything reaches the device, and a
 * ring whose indices are impossible ends the session. */
#include <stdio.h>
#include <l4/util/ring_notif.h>
#include "e1000.h"

#define TELL_MAX 32             /* refusals printed; all are counted */

static const char *const ring_name[NIC_RINGS] = { "rx_free", "rx_active", "tx_active", "tx_free" };

unsigned rings_init(struct drv *d, const uint64_t *held)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < NIC_RINGS; i++)
		l4_ring_format(d->region + i * NIC_RING_BYTES, NIC_RING_BYTES, sizeof(struct nic_desc));
	/* The first NIC_RX_INITIAL buffers the client does not hold go to the
	 * device; the rest are the client's to send from: in its tx_free
	 * ring, which only we produce into, before anyone else can see it. */
	struct l4_ring r = { 0 };
	l4_ring_attach(&r, d->region + NIC_TX_FREE * NIC_RING_BYTES, NIC_RING_BYTES,
		       sizeof(struct nic_desc), 0, 0, 0, 0);
	unsigned posted = 0;
	for (uint16_t b = 0; b < NIC_NBUF; b++) {
		if (held[b / 64] >> (b % 64) & 1) {
			kept++;
			continue;
		}
		if (posted++ < NIC_RX_INITIAL) {
			hw_rx_post(d, b);
			continue;
		}
		struct nic_desc x = { NIC_BUF_BASE + b * NIC_BUF_SIZE, 0, 0, 0 };
		l4_ring_put(&r, &x);
	}
	return kept;
}

static void detach(struct drv *d, unsigned ring, const char *how)
{
	struct l4_ring_shared *s = d->ring[ring].s;
	printf("%s: client ring %s %s (head %u, tail %u, %u entries): client detached\n", me,
	       ring_name[ring], how, __atomic_load_n(&s->head, __ATOMIC_RELAXED),
	       __atomic_load_n(&s->tail, __ATOMIC_RELAXED), d->ring[ring].mask + 1);
	d->stat[NIC_STAT_BROKEN]++;
	d->detached = true;
}

static bool serving(const struct drv *d)
{
	return d->attached && !d->detached;
}

/* Refuse descriptor x from ring `ring`: count it, say the first few. */
static void refuse(struct drv *d, unsigned ring, const struct nic_desc *x, const char *why)
{
	d->stat[NIC_STAT_REFUSED]++;
	if (d->refusals_told++ >= TELL_MAX)
		return;
	if (x->csum || x->l4)
		printf("%s: %s descriptor (offset 0x%x, length %u, checksums 0x%x, L4 at %u) refused: "
		       "%s\n", me, ring_name[ring], x->off, x->len, x->csum, x->l4, why);
	else
		printf("%s: %s descriptor (offset 0x%x, length %u) refused: %s\n", me, ring_name[ring],
		       x->off, x->len, why);
}

/* The buffer x names, or -1 (refused, counted) when it is none or one the
 * device has already. */
static int buffer(struct drv *d, unsigned ring, const struct nic_desc *x)
{
	if (unlikely(x->off < NIC_BUF_BASE || x->off >= NIC_REGION_SIZE)) {
		refuse(d, ring, x, "outside the buffers");
		return -1;
	}
	if (unlikely((x->off - NIC_BUF_BASE) % NIC_BUF_SIZE)) {
		refuse(d, ring, x, "not the start of a buffer");
		return -1;
	}
	int b = (int)((x->off - NIC_BUF_BASE) / NIC_BUF_SIZE);
	if (unlikely(d->held[b])) {
		refuse(d, ring, x, "a buffer the device holds");
		return -1;
	}
	return b;
}

/* Put x into one of our producer rings; false when the client's ring is
 * broken or full (each holds every buffer, so full means the client moved
 * its tail back): the client is then detached. */
static bool give(struct drv *d, unsigned ring, const struct nic_desc *x)
{
	int e = l4_ring_put(&d->ring[ring], x);
	if (likely(e == L4_RING_OK))
		return true;
	detach(d, ring, e == L4_RING_BROKEN ? "broken" : "full");
	return false;
}

void rings_rx_done(struct drv *d)
{
	while (d->rx_clean != d->rx_tail) {
		volatile e1000_rxd_t *x = &d->rxd[d->rx_clean % RXD_COUNT];
		bool done = false;
		/* LAB 5 BEGIN: done when the device has written descriptor x (rx_clean) back: its DD bit, 3.2.3.1 */
		done = e1000_rxd_dd_get(x);
		/* LAB 5 END */
		if (!done)
			break;
		uint16_t b = d->rx_buf[d->rx_clean % RXD_COUNT];
		uint32_t len = (uint32_t)e1000_rxd_length_get(x);
		bool bad = !e1000_rxd_eop_get(x) || e1000_rxd_ce_get(x) || e1000_rxd_se_get(x) ||
			   e1000_rxd_seq_get(x) || e1000_rxd_cxe_get(x) || e1000_rxd_rxe_get(x) ||
			   len < NIC_FRAME_MIN || len > NIC_BUF_SIZE;
		d->rx_clean++;
		d->held[b] = false;
		if (unlikely(d->crash_after && ++d->rx_seen >= d->crash_after)) {
			printf("%s: crash-after: faulting on purpose at frame %llu\n", me,
			       (unsigned long long)d->crash_after);
			static volatile uintptr_t nowhere = 8;    /* unmapped: the root task kills us */
			*(volatile int *)nowhere = 1;
		}
		struct nic_desc out = { NIC_BUF_BASE + b * NIC_BUF_SIZE, (uint16_t)len, 0, 0 };
		if (!bad && (out.csum = (uint8_t)hw_rx_csum(x))) {
			if (out.csum & (NIC_RX_CSUM_IP_BAD | NIC_RX_CSUM_L4_BAD))
				d->stat[NIC_STAT_RX_CSUM_BAD]++;
			else
				d->stat[NIC_STAT_RX_CSUM_OK]++;
		}
		if (unlikely(bad)) {
			d->stat[NIC_STAT_RX_ERRORS]++;
		} else if (serving(d) && give(d, NIC_RX_ACTIVE, &out)) {
			continue;
		} else {
			d->stat[NIC_STAT_RX_DROPPED]++;
		}
		hw_rx_post(d, b);               /* not handed on: receive into it again */
	}
}

void rings_tx_done(struct drv *d)
{
	while (d->tx_clean != d->tx_tail) {
		bool done = false;
		/* LAB 5 BEGIN: done when the device has sent descriptor tx_clean (its DD bit, asked for by RS: 3.3.3.2) */
		volatile e1000_txd_t *x = &d->txd[d->tx_clean % TXD_COUNT];
		done = e1000_txd_dd_get(x);
		/* LAB 5 END */
		if (!done)
			break;
		uint16_t b = d->tx_buf[d->tx_clean % TXD_COUNT];
		d->tx_clean++;
		if (b == TX_NO_BUF)
			continue;               /* a checksum context (hw_tx_post) */
		d->held[b] = false;
		struct nic_desc out = { NIC_BUF_BASE + b * NIC_BUF_SIZE, 0, 0, 0 };
		if (serving(d))
			give(d, NIC_TX_FREE, &out);
	}
}

/* Why a frame to send cannot go to the device, or NULL: its length, and
 * a checksum request the device could not carry out (<nic.h>).  The
 * frame's bytes are not looked at: they are the client's own, and a wrong
 * pseudo-header sum only spoils its own checksum. */
static const char *tx_problem(const struct nic_desc *x)
{
	if (unlikely(x->len < NIC_FRAME_MIN || x->len > NIC_FRAME_MAX))
		return "not a frame's length";
	if (!x->csum)
		return x->l4 ? "an L4 offset without a checksum request" : NULL;
	if (unlikely(x->csum & ~(NIC_TX_CSUM_IP | NIC_TX_CSUM_TCP | NIC_TX_CSUM_UDP)))
		return "unknown checksum request bits";
	if (unlikely((x->csum & NIC_TX_CSUM_TCP) && (x->csum & NIC_TX_CSUM_UDP)))
		return "both a TCP and a UDP checksum";
	if (unlikely(x->l4 < NIC_L3_OFF + 20 || x->l4 > NIC_L3_OFF + 60 || (x->l4 - NIC_L3_OFF) % 4))
		return "an L4 offset that leaves no IPv4 header (20..60 bytes, a multiple of 4)";
	unsigned need = x->csum & NIC_TX_CSUM_TCP ? 20 : x->csum & NIC_TX_CSUM_UDP ? 8 : 0;
	if (unlikely(x->l4 + need > x->len))
		return "no room for the TCP or UDP header before the frame's end";
	return NULL;
}

void rings_take(struct drv *d)
{
	struct nic_desc x;
	int e = L4_RING_OK;
	bool rx = false, tx = false;
	while (serving(d) && hw_rx_room(d) && (e = l4_ring_get(&d->ring[NIC_RX_FREE], &x)) == L4_RING_OK) {
		int b = buffer(d, NIC_RX_FREE, &x);
		if (b >= 0) {
			hw_rx_post(d, (uint16_t)b);
			rx = true;
		}
	}
	if (e == L4_RING_BROKEN)
		detach(d, NIC_RX_FREE, "broken");
	while (serving(d) && hw_tx_room(d) && (e = l4_ring_get(&d->ring[NIC_TX_ACTIVE], &x)) == L4_RING_OK) {
		int b = buffer(d, NIC_TX_ACTIVE, &x);
		if (b < 0)
			continue;
		const char *why = tx_problem(&x);
		if (unlikely(why)) {
			refuse(d, NIC_TX_ACTIVE, &x, why);
			x.len = 0;
			x.csum = x.l4 = 0;
			give(d, NIC_TX_FREE, &x);       /* the buffer is the client's again */
			continue;
		}
		hw_tx_post(d, (uint16_t)b, &x);
		tx = true;
	}
	if (e == L4_RING_BROKEN)
		detach(d, NIC_TX_ACTIVE, "broken");
	if (rx)
		hw_rx_commit(d);
	if (tx)
		hw_tx_commit(d);
}

/* Before the driver sleeps: ask the client to signal when it gives us
 * buffers; false if it already has (go round again). */
bool rings_idle(struct drv *d)
{
	if (!serving(d))
		return true;
	if (hw_rx_room(d) && !l4_ring_consumer_arm(&d->ring[NIC_RX_FREE]))
		return false;
	if (hw_tx_room(d) && !l4_ring_consumer_arm(&d->ring[NIC_TX_ACTIVE]))
		return false;
	return true;
}
