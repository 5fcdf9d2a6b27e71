/* main.c - the shell: reads a line (edit.c), splits it into words ($?
 * becomes the last status), runs the command (cmds.c), and again.  The
 * config gives it the console (caps=console: its stdin and stdout), the
 * name service (caps=names) and `control` (the root task's rtctl). */
#include <stdio.h>
#include <string.h>
#include <l4/rt/console.h>
#include <l4/rt/env.h>
#include "shell.h"

int last_status;
uint64_t first_prompt_tsc;
uint64_t rtctl, names, net;

/* line: as typed; copy: the same, split here into words. */
static int run(const char *line, char *copy)
{
	char *argv[ARGS_MAX + 1], status[12];
	int argc = 0;
	const char *rest = "";          /* from the second word on, as typed (start's options) */
	snprintf(status, sizeof status, "%d", last_status);
	for (char *s = strtok(copy, " \t"); s; s = strtok(0, " \t")) {
		if (argc == ARGS_MAX) {
			printf("too many words (at most %d)\n", ARGS_MAX);
			return 2;
		}
		if (argc == 1)
			rest = line + (s - copy);
		argv[argc++] = strcmp(s, "$?") ? s : status;
	}
	argv[argc] = 0;
	if (!argc)
		return last_status;
	for (const struct cmd *c = cmds; c->name; c++)
		if (!strcmp(c->name, argv[0]))
			return c->run(argc, argv, rest);
	printf("%s: no such command (try help)\n", argv[0]);
	return 127;
}

int main(void)
{
	uint64_t cons = l4_env() ? l4_env_cap("console") : 0;
	/* libc opens the console with our first output (an open starts a
	 * client afresh, in line mode); raw mode after that. */
	printf("Minnow shell: type help\n");
	fflush(stdout);
	if (!cons || console_mode(cons, CONSOLE_RAW)) {
		printf("shell: no console (the config's caps=console)\n");
		return 1;
	}
	rtctl = l4_env_cap("rtctl");
	names = l4_env_cap("names");
	net = l4_env_cap("net");
	char line[LINE_MAX_], copy[LINE_MAX_];
	for (;;) {
		int n = edit_line("minnow> ", line, sizeof line);
		if (n < 0)
			continue;       /* ^D: the shell stays */
		memcpy(copy, line, (size_t)n + 1);
		last_status = run(line, copy);
	}
}
