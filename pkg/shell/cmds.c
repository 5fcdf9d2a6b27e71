/* cmds.c - the shell's commands.  Each returns its status (0 ok), which
 * becomes $?.  Programs are the root task's business (rtctl.idl, through
 * the "rtctl" capability the config's `control` gives the shell), names
 * the name service's (names.idl). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/sys/abi.h>
#include <l4/sys/debug.h>
#include <l4/sys/ipc.h>
#include <l4/sys/kdebug.h>
#include <names_client.h>
#include <rtctl_client.h>
#include "shell.h"

static const char *const states[] = { "new", "running", "ended" };

static int need(uint64_t cap, const char *what)
{
	if (!cap)
		printf("no %s capability (the config's %s)\n", what,
		       cap == rtctl ? "`control`" : "caps=names");
	return cap ? 0 : 1;
}

static int c_help(int argc, char **argv, const char *rest)
{
	for (const struct cmd *c = cmds; c->name; c++)
		printf("  %-28s %s\n", c->usage, c->help);
	printf("  keys: Left Right Home End, Up Down: history, ^U clear, ^C drop the line; "
	       "^T: input to the next program\n");
	return 0;
}

static int c_echo(int argc, char **argv, const char *rest)
{
	for (int i = 1; i < argc; i++)
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	printf("\n");
	return 0;
}

static int c_ps(int argc, char **argv, const char *rest)
{
	if (need(rtctl, "rtctl"))
		return 1;
	printf("%3s %-15s %-8s %4s %8s %8s %8s %s\n", "ID", "NAME", "STATE", "PRIO", "MEM(K)",
	       "USED(K)", "RESTARTS", "MODULE (STATUS)");
	for (uint32_t i = 0;; i++) {
		char name[RTCTL_INFO_NAME_MAX + 1], module[RTCTL_INFO_MODULE_MAX + 1];
		uint32_t state, prio, restarts;
		uint64_t quota, used;
		int32_t status;
		int e = rtctl_info(rtctl, i, name, module, &state, &prio, &quota, &used, &restarts,
				   &status);
		if (e == -L4_EINVAL)
			return 0;
		if (e) {
			printf("ps: %s\n", l4_strerror(e));
			return 1;
		}
		printf("%3u %-15s %-8s %4u %8llu %8llu %8u %s", i, name,
		       state < 3 ? states[state] : "?", prio, (unsigned long long)quota / 1024,
		       (unsigned long long)used / 1024, restarts, module);
		if (state == 2 && status >= 0)
			printf(" (exit %d)", status);
		else if (state == 2)
			printf(" (killed)");
		printf("\n");
	}
}

static int c_names(int argc, char **argv, const char *rest)
{
	if (need(names, "names"))
		return 1;
	unsigned n = 0;
	for (uint32_t i = 0;; i++) {
		char name[NAMES_LIST_NAME_MAX + 1];
		uint64_t by;
		int e = names_list(names, i, name, &by);
		if (e == -L4_EINVAL)
			break;
		if (e) {
			printf("names: %s\n", l4_strerror(e));
			return 1;
		}
		if (name[0]) {
			printf("  %-15s published by program %llu\n", name,
			       (unsigned long long)by - 1);
			n++;
		}
	}
	printf("%u name%s\n", n, n == 1 ? "" : "s");
	return 0;
}

/* A program's index by name or number; -1 (said) if none. */
static int find_prog(const char *what)
{
	char *end;
	unsigned long v = strtoul(what, &end, 10);
	for (uint32_t i = 0;; i++) {
		char name[RTCTL_INFO_NAME_MAX + 1], module[RTCTL_INFO_MODULE_MAX + 1];
		uint32_t state, prio, restarts;
		uint64_t quota, used;
		int32_t status;
		if (rtctl_info(rtctl, i, name, module, &state, &prio, &quota, &used, &restarts, &status))
			break;
		if ((*end == '\0' && end != what && v == i) || !strcmp(name, what))
			return (int)i;
	}
	printf("no program '%s' (see ps)\n", what);
	return -1;
}

static int c_start(int argc, char **argv, const char *rest)
{
	if (need(rtctl, "rtctl"))
		return 1;
	if (argc < 2) {
		printf("usage: start NAME [option ...]\n");
		return 2;
	}
	/* Its output comes here unless the line says otherwise. */
	char line[RTCTL_START_LINE_MAX + 1];
	snprintf(line, sizeof line, "%s%s", rest, strstr(rest, "caps=") ? "" : " caps=console");
	char reason[RTCTL_START_REASON_MAX + 1];
	int32_t err;
	uint32_t idx;
	int e = rtctl_start(rtctl, line, &err, &idx, reason);
	if (e || err) {
		printf("start: %s\n", e ? l4_strerror(e) : reason[0] ? reason : l4_strerror(err));
		return 1;
	}
	printf("started '%s' as program %u\n", argv[1], idx);
	return 0;
}

static int c_kill(int argc, char **argv, const char *rest)
{
	if (need(rtctl, "rtctl"))
		return 1;
	if (argc != 2) {
		printf("usage: kill NAME|ID\n");
		return 2;
	}
	int i = find_prog(argv[1]);
	if (i < 0)
		return 1;
	int e = rtctl_kill(rtctl, (uint32_t)i);
	if (e) {
		printf("kill: %s: %s\n", argv[1], e == -L4_ESTATE ? "not running" : l4_strerror(e));
		return 1;
	}
	return 0;
}

