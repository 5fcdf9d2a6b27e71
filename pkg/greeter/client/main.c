/* greeter-client - the worked example's client (doc/runtime.md): finds
 * "greeter" through the name service and greets each of its arguments.
 * Exit status 0, or 1 with a message on the first error. */
#include <stdio.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <names.h>
#include <greeter_client.h>

#define GREETER L4_ENV_FIRST_FREE   /* our slot for the greeter's capability */
#define TRIES   50                  /* lookups before giving up (names_get) */

int main(int argc, char **argv)
{
	const char *me = l4_env() ? l4_env()->name : argv[0];
	uint64_t names = l4_env_cap("names");
	if (!names) {
		printf("%s: no 'names' capability (caps=names in the boot config)\n", me);
		return 1;
	}
	/* The server starts before us but may not have published yet. */
	int e = names_get(names, "greeter", GREETER, TRIES);
	if (e) {
		printf("%s: cannot find 'greeter': %s\n", me,
		       e == -L4_ENOCAP ? "nothing published under that name" : l4_strerror(e));
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		char text[GREETER_GREET_TEXT_MAX + 1];
		if ((e = greeter_greet(GREETER, argv[i], text))) {
			printf("%s: greet(\"%s\"): %s\n", me, argv[i], l4_strerror(e));
			return 1;
		}
		printf("%s: %s\n", me, text);
	}
	return 0;
}
