/* lwiptest - lwIP with Minnow's port (pkg/lwip) in a Minnow program: two
 * netifs of one stack joined by an in-memory link (memlink.c), ARP, ICMP
 * echo, UDP echo and a 1 MiB TCP echo, as TAP on the console.  The same
 * scenarios run on the host under ASan/UBSan (test/host); here they prove
 * that the port - lwipopts.h, arch/cc.h, sys_now() from the KIP clock,
 * pkg/libc underneath - runs in the guest.  No NIC is involved. */
#include <stdio.h>
#include <lwip/stats.h>
#include <lwip/sys.h>
#include "scenarios.h"

#define TCP_BYTES (1024u * 1024u)

static struct lt_ctx ctx;
static int test_no, failed;

static void report(int r, const char *what)
{
	test_no++;
	if (r == 0) {
		printf("ok %d - %s\n", test_no, what);
	} else {
		printf("not ok %d - %s: %s\n", test_no, what, ctx.why);
		failed++;
	}
}

int main(int argc, char **argv)
{
	uint64_t sent = 0, recv = 0;
	printf("1..6\n");
	int up = lt_setup(&ctx);
	report(up, "lwip_init and two netifs on a memlink, 10.0.9.1 and 10.0.9.2");
	if (up) {
		printf("Bail out! no link\n");
		return 1;
	}
	/* sys_now() must move with the KIP clock: lwIP's timers depend on it */
	u32_t t0 = sys_now(), spins = 0;
	while (sys_now() - t0 < 30 && ++spins < 2000000000u)
		;
	int moved = sys_now() - t0 >= 30 ? 0 : -1;
	if (moved)
		snprintf(ctx.why, sizeof(ctx.why), "%u ms after %u spins", sys_now() - t0, spins);
	report(moved, "sys_now() advances with the KIP clock");
	report(lt_arp(&ctx), "ARP: 10.0.9.1 resolves 10.0.9.2");
	report(lt_ping(&ctx, 4), "ICMP: 4 echo requests answered by lwIP, payload intact");
	report(lt_udp(&ctx, 100), "UDP: 100 datagrams of 1..1472 bytes echoed whole");
	int r = lt_tcp_echo(&ctx, TCP_BYTES, &sent, &recv);
	report(r, "TCP: listen, accept, connect; 1 MiB echoed and closed");
	printf("lwiptest: tcp echo of %u bytes: sent fnv1a %016llx, received %016llx\n",
	       TCP_BYTES, (unsigned long long)sent, (unsigned long long)recv);
	printf("lwiptest: frames %lu and %lu, dropped %lu; tcp segments sent %u, checksum errors %u\n",
	       ctx.link.end[0].frames_in, ctx.link.end[1].frames_in,
	       ctx.link.end[0].dropped + ctx.link.end[1].dropped,
	       (unsigned)lwip_stats.tcp.xmit, (unsigned)lwip_stats.tcp.chkerr);
	lt_teardown(&ctx);
	return failed ? 1 : 0;
}
