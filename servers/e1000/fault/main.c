/* nicfault - fault injection into the e1000 driver for the restart tests
 * (doc/restart.md), through the session's fault call (a driver built with
 * CONFIG_E1000_FAULTS and started with `faults`).  Its arguments are
 * steps, done in order:
 *   sleep=MS   wait MS milliseconds (guest time)
 *   rx=N       wait until the driver (the one running now) has received N
 *              good frames (nic_stats, looked at every 10 ms): a kill in
 *              the middle of a transfer, however fast it runs
 *   crash      the driver faults (a write to an unmapped page)
 *   hang       the driver spins, answering nothing (not even the root
 *              task's heartbeat)
 * The call does not come back from the driver; it ends when the root task
 * has ended that incarnation (L4_ECANCELED), which is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/util/rdtsc.h>
#include <nic.h>

int main(int argc, char **argv)
{
	const char *me = l4_env() ? l4_env()->name : argv[0];
	uint64_t nic = l4_env_cap("nic");
	if (!nic) {
		printf("%s: no capability 'nic' (caps=e1000:nic in the boot config)\n", me);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		if (!strncmp(argv[i], "sleep=", 6)) {
			unsigned long ms = strtoul(argv[i] + 6, &end, 10);
			if (*end || !argv[i][6] || ms > 600000) {
				printf("%s: argument %d '%s': sleep=MS, MS up to 600000\n", me, i, argv[i]);
				return 2;
			}
			for (; ms > 1000; ms -= 1000)
				l4_sleep_us(1000000);
			l4_sleep_us((uint32_t)ms * 1000);
			continue;
		}
		if (!strncmp(argv[i], "rx=", 3)) {
			unsigned long n = strtoul(argv[i] + 3, &end, 10);
			uint64_t v[16];
			if (*end || !argv[i][3]) {
				printf("%s: argument %d '%s': rx=N\n", me, i, argv[i]);
				return 2;
			}
			int e;
			while (!(e = nic_stats(nic, v)) && v[NIC_STAT_RX_PACKETS] < n)
				l4_sleep_us(10000);
			if (e) {
				printf("%s: nic_stats: %s\n", me, l4_strerror(e));
				return 1;
			}
			continue;
		}
		unsigned how = !strcmp(argv[i], "crash") ? 0 : !strcmp(argv[i], "hang") ? 1 : 2;
		if (how == 2) {
			printf("%s: argument %d '%s' unknown (sleep=MS, rx=N, crash, hang)\n", me, i,
			       argv[i]);
			return 2;
		}
		uint64_t t = l4_tsc_us();
		printf("%s: %s the driver at %llu.%06llu s\n", me, argv[i],
		       (unsigned long long)(t / 1000000), (unsigned long long)(t % 1000000));
		int e = nic_fault(nic, how);
		printf("%s: the fault call returned: %s\n", me, e ? l4_strerror(e) : "0 (no fault?)");
		if (!e || e == -L4_EPERM || e == -L4_EINVAL)
			return 1;
	}
	return 0;
}
