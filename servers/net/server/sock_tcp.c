/* sock_tcp.c - TCP sockets on lwIP's raw API (socks.h; lwIP's
 * doc/rawapi.txt).  lwIP calls back on the loop's thread: data in
 * (tcp_recv: copied into the socket's queue, so the driver's buffers go
 * back at once; the window opens again only as the client reads, which
 * is TCP's own flow control), data acknowledged (tcp_sent: room), the
 * connection up (connected), a new connection (accept), and its end
 * (tcp_err: lwIP has freed the pcb). */
#include <string.h>
#include <lwip/tcp.h>
#include <lwip/ip_addr.h>
#include "socks.h"

static void uncharge_tx(struct sock *s, uint32_t n)
{
	if (n > s->tx_charged)
		n = s->tx_charged;
	s->tx_charged -= n;
	sock_client_of(s)->mem -= n;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct sock *s = arg;
	if (!p) {
		s->eof = true;
		sock_event(s);
		return ERR_OK;
	}
	if (s->rd_shut) {               /* shut for reading: taken and dropped */
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	struct sock_client *c = sock_client_of(s);
	size_t cost = sockq_cost(p->tot_len);
	/* over the client's limit or no heap: lwIP keeps the data as
	 * refused and offers it again from its timer (tcp_fasttmr) */
	if (c->mem + cost > sock_limit_mem || sockq_push(&s->rq, p, 0, 0))
		return ERR_MEM;
	c->mem += cost;
	pbuf_free(p);
	sock_event(s);
	return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct sock *s = arg;
	uncharge_tx(s, len);
	sock_event(s);
	sock_mem_event();
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	struct sock *s = arg;
	/* the pcb is gone (lwIP freed it before calling) */
	s->tcp = NULL;
	if (err == ERR_RST)
		s->err = s->state == SS_CONNECTING ? SOCK_ECONNREFUSED : SOCK_ECONNRESET;
	else if (err == ERR_ABRT)       /* our own aborts come with no arg: lwIP's timers */
		s->err = SOCK_ETIMEDOUT;
	else if (err == ERR_CLSD)
		s->eof = true;
	else
		s->err = SOCK_ECONNABORTED;
	s->state = SS_DEAD;
	uncharge_tx(s, s->tx_charged);
	sock_event(s);
	sock_mem_event();
}

static void attach(struct sock *s, struct tcp_pcb *pcb)
{
	s->tcp = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
}

static void detach(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);            /* lwIP's tcp_recv_null from now on */
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *s = arg;
	s->state = SS_CONNECTED;
	sock_event(s);
	return ERR_OK;
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct sock *l = arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	int e;
	struct sock *s = l->acc_n < l->backlog ? sock_alloc(l->client, SOCK_TCP, &e) : NULL;
	if (!s) {
		/* the client's limit, the table or the backlog: lwIP resets it */
		sock_stat[SOCK_STAT_REFUSED]++;
		return ERR_MEM;
	}
	s->state = SS_CONNECTED;
	s->queued = true;
	attach(s, pcb);
	s->next = -1;
	int16_t i = (int16_t)(s - sock_tab);
	if (l->acc_tail >= 0)
		sock_tab[l->acc_tail].next = i;
	else
		l->acc_head = i;
	l->acc_tail = i;
	l->acc_n++;
	sock_event(l);
	return ERR_OK;
}

int tcp_sock_new(struct sock *s)
{
	struct tcp_pcb *pcb = tcp_new();
	if (!pcb)
		return SOCK_ENOBUFS;
	attach(s, pcb);
	return 0;
}

