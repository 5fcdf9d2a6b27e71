/* sockq.c - see sockq.h. */
#include <string.h>
#include <lwip/mem.h>
#include <lwip/pbuf.h>
#include "sockq.h"

/* What mem_malloc takes besides the size asked: its header (struct mem
 * in lwIP's mem.c: two mem_size_t and a flag) and the alignment. */
#define HEAP_HEADER LWIP_MEM_ALIGN_SIZE(2 * sizeof(mem_size_t) + 1)

size_t sockq_cost(uint32_t len)
{
	return LWIP_MEM_ALIGN_SIZE(sizeof(struct sockq_chunk) + (size_t)len) + HEAP_HEADER;
}

int sockq_push(struct sockq *q, const struct pbuf *p, uint32_t addr, uint16_t port)
{
	size_t size = sizeof(struct sockq_chunk) + p->tot_len;
	if (size > (mem_size_t)-1)
		return -1;
	struct sockq_chunk *c = mem_malloc((mem_size_t)size);
	if (!c)
		return -1;
	c->next = NULL;
	c->addr = addr;
	c->port = port;
	c->pad = 0;
	c->len = pbuf_copy_partial(p, c->data, p->tot_len, 0);
	c->off = 0;
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->count++;
	q->bytes += c->len;
	q->cost += sockq_cost(c->len);
	return 0;
}

static size_t drop_head(struct sockq *q)
{
	struct sockq_chunk *c = q->head;
	size_t cost = sockq_cost(c->len);
	q->head = c->next;
	if (!q->head)
		q->tail = NULL;
	q->count--;
	q->bytes -= c->len - c->off;
	q->cost -= cost;
	mem_free(c);
	return cost;
}

uint32_t sockq_read(struct sockq *q, void *dst, uint32_t max, int stream, int peek,
		    uint32_t *addr, uint16_t *port, size_t *freed)
{
	uint8_t *out = dst;
	uint32_t n = 0;
	*freed = 0;
	if (q->head) {
		if (addr)
			*addr = q->head->addr;
		if (port)
			*port = q->head->port;
	}
	if (!stream) {
		struct sockq_chunk *c = q->head;
		if (!c)
			return 0;
		n = c->len < max ? c->len : max;
		memcpy(out, c->data, n);
		if (!peek)
			*freed = drop_head(q);
		return n;
	}
	for (struct sockq_chunk *c = q->head; c && n < max; ) {
		uint32_t left = c->len - c->off, k = max - n < left ? max - n : left;
		memcpy(out + n, c->data + c->off, k);
		n += k;
		if (peek) {
			c = c->next;
			continue;
		}
		c->off += k;
		q->bytes -= k;
		if (c->off < c->len)
			break;
		*freed += drop_head(q);
		c = q->head;
	}
	return n;
}

size_t sockq_clear(struct sockq *q)
{
	size_t freed = 0;
	while (q->head)
		freed += drop_head(q);
	return freed;
}
