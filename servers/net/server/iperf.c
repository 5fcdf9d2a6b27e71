/* iperf.c - lwIP's lwiperf (contrib/lwip/src/apps/lwiperf, built into
 * pkg/lwip) as the server's iperf2 endpoint: args= "iperf=PORT" listens
 * for iperf2 TCP clients (`iperf -c`, the 2.0 header; -r and -d make
 * lwiperf connect back), "iperf-to=A.B.C.D:PORT" sends to an iperf2
 * server for lwiperf's fixed 10 s once the interface has its address.
 * Each test's end is logged with its byte count: that, not the speed, is
 * what the run scripts judge.
 *
 * lwiperf 2.1.3 miscounts what it receives: the first pbuf of a
 * connection is taken for the 24-byte iperf header and freed whole
 * (lwiperf.c, lwiperf_tcp_recv: "bytes_transferred <= 24"), so the rest
 * of the first segment is not counted.  The server's own count comes
 * from lwiperf's receive callback wrapped: the listener's accept is ours,
 * calls lwiperf's, and puts a counting callback in front of the one
 * lwiperf set; at the end of the stream it logs the bytes received. */
#include <stdio.h>
#include <lwip/apps/lwiperf.h>
#include <lwip/ip_addr.h>
#include <lwip/tcp.h>
#include <lwip/priv/tcp_priv.h>
#include "iperf.h"

#define STREAMS 8               /* received streams counted at once */

static tcp_accept_fn lwiperf_accept;
static tcp_recv_fn lwiperf_recv;
static struct stream {
	struct tcp_pcb *pcb;
	uint32_t bytes;
} streams[STREAMS];
static unsigned next_stream;

static err_t counting_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct stream *s = NULL;
	for (unsigned i = 0; i < STREAMS; i++)
		if (streams[i].pcb == pcb)
			s = &streams[i];
	if (s && p && err == ERR_OK) {
		s->bytes += p->tot_len;
	} else if (s) {
		char r[16];
		ip4addr_ntoa_r(ip_2_ip4(&pcb->remote_ip), r, sizeof(r));
		printf("net: iperf: received %lu bytes from %s:%u%s\n", (unsigned long)s->bytes, r,
		       pcb->remote_port, p ? " (then an error)" : ", to its end");
		s->pcb = NULL;
	}
	return lwiperf_recv(arg, pcb, p, err);
}

static err_t counting_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	err_t e = lwiperf_accept(arg, pcb, err);
	if (e == ERR_OK && pcb && pcb->recv) {
		lwiperf_recv = pcb->recv;
		/* a stream that never ended (aborted: lwiperf's err callback
		 * freed it) gives its place in turn */
		struct stream *s = &streams[next_stream++ % STREAMS];
		*s = (struct stream){ .pcb = pcb };
		tcp_recv(pcb, counting_recv);
	}
	return e;
}

static const char *const kinds[] = {
	[LWIPERF_TCP_DONE_SERVER] = "server done",
	[LWIPERF_TCP_DONE_CLIENT] = "client done",
	[LWIPERF_TCP_ABORTED_LOCAL] = "aborted here",
	[LWIPERF_TCP_ABORTED_LOCAL_DATAERROR] = "aborted here (bad data)",
	[LWIPERF_TCP_ABORTED_LOCAL_TXERROR] = "aborted here (send error)",
	[LWIPERF_TCP_ABORTED_REMOTE] = "aborted by the peer",
};

static void report(void *arg, enum lwiperf_report_type type, const ip_addr_t *local,
		   u16_t local_port, const ip_addr_t *remote, u16_t remote_port, u32_t bytes,
		   u32_t ms, u32_t kbit_s)
{
	char l[16], r[16];
	ip4addr_ntoa_r(ip_2_ip4(local), l, sizeof(l));
	ip4addr_ntoa_r(ip_2_ip4(remote), r, sizeof(r));
	printf("net: iperf: %s: %lu bytes, %s:%u -> %s:%u, %lu ms, %lu kbit/s\n",
	       (unsigned)type < sizeof(kinds) / sizeof(kinds[0]) && kinds[type] ? kinds[type] : "?",
	       (unsigned long)bytes,
	       type == LWIPERF_TCP_DONE_CLIENT ? l : r,
	       type == LWIPERF_TCP_DONE_CLIENT ? local_port : remote_port,
	       type == LWIPERF_TCP_DONE_CLIENT ? r : l,
	       type == LWIPERF_TCP_DONE_CLIENT ? remote_port : local_port,
	       (unsigned long)ms, (unsigned long)kbit_s);
}

int net_iperf_server(uint16_t port)
{
	if (!lwiperf_start_tcp_server(IP_ADDR_ANY, port, report, NULL))
		return -1;
	for (struct tcp_pcb_listen *l = tcp_listen_pcbs.listen_pcbs; l; l = l->next) {
		if (l->local_port == port && l->accept != counting_accept) {
			lwiperf_accept = l->accept;
			tcp_accept((struct tcp_pcb *)l, counting_accept);
		}
	}
	printf("net: iperf: listening on TCP port %u\n", port);
	return 0;
}

int net_iperf_client(uint32_t addr, uint16_t port)
{
	ip_addr_t to;
	ip_addr_set_ip4_u32(&to, addr);
	char a[16];
	ip4addr_ntoa_r(ip_2_ip4(&to), a, sizeof(a));
	if (!lwiperf_start_tcp_client(&to, port, LWIPERF_CLIENT, report, NULL)) {
		printf("net: iperf: cannot start a client to %s:%u\n", a, port);
		return -1;
	}
	printf("net: iperf: client to %s:%u started (10 s)\n", a, port);
	return 0;
}
