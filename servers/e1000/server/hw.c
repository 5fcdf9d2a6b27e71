/* hw.c - the 82540EM itself, through the generated accessors of
 * <devregs/e1000.h> (pkg/devregs/e1000.dev).  Section numbers are the
 * 8254x Software Developer's Manual's (rev. 4.0). */
#include <stdio.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <parent_client.h>
#include "e1000.h"

_Static_assert(sizeof(e1000_rxd_t) == 16 && sizeof(e1000_txd_t) == 16, "ABI: descriptors");
_Static_assert(RXD_COUNT * 16 % 128 == 0 && TXD_COUNT * 16 % 128 == 0, "RDLEN/TDLEN: 128-byte units");
_Static_assert(NIC_BUF_SIZE == 2048, "RCTL.BSIZE is 2048");

/* Interrupt moderation (13.4.18, 13.4.30, 13.4.31): ITR from the itr=
 * argument (default ITR_DEFAULT, chosen by measurement: doc/drivers.md);
 * RADV/RDTR 0: a frame is reported at once, the ITR window batches. */
#define RX_CAUSES (E1000_IMS_RXT0 | E1000_IMS_RXO | E1000_IMS_RXDMT0 | E1000_IMS_RXSEQ)
#define CAUSES    (RX_CAUSES | E1000_IMS_TXDW | E1000_IMS_LSC)

/* One EEPROM word through EERD (13.4.4); -1 when the read does not end. */
static int eeprom_word(struct drv *d, unsigned addr)
{
	e1000_eerd_wr(d->regs, e1000_eerd_addr_insert(E1000_EERD_START, addr));
	for (int i = 0; i < 10000; i++) {
		uint32_t v = e1000_eerd_rd(d->regs);
		if (e1000_eerd_done_extract(v))
			return (int)e1000_eerd_data_extract(v);
	}
	return -1;
}

/* The station address: EEPROM words 0-2 (5.6.1), else what RAL0/RAH0
 * hold; written back to receive address 0, valid (13.4.38-39). */
static void read_mac(struct drv *d)
{
	int w[3];
	bool eeprom = true;
	for (unsigned i = 0; i < 3; i++)
		if ((w[i] = eeprom_word(d, i)) < 0)
			eeprom = false;
	if (eeprom) {
		for (unsigned i = 0; i < 3; i++) {
			d->mac[2 * i] = (uint8_t)w[i];
			d->mac[2 * i + 1] = (uint8_t)(w[i] >> 8);
		}
	} else {
		uint32_t ral = e1000_ral_rd(d->regs, 0), rah = e1000_rah_rd(d->regs, 0);
		d->mac[0] = e1000_ral_byte0_extract(ral);
		d->mac[1] = e1000_ral_byte1_extract(ral);
		d->mac[2] = e1000_ral_byte2_extract(ral);
		d->mac[3] = e1000_ral_byte3_extract(ral);
		d->mac[4] = e1000_rah_byte4_extract(rah);
		d->mac[5] = e1000_rah_byte5_extract(rah);
	}
	uint32_t ral = e1000_ral_byte0_insert(0, d->mac[0]);
	ral = e1000_ral_byte1_insert(ral, d->mac[1]);
	ral = e1000_ral_byte2_insert(ral, d->mac[2]);
	ral = e1000_ral_byte3_insert(ral, d->mac[3]);
	uint32_t rah = e1000_rah_byte4_insert(E1000_RAH_AV, d->mac[4]);
	rah = e1000_rah_byte5_insert(rah, d->mac[5]);
	e1000_ral_wr(d->regs, 0, ral);
	e1000_rah_wr(d->regs, 0, rah);
	printf("%s: MAC %02x:%02x:%02x:%02x:%02x:%02x (from the %s)\n", me, d->mac[0], d->mac[1],
	       d->mac[2], d->mac[3], d->mac[4], d->mac[5], eeprom ? "EEPROM" : "receive address");
}

/* Global reset (14.3): mask every interrupt first and again after, since
 * the reset clears the mask but a cause may have come in between. */
