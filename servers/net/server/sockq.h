/* sockq.h - a socket's receive queue in servers/net: what lwIP handed up
 * and the client has not read yet, copied out of lwIP's pbufs into
 * chunks of lwIP's heap (mem_malloc), so the driver's receive buffers go
 * back at once and every byte a client holds is counted (sock.c charges
 * sockq_cost to the client's memory limit).  A datagram socket reads one
 * chunk per call (the rest of a datagram that does not fit is dropped, as
 * BSD does); a stream reads across chunks.  Pure logic on lwIP's heap and
 * pbufs: the host tests run it with the real lwIP. */
#ifndef NET_SOCKQ_H
#define NET_SOCKQ_H

#include <stddef.h>
#include <stdint.h>

struct pbuf;

struct sockq_chunk {
	struct sockq_chunk *next;
	uint32_t addr;                  /* the sender (datagrams), network byte order */
	uint16_t port;                  /* host order */
	uint16_t pad;
	uint32_t len, off;              /* bytes in data[], of which off are read */
	uint8_t data[];
};

struct sockq {
	struct sockq_chunk *head, *tail;
	uint32_t count;                 /* chunks */
	uint32_t bytes;                 /* unread bytes */
	size_t cost;                    /* heap bytes the chunks take */
};

/* What a chunk of len bytes takes of lwIP's heap: its header, its data,
 * the heap's own header and alignment (the host test holds it to
 * lwip_stats.mem.used). */
size_t sockq_cost(uint32_t len);
/* Append p's bytes (p itself stays the caller's) from addr:port.  0, or
 * -1 when lwIP's heap has no room (nothing appended). */
int sockq_push(struct sockq *q, const struct pbuf *p, uint32_t addr, uint16_t port);
/* Copy at most max bytes to dst.  stream: across chunks; else the head
 * chunk only, which goes whole even if max is less.  peek: nothing is
 * taken.  The sender of the first chunk read through addr/port (may be
 * NULL).  How many bytes; *freed gets the cost released. */
uint32_t sockq_read(struct sockq *q, void *dst, uint32_t max, int stream, int peek,
		    uint32_t *addr, uint16_t *port, size_t *freed);
/* Drop everything; the cost released. */
size_t sockq_clear(struct sockq *q);

#endif
