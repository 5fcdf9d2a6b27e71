/* ping.c - ICMP echo requests for clients (lib/netdiag.idl): the shell's
 * `ping`.  lwIP answers echo requests itself (icmp.c); sending them is
 * a client's business, done here with a raw pcb (lwIP's raw API,
 * doc/rawapi.txt), which sees every ICMP packet before icmp.c does.
 *
 * The loop's one thread must not wait for a reply, and it cannot hold a
 * caller's reply link while it serves others (a thread holds one,
 * doc/kernel-api.md 2.7).  So netdiag_ping sends and returns; the reply
 * (the raw pcb's callback, from the loop's frame handling) or lwIP's
 * timer (sys_timeout) ends the echo and signals the client's
 * notification, and netdiag_ping_result tells the client what came.  Nothing of
 * the reply is trusted: it must be an echo reply from the address pinged
 * with our identifier and sequence number, and its data is compared with
 * what we sent. */
#include <string.h>
#include <lwip/inet_chksum.h>
#include <lwip/ip4.h>
#include <lwip/prot/icmp.h>
#include <lwip/prot/ip4.h>
#include <lwip/raw.h>
#include <lwip/timeouts.h>
#include <l4/sys/abi.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <l4/util/rdtsc.h>
#include <netdiag.h>
#include "loop.h"
#include "socks.h"

#define PING_TTL       64
#define PING_ID_BASE   0x6d00   /* + the session's index: our echoes' identifier */

/* our slots come after sock.c's (loop.h's map) and before libc's */
_Static_assert(NET_PING_SLOT > L4_ENV_FIRST_FREE + 10 + 2 * SOCK_CLIENTS + 1 &&
	       NET_PING_SLOT + NET_PING_SESSIONS <= L4_ENV_LIBC_SLOTS, "ping's slots");

struct session {
	uint64_t badge;                 /* the client's (0: free) */
	uint32_t state;                 /* PING_* */
	ip4_addr_t to;
	uint16_t seq, size;
	uint64_t t0;                    /* TSC at send */
	uint32_t rtt_us, ttl, bytes;
};

static struct session sessions[NET_PING_SESSIONS];
static struct raw_pcb *pcb;

static uint64_t wake_slot(const struct session *s)
{
	return NET_PING_SLOT + (uint64_t)(s - sessions);
}

static uint16_t ident(const struct session *s)
{
	return (uint16_t)(PING_ID_BASE + (s - sessions));
}

/* The data byte at i: a pattern that differs with the sequence number,
 * so a stale reply's data does not pass for the new one's. */
static uint8_t data_byte(uint16_t seq, unsigned i)
{
	return (uint8_t)(i + seq * 7u);
}

