/* sock.c - servers/net's socket interface (lib/sock.idl; doc/net.md
 * section 5): sessions, the socket table, limits, the requests.
 *
 * A session is a client program, known by the badge of its capability
 * (caps=net: its config index + 1).  Its open gives us a notification to
 * wake it and a read-only copy of its first thread; we lend it a buffer
 * of ours (SOCK_BUF_SIZE) through which every byte moves.  Each request
 * names offsets into that buffer, never data, and is answered at once:
 * one that would block answers SOCK_EAGAIN and arms the wake, so the
 * loop's thread never waits for a client (the kernel keeps one reply link
 * per thread, so a parked reply would cost a thread per waiting client).
 *
 * Limits per client (args= socks= and sockmem=): sockets (SOCK_EMFILE,
 * and connections reset), and bytes it holds in the server, received and
 * unread or written and unacknowledged (beyond it UDP drops and TCP's
 * window closes).  A client that ends loses its sessions' sockets: the
 * root task revokes its first thread when it ends, and our copy's slot
 * goes empty, which a timer looks at twice a second while sessions are
 * open (and every open looks at at once). */
#include <stdio.h>
#include <string.h>
#include <lwip/err.h>
#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <lwip/timeouts.h>
#include <l4/rt/env.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <parent_client.h>
#include <sock_server.h>
#include "socks.h"

#define WIN_SLOT   (L4_ENV_FIRST_FREE + 8)      /* two: where open's capabilities land */
#define CAP_SLOT(badge, k) (L4_ENV_FIRST_FREE + 10 + 2 * (badge) + (k))  /* wake, life */
#define REAP_MS    500

struct sock sock_tab[SOCK_MAX];
struct sock_client sock_clients[SOCK_CLIENTS + 1];
unsigned sock_limit_socks;
size_t sock_limit_mem;
uint64_t sock_stat[SOCK_STAT_COUNT];
static bool reaping;

int sock_errno(int lwip_err)
{
	switch (lwip_err) {
	case ERR_OK:      return 0;
	case ERR_MEM:     return SOCK_ENOBUFS;
	case ERR_BUF:     return SOCK_ENOBUFS;
	case ERR_TIMEOUT: return SOCK_ETIMEDOUT;
	case ERR_RTE:     return SOCK_ENETUNREACH;
	case ERR_INPROGRESS: return SOCK_EINPROGRESS;
	case ERR_USE:     return SOCK_EADDRINUSE;
	case ERR_ALREADY: return SOCK_EALREADY;
	case ERR_ISCONN:  return SOCK_EISCONN;
	case ERR_CONN:    return SOCK_ENOTCONN;
	case ERR_ABRT:    return SOCK_ECONNABORTED;
	case ERR_RST:     return SOCK_ECONNRESET;
	case ERR_CLSD:    return SOCK_ENOTCONN;
	default:          return SOCK_EINVAL;
	}
}

bool sock_local_addr_ok(uint32_t addr)
{
	return !addr || (netif_default && addr == ip4_addr_get_u32(netif_ip4_addr(netif_default)));
}

void sock_event(struct sock *s)
{
	struct sock_client *c = sock_client_of(s);
	if (c->armed && c->open) {
		c->armed = false;
		l4_notification_signal(c->wake, SOCK_WAKE_BIT);
	}
}

void sock_mem_event(void)
{
	for (unsigned b = 1; b <= SOCK_CLIENTS; b++) {
		struct sock_client *c = &sock_clients[b];
		if (c->starved && c->armed && c->open) {
			c->starved = c->armed = false;
			l4_notification_signal(c->wake, SOCK_WAKE_BIT);
		}
	}
}

uint32_t sock_id(const struct sock *s)
{
	return (uint32_t)s->gen << 16 | (uint32_t)(s - sock_tab);
}