static int reset(struct drv *d)
{
	e1000_imc_wr(d->regs, ~0u);
	e1000_ctrl_wr(d->regs, e1000_ctrl_rd(d->regs) | E1000_CTRL_RST);
	for (int i = 0; e1000_ctrl_rd(d->regs) & E1000_CTRL_RST; i++) {
		if (i == 1100) {
			printf("%s: the device stays in reset (CTRL.RST)\n", me);
			return -L4_ESTATE;
		}
		/* a sleep is a timer tick (10 ms): look a few times first, the
		 * reset is quick (QEMU: done by the write) - a restart waits
		 * for this */
		if (i >= 100)
			l4_sleep_us(10);
	}
	e1000_imc_wr(d->regs, ~0u);
	(void)e1000_icr_rd(d->regs);
	/* Link (14.5.1 for copper with auto-negotiation): set link up, speed
	 * and duplex from the PHY. */
	e1000_ctrl_wr(d->regs, (e1000_ctrl_rd(d->regs) | E1000_CTRL_SLU | E1000_CTRL_ASDE) &
			       ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS));
	return 0;
}

void hw_link(struct drv *d)
{
	static const unsigned mbps[4] = { 10, 100, 1000, 1000 };
	uint32_t st = e1000_status_rd(d->regs);
	d->link = e1000_status_lu_extract(st);
	d->mbps = d->link ? mbps[e1000_status_speed_extract(st)] : 0;
}

/* Receive (14.4) and transmit (14.5) initialization.  RCTL is written
 * once, last: QEMU's e1000 holds back received frames for a second after
 * every RCTL write (doc/drivers.md). */
static void rings(struct drv *d)
{
	for (unsigned i = 0; i < 128; i++)
		e1000_mta_wr(d->regs, i, 0);
	/* LAB 5 BEGIN: the receive ring's registers (14.4): base (RDBAL/RDBAH), length (RDLEN), head and tail 0 */
	e1000_rdbal_wr(d->regs, (uint32_t)d->rxd_phys);
	e1000_rdbah_wr(d->regs, (uint32_t)(d->rxd_phys >> 32));
	e1000_rdlen_wr(d->regs, e1000_rdlen_len_insert(0, RXD_COUNT * sizeof(e1000_rxd_t)));
	e1000_rdh_wr(d->regs, 0);
	e1000_rdt_wr(d->regs, 0);
	/* LAB 5 END */
	e1000_rdtr_wr(d->regs, 0);
	e1000_radv_wr(d->regs, 0);
	/* LAB 5 BEGIN: the transmit ring's registers (14.5): base (TDBAL/TDBAH), length (TDLEN), head and tail 0 */
	e1000_tdbal_wr(d->regs, (uint32_t)d->txd_phys);
	e1000_tdbah_wr(d->regs, (uint32_t)(d->txd_phys >> 32));
	e1000_tdlen_wr(d->regs, e1000_tdlen_len_insert(0, TXD_COUNT * sizeof(e1000_txd_t)));
	e1000_tdh_wr(d->regs, 0);
	e1000_tdt_wr(d->regs, 0);
	/* LAB 5 END */
	e1000_tidv_wr(d->regs, 0);
	e1000_tadv_wr(d->regs, 0);
	/* Receive checksum offload (3.2.9): the device checks IPv4 header and
	 * TCP/UDP checksums and says so in each descriptor (hw_rx_csum).
	 * Written before RCTL enables the receiver.  QEMU's e1000 keeps no
	 * RXCSUM and sets IXSM in every descriptor: it checks nothing. */
	e1000_rxcsum_wr(d->regs, E1000_RXCSUM_IPOFLD | E1000_RXCSUM_TUOFLD);
	d->tx_ctx = 0;                          /* the device has no checksum context yet */
	e1000_tipg_wr(d->regs, E1000_TIPG_COPPER);
	e1000_tctl_wr(d->regs, E1000_TCTL_FULL_DUPLEX);
	e1000_itr_wr(d->regs, e1000_itr_interval_insert(0, d->itr));
}

