/* idltest - the IDL stubs end to end: the client here calls the server
 * thread (c/server.c or rust/server.rs: the program's idltest_serve)
 * through the generated types_client.h for every type, then sends
 * malformed requests by hand that the dispatcher must refuse.  TAP on the
 * serial line. */
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <idltest.h>
#include "types_client.h"

static int failed_line;
#define CHECK(c) do { if (!(c)) { failed_line = __LINE__; return 1; } } while (0)

static int t_ints(void)
{
	int8_t a; int16_t b; int32_t c; int64_t d;
	CHECK(types_ints(BADGED, INT8_MIN, INT16_MIN, INT32_MIN, INT64_MIN, &a, &b, &c, &d) == 0);
	CHECK(a == INT8_MAX && b == INT16_MAX && c == INT32_MAX && d == INT64_MAX);
	CHECK(types_ints(BADGED, INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX, &a, &b, &c, &d) == 0);
	CHECK(a == INT8_MIN && b == INT16_MIN && c == INT32_MIN && d == INT64_MIN);
	CHECK(types_ints(BADGED, 0, -1, 0, -1, &a, &b, &c, &d) == 0);
	CHECK(a == -1 && b == 0 && c == -1 && d == 0);
	/* the handler sees the badge: through the unbadged capability it refuses */
	CHECK(types_ints(EP, 0, 0, 0, 0, &a, &b, &c, &d) == -L4_EPERM);
	return 0;
}

static int t_uints(void)
{
	uint8_t a; uint16_t b; uint32_t c; uint64_t d;
	CHECK(types_uints(BADGED, 0, 0, 0, 0, &a, &b, &c, &d) == 0);
	CHECK(a == UINT8_MAX && b == UINT16_MAX && c == UINT32_MAX && d == UINT64_MAX);
	CHECK(types_uints(BADGED, UINT8_MAX, UINT16_MAX, UINT32_MAX, UINT64_MAX, &a, &b, &c, &d) == 0);
	CHECK(a == 0 && b == 0 && c == 0 && d == 0);
	return 0;
}

static int t_bool(void)
{
	bool n = true;
	CHECK(types_flags(BADGED, false, -1, 0xffffffffu, &n) == 0 && n);
	CHECK(types_flags(BADGED, true, -1, 0xffffffffu, &n) == 0 && !n);
	return 0;
}

static int t_arrays(void)
{
	const int16_t v[5] = { INT16_MIN, -1, 0, 1, INT16_MAX };
	const bool f[3] = { true, false, true };
	const uint8_t b[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 255 };
	int16_t rv[5]; bool nf[3]; uint8_t rb[9];
	CHECK(types_arrays(BADGED, v, f, b, rv, nf, rb) == 0);
	for (int i = 0; i < 5; i++)
		CHECK(rv[i] == v[4 - i]);
	CHECK(!nf[0] && nf[1] && !nf[2]);
	for (int i = 0; i < 9; i++)
		CHECK(rb[i] == b[8 - i]);
	return 0;
}

static int t_strings(void)
{
	static const char *in[] = { "", "x", "0123456789abcdefghijklmnopqrstuvwxyzABCD" };
	static const char *out[] = { "", "x", "DCBAzyxwvutsrqponmlkjihgfedcba9876543210" };
	char r[TYPES_ECHO_R_MAX + 1];
	uint32_t len;
	for (int k = 0; k < 3; k++) {
		CHECK(types_echo(BADGED, in[k], r, &len) == 0);
		for (uint32_t i = 0; i <= len; i++)
			CHECK(r[i] == out[k][i]);
	}
	CHECK(len == TYPES_ECHO_S_MAX);
	/* one over the bound: refused by the client stub, nothing sent */
	CHECK(types_echo(BADGED, "0123456789abcdefghijklmnopqrstuvwxyzABCDE", r, &len) == -L4_EINVAL);
	static char big[TYPES_LONGEST_S_MAX + 2];
	for (int i = 0; i < TYPES_LONGEST_S_MAX + 1; i++)
		big[i] = 'a' + i % 26;
	CHECK(types_longest(BADGED, big, &len) == -L4_EINVAL);
	big[TYPES_LONGEST_S_MAX] = 0;
	CHECK(types_longest(BADGED, big, &len) == 0 && len == 256);
	return 0;
}

