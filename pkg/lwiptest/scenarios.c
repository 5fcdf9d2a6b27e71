/* scenarios.c - see scenarios.h.  lwIP's raw API: doc/rawapi.txt. */
#include "scenarios.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <lwip/init.h>
#include <lwip/etharp.h>
#include <lwip/inet_chksum.h>
#include <lwip/ip4.h>
#include <lwip/prot/icmp.h>
#include <lwip/prot/ip4.h>
#include <lwip/raw.h>
#include <lwip/sys.h>
#include <lwip/tcp.h>
#include <lwip/timeouts.h>
#include <lwip/udp.h>

#define LT_TIMEOUT_MS 20000u   /* per step; the whole run takes far less */
#define LT_ECHO_PORT  7

static int fail(struct lt_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof(c->why), fmt, ap);
	va_end(ap);
	return -1;
}

uint8_t lt_stream_byte(uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ull;
	return (uint8_t)((x ^ (x >> 29)) >> 24);
}

uint64_t lt_fnv1a(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static const ip4_addr_t *addr_of(struct lt_ctx *c, int end)
{
	return netif_ip4_addr(&c->link.end[end].netif);
}

/* The event loop of a NO_SYS stack: frames in, timers due, until `done`. */
static int run_until(struct lt_ctx *c, int (*done)(void *), void *arg)
{
	u32_t t0 = sys_now();
	for (;;) {
		memlink_poll(&c->link);
		sys_check_timeouts();
		if (done(arg))
			return 0;
		if ((u32_t)(sys_now() - t0) > LT_TIMEOUT_MS)
			return -1;
	}
}

int lt_setup(struct lt_ctx *c)
{
	static int lwip_up;
	if (!lwip_up) {
		lwip_init();
		lwip_up = 1;
	}
	memset(c->why, 0, sizeof(c->why));
	if (memlink_init(&c->link) != ERR_OK)
		return fail(c, "memlink_init: netif_add refused");
	return 0;
}

void lt_teardown(struct lt_ctx *c)
{
	memlink_fini(&c->link);
}

/* --- ARP ------------------------------------------------------------------ */
struct arp_wait {
	struct lt_ctx *c;
	struct eth_addr *eth;
};

static int arp_done(void *arg)
{
	struct arp_wait *w = arg;
	struct eth_addr *eth;
	const ip4_addr_t *ip;
	if (etharp_find_addr(&w->c->link.end[0].netif, addr_of(w->c, 1), &eth, &ip) < 0)
		return 0;
	w->eth = eth;
	return 1;
}

int lt_arp(struct lt_ctx *c)
{
	struct arp_wait w = { c, NULL };
	struct netif *a = &c->link.end[0].netif, *b = &c->link.end[1].netif;
	if (arp_done(&w))
		return fail(c, "10.0.9.2 in the ARP cache before any request");
	err_t e = etharp_query(a, addr_of(c, 1), NULL);
	if (e != ERR_OK)
		return fail(c, "etharp_query: err %d", e);
	if (run_until(c, arp_done, &w))
		return fail(c, "no ARP reply from 10.0.9.2 within %u ms", LT_TIMEOUT_MS);
	if (memcmp(w.eth->addr, b->hwaddr, ETH_HWADDR_LEN))
		return fail(c, "10.0.9.2 resolved to %02x:..:%02x, not its MAC",
			    w.eth->addr[0], w.eth->addr[5]);
	return 0;
}

/* --- ICMP echo ------------------------------------------------------------- */
#define PING_DATA 56
#define PING_ID   0x4d4e

struct ping {
	struct lt_ctx *c;
	u16_t seq;
	int got, bad;
};

static u8_t ping_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	struct ping *pg = arg;
	u8_t msg[sizeof(struct icmp_echo_hdr) + PING_DATA];
	struct ip_hdr iph;
	if (pbuf_copy_partial(p, &iph, sizeof(iph), 0) != sizeof(iph))
		return 0;
	u16_t hlen = IPH_HL_BYTES(&iph);
	if (pbuf_copy_partial(p, msg, sizeof(msg), hlen) != sizeof(msg))
		return 0;
	const struct icmp_echo_hdr *h = (const void *)msg;
	if (h->type != ICMP_ER || h->id != lwip_htons(PING_ID))
		return 0;                       /* not ours: lwIP's ICMP may have it */
	if (h->seqno != lwip_htons(pg->seq))
		pg->bad++;
	for (int i = 0; i < PING_DATA; i++)
		if (msg[sizeof(*h) + i] != lt_stream_byte(pg->seq * 1000u + i))
			pg->bad++;
	if (!ip4_addr_cmp(ip_2_ip4(addr), addr_of(pg->c, 1)))
		pg->bad++;
	pg->got++;
	pbuf_free(p);
	return 1;
}

