/* sock_udp.c - UDP sockets on lwIP's raw API (socks.h).  A datagram in
 * is copied into the socket's queue (the driver's buffer goes back at
 * once) unless the queue holds SOCK_UDP_QMAX already or the client is at
 * its memory limit: then it is dropped and counted, as a full socket
 * buffer drops it in BSD.  A datagram out is copied from the client's
 * buffer into a pbuf of lwIP's and sent at once. */
#include <string.h>
#include <lwip/netif.h>
#include <lwip/udp.h>
#include <lwip/ip_addr.h>
#include "socks.h"

static void on_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
		    u16_t port)
{
	struct sock *s = arg;
	struct sock_client *c = sock_client_of(s);
	if (s->rq.count >= SOCK_UDP_QMAX || c->mem + sockq_cost(p->tot_len) > sock_limit_mem ||
	    sockq_push(&s->rq, p, ip4_addr_get_u32(addr), port)) {
		sock_stat[SOCK_STAT_RX_DROP]++;
	} else {
		c->mem += sockq_cost(p->tot_len);
		sock_event(s);
	}
	pbuf_free(p);
}

int udp_sock_new(struct sock *s)
{
	s->udp = udp_new();
	if (!s->udp)
		return SOCK_ENOBUFS;
	udp_recv(s->udp, on_recv, s);
	return 0;
}

void udp_sock_free(struct sock *s)
{
	if (s->udp)
		udp_remove(s->udp);
	s->udp = NULL;
	sock_client_of(s)->mem -= sockq_clear(&s->rq);
	sock_mem_event();
}

int udp_sock_bind(struct sock *s, uint32_t addr, uint16_t port)
{
	if (s->udp->local_port)
		return SOCK_EINVAL;
	ip_addr_t a = IPADDR4_INIT(addr);
	return sock_errno(udp_bind(s->udp, &a, port));
}

void udp_sock_reuse(struct sock *s, int on)
{
	if (on)
		ip_set_option(s->udp, SOF_REUSEADDR);
	else
		ip_reset_option(s->udp, SOF_REUSEADDR);
}

int udp_sock_connect(struct sock *s, uint32_t addr, uint16_t port)
{
	if (!addr) {
		udp_disconnect(s->udp);
		return 0;
	}
	if (!port)
		return SOCK_EINVAL;
	ip_addr_t a = IPADDR4_INIT(addr);
	return sock_errno(udp_connect(s->udp, &a, port));
}

int udp_sock_send(struct sock *s, const uint8_t *data, uint32_t len, uint32_t addr,
		  uint16_t port, uint32_t *done)
{
	*done = 0;
	if (len > 65535 - 20 - 8)
		return SOCK_EMSGSIZE;
	if (!addr && !(s->udp->flags & UDP_FLAGS_CONNECTED))
		return SOCK_ENOTCONN;   /* BSD says EDESTADDRREQ; Linux ENOTCONN */
	if (addr && !port)
		return SOCK_EINVAL;
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	if (!p)
		return SOCK_ENOBUFS;
	pbuf_take(p, data, (u16_t)len);
	/* A datagram IPv4 fragments: its checksum covers every fragment,
	 * which no device sees at once (csum.h), so lwIP computes it even
	 * when the interface leaves checksums to the device. */
	struct netif *n = netif_default;
	u16_t flags = n ? n->chksum_flags : 0;
	if (n && len + 8 + 20 > n->mtu)
		NETIF_SET_CHECKSUM_CTRL(n, flags | NETIF_CHECKSUM_GEN_UDP);
	err_t e;
	if (addr) {
		ip_addr_t a = IPADDR4_INIT(addr);
		e = udp_sendto(s->udp, p, &a, port);
	} else {
		e = udp_send(s->udp, p);
	}
	if (n)
		NETIF_SET_CHECKSUM_CTRL(n, flags);
	pbuf_free(p);
	if (e == ERR_OK)
		*done = len;
	return sock_errno(e);
}

int udp_sock_recv(struct sock *s, uint8_t *out, uint32_t max, int peek, uint32_t *len,
		  uint32_t *addr, uint16_t *port)
{
	size_t freed;
	if (!s->rq.count) {
		*len = 0;
		return SOCK_EAGAIN;
	}
	*len = sockq_read(&s->rq, out, max, 0, peek, addr, port, &freed);
	sock_client_of(s)->mem -= freed;
	return 0;
}

int udp_sock_name(struct sock *s, int peer, uint32_t *addr, uint16_t *port)
{
	if (peer && !(s->udp->flags & UDP_FLAGS_CONNECTED))
		return SOCK_ENOTCONN;
	*addr = ip4_addr_get_u32(peer ? &s->udp->remote_ip : &s->udp->local_ip);
	*port = peer ? s->udp->remote_port : s->udp->local_port;
	return 0;
}

unsigned udp_sock_ready(struct sock *s)
{
	return SOCK_POLLOUT | (s->rq.count ? SOCK_POLLIN : 0);
}
