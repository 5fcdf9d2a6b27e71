/* server.c - the types server in C: handlers behind the generated
 * dispatcher, run by a second thread of the root task (lib/client.c). */
#include <l4/sys/factory.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <idltest.h>
#include "types_server.h"

struct state {
	uint32_t poked;
	char note[9];
};

static int ints(void *ctx, uint64_t badge, int8_t a, int16_t b, int32_t c, int64_t d,
		int8_t *ra, int16_t *rb, int32_t *rc, int64_t *rd)
{
	if (badge != CLIENT_BADGE)
		return -L4_EPERM;
	*ra = (int8_t)~a;
	*rb = (int16_t)~b;
	*rc = ~c;
	*rd = ~d;
	return 0;
}

static int uints(void *ctx, uint64_t badge, uint8_t a, uint16_t b, uint32_t c, uint64_t d,
		 uint8_t *ra, uint16_t *rb, uint32_t *rc, uint64_t *rd)
{
	*ra = (uint8_t)~a;
	*rb = (uint16_t)~b;
	*rc = ~c;
	*rd = ~d;
	return 0;
}

static int flags(void *ctx, uint64_t badge, bool a, int32_t i, uint32_t u, bool *na)
{
	*na = !a && i == -1 && u == 0xffffffffu;
	return 0;
}

static int arrays(void *ctx, uint64_t badge, const int16_t v[5], const bool f[3],
		  const uint8_t b[9], int16_t rv[5], bool nf[3], uint8_t rb[9])
{
	for (int i = 0; i < 5; i++)
		rv[i] = v[4 - i];
	for (int i = 0; i < 3; i++)
		nf[i] = !f[i];
	for (int i = 0; i < 9; i++)
		rb[i] = b[8 - i];
	return 0;
}

static int echo(void *ctx, uint64_t badge, const char *s, char *r, uint32_t *len)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	for (uint32_t i = 0; i < n; i++)
		r[i] = s[n - 1 - i];
	*len = n;
	return 0;
}

static int longest(void *ctx, uint64_t badge, const char *s, uint32_t *len)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	*len = n;
	return 0;
}

static int blob(void *ctx, uint64_t badge, const void *b, size_t b_len, void *r, size_t *r_len)
{
	for (size_t i = 0; i < b_len; i++)
		((uint8_t *)r)[i] = (uint8_t)(((const uint8_t *)b)[i] + 1);
	*r_len = b_len;
	return 0;
}

/* Use the notification capability it received, then drop it so the
 * receive window is free again. */
static int keep(void *ctx, uint64_t badge, uint64_t n, uint64_t *slot)
{
	int err = l4_notification_signal(n, 5);
	*slot = n;
	l4_task_cap_delete(L4_CAP_SELF, n);
	return err;
}

static int give(void *ctx, uint64_t badge, uint64_t *e)
{
	*e = MINNOW_IDL_CAP(EP, L4_CAP_WRITE);
	return 0;
}

static int fail(void *ctx, uint64_t badge, int32_t code)
{
	return code;
}

static int poke(void *ctx, uint64_t badge, uint32_t v, const char *note)
{
	struct state *st = ctx;
	st->poked = v;
	for (int i = 0; i < 9; i++)
		st->note[i] = note[i];
	return 0;
}

static int peeked(void *ctx, uint64_t badge, uint32_t *v, char *note)
{
	struct state *st = ctx;
	*v = st->poked;
	for (int i = 0; i < 9; i++)
		note[i] = st->note[i];
	return 0;
}

static uint64_t own[512] __attribute__((aligned(4096)));

static int share(void *ctx, uint64_t badge, struct minnow_idl_mem m, uint64_t *sum,
		 uint32_t *rights, struct minnow_idl_mem *back)
{
	volatile uint64_t *w = (volatile uint64_t *)m.addr;
	*rights = L4_FPAGE_RIGHTS(m.fpage);
	*sum = 0;
	for (unsigned i = 0; i < 512; i++) {
		*sum += w[i];
		if (*rights & L4_MEM_W)
			w[i] *= 2;
	}
	for (unsigned i = 0; i < 512; i++)
		own[i] = 3 * i;
	*back = (struct minnow_idl_mem){ L4_FPAGE(own, 12, L4_MEM_R), CLI_MEM };
	return 0;
}

static const struct types_ops ops = {
	.ints = ints, .uints = uints, .flags = flags, .arrays = arrays, .echo = echo,
	.longest = longest, .blob = blob, .keep = keep, .give = give, .fail = fail,
	.poke = poke, .peeked = peeked, .share = share,
};

void idltest_serve(uint64_t ep, uint64_t srv_window, uint64_t srv_mem, uint64_t cli_mem)
{
	struct state st = { 0, "" };
	uint64_t badge, reply = 0, tag;
	l4_utcb()->cap_window = L4_CAP_WINDOW(srv_window, 1);
	l4_mem_window(L4_FPAGE(srv_mem, 21, 0));
	tag = l4_recv(ep, &badge);
	for (;;) {
		types_dispatch(&ops, &st, tag, badge, &reply);
		tag = l4_reply_wait(ep, reply, &badge);
	}
}
