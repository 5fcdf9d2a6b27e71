/* config.h - servers/net's command line (the boot config's args=):
 *
 *   addr=A.B.C.D/N   a static address and prefix length; without it, DHCP
 *   fallback=A.B.C.D/N  DHCP first; this static address if no lease came
 *                    within dhcp-wait= milliseconds (100..600000, default
 *                    NET_DHCP_WAIT_DEFAULT); without addr= or fallback=,
 *                    DHCP keeps asking
 *   gw=A.B.C.D       the default gateway (with addr= or fallback=)
 *   tx-buffers=N     the e1000 link uses at most N transmit buffers (the
 *                    driver's 256 without it): fewer make frames wait for
 *                    one, as on a busy link
 *   offload=on|off   checksums left to the device where the link can
 *                    (the e1000: IPv4 header, TCP and UDP; default on),
 *                    or all computed and checked by lwIP (off)
 *   iperf=PORT       an iperf2 TCP server (lwIP's lwiperf) on PORT
 *   iperf-to=A.B.C.D:PORT  an iperf2 TCP client to there (lwiperf, 10 s),
 *                    started once the interface has its address
 *   link=dummy       the link under the interface (link.h): dummy (no
 *   link=e1000       device; the default) or e1000 (the driver's session,
 *                    capability "nic")
 *   socks=N          sockets per client program (1..256, default 16)
 *   sockmem=SIZE     bytes a client may hold in the server: received and
 *                    unread, written and unacknowledged (N, NK or NM;
 *                    4K..16M, default 256K)
 *
 * Pure logic, so the host tests can feed it anything. */
#ifndef NET_CONFIG_H
#define NET_CONFIG_H

#include <stddef.h>
#include <stdint.h>

enum net_link_kind { NET_LINK_DUMMY, NET_LINK_E1000 };

#define NET_DHCP_WAIT_DEFAULT 5000

struct net_config {
	int dhcp;                       /* no addr=: ask DHCP */
	int fallback;                   /* fallback=: addr, mask, gw if DHCP gives none */
	uint32_t dhcp_wait_ms;          /* ... within this */
	uint32_t addr, mask, gw;        /* network byte order */
	uint16_t iperf_port;            /* iperf=: 0 for none */
	uint32_t iperf_to;              /* iperf-to=: network byte order */
	uint16_t iperf_to_port;         /* 0 for none */
	enum net_link_kind link;
	unsigned tx_buffers;            /* tx-buffers=: 0 for all */
	int offload;                    /* offload=: checksums to the device where the link can */
	unsigned socks;                 /* per client (sock.c) */
	size_t sockmem;
};

/* Parse argv[1..argc-1] into *cfg.  0, or -1 with a message naming the
 * argument and what is wrong with it in err. */
int net_config_parse(struct net_config *cfg, int argc, char **argv, char *err, size_t errlen);

#endif