static int c_mem(int argc, char **argv, const char *rest)
{
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t ram = 0;
	for (unsigned i = 0; i < kip->nmem && i < L4_KIP_MEM_MAX; i++)
		if (kip->mem[i].type == 1)
			ram += kip->mem[i].size;
	long frames = l4_kdb_frames_free();
	printf("RAM %llu KiB, free %llu KiB\n", (unsigned long long)ram / 1024,
	       frames > 0 ? (unsigned long long)frames * 4 : 0ull);
	uint64_t quota, used;
	if (rtctl && !rtctl_mem(rtctl, &quota, &used))
		printf("root task: %llu KiB of %llu KiB charged (programs and kernel objects)\n",
		       (unsigned long long)used / 1024, (unsigned long long)quota / 1024);
	return 0;
}

static int c_uptime(int argc, char **argv, const char *rest)
{
	const struct l4_kip *kip = (const struct l4_kip *)L4_KIP_ADDR;
	uint64_t ns = kip->clock_ns;
	printf("up %llu.%03llu s (%llu ticks at %u Hz)\n", (unsigned long long)(ns / 1000000000),
	       (unsigned long long)(ns / 1000000 % 1000), (unsigned long long)kip->ticks,
	       kip->timer_hz);
	/* Boot to the first prompt in time stamp counter ticks, from the
	 * kernel's first instructions (L4_DBG_STAMP 0): guest instructions
	 * under QEMU's -icount shift=0 (make bench: boot-kernel-to-shell-prompt). */
	uint64_t entry = l4_kdb_stamp(0);
	if (entry && entry < first_prompt_tsc)
		printf("first prompt %llu TSC ticks after the kernel's entry\n",
		       (unsigned long long)(first_prompt_tsc - entry));
	return 0;
}

static int c_kdb(int argc, char **argv, const char *rest)
{
	if (need(rtctl, "rtctl"))
		return 1;
	int e = rtctl_kdb(rtctl);
	if (e)
		printf("kdb: %s\n", l4_strerror(e));
	return e ? 1 : 0;
}

static int c_cat(int argc, char **argv, const char *rest)
{
	if (need(rtctl, "rtctl"))
		return 1;
	if (argc < 2) {
		printf("usage: cat MODULE ...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		uint64_t off = 0, size;
		for (;;) {
			char data[RTCTL_MODULE_DATA_MAX];
			size_t n;
			int e = rtctl_module(rtctl, argv[i], off, &size, data, &n);
			if (e) {
				printf("cat: %s: %s\n", argv[i], e == -L4_EINVAL ? "no such boot module"
									      : l4_strerror(e));
				return 1;
			}
			if (!n)
				break;
			printf("%.*s", (int)n, data);
			off += n;
		}
	}
	return 0;
}

/* Until each named program has ended: polled, ten times a second. */
static int c_wait(int argc, char **argv, const char *rest)
{
	if (need(rtctl, "rtctl"))
		return 1;
	for (int k = 1; k < argc; k++) {
		int i = find_prog(argv[k]);
		if (i < 0)
			return 1;
		for (;;) {
			char name[RTCTL_INFO_NAME_MAX + 1], module[RTCTL_INFO_MODULE_MAX + 1];
			uint32_t state, prio, restarts;
			uint64_t quota, used;
			int32_t status;
			if (rtctl_info(rtctl, (uint32_t)i, name, module, &state, &prio, &quota, &used,
				       &restarts, &status) || state == 2) {
				printf("%s has ended (%s %d)\n", name, status < 0 ? "killed" : "status",
				       status);
				break;
			}
			l4_sleep_us(100000);
		}
	}
	return 0;
}

static int c_exit(int argc, char **argv, const char *rest)
{
	exit(argc > 1 ? atoi(argv[1]) : last_status);
}

const struct cmd cmds[] = {
	{ "help", "help", "this list", c_help },
	{ "echo", "echo [WORD ...]", "print the words ($? is the last status)", c_echo },
	{ "ps", "ps", "the programs: id, priority, memory, state, restarts", c_ps },
	{ "names", "names", "what the name service holds", c_names },
	{ "start", "start NAME [option ...]", "start a program as a config line would "
	  "(default caps=console)", c_start },
	{ "kill", "kill NAME|ID", "end a program (no restart)", c_kill },
	{ "mem", "mem", "memory: RAM, free, the root task's", c_mem },
	{ "uptime", "uptime", "time since boot", c_uptime },
	{ "kdb", "kdb", "enter the kernel debugger (g continues)", c_kdb },
	{ "cat", "cat MODULE ...", "print a boot module", c_cat },
	{ "wait", "wait NAME|ID ...", "until these programs have ended", c_wait },
	{ "ifconfig", "ifconfig", "the network interface: addresses, flags, counters (caps=net)",
	  c_ifconfig },
	{ "ping", "ping [-c N -s SIZE -W MS -i MS] ADDR", "ICMP echo requests to ADDR, as "
	  "BSD's ping (caps=net)", c_ping },
	{ "netstat", "netstat", "lwIP's counters per protocol, drops by cause; its memory "
	  "(caps=net)", c_netstat },
	{ "exit", "exit [N]", "leave the shell (a `shutdown` shell powers the machine off)",
	  c_exit },
	{ 0, 0, 0, 0 },
};