static int t_bytes(void)
{
	uint8_t b[101], r[100];
	size_t n, lens[] = { 0, 1, 100 };
	for (int i = 0; i < 101; i++)
		b[i] = (uint8_t)(i * 7);
	for (int k = 0; k < 3; k++) {
		CHECK(types_blob(BADGED, b, lens[k], r, &n) == 0 && n == lens[k]);
		for (size_t i = 0; i < n; i++)
			CHECK(r[i] == (uint8_t)(b[i] + 1));
	}
	CHECK(types_blob(BADGED, b, 101, r, &n) == -L4_EINVAL);
	return 0;
}

static int t_caps(void)
{
	uint64_t slot, bits = 0, e;
	bool n;
	CHECK(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_NOTIFICATION, NOTIF, 0) == 0);
	CHECK(types_keep(BADGED, MINNOW_IDL_CAP(NOTIF, L4_CAP_WRITE), &slot) == 0);
	CHECK(slot == SRV_WINDOW);
	CHECK(l4_notification_wait(NOTIF, L4_TIMEOUT_ZERO, &bits) == 0 && bits == 5);
	l4_utcb()->cap_window = L4_CAP_WINDOW(CLI_WINDOW, 1);
	CHECK(types_give(BADGED, &e) == 0 && e == CLI_WINDOW);
	l4_utcb()->cap_window = 0;
	CHECK(types_flags(e, false, -1, 0xffffffffu, &n) == 0 && n);   /* use it */
	l4_task_cap_delete(L4_CAP_SELF, e);
	l4_task_cap_delete(L4_CAP_SELF, NOTIF);
	return 0;
}

static uint64_t page[512] __attribute__((aligned(4096)));

/* A page into the server's window, read-only then writable; one back into
 * ours; out of the window refused; unmapping ours takes the server's too. */
static int t_mem(void)
{
	uint64_t sum, want = 0, n;
	uint32_t rights;
	struct minnow_idl_mem back;
	for (unsigned i = 0; i < 512; i++)
		want += page[i] = i * 7 + 1;
	l4_mem_window(L4_FPAGE(CLI_MEM, 12, 0));
	struct minnow_idl_mem m = { L4_FPAGE(page, 12, L4_MEM_R), SRV_MEM };
	CHECK(types_share(BADGED, m, &sum, &rights, &back) == 0);
	CHECK(sum == want && rights == L4_MEM_R && page[1] == 8);      /* read, not doubled */
	CHECK(back.addr == CLI_MEM && L4_FPAGE_ORDER(back.fpage) == 12);
	CHECK(((volatile uint64_t *)CLI_MEM)[100] == 300);
	m.fpage = L4_FPAGE(page, 12, L4_MEM_R | L4_MEM_W);
	m.addr = SRV_MEM + 0x1000;
	CHECK(l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(CLI_MEM, 12, 0), 1, 0) == 0);
	CHECK(types_share(BADGED, m, &sum, &rights, &back) == 0);
	CHECK(sum == want && rights == (L4_MEM_R | L4_MEM_W) && page[1] == 16);   /* doubled */
	CHECK(l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(CLI_MEM, 12, 0), 1, 0) == 0);
	m.addr = SRV_MEM + (4ull << 20);                                /* past its 2 MiB window */
	CHECK(types_share(BADGED, m, &sum, &rights, &back) == -L4_EINVAL);
	/* Both of the server's mappings derive from our page: both go. */
	CHECK(l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(page, 12, 0), 0, &n) == 0 && n == 2);
	l4_mem_window(0);
	return 0;
}

static int t_status_and_message(void)
{
	uint32_t v;
	char note[9];
	CHECK(types_fail(BADGED, -L4_ENOMEM) == -L4_ENOMEM);
	CHECK(types_fail(BADGED, 0) == 0);
	CHECK(types_poke(BADGED, 0xdeadbeef, "hi there") == 0);
	CHECK(types_peeked(BADGED, &v, note) == 0 && v == 0xdeadbeef);
	CHECK(note[0] == 'h' && note[7] == 'e' && note[8] == 0);
	return 0;
}

/* A request written by hand; the status word of the reply. */
static int64_t raw(uint32_t label, unsigned untyped, const uint64_t *w)
{
	struct l4_utcb *u = l4_utcb();
	for (unsigned i = 0; i < untyped; i++)
		u->mr[i] = w[i];
	uint64_t tag = l4_call(BADGED, L4_TAG(label, untyped, 0));
	if (l4_error(tag) || L4_TAG_UNTYPED(tag) < 1)
		return 1;
	return (int64_t)u->mr[0];
}

