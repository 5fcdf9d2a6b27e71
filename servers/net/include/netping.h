/* <netping.h> - what servers/net's ping interface (lib/ping.idl; stubs in
 * <ping_client.h>) answers.  The shell's `ping` is its client. */
#pragma once

#define PING_SIZE_MAX 1472      /* ICMP data bytes: one Ethernet frame, no fragments */

/* ping_result's state */
enum {
	PING_WAITING,           /* sent, no answer yet */
	PING_REPLY,             /* the echo reply came, data intact */
	PING_TIMEOUT,           /* no reply within the time given */
	PING_BAD_DATA,          /* a reply came with other data than sent */
};