struct sock *sock_alloc(unsigned client, int kind, int *err)
{
	struct sock_client *c = &sock_clients[client];
	if (c->nsocks >= sock_limit_socks) {
		*err = SOCK_EMFILE;
		return NULL;
	}
	for (unsigned i = 0; i < SOCK_MAX; i++) {
		struct sock *s = &sock_tab[i];
		if (s->state != SS_FREE)
			continue;
		uint16_t gen = (uint16_t)(s->gen + 1);
		*s = (struct sock){ .kind = (uint8_t)kind, .state = SS_OPEN, .client = (uint8_t)client,
				    .gen = gen ? gen : 1, .next = -1, .acc_head = -1, .acc_tail = -1 };
		c->nsocks++;
		sock_stat[SOCK_STAT_SOCKETS]++;
		sock_stat[SOCK_STAT_OPENED]++;
		return s;
	}
	*err = SOCK_ENOBUFS;
	return NULL;
}

void sock_release(struct sock *s)
{
	if (s->kind == SOCK_TCP)
		tcp_sock_free(s);
	else
		udp_sock_free(s);
	sock_clients[s->client].nsocks--;
	sock_stat[SOCK_STAT_SOCKETS]--;
	*s = (struct sock){ .gen = s->gen };
}

static struct sock_client *client_of(uint64_t badge)
{
	if (badge < 1 || badge > SOCK_CLIENTS || !sock_clients[badge].open)
		return NULL;
	return &sock_clients[badge];
}

/* The client's socket id, or NULL: not a socket of this client's (or one
 * an accept queue still holds). */
static struct sock *lookup(uint64_t badge, uint32_t id)
{
	uint32_t i = id & 0xffff;
	if (i >= SOCK_MAX)
		return NULL;
	struct sock *s = &sock_tab[i];
	if (s->state == SS_FREE || s->client != badge || s->gen != id >> 16 || s->queued)
		return NULL;
	return s;
}

/* Close every socket of the client's and end its session. */
static void session_end(unsigned badge, const char *why)
{
	struct sock_client *c = &sock_clients[badge];
	unsigned n = 0;
	for (unsigned i = 0; i < SOCK_MAX; i++) {
		struct sock *s = &sock_tab[i];
		if (s->state != SS_FREE && s->client == badge && !s->queued && s->kind) {
			sock_release(s);        /* a listener takes its queue along */
			n++;
		}
	}
	if (why && n) {
		printf("net: client %u %s: %u sockets closed\n", badge, why, n);
		sock_stat[SOCK_STAT_REAPED] += n;
	}
	l4_task_cap_delete(L4_ENV_TASK, c->wake);
	l4_task_cap_delete(L4_ENV_TASK, c->life);
	c->open = c->armed = c->starved = false;
	c->mem = 0;
	sock_stat[SOCK_STAT_SESSIONS]--;
}

static bool client_alive(struct sock_client *c)
{
	struct l4_cap_info ci;
	return !l4_task_cap_info(L4_ENV_TASK, c->life, &ci) && ci.type;
}

static void reap(void *arg)
{
	bool any = false;
	for (unsigned b = 1; b <= SOCK_CLIENTS; b++) {
		struct sock_client *c = &sock_clients[b];
		if (c->open && !client_alive(c))
			session_end(b, "has ended");
		any |= c->open;
	}
	reaping = any;
	if (any)
		sys_timeout(REAP_MS, reap, NULL);
}

/* ---- the requests ---- */

