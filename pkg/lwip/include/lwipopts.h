/* lwipopts.h - lwIP's configuration for Minnow (every option and its
 * default: contrib/lwip/src/include/lwip/opt.h).
 *
 * One thread runs the whole stack: NO_SYS=1, the raw (callback) API only,
 * no locks.  servers/net calls lwIP from its one event loop - frames from
 * the driver, timers (sys_check_timeouts against sys_now(), the KIP
 * clock), client requests - so nothing in lwIP is ever entered twice.
 * Memory is lwIP's own: a heap of MEM_SIZE and fixed pools, all static,
 * so the stack's footprint is fixed at link time and one flood of packets
 * cannot grow it (pbufs run out and frames are dropped and counted). */
#ifndef MINNOW_LWIPOPTS_H
#define MINNOW_LWIPOPTS_H

/* --- threading: none ----------------------------------------------------- */
#define NO_SYS                  1
#define SYS_LIGHTWEIGHT_PROT    0
#define LWIP_SOCKET             0   /* Minnow's sockets are servers/net's IDL */
#define LWIP_NETCONN            0
#define LWIP_NETIF_API          0
#define LWIP_TIMERS             1

/* --- memory -------------------------------------------------------------- */
#define MEM_ALIGNMENT           8
#define MEM_SIZE                (1024 * 1024)   /* servers/net's socket queues too */
#define MEMP_NUM_PBUF           64
#define MEMP_NUM_UDP_PCB        32
#define MEMP_NUM_TCP_PCB        192             /* 100 connections at once and their TIME_WAITs */
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_TCP_SEG        512
#define MEMP_NUM_RAW_PCB        4
#define PBUF_POOL_SIZE          128
/* lwIP's own timers, plus servers/net's: the socket session reaper
 * (sock.c), one per ping session (NET_PING_SESSIONS, ping.c) and DHCP's
 * fallback (dhcp.c).  sys_timeout asserts when the pool is empty, so it
 * must hold every one at once. */
#define MEMP_NUM_SYS_TIMEOUT    (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 1 + 8 + 1)
#define SO_REUSE                1   /* SO_REUSEADDR for sockets */
/* one pool pbuf holds a whole Ethernet frame (1514) and lwIP's headroom */
#define PBUF_POOL_BUFSIZE       1536

/* --- protocols: IPv4, ARP, ICMP, UDP, TCP, DHCP --------------------------- */
#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ARP                1
#define LWIP_ETHERNET           1
#define ETHARP_SUPPORT_STATIC_ENTRIES 1
#define LWIP_ICMP               1
#define LWIP_RAW                1   /* ping from the shell sends its own echoes */
#define LWIP_UDP                1
#define LWIP_TCP                1
#define LWIP_DHCP               1
#define LWIP_DHCP_DOES_ACD_CHECK 0
#define LWIP_AUTOIP             0
#define LWIP_IGMP               0
#define LWIP_DNS                0   /* nothing may look names up past QEMU */
#define IP_REASSEMBLY           1
#define IP_FRAG                 1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   1
#define LWIP_NETIF_LOOPBACK     1   /* to our own address: servers/net's loop polls it */
#define LWIP_LOOPBACK_MAX_PBUFS 128
#define LWIP_HAVE_LOOPIF        0

/* --- TCP: full-size segments, a window of 16 of them ---------------------- */
#define TCP_MSS                 1460
#define TCP_WND                 (16 * TCP_MSS)
#define TCP_SND_BUF             (16 * TCP_MSS)
#define TCP_SND_QUEUELEN        (4 * TCP_SND_BUF / TCP_MSS)
#define LWIP_TCP_TIMESTAMPS     0
#define TCP_LISTEN_BACKLOG      1

/* --- checksums: lwIP's, unless the device does them ------------------------
 * Per interface (LWIP_CHECKSUM_CTRL_PER_NETIF): servers/net's netif.c turns
 * lwIP's IPv4, TCP and UDP checksums off on transmit when the link has the
 * device insert them (the e1000: NET_LINK_CSUM_TX), and skips a receive
 * check for a frame only when the device verified that checksum
 * (net_netif_input).  Everything else is computed and checked here. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP         1
#define CHECKSUM_GEN_UDP        1
#define CHECKSUM_GEN_TCP        1
#define CHECKSUM_GEN_ICMP       1
#define CHECKSUM_CHECK_IP       1
#define CHECKSUM_CHECK_UDP      1
#define CHECKSUM_CHECK_TCP      1
#define CHECKSUM_CHECK_ICMP     1

/* --- statistics: counted, shown by `ifconfig` and the httpd page later ---- */
#define LWIP_STATS              1
#define LWIP_STATS_LARGE        1   /* 32-bit counters: 16-bit ones wrap within a second of iperf */
#define LWIP_STATS_DISPLAY      0
#define LINK_STATS              1
#define IP_STATS                1
#define ICMP_STATS              1
#define UDP_STATS               1
#define TCP_STATS               1
#define MEM_STATS               1
#define MEMP_STATS              1

/* --- hooks (lwip_port_hooks.h) ------------------------------------------- */
#define LWIP_HOOK_FILENAME      "lwip_port_hooks.h"
#define LWIP_HOOK_IP4_ROUTE_SRC(src, dest) lwip_port_route_src(src, dest)

/* --- diagnostics: assertions on, debug messages off ----------------------- */
#define LWIP_NOASSERT_ON_ERROR  0
#define LWIP_DEBUG              0

#endif
