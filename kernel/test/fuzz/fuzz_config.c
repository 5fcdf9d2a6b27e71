/* fuzz_config.c - libFuzzer: the root task's boot-config parser
 * (servers/roottask/config.c).  Any text is parsed or refused with a
 * "file:line: reason" message that fits its buffer and is terminated. */
#include <stdlib.h>
#include <string.h>
#include "config.h"

static struct config cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);       /* exact size: no NUL after it */
	memcpy(text, data, size);
	char err[160];
	memset(err, 0x55, sizeof err);
	int r = config_parse(text, size, "fuzz.cfg", &cfg, err, sizeof err);
	if (r != 0 && r != -1)
		abort();
	if (r == -1 && (!memchr(err, 0, sizeof err) || strncmp(err, "fuzz.cfg:", 9)))
		abort();
	if (r == 0 && cfg.nprogs > CFG_MAX_PROGS)
		abort();
	free(text);
	return 0;
}