static int ping_done(void *arg)
{
	return ((struct ping *)arg)->got > 0;
}

int lt_ping(struct lt_ctx *c, unsigned count)
{
	struct ping pg = { c, 0, 0, 0 };
	struct raw_pcb *pcb = raw_new(IP_PROTO_ICMP);
	if (pcb == NULL)
		return fail(c, "raw_new: out of raw pcbs");
	raw_bind(pcb, &c->link.end[0].netif.ip_addr);
	raw_recv(pcb, ping_recv, &pg);
	int r = 0;
	for (unsigned n = 1; n <= count && r == 0; n++) {
		struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + PING_DATA, PBUF_RAM);
		if (p == NULL) {
			r = fail(c, "echo %u: pbuf_alloc failed", n);
			break;
		}
		struct icmp_echo_hdr *h = p->payload;
		pg.seq = (u16_t)n;
		pg.got = 0;
		ICMPH_TYPE_SET(h, ICMP_ECHO);
		ICMPH_CODE_SET(h, 0);
		h->id = lwip_htons(PING_ID);
		h->seqno = lwip_htons(pg.seq);
		h->chksum = 0;
		for (int i = 0; i < PING_DATA; i++)
			((u8_t *)(h + 1))[i] = lt_stream_byte(n * 1000u + i);
		h->chksum = inet_chksum(h, p->len);
		ip_addr_t to;
		ip_addr_copy_from_ip4(to, *addr_of(c, 1));
		err_t e = raw_sendto(pcb, p, &to);
		pbuf_free(p);
		if (e != ERR_OK)
			r = fail(c, "echo %u: raw_sendto: err %d", n, e);
		else if (run_until(c, ping_done, &pg))
			r = fail(c, "echo %u: no reply within %u ms", n, LT_TIMEOUT_MS);
		else if (pg.bad)
			r = fail(c, "echo %u: the reply differs (%d bad fields or bytes)", n, pg.bad);
	}
	raw_remove(pcb);
	return r;
}

/* --- UDP echo -------------------------------------------------------------- */
#define UDP_MAX 1472                    /* 1500 - IPv4 - UDP: no fragments */

struct udp_echo {
	struct lt_ctx *c;
	unsigned seq, len;
	int got, bad;
};

static uint64_t udp_byte_index(unsigned seq, unsigned j)
{
	return ((uint64_t)seq << 16) + j;
}

static void udp_server_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			    const ip_addr_t *addr, u16_t port)
{
	struct pbuf *q = pbuf_alloc(PBUF_TRANSPORT, p->tot_len, PBUF_RAM);
	if (q != NULL && pbuf_copy(q, p) == ERR_OK)
		udp_sendto(pcb, q, addr, port);
	if (q != NULL)
		pbuf_free(q);
	pbuf_free(p);
}

static void udp_client_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
			    const ip_addr_t *addr, u16_t port)
{
	struct udp_echo *u = arg;
	u8_t buf[UDP_MAX];
	u16_t n = pbuf_copy_partial(p, buf, sizeof(buf), 0);
	if (n != u->len || port != LT_ECHO_PORT)
		u->bad++;
	for (unsigned j = 0; j < n; j++)
		if (buf[j] != lt_stream_byte(udp_byte_index(u->seq, j)))
			u->bad++;
	u->got++;
	pbuf_free(p);
}

static int udp_done(void *arg)
{
	return ((struct udp_echo *)arg)->got > 0;
}

int lt_udp(struct lt_ctx *c, unsigned count)
{
	struct udp_echo u = { c, 0, 0, 0, 0 };
	struct udp_pcb *srv = udp_new(), *cli = udp_new();
	int r = 0;
	if (srv == NULL || cli == NULL) {
		r = fail(c, "udp_new: out of udp pcbs");
		goto out;
	}
	if (udp_bind(srv, &c->link.end[1].netif.ip_addr, LT_ECHO_PORT) != ERR_OK ||
	    udp_bind(cli, &c->link.end[0].netif.ip_addr, 0) != ERR_OK) {
		r = fail(c, "udp_bind refused");
		goto out;
	}
	udp_recv(srv, udp_server_recv, NULL);
	udp_recv(cli, udp_client_recv, &u);
	for (unsigned i = 0; i < count && r == 0; i++) {
		u.seq = i;
		u.len = 1 + (i * 733u) % UDP_MAX;
		if (i == count - 1)
			u.len = UDP_MAX;        /* the largest always once */
		u.got = 0;
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)u.len, PBUF_RAM);
		if (p == NULL) {
			r = fail(c, "datagram %u: pbuf_alloc(%u) failed", i, u.len);
			break;
		}
		for (unsigned j = 0; j < u.len; j++)
			((u8_t *)p->payload)[j] = lt_stream_byte(udp_byte_index(i, j));
		ip_addr_t to;
		ip_addr_copy_from_ip4(to, *addr_of(c, 1));
		err_t e = udp_sendto(cli, p, &to, LT_ECHO_PORT);
		pbuf_free(p);
		if (e != ERR_OK)
			r = fail(c, "datagram %u (%u bytes): udp_sendto: err %d", i, u.len, e);
		else if (run_until(c, udp_done, &u))
			r = fail(c, "datagram %u (%u bytes): no echo within %u ms", i, u.len, LT_TIMEOUT_MS);
		else if (u.bad)
			r = fail(c, "datagram %u (%u bytes): echo differs (%d bad)", i, u.len, u.bad);
	}