static uint32_t tsc_us(uint64_t ticks)
{
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t khz = kip->tsc_khz ? kip->tsc_khz : 1;
	uint64_t us = ticks * 1000u / khz;
	return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void finish(struct session *s, uint32_t state)
{
	s->state = state;
	l4_notification_signal(wake_slot(s), 1);
}

static void expire(void *arg)
{
	struct session *s = arg;
	if (s->state == PING_WAITING)
		finish(s, PING_TIMEOUT);
}

/* The raw pcb's receive callback: 1 when the packet was ours (eaten),
 * 0 to hand it on to icmp.c (echo requests to us, everything else). */
static u8_t ping_recv(void *arg, struct raw_pcb *unused, struct pbuf *p, const ip_addr_t *from)
{
	struct icmp_echo_hdr h;
	if (p->len < IP_HLEN)
		return 0;
	const struct ip_hdr *iph = p->payload;
	uint16_t hlen = (uint16_t)(IPH_HL(iph) * 4);
	if (pbuf_copy_partial(p, &h, sizeof(h), hlen) != sizeof(h) || h.type != ICMP_ER ||
	    h.code != 0)
		return 0;
	uint16_t id = lwip_ntohs(h.id);
	if (id < PING_ID_BASE || id >= PING_ID_BASE + NET_PING_SESSIONS)
		return 0;
	struct session *s = &sessions[id - PING_ID_BASE];
	if (!s->badge || s->state != PING_WAITING || lwip_ntohs(h.seqno) != s->seq ||
	    !ip4_addr_cmp(ip_2_ip4(from), &s->to))
		return 0;       /* late or not for the echo we wait for: icmp.c drops it */
	uint64_t t1 = l4_rdtsc();
	unsigned n = p->tot_len - hlen - sizeof(h);
	int intact = n == s->size;
	for (unsigned i = 0; intact && i < n; i++)
		intact = pbuf_get_at(p, (u16_t)(hlen + sizeof(h) + i)) == data_byte(s->seq, i);
	/* icmp.c has not checked the checksum for us (raw pcbs come first) */
	if (pbuf_remove_header(p, hlen))
		return 0;
	int sum_ok = inet_chksum_pbuf(p) == 0;
	pbuf_add_header_force(p, hlen);
	if (!sum_ok)
		return 0;
	s->rtt_us = tsc_us(t1 - s->t0);
	s->ttl = IPH_TTL(iph);
	s->bytes = n;
	sys_untimeout(expire, s);
	finish(s, intact ? PING_REPLY : PING_BAD_DATA);
	pbuf_free(p);
	return 1;
}

static struct session *session_of(uint64_t badge)
{
	struct session *free = NULL, *done = NULL;
	for (unsigned i = 0; i < NET_PING_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (s->badge == badge)
			return s;
		if (!s->badge && !free)
			free = s;
		if (s->badge && s->state != PING_WAITING && !done)
			done = s;
	}
	/* all taken: the first client whose echo has ended gives its place */
	return free ? free : done;
}

int net_ping(void *ctx, uint64_t badge, uint32_t addr, uint16_t seq, uint16_t size,
	     uint32_t timeout_ms, uint64_t wake)
{
	struct l4_cap_info ci;
	if (!badge)
		return -L4_EPERM;       /* clients are told apart by badge (caps= gives one) */
	if (size > PING_SIZE_MAX || timeout_ms < 1 || timeout_ms > 60000 ||
	    l4_task_cap_info(L4_ENV_TASK, wake, &ci) || ci.type != L4_OBJ_NOTIFICATION ||
	    !(ci.rights & L4_CAP_WRITE))
		return -L4_EINVAL;
	struct session *s = session_of(badge);
	if (!s)
		return -L4_ENOMEM;      /* every session waits for its answer */
	sys_untimeout(expire, s);
	l4_task_cap_delete(L4_ENV_TASK, wake_slot(s));
	int e = l4_task_cap_move(L4_ENV_TASK, wake, wake_slot(s));
	if (e)
		return e;
	struct pbuf *p = pbuf_alloc(PBUF_IP, (u16_t)(sizeof(struct icmp_echo_hdr) + size), PBUF_RAM);
	if (!p) {
		s->badge = 0;
		return -L4_ENOMEM;
	}
	*s = (struct session){ .badge = badge, .state = PING_WAITING, .seq = seq, .size = size };
	ip4_addr_set_u32(&s->to, addr);
	struct icmp_echo_hdr *h = p->payload;       /* PBUF_RAM: one piece */
	h->type = ICMP_ECHO;
	h->code = 0;
	h->chksum = 0;
	h->id = lwip_htons(ident(s));
	h->seqno = lwip_htons(seq);
	uint8_t *d = (uint8_t *)(h + 1);
	for (unsigned i = 0; i < size; i++)
		d[i] = data_byte(seq, i);
	h->chksum = inet_chksum(h, p->len);
	ip_addr_t to;
	ip_addr_copy_from_ip4(to, s->to);
	s->t0 = l4_rdtsc();
	err_t err = raw_sendto(pcb, p, &to);
	pbuf_free(p);
	if (err != ERR_OK) {
		s->state = PING_TIMEOUT;
		return err == ERR_MEM || err == ERR_BUF ? -L4_ENOMEM : -L4_ESTATE;
	}
	/* frames come in only from the loop, never inside raw_sendto: the
	 * echo still waits */
	sys_timeout(timeout_ms, expire, s);
	return 0;
}

int net_ping_result(void *ctx, uint64_t badge, uint32_t *state, uint32_t *rtt_us,
		    uint32_t *ttl, uint32_t *bytes)
{
	for (unsigned i = 0; i < NET_PING_SESSIONS; i++) {
		struct session *s = &sessions[i];
		if (s->badge == badge) {
			*state = s->state;
			*rtt_us = s->rtt_us;
			*ttl = s->ttl;
			*bytes = s->bytes;
			return 0;
		}
	}
	return -L4_ESTATE;
}

int net_ping_init(void)
{
	pcb = raw_new(IP_PROTO_ICMP);
	if (!pcb)
		return -L4_ENOMEM;
	pcb->ttl = PING_TTL;
	raw_recv(pcb, ping_recv, NULL);
	return 0;
}