static int s_open(void *ctx, uint64_t badge, uint64_t wake, uint64_t life, uint64_t buf_at,
		  struct minnow_idl_mem *buf, uint32_t *max_socks)
{
	struct l4_cap_info ci;
	int e = 0;
	if (badge < 1 || badge > SOCK_CLIENTS)
		e = -L4_EPERM;
	else if (buf_at < L4_ENV_RECV_BASE || buf_at >= L4_ENV_RECV_END || buf_at % SOCK_BUF_SIZE)
		e = -L4_EINVAL;
	else if (l4_task_cap_info(L4_ENV_TASK, wake, &ci) || ci.type != L4_OBJ_NOTIFICATION ||
		 l4_task_cap_info(L4_ENV_TASK, life, &ci) || ci.type != L4_OBJ_THREAD)
		e = -L4_EINVAL;
	struct sock_client *c = e ? NULL : &sock_clients[badge];
	if (c && !c->buf) {
		uint64_t va;
		e = parent_shm_alloc(L4_ENV_PARENT, SOCK_BUF_SIZE, &va);
		c->buf = e ? NULL : (uint8_t *)va;
	}
	if (e) {
		l4_task_cap_delete(L4_ENV_TASK, WIN_SLOT);
		l4_task_cap_delete(L4_ENV_TASK, WIN_SLOT + 1);
		return e;
	}
	if (c->open)                    /* again (a new incarnation, or libsocket anew) */
		session_end((unsigned)badge, "opened again");
	c->wake = CAP_SLOT(badge, 0);
	c->life = CAP_SLOT(badge, 1);
	l4_task_cap_delete(L4_ENV_TASK, c->wake);
	l4_task_cap_delete(L4_ENV_TASK, c->life);
	e = l4_task_cap_move(L4_ENV_TASK, wake, c->wake);
	if (!e)
		e = l4_task_cap_move(L4_ENV_TASK, life, c->life);
	if (e) {
		l4_task_cap_delete(L4_ENV_TASK, WIN_SLOT);
		l4_task_cap_delete(L4_ENV_TASK, WIN_SLOT + 1);
		return e;
	}
	memset(c->buf, 0, SOCK_BUF_SIZE);
	c->open = true;
	c->nsocks = 0;
	c->mem = 0;
	sock_stat[SOCK_STAT_SESSIONS]++;
	*buf = (struct minnow_idl_mem){ L4_FPAGE((uint64_t)c->buf, SOCK_BUF_ORDER,
						 L4_MEM_R | L4_MEM_W), buf_at };
	*max_socks = sock_limit_socks;
	if (!reaping) {
		reaping = true;
		sys_timeout(REAP_MS, reap, NULL);
	}
	return 0;
}

#define CLIENT(c)                               \
	struct sock_client *c = client_of(badge); \
	if (!c)                                 \
		return -L4_ESTATE

#define SOCKET(s)                               \
	struct sock *s = lookup(badge, id);     \
	if (!s) {                               \
		*err = SOCK_EBADF;              \
		return 0;                       \
	}

/* An answer: SOCK_EAGAIN arms the client's wake. */
static int answer(struct sock_client *c, int e, int32_t *err)
{
	if (e == SOCK_EAGAIN || e == SOCK_EALREADY || e == SOCK_EINPROGRESS)
		c->armed = true;
	*err = e;
	return 0;
}

static int s_socket(void *ctx, uint64_t badge, uint32_t kind, int32_t *err, uint32_t *id)
{
	CLIENT(c);
	if (kind != SOCK_UDP && kind != SOCK_TCP)
		return answer(c, SOCK_EPROTONOSUPPORT, err);
	int e;
	struct sock *s = sock_alloc((unsigned)badge, (int)kind, &e);
	if (!s) {
		sock_stat[SOCK_STAT_REFUSED]++;
		return answer(c, e, err);
	}
	e = kind == SOCK_TCP ? tcp_sock_new(s) : udp_sock_new(s);
	if (e) {
		c->nsocks--;
		sock_stat[SOCK_STAT_SOCKETS]--;
		*s = (struct sock){ .gen = s->gen };
		return answer(c, e, err);
	}
	*id = sock_id(s);
	return answer(c, 0, err);
}

static int s_close(void *ctx, uint64_t badge, uint32_t id, int32_t *err)
{
	CLIENT(c);
	SOCKET(s);
	sock_release(s);
	return answer(c, 0, err);
}

static int s_bind(void *ctx, uint64_t badge, uint32_t id, uint32_t addr, uint32_t port,
		  int32_t *err)
{
	CLIENT(c);
	SOCKET(s);
	if (port > 0xffff)
		return answer(c, SOCK_EINVAL, err);
	if (!sock_local_addr_ok(addr))
		return answer(c, SOCK_EADDRNOTAVAIL, err);
	int e = s->kind == SOCK_TCP ? tcp_sock_bind(s, addr, (uint16_t)port)
				    : udp_sock_bind(s, addr, (uint16_t)port);
	return answer(c, e, err);
}