static int t_malformed(void)
{
	const uint64_t ok4[4] = { 1, 2, 3, 4 }, big[4] = { 300, 0, 0, 0 };
	const uint64_t b2[3] = { 2, 0, 0 }, i33[3] = { 0, 1ull << 33, 0 };
	const uint64_t s41[7] = { 41, 0, 0, 0, 0, 0, 0 }, s16[2] = { 16, 0x4141414141414141 };
	const uint64_t trail[3] = { 1, 'a', 0 };
	CHECK(raw(TYPES_INTS_LABEL, 3, ok4) == -L4_EINVAL);      /* a word short */
	CHECK(raw(TYPES_INTS_LABEL, 4, ok4) == 0);               /* the same, complete */
	CHECK(raw(TYPES_UINTS_LABEL, 4, big) == -L4_EINVAL);     /* 300 in a uint8 */
	CHECK(raw(TYPES_FLAGS_LABEL, 3, b2) == -L4_EINVAL);      /* bool 2 */
	CHECK(raw(TYPES_FLAGS_LABEL, 3, i33) == -L4_EINVAL);     /* 2^33 in an int32 */
	CHECK(raw(TYPES_ECHO_LABEL, 7, s41) == -L4_EINVAL);      /* length over the bound */
	CHECK(raw(TYPES_ECHO_LABEL, 2, s16) == -L4_EINVAL);      /* length past the message */
	CHECK(raw(TYPES_BLOB_LABEL, 3, trail) == -L4_EINVAL);    /* a word too many */
	CHECK(raw(TYPES_KEEP_LABEL, 0, ok4) == -L4_EINVAL);      /* no capability item */
	CHECK(raw(TYPES_SHARE_LABEL, 0, ok4) == -L4_EINVAL);     /* no memory item */
	CHECK(raw(TYPES_IFACE_ID << 16 | 0xfff, 0, ok4) == -L4_ENOSYS);
	CHECK(raw(0x12345678, 0, ok4) == -L4_ENOSYS);
	return 0;
}

static void serve(uint64_t arg)
{
	idltest_serve(EP, SRV_WINDOW, SRV_MEM, CLI_MEM);
}

static uint8_t stack[16384] __attribute__((aligned(16)));

static int server_start(void)
{
	if (l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, SRV_THREAD, 0) ||
	    l4_thread_bind(SRV_THREAD, L4_CAP_SELF, 0x0000500000000000ull) ||
	    l4_thread_set_prio(SRV_THREAD, 100, 100))
		return -1;
	return l4_thread_start(SRV_THREAD, (uint64_t)serve, (uint64_t)(stack + sizeof stack - 8), 0);
}

static const struct { int (*fn)(void); const char *name; } tests[] = {
	{ t_ints, "signed integers at their extremes, badge" },
	{ t_uints, "unsigned integers at their extremes" },
	{ t_bool, "bool, int and uint" },
	{ t_arrays, "fixed arrays" },
	{ t_strings, "strings at length 0, 1 and the bound" },
	{ t_bytes, "bytes at length 0, 1 and the bound" },
	{ t_caps, "capabilities passed both ways and used" },
	{ t_mem, "memory passed both ways with its rights, refused outside the window, revoked" },
	{ t_status_and_message, "server status, one-way message" },
	{ t_malformed, "malformed requests refused" },
};

int main(void)
{
	unsigned n = sizeof tests / sizeof tests[0], failed = 0;
	l4_debug_puts("1..");
	l4_debug_putu(n, 10);
	l4_debug_puts("\n");
	if (l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, EP, 0) ||
	    l4_task_cap_map(L4_CAP_SELF, EP, BADGED, L4_CAP_ALL, CLIENT_BADGE) || server_start()) {
		l4_debug_puts("# idltest: setup failed\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		failed_line = 0;
		int bad = tests[i].fn();
		failed += bad != 0;
		if (bad) {
			l4_debug_puts("# failed at main.c:");
			l4_debug_putu((uint64_t)failed_line, 10);
			l4_debug_puts("\n");
		}
		l4_debug_puts(bad ? "not ok " : "ok ");
		l4_debug_putu(i + 1, 10);
		l4_debug_puts(" - ");
		l4_debug_puts(tests[i].name);
		l4_debug_puts("\n");
	}
	l4_debug_puts("# idltest: ");
	l4_debug_putu(n - failed, 10);
	l4_debug_puts(" passed, ");
	l4_debug_putu(failed, 10);
	l4_debug_puts(" failed\n");
	return failed ? 1 : 0;
}
