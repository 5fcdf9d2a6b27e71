/* <netdiag.h> - what servers/net's diagnostics interface (lib/netdiag.idl;
 * stubs in <netdiag_client.h>) answers.  The shell's ping and netstat are
 * its clients. */
#pragma once

#define PING_SIZE_MAX 1472      /* ICMP data bytes: one Ethernet frame, no fragments */

/* netdiag_ping_result's state */
enum {
	PING_WAITING,           /* sent, no answer yet */
	PING_REPLY,             /* the echo reply came, data intact */
	PING_TIMEOUT,           /* no reply within the time given */
	PING_BAD_DATA,          /* a reply came with other data than sent */
};

/* netdiag_proto's protocols (lwIP's struct stats_ members) */
enum {
	NETDIAG_LINK, NETDIAG_ETHARP, NETDIAG_IPFRAG, NETDIAG_IP, NETDIAG_ICMP, NETDIAG_UDP,
	NETDIAG_TCP, NETDIAG_PROTOS
};

/* ... and its counters (lwIP's struct stats_proto, in order) */
enum {
	NETDIAG_XMIT, NETDIAG_RECV, NETDIAG_FW, NETDIAG_DROP, NETDIAG_CHKERR, NETDIAG_LENERR,
	NETDIAG_MEMERR, NETDIAG_RTERR, NETDIAG_PROTERR, NETDIAG_OPTERR, NETDIAG_ERR,
	NETDIAG_CACHEHIT, NETDIAG_COUNTERS
};

/* netdiag_memory's figures: bytes for the heap, pbufs for the pool */
enum { NETDIAG_MEM_AVAIL, NETDIAG_MEM_USED, NETDIAG_MEM_MAX, NETDIAG_MEM_ERR };
