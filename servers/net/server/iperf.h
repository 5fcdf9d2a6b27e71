/* iperf.h - lwiperf as the server's iperf2 server and client (iperf.c). */
#ifndef NET_IPERF_H
#define NET_IPERF_H

#include <stdint.h>

/* Listen for iperf2 TCP clients on port: 0, or -1 (lwIP has no pcb). */
int net_iperf_server(uint16_t port);
/* Send to the iperf2 server at addr (network byte order):port for 10 s:
 * 0, or -1 (said). */
int net_iperf_client(uint32_t addr, uint16_t port);

#endif