out:
	if (srv)
		udp_remove(srv);
	if (cli)
		udp_remove(cli);
	return r;
}

/* --- TCP echo -------------------------------------------------------------- */
struct tcp_echo {
	struct lt_ctx *c;
	/* client: 10.0.9.1 */
	struct tcp_pcb *cli;
	size_t total, sent, rcvd;
	uint64_t sent_sum, recv_sum;
	int connected, bad, error;
	u8_t buf[4096];
	/* server: 10.0.9.2:7, one connection */
	struct tcp_pcb *listener, *srv;
	struct pbuf *pending;           /* received, not yet written back */
	int srv_closing, srv_closed, accepted;
};

/* Client: queue as much of the stream as lwIP's send buffer takes. */
static void cli_push(struct tcp_echo *t)
{
	while (t->cli && t->sent < t->total) {
		size_t n = t->total - t->sent;
		if (n > sizeof(t->buf))
			n = sizeof(t->buf);
		if (n > tcp_sndbuf(t->cli))
			n = tcp_sndbuf(t->cli);
		if (n == 0)
			break;
		for (size_t i = 0; i < n; i++)
			t->buf[i] = lt_stream_byte(t->sent + i);
		err_t e = tcp_write(t->cli, t->buf, (u16_t)n, TCP_WRITE_FLAG_COPY);
		if (e == ERR_MEM)
			break;                  /* the segment queue is full: wait for acks */
		if (e != ERR_OK) {
			t->error = e;
			return;
		}
		t->sent_sum = lt_fnv1a(t->sent_sum, t->buf, n);
		t->sent += n;
	}
	if (t->cli)
		tcp_output(t->cli);
}

static err_t cli_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct tcp_echo *t = arg;
	t->connected = 1;
	cli_push(t);
	return ERR_OK;
}

static err_t cli_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	cli_push(arg);
	return ERR_OK;
}

static err_t cli_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct tcp_echo *t = arg;
	if (p == NULL) {
		if (t->rcvd < t->total)
			t->error = ERR_CLSD;    /* the server closed early */
		return ERR_OK;
	}
	for (struct pbuf *q = p; q != NULL; q = q->next) {
		const u8_t *b = q->payload;
		for (u16_t i = 0; i < q->len; i++)
			if (b[i] != lt_stream_byte(t->rcvd + i))
				t->bad++;
		t->recv_sum = lt_fnv1a(t->recv_sum, b, q->len);
		t->rcvd += q->len;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static void cli_err(void *arg, err_t err)
{
	struct tcp_echo *t = arg;
	t->cli = NULL;                  /* lwIP has freed it */
	t->error = err;
}

/* Server: write back what came in, as far as the send buffer allows; the
 * window opens (tcp_recved) only for what was written back, so a slow
 * echo slows the sender instead of buffering without bound. */
static void srv_push(struct tcp_echo *t)
{
	while (t->srv && t->pending) {
		if (t->pending->len == 0) {     /* an empty pbuf heads the chain */
			struct pbuf *f = t->pending;
			t->pending = f->next;
			f->next = NULL;
			pbuf_free(f);
			continue;
		}
		u16_t n = t->pending->len;
		if (n > tcp_sndbuf(t->srv))
			n = tcp_sndbuf(t->srv);
		if (n == 0)
			break;
		err_t e = tcp_write(t->srv, t->pending->payload, n, TCP_WRITE_FLAG_COPY);
		if (e == ERR_MEM)
			break;
		if (e != ERR_OK) {
			t->error = e;
			return;
		}
		t->pending = pbuf_free_header(t->pending, n);
		tcp_recved(t->srv, n);
	}
	if (t->srv == NULL)
		return;
	tcp_output(t->srv);
	if (t->srv_closing && t->pending == NULL && !t->srv_closed) {
		if (tcp_close(t->srv) == ERR_OK) {
			t->srv = NULL;
			t->srv_closed = 1;
		}
	}
}

static err_t srv_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct tcp_echo *t = arg;
	if (p == NULL)
		t->srv_closing = 1;     /* the client closed: close once all is echoed */
	else if (t->pending)
		pbuf_cat(t->pending, p);
	else
		t->pending = p;
	srv_push(t);
	return ERR_OK;
}