int hw_init(struct drv *d)
{
	const struct l4_env_bar *bar = &l4_env()->pci.bar[0];
	uint64_t va;
	int e;
	if (unlikely(!l4_env()->pci.present || bar->kind != L4_ENV_BAR_MEM || bar->size < E1000_SPACE_SIZE)) {
		printf("%s: no e1000 in my environment (pci= with a memory BAR 0 of 128 KiB)\n", me);
		return -L4_EINVAL;
	}
	if ((e = parent_mmio_map(L4_ENV_PARENT, bar->base, E1000_SPACE_SIZE, &va))) {
		printf("%s: mapping BAR 0 at 0x%llx: %s\n", me, (unsigned long long)bar->base, l4_strerror(e));
		return e;
	}
	d->regs = (volatile void *)va;
	/* The client's region first: dma_alloc's first region starts at
	 * P_DMA_BASE, aligned to 1 MiB, so one flexpage covers it. */
	uint64_t dva, dphys;
	if ((e = parent_dma_alloc(L4_ENV_PARENT, NIC_REGION_SIZE, &va, &d->region_phys)) ||
	    (e = parent_dma_alloc(L4_ENV_PARENT, (RXD_COUNT + TXD_COUNT) * 16, &dva, &dphys))) {
		printf("%s: DMA memory: %s\n", me, l4_strerror(e));
		return e;
	}
	if (unlikely(va & (NIC_REGION_SIZE - 1))) {
		printf("%s: the region at 0x%llx is not aligned to its size\n", me, (unsigned long long)va);
		return -L4_EINVAL;
	}
	d->region = (uint8_t *)va;
	d->rxd = (volatile e1000_rxd_t *)dva;
	d->txd = (volatile e1000_txd_t *)(dva + RXD_COUNT * 16);
	d->rxd_phys = dphys;
	d->txd_phys = dphys + RXD_COUNT * 16;
	if ((e = reset(d)))
		return e;
	read_mac(d);
	rings(d);
	return 0;
}

/* Start receiving: the receive ring is filled (rings_init), enable. */
void hw_start(struct drv *d)
{
	hw_rx_commit(d);
	e1000_ims_wr(d->regs, CAUSES);
	e1000_rctl_wr(d->regs, e1000_rctl_bsize_insert(E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC,
						       E1000_RCTL_BSIZE_B2048));
}

bool hw_rx_room(const struct drv *d)
{
	return d->rx_tail - d->rx_clean < RXD_COUNT - 1;     /* RDT == RDH means empty */
}

void hw_rx_post(struct drv *d, uint16_t buf)
{
	/* LAB 5 BEGIN: receive descriptor rx_tail gets buf's bus address, its status cleared (3.2.3) */
	volatile e1000_rxd_t *x = &d->rxd[d->rx_tail % RXD_COUNT];
	x->w[1] = 0;                            /* status clear: not done */
	e1000_rxd_addr_set(x, d->region_phys + NIC_BUF_BASE + (uint64_t)buf * NIC_BUF_SIZE);
	/* LAB 5 END */
	d->rx_buf[d->rx_tail % RXD_COUNT] = buf;
	d->held[buf] = true;
	d->rx_tail++;
}

void hw_rx_commit(struct drv *d)
{
	/* LAB 5 BEGIN: move RDT: the device may fill the descriptors before rx_tail */
	e1000_rdt_wr(d->regs, e1000_rdt_rdt_insert(0, d->rx_tail % RXD_COUNT));
	/* LAB 5 END */
}

bool hw_tx_room(const struct drv *d)
{
	return d->tx_tail - d->tx_clean < TXD_COUNT - 2;     /* a context and a data descriptor */
}

/* A TCP/IP context descriptor (3.3.6) for frames whose TCP or UDP header
 * is at l4: the IPv4 header from NIC_L3_OFF to l4 - 1, its checksum at
 * +10; TCP's checksum at l4 + 16, UDP's at l4 + 6, summed to the
 * packet's end (TUCSE 0; the padding of short frames is zeros).  One per
 * change: the device keeps the last (3.3.5). */
static void tx_context(struct drv *d, unsigned l4, bool tcp)
{
	volatile e1000_ctxd_t *c = (volatile e1000_ctxd_t *)&d->txd[d->tx_tail % TXD_COUNT];
	c->w[0] = c->w[1] = 0;
	e1000_ctxd_ipcss_set(c, NIC_L3_OFF);
	e1000_ctxd_ipcso_set(c, NIC_L3_OFF + 10);
	e1000_ctxd_ipcse_set(c, l4 - 1);
	e1000_ctxd_tucss_set(c, l4);
	e1000_ctxd_tucso_set(c, l4 + (tcp ? 16 : 6));
	e1000_ctxd_tucse_set(c, 0);
	e1000_ctxd_dtyp_set(c, E1000_CTXD_DTYP_CONTEXT);
	e1000_ctxd_tcp_set(c, tcp);
	e1000_ctxd_ip_set(c, 1);
	e1000_ctxd_dext_set(c, 1);
	e1000_ctxd_rs_set(c, 1);                /* DD when done: rings_tx_done goes past it */
	d->tx_buf[d->tx_tail % TXD_COUNT] = TX_NO_BUF;
	d->tx_tail++;
	d->tx_ctx = l4 << 1 | tcp;
}