void tcp_sock_free(struct sock *s)
{
	struct sock_client *c = sock_client_of(s);
	if (s->state == SS_LISTEN) {
		/* connections lwIP accepted that the client never took */
		while (s->acc_head >= 0) {
			struct sock *q = &sock_tab[s->acc_head];
			s->acc_head = q->next;
			q->queued = false;
			sock_release(q);
		}
		if (s->tcp) {
			tcp_arg(s->tcp, NULL);
			tcp_accept(s->tcp, NULL);
			tcp_close(s->tcp);      /* a listener closes at once */
		}
	} else if (s->tcp) {
		struct tcp_pcb *pcb = s->tcp;
		detach(pcb);
		/* FIN after what is queued; lwIP keeps the pcb until it is
		 * done (with no callbacks of ours); out of memory: reset */
		if (tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
	}
	s->tcp = NULL;
	c->mem -= s->tx_charged;
	s->tx_charged = 0;
	c->mem -= sockq_clear(&s->rq);
	sock_mem_event();
}

int tcp_sock_bind(struct sock *s, uint32_t addr, uint16_t port)
{
	if (s->state != SS_OPEN || !s->tcp || s->tcp->local_port)
		return SOCK_EINVAL;
	ip_addr_t a = IPADDR4_INIT(addr);
	return sock_errno(tcp_bind(s->tcp, &a, port));
}

void tcp_sock_reuse(struct sock *s, int on)
{
	if (!s->tcp)
		return;
	if (on)
		ip_set_option(s->tcp, SOF_REUSEADDR);
	else
		ip_reset_option(s->tcp, SOF_REUSEADDR);
}

int tcp_sock_listen(struct sock *s, unsigned backlog)
{
	if (s->state == SS_LISTEN) {
		s->backlog = (uint16_t)backlog;
		return 0;
	}
	if (s->state != SS_OPEN || !s->tcp)
		return SOCK_EINVAL;
	if (!s->tcp->local_port) {
		int e = sock_errno(tcp_bind(s->tcp, IP_ADDR_ANY, 0));
		if (e)
			return e;
	}
	err_t err;
	struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->tcp, TCP_DEFAULT_LISTEN_BACKLOG, &err);
	if (!l)
		return sock_errno(err);
	/* lwIP freed the old pcb and made a smaller listening one */
	s->tcp = l;
	tcp_arg(l, s);
	tcp_accept(l, on_accept);
	s->state = SS_LISTEN;
	s->backlog = (uint16_t)backlog;
	s->acc_head = s->acc_tail = -1;
	s->acc_n = 0;
	return 0;
}

int tcp_sock_accept(struct sock *s, struct sock **out)
{
	if (s->state != SS_LISTEN)
		return SOCK_EINVAL;
	if (!s->acc_n)
		return SOCK_EAGAIN;
	struct sock *q = &sock_tab[s->acc_head];
	s->acc_head = q->next;
	if (s->acc_head < 0)
		s->acc_tail = -1;
	s->acc_n--;
	q->queued = false;
	q->next = -1;
	*out = q;
	return 0;
}

int tcp_sock_connect(struct sock *s, uint32_t addr, uint16_t port)
{
	switch (s->state) {
	case SS_CONNECTING:
		return SOCK_EALREADY;
	case SS_CONNECTED:
		return SOCK_EISCONN;
	case SS_DEAD: {
		int e = s->err ? s->err : SOCK_ECONNABORTED;
		s->err = 0;
		return e;
	}
	case SS_OPEN:
		break;
	default:
		return SOCK_EINVAL;
	}
	if (!addr || !port)
		return SOCK_EINVAL;
	ip_addr_t a = IPADDR4_INIT(addr);
	int e = sock_errno(tcp_connect(s->tcp, &a, port, on_connected));
	if (e)
		return e;
	s->state = SS_CONNECTING;
	return SOCK_EINPROGRESS;
}

int tcp_sock_send(struct sock *s, const uint8_t *data, uint32_t len, uint32_t *done)
{
	struct sock_client *c = sock_client_of(s);
	*done = 0;
	if (s->state == SS_DEAD) {
		int e = s->err ? s->err : SOCK_EPIPE;
		s->err = 0;
		return e;
	}
	if (s->state != SS_CONNECTED)
		return SOCK_ENOTCONN;
	if (s->wr_shut)
		return SOCK_EPIPE;
	uint32_t n = len, room = tcp_sndbuf(s->tcp);
	if (n > room)
		n = room;
	if (c->mem >= sock_limit_mem)
		n = 0;
	else if (n > sock_limit_mem - c->mem)
		n = (uint32_t)(sock_limit_mem - c->mem);
	if (tcp_sndqueuelen(s->tcp) >= TCP_SND_QUEUELEN)
		n = 0;
	if (!len)
		return 0;
	while (n) {
		err_t e = tcp_write(s->tcp, data, (u16_t)n, TCP_WRITE_FLAG_COPY);
		if (e == ERR_OK)
			break;
		if (e != ERR_MEM)
			return sock_errno(e);
		n /= 2;                 /* lwIP's heap or segments: try less */
	}
	if (!n) {
		c->starved = true;
		return SOCK_EAGAIN;
	}
	s->tx_charged += n;
	c->mem += n;
	tcp_output(s->tcp);
	*done = n;
	return 0;
}

