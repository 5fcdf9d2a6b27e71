/* rtprobe - a program for the root task's tests; argv[1] says what to do:
 *   env              print its environment (name, args, capabilities)
 *   memhog STEP      malloc STEP bytes at a time, touching each, until
 *                    malloc fails; report how much it got, exit 0
 *   tick N           print N lines, yielding in between, exit 0
 *   crash            write to address 0
 *   ports PORT       read CMOS/RTC port PORT+1 after selecting register 0
 *   mmio PHYS        map one page of device memory and report
 *   dma SIZE         ask for DMA memory and report its physical address
 *   exit N           exit with status N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/thread.h>
#include <parent_client.h>

static const char *me;

static int env(void)
{
	const struct l4_env *e = l4_env();
	if (!e) {
		printf("%s: no environment\n", me);
		return 1;
	}
	printf("%s: env name=%s cmdline=\"%s\" prio=%u mem=%llu\n", me, e->name, e->cmdline,
	       e->prio, (unsigned long long)e->mem_quota);
	for (unsigned i = 0; i < e->ncaps; i++)
		printf("%s: cap %s slot %llu type %u\n", me, e->caps[i].name,
		       (unsigned long long)e->caps[i].slot, e->caps[i].type);
	return 0;
}

static int memhog(size_t step)
{
	size_t got = 0;
	for (;;) {
		char *p = malloc(step);
		if (!p)
			break;
		memset(p, 0xa5, step);     /* every page really backed */
		got += step;
	}
	uint64_t quota = 0, used = 0;
	parent_mem_info(L4_ENV_PARENT, &quota, &used);
	printf("%s: malloc failed after %zu KiB (quota %llu KiB, committed %llu KiB)\n", me,
	       got / 1024, (unsigned long long)quota / 1024, (unsigned long long)used / 1024);
	return 0;
}

int main(int argc, char **argv)
{
	me = l4_env() ? l4_env()->name : argv[0];
	if (argc < 2) {
		printf("%s: usage: rtprobe WHAT [ARG]\n", me);
		return 2;
	}
	const char *what = argv[1];
	unsigned long long arg = argc > 2 ? strtoull(argv[2], 0, 0) : 0;
	if (!strcmp(what, "env"))
		return env();
	if (!strcmp(what, "memhog"))
		return memhog(arg ? arg : 4096);
	if (!strcmp(what, "tick")) {
		for (unsigned long long i = 1; i <= arg; i++) {
			printf("%s: tick %llu\n", me, i);
			for (int k = 0; k < 20; k++)
				l4_yield();
		}
		return 0;
	}
	if (!strcmp(what, "crash")) {
		printf("%s: writing to address 0\n", me);
		*(volatile int *)0 = 1;
		return 0;
	}
	if (!strcmp(what, "exit"))
		return (int)arg;
	printf("%s: unknown probe '%s'\n", me, what);
	return 2;
}
