/* cfgcheck.c - the root task's boot-config parser, built for the host, so
 * that the build checks a config before anything boots it
 * (mk/tool/minnow/bootcfg.py runs this; mk/cfgcheck.mk builds it).
 *
 * It includes config.c itself rather than linking it: that way it sees the
 * parser's option table, and an option added to the parser is known here
 * at once.  It prints one line per fact, for bootcfg.py to judge:
 *
 *   option NAME                  every option the parser knows
 *   prog LINE NAME MODULE        every program parsed (up to an error)
 *   error FILE:LINE: reason      the parser's error, if any
 *
 * and exits 0 if the config parsed, 1 if not, 2 if it could not be read. */
#include "../config.c"
#include <stdlib.h>

static struct config cfg;         /* big: not on the stack */

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: cfgcheck FILE NAME-IN-MESSAGES\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (f == NULL) {
		perror(argv[1]);
		return 2;
	}
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof text, f);
	int too_long = !feof(f);
	fclose(f);
	if (too_long) {
		printf("error %s:1: larger than %zu bytes\n", argv[2], sizeof text);
		return 1;
	}

	char err[256];
	int rc = config_parse(text, len, argv[2], &cfg, err, sizeof err);
	for (unsigned o = 0; o < O_COUNT; o++)
		printf("option %s\n", opts[o].name);
	for (unsigned i = 0; i < cfg.nprogs && i < CFG_MAX_PROGS; i++)
		printf("prog %u %s %s\n", cfg.prog[i].line, cfg.prog[i].name, cfg.prog[i].module);
	if (rc < 0) {
		printf("error %s\n", err);
		return 1;
	}
	return 0;
}
