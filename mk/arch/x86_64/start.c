/* start.c - from the boot-info block (the root task) or the environment
 * page (a program the root task started, <l4/rt/env.h>) to main(argc, argv),
 * then exit.  Both arrive in rdi; their magic tells which it is.
 * The command line ("name arg arg ...", double quotes group words) is split
 * into argv in place in a static buffer: argv[0] is the program name. */
#include <stdint.h>
#include <l4/sys/abi.h>
#include <l4/rt/env.h>

#define MAX_ARGS 32

int main(int argc, char **argv);
/* libc's, when the program links it: buffered output is written at the end. */
void __libc_flush_all(void) __attribute__((weak));
void __minnow_start(const void *info) __attribute__((noreturn, used));

static char args[L4_CMDLINE_MAX];
static char *argv[MAX_ARGS + 1];
const struct l4_bootinfo *__minnow_bootinfo;
const struct l4_env *__minnow_env;

static int split(char *s, char **v, int max)
{
	int n = 0;
	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		char *out = s;
		v[n++] = out;
		int quoted = 0;
		for (; *s && (quoted || *s != ' '); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				*out++ = *s;
		}
		if (*s)
			s++;
		*out = '\0';
	}
	v[n] = 0;
	return n;
}

void __minnow_start(const void *info)
{
	const char *cmdline = 0;
	int argc = 0;
	if (info && *(const uint32_t *)info == L4_BOOTINFO_MAGIC) {
		__minnow_bootinfo = info;
		cmdline = __minnow_bootinfo->cmdline;
	} else if (info && *(const uint32_t *)info == L4_ENV_MAGIC) {
		__minnow_env = info;
		cmdline = __minnow_env->cmdline;
	}
	if (cmdline) {
		for (int i = 0; i < L4_CMDLINE_MAX - 1 && cmdline[i]; i++)
			args[i] = cmdline[i];
		argc = split(args, argv, MAX_ARGS);
	}
	long status = main(argc, argv);
	if (__libc_flush_all)
		__libc_flush_all();
	for (;;) {
		long ret;
		__asm__ volatile("syscall" : "=a"(ret) : "a"((long)L4_SYS_EXIT), "D"(status)
				 : "rcx", "r11", "memory");
	}
}