void hw_tx_post(struct drv *d, uint16_t buf, const struct nic_desc *x)
{
	uint64_t addr = d->region_phys + NIC_BUF_BASE + (uint64_t)buf * NIC_BUF_SIZE;
	if (x->csum) {
		/* Checksum offload (3.3.5): a data descriptor (3.3.7) with
		 * IXSM/TXSM, after the context it needs.  An IP-only frame
		 * takes any context with its header's end. */
		bool tcp = x->csum & NIC_TX_CSUM_TCP, l4sum = x->csum & (NIC_TX_CSUM_TCP | NIC_TX_CSUM_UDP);
		if (d->tx_ctx >> 1 != x->l4 || (l4sum && (d->tx_ctx & 1) != tcp))
			tx_context(d, x->l4, tcp);
		volatile e1000_dtxd_t *t = (volatile e1000_dtxd_t *)&d->txd[d->tx_tail % TXD_COUNT];
		t->w[0] = t->w[1] = 0;
		e1000_dtxd_addr_set(t, addr);
		e1000_dtxd_dtalen_set(t, x->len);
		e1000_dtxd_dtyp_set(t, E1000_DTXD_DTYP_DATA);
		e1000_dtxd_eop_set(t, 1);
		e1000_dtxd_ifcs_set(t, 1);
		e1000_dtxd_rs_set(t, 1);
		e1000_dtxd_dext_set(t, 1);
		e1000_dtxd_ixsm_set(t, !!(x->csum & NIC_TX_CSUM_IP));
		e1000_dtxd_txsm_set(t, !!l4sum);
		d->stat[NIC_STAT_TX_CSUM]++;
	} else {
		/* LAB 5 BEGIN: transmit descriptor tx_tail, legacy (3.3.3), for buf: address, length, EOP, IFCS, RS */
		volatile e1000_txd_t *t = &d->txd[d->tx_tail % TXD_COUNT];
		t->w[0] = t->w[1] = 0;
		e1000_txd_addr_set(t, addr);
		e1000_txd_length_set(t, x->len);
		e1000_txd_eop_set(t, 1);
		e1000_txd_ifcs_set(t, 1);
		e1000_txd_rs_set(t, 1);                 /* DD when sent: the buffer can go back */
		/* LAB 5 END */
	}
	d->tx_buf[d->tx_tail % TXD_COUNT] = buf;
	d->held[buf] = true;
	d->tx_tail++;
}

void hw_tx_commit(struct drv *d)
{
	/* LAB 5 BEGIN: move TDT: the device may send the descriptors before tx_tail */
	e1000_tdt_wr(d->regs, e1000_tdt_tdt_insert(0, d->tx_tail % TXD_COUNT));
	/* LAB 5 END */
}

/* The device's checksum verdict on a received frame (3.2.3.1-2, 3.2.9):
 * with IXSM clear, IPCS and TCPCS say which checksums it computed, IPE
 * and TCPE whether they were wrong.  TCPCS covers UDP too. */
unsigned hw_rx_csum(volatile e1000_rxd_t *x)
{
	if (e1000_rxd_ixsm_get(x))
		return 0;
	unsigned v = 0;
	if (e1000_rxd_ipcs_get(x))
		v |= e1000_rxd_ipe_get(x) ? NIC_RX_CSUM_IP_BAD : NIC_RX_CSUM_IP_OK;
	if (e1000_rxd_tcpcs_get(x))
		v |= e1000_rxd_tcpe_get(x) ? NIC_RX_CSUM_L4_BAD : NIC_RX_CSUM_L4_OK;
	return v;
}

uint32_t hw_irq_causes(struct drv *d)
{
	return e1000_icr_rd(d->regs);
}

/* The statistics registers clear when read (13.7): fold them into 64-bit
 * counters, low octet words before high. */
void hw_stats(struct drv *d)
{
	volatile void *r = d->regs;
	d->stat[NIC_STAT_RX_ERRORS] += e1000_crcerrs_rd(r);
	d->stat[NIC_STAT_MISSED] += e1000_mpc_rd(r);
	d->stat[NIC_STAT_RX_PACKETS] += e1000_gprc_rd(r);
	d->stat[NIC_STAT_TX_PACKETS] += e1000_gptc_rd(r);
	uint64_t lo = e1000_gorcl_rd(r);
	d->stat[NIC_STAT_RX_BYTES] += lo | (uint64_t)e1000_gorch_rd(r) << 32;
	lo = e1000_gotcl_rd(r);
	d->stat[NIC_STAT_TX_BYTES] += lo | (uint64_t)e1000_gotch_rd(r) << 32;
}
