/* <net.h> - what servers/net's interface (lib/net.idl; the stubs in
 * <net_client.h>) reports.  doc/net.md describes the server. */
#pragma once
#include <stdint.h>

/* ifinfo's flags */
enum {
	NET_IF_UP   = 1u << 0,  /* configured (lwIP's netif up) */
	NET_IF_LINK = 1u << 1,  /* the link under it is up */
	NET_IF_DHCP = 1u << 2,  /* the address comes (or is to come) from DHCP */
};

/* stats' counters */
enum {
	NET_STAT_UPTIME_MS,     /* sys_now() when asked: lwIP's clock */
	NET_STAT_WAKEUPS,       /* the event loop's waits that ended */
	NET_STAT_TIMER_RUNS,    /* waits ended by lwIP's next timeout */
	NET_STAT_REQUESTS,      /* client requests served */
	NET_STAT_LINK_WAKEUPS,  /* waits ended by a link's notification bits */
	NET_STAT_LINK_RX,       /* frames the link handed up */
	NET_STAT_LINK_TX,       /* frames lwIP gave the link */
	NET_STAT_LINK_TX_DROP,  /* ... that the link could not take */
	NET_STAT_LINK_REFUSED,  /* descriptors from the driver refused (bad buffer or length) */
	NET_STAT_IP_RECV,       /* lwIP's IPv4 counters (lwip_stats.ip) */
	NET_STAT_IP_XMIT,
	NET_STAT_IP_DROP,
	NET_STAT_LINK_TX_WAITED, /* frames that waited for a transmit buffer (not dropped) */
	NET_STAT_LINK_TX_CSUM,  /* frames sent with their checksums left to the device */
	NET_STAT_LINK_RX_CSUM_OK,  /* frames received whose checksums the device verified (lwIP
				    * skipped those checks) */
	NET_STAT_LINK_RX_CSUM_BAD, /* ... with a checksum the device found wrong (lwIP checked
				    * all and dropped it: counted in netstat's checksum drops) */
	NET_STAT_COUNT
};
_Static_assert(NET_STAT_COUNT <= 16, "net_stats returns 16 counters");
