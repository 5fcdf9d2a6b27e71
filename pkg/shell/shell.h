/* shell.h - the shell's parts: the line editor (edit.c) and the commands
 * (cmds.c); main.c reads, splits and runs. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define LINE_MAX_  200          /* a command line */
#define ARGS_MAX   16

/* Read a line after prompt, edited in place (raw console mode): the
 * length, or -1 at the end of input. */
int edit_line(const char *prompt, char *buf, size_t size);

struct cmd {
	const char *name, *usage, *help;
	int (*run)(int argc, char **argv, const char *rest);   /* rest: the line after the name */
};
extern const struct cmd cmds[];
extern int last_status;         /* $?: the last command's */
extern uint64_t first_prompt_tsc; /* the time stamp counter after the first prompt went out */
extern uint64_t rtctl, names;   /* capabilities from the config ("rtctl", "names"); 0: none */
extern uint64_t net;            /* servers/net (caps=net); 0: none */

/* net.c: the network commands */
int c_ifconfig(int argc, char **argv, const char *rest);
int c_ping(int argc, char **argv, const char *rest);
int c_netstat(int argc, char **argv, const char *rest);