static int s_listen(void *ctx, uint64_t badge, uint32_t id, uint32_t backlog, int32_t *err)
{
	CLIENT(c);
	SOCKET(s);
	if (s->kind != SOCK_TCP)
		return answer(c, SOCK_EOPNOTSUPP, err);
	if (backlog < 1)
		backlog = 1;
	if (backlog > SOCK_BACKLOG_MAX)
		backlog = SOCK_BACKLOG_MAX;
	return answer(c, tcp_sock_listen(s, backlog), err);
}

static int s_accept(void *ctx, uint64_t badge, uint32_t id, int32_t *err, uint32_t *nid,
		    uint32_t *addr, uint32_t *port)
{
	CLIENT(c);
	SOCKET(s);
	if (s->kind != SOCK_TCP)
		return answer(c, SOCK_EOPNOTSUPP, err);
	struct sock *n;
	int e = tcp_sock_accept(s, &n);
	if (e)
		return answer(c, e, err);
	*nid = sock_id(n);
	uint16_t p = 0;
	*addr = 0;
	tcp_sock_name(n, 1, addr, &p);
	*port = p;
	return answer(c, 0, err);
}

static int s_connect(void *ctx, uint64_t badge, uint32_t id, uint32_t addr, uint32_t port,
		     int32_t *err)
{
	CLIENT(c);
	SOCKET(s);
	if (port > 0xffff)
		return answer(c, SOCK_EINVAL, err);
	int e = s->kind == SOCK_TCP ? tcp_sock_connect(s, addr, (uint16_t)port)
				    : udp_sock_connect(s, addr, (uint16_t)port);
	return answer(c, e, err);
}

/* [off, off + len) inside the buffer */
static bool span_ok(uint32_t off, uint32_t len)
{
	return off <= SOCK_BUF_SIZE && len <= SOCK_BUF_SIZE - off;
}

static int s_send(void *ctx, uint64_t badge, uint32_t id, uint32_t off, uint32_t len,
		  uint32_t addr, uint32_t port, int32_t *err, uint32_t *done)
{
	CLIENT(c);
	SOCKET(s);
	if (!span_ok(off, len) || port > 0xffff)
		return answer(c, SOCK_EINVAL, err);
	int e = s->kind == SOCK_TCP ? tcp_sock_send(s, c->buf + off, len, done)
				    : udp_sock_send(s, c->buf + off, len, addr, (uint16_t)port, done);
	return answer(c, e, err);
}

static int s_recv(void *ctx, uint64_t badge, uint32_t id, uint32_t off, uint32_t max,
		  uint32_t flags, int32_t *err, uint32_t *len, uint32_t *addr, uint32_t *port)
{
	CLIENT(c);
	SOCKET(s);
	if (!span_ok(off, max) || flags & ~(uint32_t)SOCK_RECV_PEEK)
		return answer(c, SOCK_EINVAL, err);
	int peek = flags & SOCK_RECV_PEEK, e;
	uint16_t p = 0;
	*addr = 0;
	if (s->kind == SOCK_TCP) {
		e = tcp_sock_recv(s, c->buf + off, max, peek, len);
		if (!e)
			tcp_sock_name(s, 1, addr, &p);
	} else {
		e = udp_sock_recv(s, c->buf + off, max, peek, len, addr, &p);
	}
	*port = p;
	return answer(c, e, err);
}

static int s_shutdown(void *ctx, uint64_t badge, uint32_t id, uint32_t how, int32_t *err)
{
	CLIENT(c);
	SOCKET(s);
	if (!how || how & ~(uint32_t)(SOCK_SHUT_RD | SOCK_SHUT_WR))
		return answer(c, SOCK_EINVAL, err);
	return answer(c, s->kind == SOCK_TCP ? tcp_sock_shutdown(s, how) : SOCK_EOPNOTSUPP, err);
}

static int s_name(void *ctx, uint64_t badge, uint32_t id, uint32_t peer, int32_t *err,
		  uint32_t *addr, uint32_t *port)
{
	CLIENT(c);
	SOCKET(s);
	uint16_t p = 0;
	*addr = 0;
	int e = s->kind == SOCK_TCP ? tcp_sock_name(s, peer != 0, addr, &p)
				    : udp_sock_name(s, peer != 0, addr, &p);
	*port = p;
	return answer(c, e, err);
}