int tcp_sock_recv(struct sock *s, uint8_t *out, uint32_t max, int peek, uint32_t *len)
{
	size_t freed;
	*len = 0;
	if (s->state == SS_OPEN || s->state == SS_LISTEN || s->state == SS_CONNECTING)
		return s->state == SS_CONNECTING ? SOCK_EAGAIN : SOCK_ENOTCONN;
	if (s->rq.bytes && max) {
		uint32_t n = sockq_read(&s->rq, out, max, 1, peek, NULL, NULL, &freed);
		sock_client_of(s)->mem -= freed;
		if (!peek && s->tcp) {
			for (uint32_t k = n; k; ) {     /* the window opens as the client reads */
				u16_t step = k > 0xffff ? 0xffff : (u16_t)k;
				tcp_recved(s->tcp, step);
				k -= step;
			}
		}
		if (freed)
			sock_mem_event();
		*len = n;
		return 0;
	}
	if (s->err) {
		int e = s->err;
		s->err = 0;
		return e;
	}
	if (s->eof || s->rd_shut || s->state == SS_DEAD || !max)
		return 0;               /* the end of the stream */
	return SOCK_EAGAIN;
}

int tcp_sock_shutdown(struct sock *s, unsigned how)
{
	if (s->state != SS_CONNECTED)
		return SOCK_ENOTCONN;
	if (how & SOCK_SHUT_RD && !s->rd_shut) {
		size_t n = s->rq.bytes;
		sock_client_of(s)->mem -= sockq_clear(&s->rq);
		s->rd_shut = true;
		for (; s->tcp && n; ) {
			u16_t step = n > 0xffff ? 0xffff : (u16_t)n;
			tcp_recved(s->tcp, step);
			n -= step;
		}
	}
	if (how & SOCK_SHUT_WR && !s->wr_shut) {
		s->wr_shut = true;
		if (s->tcp)
			return sock_errno(tcp_shutdown(s->tcp, 0, 1));
	}
	return 0;
}

int tcp_sock_name(struct sock *s, int peer, uint32_t *addr, uint16_t *port)
{
	if (!s->tcp)
		return peer ? SOCK_ENOTCONN : 0;
	if (peer && s->state != SS_CONNECTED)
		return SOCK_ENOTCONN;
	*addr = ip4_addr_get_u32(peer ? &s->tcp->remote_ip : &s->tcp->local_ip);
	*port = peer ? s->tcp->remote_port : s->tcp->local_port;
	return 0;
}

unsigned tcp_sock_ready(struct sock *s)
{
	unsigned r = 0;
	switch (s->state) {
	case SS_LISTEN:
		return s->acc_n ? SOCK_POLLIN : 0;
	case SS_CONNECTING:
		return 0;
	case SS_CONNECTED:
		if (s->rq.bytes || s->eof || s->rd_shut)
			r |= SOCK_POLLIN;
		if (!s->wr_shut && tcp_sndbuf(s->tcp) > 0 &&
		    tcp_sndqueuelen(s->tcp) < TCP_SND_QUEUELEN &&
		    sock_client_of(s)->mem < sock_limit_mem)
			r |= SOCK_POLLOUT;
		if (s->eof && s->wr_shut)
			r |= SOCK_POLLHUP;
		return r;
	case SS_DEAD:
		return SOCK_POLLIN | SOCK_POLLOUT | SOCK_POLLHUP | (s->err ? SOCK_POLLERR : 0);
	default:
		return SOCK_POLLOUT | SOCK_POLLHUP;     /* never connected (as Linux says) */
	}
}