static err_t srv_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	srv_push(arg);
	return ERR_OK;
}

static void srv_err(void *arg, err_t err)
{
	struct tcp_echo *t = arg;
	t->srv = NULL;
	t->error = err;
}

static err_t srv_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct tcp_echo *t = arg;
	if (err != ERR_OK || pcb == NULL || t->srv != NULL || t->accepted)
		return ERR_VAL;                 /* one connection only */
	t->srv = pcb;
	t->accepted = 1;
	tcp_arg(pcb, t);
	tcp_recv(pcb, srv_recv);
	tcp_sent(pcb, srv_sent);
	tcp_err(pcb, srv_err);
	return ERR_OK;
}

static int tcp_echoed(void *arg)
{
	struct tcp_echo *t = arg;
	return t->error || t->rcvd >= t->total;
}

static int tcp_closed(void *arg)
{
	struct tcp_echo *t = arg;
	return t->error || t->srv_closed;
}

int lt_tcp_echo(struct lt_ctx *c, size_t bytes, uint64_t *sent_sum, uint64_t *recv_sum)
{
	static struct tcp_echo t;               /* 4 KiB buffer: not on the stack */
	int r = 0;
	memset(&t, 0, sizeof(t));
	t.c = c;
	t.total = bytes;
	t.sent_sum = t.recv_sum = LT_FNV_INIT;

	struct tcp_pcb *l = tcp_new();
	if (l == NULL)
		return fail(c, "tcp_new: out of tcp pcbs");
	if (tcp_bind(l, &c->link.end[1].netif.ip_addr, LT_ECHO_PORT) != ERR_OK) {
		tcp_close(l);
		return fail(c, "tcp_bind 10.0.9.2:%d refused", LT_ECHO_PORT);
	}
	t.listener = tcp_listen(l);     /* frees l and returns the listener */
	if (t.listener == NULL) {
		tcp_close(l);
		return fail(c, "tcp_listen: out of memory");
	}
	tcp_arg(t.listener, &t);
	tcp_accept(t.listener, srv_accept);

	t.cli = tcp_new();
	if (t.cli == NULL) {
		r = fail(c, "tcp_new (client): out of tcp pcbs");
		goto out;
	}
	tcp_arg(t.cli, &t);
	tcp_recv(t.cli, cli_recv);
	tcp_sent(t.cli, cli_sent);
	tcp_err(t.cli, cli_err);
	/* bound, so that the packets leave from 10.0.9.1 (port/route.c) */
	tcp_bind(t.cli, &c->link.end[0].netif.ip_addr, 0);
	ip_addr_t to;
	ip_addr_copy_from_ip4(to, *addr_of(c, 1));
	err_t e = tcp_connect(t.cli, &to, LT_ECHO_PORT, cli_connected);
	if (e != ERR_OK) {
		r = fail(c, "tcp_connect: err %d", e);
		goto out;
	}
	if (run_until(c, tcp_echoed, &t)) {
		r = fail(c, "echo stalled: %zu of %zu bytes sent, %zu back after %u ms",
			 t.sent, t.total, t.rcvd, LT_TIMEOUT_MS);
		goto out;
	}
	if (t.error) {
		r = fail(c, "echo failed with err %d after %zu of %zu bytes back", t.error, t.rcvd, t.total);
		goto out;
	}
	if (!t.connected || !t.accepted)
		r = fail(c, "echoed without connect (%d) or accept (%d)", t.connected, t.accepted);
	else if (t.rcvd != t.total || t.bad)
		r = fail(c, "%zu of %zu bytes back, %d of them wrong", t.rcvd, t.total, t.bad);
	else if (t.sent_sum != t.recv_sum)
		r = fail(c, "checksums differ: sent %016llx, received %016llx",
			 (unsigned long long)t.sent_sum, (unsigned long long)t.recv_sum);
	if (r)
		goto out;
	/* An orderly close: the client's FIN reaches the server, which closes. */
	if (tcp_close(t.cli) != ERR_OK) {
		r = fail(c, "tcp_close (client) failed");
		goto out;
	}
	t.cli = NULL;
	if (run_until(c, tcp_closed, &t) || t.error)
		r = fail(c, "the server did not see the close (err %d)", t.error);
out:
	*sent_sum = t.sent_sum;
	*recv_sum = t.recv_sum;
	/* what is left after a failure: tcp_abort would call the err
	 * callbacks, which must not touch t now */
	if (t.cli) {
		tcp_err(t.cli, NULL);
		tcp_abort(t.cli);
	}
	if (t.srv) {
		tcp_err(t.srv, NULL);
		tcp_abort(t.srv);
	}
	if (t.pending)
		pbuf_free(t.pending);
	if (t.listener)
		tcp_close(t.listener);
	return r;
}
