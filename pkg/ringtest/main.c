/* ringtest - a ring (<l4/util/ring.h>) in memory the producer asked its
 * parent for and handed to the consumer through IDL (a `mem` argument):
 *
 *   ringtest produce   shm_alloc, format, attach at the consumer, 10^6 items
 *   ringtest consume   serve attach once, take 10^6 items and check each;
 *                      then wait for the producer's end, which takes the
 *                      region away (the next touch is a fatal fault)
 *
 * Each side reports its checksum and how often it slept and signalled:
 * notifications only when the other side sleeps, far fewer than items. */
#include <stdio.h>
#include <string.h>
#include "ringtest.h"

const char *me = "ringtest";

int main(int argc, char **argv)
{
	if (l4_env())
		me = l4_env()->name;
	if (argc > 1 && !strcmp(argv[1], "produce"))
		return producer();
	if (argc > 1 && !strcmp(argv[1], "consume"))
		return consumer();
	printf("%s: usage: ringtest produce|consume\n", me);
	return 2;
}