static int s_setopt(void *ctx, uint64_t badge, uint32_t id, uint32_t opt, uint32_t value,
		    int32_t *err)
{
	CLIENT(c);
	SOCKET(s);
	if (opt != SOCK_OPT_REUSEADDR)
		return answer(c, SOCK_EINVAL, err);
	if (s->kind == SOCK_TCP)
		tcp_sock_reuse(s, value != 0);
	else
		udp_sock_reuse(s, value != 0);
	return answer(c, 0, err);
}

static int s_poll(void *ctx, uint64_t badge, uint32_t off, uint32_t n, uint32_t arm,
		  int32_t *err, uint32_t *ready)
{
	CLIENT(c);
	if (off % sizeof(struct sock_pollent) || n > SOCK_BUF_SIZE / sizeof(struct sock_pollent) ||
	    !span_ok(off, n * (uint32_t)sizeof(struct sock_pollent)))
		return answer(c, SOCK_EINVAL, err);
	struct sock_pollent *pe = (struct sock_pollent *)(c->buf + off);
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
		struct sock_pollent ent = pe[i];        /* read once: the client may write meanwhile */
		struct sock *s = lookup(badge, ent.id);
		unsigned r = !s ? SOCK_POLLNVAL
			: s->kind == SOCK_TCP ? tcp_sock_ready(s) : udp_sock_ready(s);
		r &= ent.events | SOCK_POLLERR | SOCK_POLLHUP | SOCK_POLLNVAL;
		pe[i].revents = (uint16_t)r;
		k += r != 0;
	}
	*ready = k;
	return answer(c, !k && arm ? SOCK_EAGAIN : 0, err);
}

static int s_stats(void *ctx, uint64_t badge, uint64_t v[8])
{
	memset(v, 0, 8 * sizeof(v[0]));
	memcpy(v, sock_stat, sizeof(sock_stat));
	struct sock_client *c = client_of(badge);
	v[SOCK_STAT_MINE] = c ? c->nsocks : 0;
	v[SOCK_STAT_MEM_MINE] = c ? c->mem : 0;
	return 0;
}

static const struct sock_ops ops = {
	.open = s_open, .socket = s_socket, .close = s_close, .bind = s_bind,
	.listen = s_listen, .accept = s_accept, .connect = s_connect, .send = s_send,
	.recv = s_recv, .shutdown = s_shutdown, .name = s_name, .setopt = s_setopt,
	.poll = s_poll, .stats = s_stats,
};

bool sock_serve_request(uint64_t tag, uint64_t badge, uint64_t *reply)
{
	/* Capabilities only ever belong to a well-formed open (the same
	 * checks as the dispatcher's): any that came otherwise are thrown
	 * away now, so that the window is empty
	 * for the next open (the dispatcher refuses the request itself). */
	const uint64_t *mr = l4_utcb()->mr;
	unsigned end = L4_TAG_UNTYPED(tag);
	bool open_ok = L4_TAG_LABEL(tag) == SOCK_OPEN_LABEL && L4_TAG_TYPED(tag) == 2 && end == 1 &&
		       minnow_idl_is_cap_item(mr[end]) && minnow_idl_is_cap_item(mr[end + 2]);
	if (L4_TAG_TYPED(tag) && !open_ok) {
		l4_task_cap_delete(L4_ENV_TASK, WIN_SLOT);
		l4_task_cap_delete(L4_ENV_TASK, WIN_SLOT + 1);
	}
	if (L4_TAG_LABEL(tag) >> 16 != SOCK_IFACE_ID)
		return false;
	sock_dispatch(&ops, NULL, tag, badge, reply);
	return true;
}

void sock_init(const struct net_config *cfg)
{
	sock_limit_socks = cfg->socks;
	sock_limit_mem = cfg->sockmem;
	l4_utcb()->cap_window = L4_CAP_WINDOW(WIN_SLOT, 2);
}
