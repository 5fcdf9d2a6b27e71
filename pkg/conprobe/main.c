/* conprobe - a console client (caps=console) for the console's run
 * scripts:
 *
 *   lines N [US] [split]  print N numbered lines, each long and checkable
 *                  (its name, number and a filler made of both), US
 *                  microseconds apart (default 0); N = 0: without end;
 *                  split: each line in two writes, the first half flushed
 *                  and US/2 apart from the rest (a line the console holds
 *                  unfinished meanwhile: the console restart's test)
 *   read N [US]    read N lines from stdin with fgets and print each; say
 *                  so for ^C (the read fails, errno EINTR) and for ^D;
 *                  US: sleep that long first (a program that has not read
 *                  yet when ^T comes)
 *   scan           scanf("%d %x %s") of one line, the values printed
 *   rtctl          call the root task's rtctl (list programs) through the
 *                  parent capability, which lacks the control badge: refused
 *   bench N        N lines of 64 bytes, timed with rdtsc (under QEMU's
 *                  -icount shift=0 it counts guest instructions): the
 *                  console's cost per byte, as the writer sees it
 *
 * Every line it prints starts with its name, so a run script can count
 * them per program. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <rtctl_client.h>

static const char *me = "conprobe";

/* 40 letters that depend on name and number: a line torn and glued to
 * another program's cannot match its own filler. */
static void filler(char *out, unsigned k)
{
	unsigned h = 2166136261u;
	for (const char *s = me; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	for (int i = 0; i < 40; i++) {
		h = (h ^ k) * 16777619u;
		out[i] = (char)('a' + (h >> 24) % 26);
	}
	out[40] = '\0';
}

static int lines(unsigned n, unsigned us, bool split)
{
	char f[41];
	for (unsigned k = 1; !n || k <= n; k++) {
		filler(f, k);
		if (split) {
			printf("%s %05u %.20s", me, k, f);
			fflush(stdout);
			l4_sleep_us(us / 2 ? us / 2 : 1);
			printf("%s\n", f + 20);
			continue;
		}
		printf("%s %05u %s\n", me, k, f);
		if (us)
			l4_sleep_us(us);
	}
	printf("%s: %u lines done\n", me, n);
	return 0;
}

static int readlines(unsigned n, unsigned us)
{
	char buf[128];
	if (us)
		l4_sleep_us(us);
	for (unsigned k = 1; k <= n;) {
		printf("%s> ", me);
		if (fgets(buf, sizeof buf, stdin)) {
			buf[strcspn(buf, "\n")] = '\0';
			printf("%s: line %u: '%s'\n", me, k++, buf);
			continue;
		}
		if (ferror(stdin) && errno == EINTR)
			printf("%s: interrupted (^C)\n", me);
		else if (feof(stdin))
			printf("%s: end of input (^D)\n", me);
		else
			printf("%s: read error\n", me);
		clearerr(stdin);
	}
	return 0;
}

static int scan(void)
{
	int d = 0;
	unsigned x = 0;
	char s[32] = "";
	printf("%s: type a number, a hex number and a word\n", me);
	int n = scanf("%d %x %31s", &d, &x, s);
	printf("%s: scanf read %d: %d 0x%x '%s'\n", me, n, d, x, s);
	return n == 3 ? 0 : 1;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int bench(unsigned n)
{
	char line[65];
	memset(line, 'x', 63);
	line[63] = '\n';
	line[64] = '\0';
	fflush(stdout);
	uint64_t t0 = rdtsc();
	for (unsigned k = 0; k < n; k++)
		fputs(line, stdout);
	fflush(stdout);
	uint64_t t = rdtsc() - t0;
	printf("%s: bench: %u bytes in %llu tsc ticks: %llu per byte\n", me, n * 64,
	       (unsigned long long)t, (unsigned long long)(t / (n * 64ull)));
	return 0;
}

static int rtctl_probe(void)
{
	char name[RTCTL_INFO_NAME_MAX + 1], module[RTCTL_INFO_MODULE_MAX + 1];
	uint32_t state, prio, restarts;
	uint64_t quota, used;
	int32_t status;
	int e = rtctl_info(L4_ENV_PARENT, 0, name, module, &state, &prio, &quota, &used, &restarts,
			   &status);
	printf("%s: rtctl info through the parent capability: %s\n", me,
	       e ? l4_strerror(e) : name);
	e = rtctl_kill(L4_ENV_PARENT, 0);
	printf("%s: rtctl kill through the parent capability: %s\n", me, e ? l4_strerror(e) : "done");
	return e ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (l4_env())
		me = l4_env()->name;
	if (argc >= 3 && !strcmp(argv[1], "lines"))
		return lines((unsigned)strtoul(argv[2], 0, 0),
			     argc > 3 ? (unsigned)strtoul(argv[3], 0, 0) : 0,
			     argc > 4 && !strcmp(argv[4], "split"));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "read"))
		return readlines((unsigned)strtoul(argv[2], 0, 0),
				 argc > 3 ? (unsigned)strtoul(argv[3], 0, 0) : 0);
	if (argc == 2 && !strcmp(argv[1], "scan"))
		return scan();
	if (argc == 2 && !strcmp(argv[1], "rtctl"))
		return rtctl_probe();
	if (argc == 3 && !strcmp(argv[1], "bench"))
		return bench((unsigned)strtoul(argv[2], 0, 0));
	printf("%s: usage: conprobe lines N [US] | read N [US] | scan | rtctl | bench N\n", me);
	return 2;
}
