/* mark.c - make bench-net's instruction counts (doc/net.md, section 6).
 * Given the capability "idle" (the endpoint of pkg/ethecho's spinner,
 * `ethecho idle`, at the lowest priority), a datagram that begins with
 * MARK_MAGIC is answered, instead of echoed, with MARK_MAGIC, rdtsc and
 * the spinner's busy and gaps counts (three little-endian u64): the
 * protocol bench/linux/echo.c speaks for the Linux guest.  Under -icount
 * shift=0 the host divides the growth of `busy` between two marks by the
 * datagrams echoed between them. */
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/ipc.h>
#include <l4/util/rdtsc.h>
#include "udpecho.h"

#define MARK_MAGIC "MINNOW-BENCH-MARK"

long mark_answer(char *buf, long got, long size)
{
	static int looked;
	static uint64_t idle;
	size_t ml = sizeof MARK_MAGIC - 1;
	if (!looked++)
		idle = l4_env_cap("idle");
	/* Without the spinner a MARK is echoed as it came: the host finds no
	 * counters in it and says so. */
	if (!idle || got < (long)ml || size < (long)ml + 24 || memcmp(buf, MARK_MAGIC, ml))
		return got;
	if (l4_error(l4_call(idle, L4_TAG(1, 0, 0))))
		return got;
	uint64_t v[3] = { l4_rdtsc(), l4_utcb()->mr[0], l4_utcb()->mr[1] };
	memcpy(buf + ml, v, sizeof v);      /* x86-64: little endian */
	return (long)(ml + sizeof v);
}
