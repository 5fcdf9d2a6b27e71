/* socks.h - servers/net's sockets inside the server (doc/net.md section
 * 6): the socket table, the sessions (one per client program, told apart
 * by the badge of its capability) and what sock.c, sock_tcp.c and
 * sock_udp.c share.  lwIP's raw API on the loop's one thread: nothing
 * here blocks.  A call that would block answers SOCK_EAGAIN and arms the
 * session's wake notification; the next event on any of the client's
 * sockets signals it (pkg/libsocket waits there and asks again). */
#ifndef NET_SOCKS_H
#define NET_SOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sock.h>
#include "config.h"
#include "sockq.h"

#define SOCK_MAX        256     /* sockets, all clients (ids: generation << 16 | index) */
#define SOCK_CLIENTS    16      /* badges 1..16: the root task's programs (CFG_MAX_PROGS) */
#define SOCK_UDP_QMAX   64      /* datagrams queued per socket */
#define SOCK_BACKLOG_MAX 128

enum sock_state {
	SS_FREE,
	SS_OPEN,                /* made (UDP: always; TCP: not yet listening or connected) */
	SS_LISTEN,
	SS_CONNECTING,
	SS_CONNECTED,
	SS_DEAD,                /* TCP: lwIP freed the pcb (reset, timeout, abort) */
};

struct sock {
	uint8_t kind;           /* SOCK_UDP, SOCK_TCP */
	uint8_t state;          /* enum sock_state */
	uint8_t client;         /* its session: the badge */
	bool eof;               /* TCP: the peer's FIN came */
	bool rd_shut, wr_shut;
	bool queued;            /* accepted by lwIP, not yet by the client */
	uint16_t gen;
	int err;                /* a pending error, reported once */
	union {
		struct tcp_pcb *tcp;
		struct udp_pcb *udp;
	};
	struct sockq rq;
	uint32_t tx_charged;    /* TCP bytes written, not yet acknowledged */
	int16_t next;           /* the accept queue's link */
	int16_t acc_head, acc_tail;     /* a listener's accept queue */
	uint16_t acc_n, backlog;
};

struct sock_client {
	bool open;
	bool armed;             /* it waits: signal wake on the next event */
	bool starved;           /* a send found lwIP's heap empty */
	uint64_t wake, life;    /* our slots for its notification and first thread */
	uint8_t *buf;           /* the lent buffer (ours; kept for its next session) */
	unsigned nsocks;
	size_t mem;             /* bytes it holds: queued received, written unacknowledged */
};

extern struct sock sock_tab[SOCK_MAX];
extern struct sock_client sock_clients[SOCK_CLIENTS + 1];
extern unsigned sock_limit_socks;
extern size_t sock_limit_mem;
extern uint64_t sock_stat[SOCK_STAT_COUNT];

static inline struct sock_client *sock_client_of(const struct sock *s)
{
	return &sock_clients[s->client];
}

/* A socket of the client's had news: signal it if it waits. */
void sock_event(struct sock *s);
/* Memory came back to lwIP's heap: wake clients a send refused for it. */
void sock_mem_event(void);
/* A free entry for client c (counted), or NULL (*err: SOCK_EMFILE, SOCK_ENOBUFS). */
struct sock *sock_alloc(unsigned client, int kind, int *err);
uint32_t sock_id(const struct sock *s);
/* Close s (its kind's free), uncount it, free its entry. */
void sock_release(struct sock *s);

/* sock_tcp.c and sock_udp.c: one kind's calls.  err from <sock.h>. */
int tcp_sock_new(struct sock *s);
void tcp_sock_free(struct sock *s);
int tcp_sock_bind(struct sock *s, uint32_t addr, uint16_t port);
int tcp_sock_listen(struct sock *s, unsigned backlog);
int tcp_sock_accept(struct sock *s, struct sock **out);
int tcp_sock_connect(struct sock *s, uint32_t addr, uint16_t port);
int tcp_sock_send(struct sock *s, const uint8_t *data, uint32_t len, uint32_t *done);
int tcp_sock_recv(struct sock *s, uint8_t *out, uint32_t max, int peek, uint32_t *len);
int tcp_sock_shutdown(struct sock *s, unsigned how);
int tcp_sock_name(struct sock *s, int peer, uint32_t *addr, uint16_t *port);
unsigned tcp_sock_ready(struct sock *s);
void tcp_sock_reuse(struct sock *s, int on);

int udp_sock_new(struct sock *s);
void udp_sock_free(struct sock *s);
int udp_sock_bind(struct sock *s, uint32_t addr, uint16_t port);
int udp_sock_connect(struct sock *s, uint32_t addr, uint16_t port);
int udp_sock_send(struct sock *s, const uint8_t *data, uint32_t len, uint32_t addr,
		  uint16_t port, uint32_t *done);
int udp_sock_recv(struct sock *s, uint8_t *out, uint32_t max, int peek, uint32_t *len,
		  uint32_t *addr, uint16_t *port);
int udp_sock_name(struct sock *s, int peer, uint32_t *addr, uint16_t *port);
unsigned udp_sock_ready(struct sock *s);
void udp_sock_reuse(struct sock *s, int on);

/* lwIP's err_t as an errno of <sock.h>. */
int sock_errno(int lwip_err);
/* An address lwIP may bind: any, or the interface's. */
bool sock_local_addr_ok(uint32_t addr);

/* sock.c: the loop's hook (serve.c).  True when the request was the
 * socket interface's (answered in *reply). */
bool sock_serve_request(uint64_t tag, uint64_t badge, uint64_t *reply);
/* Limits from args= (config.h); the capability window for open's caps. */
void sock_init(const struct net_config *cfg);

#endif
