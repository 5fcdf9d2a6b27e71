/* greeter-server - the worked example's server (doc/runtime.md): publishes
 * its endpoint with the name service as "greeter", then answers greet(). */
#include <stdio.h>
#include <l4/rt/env.h>
#include <l4/sys/debug.h>
#include <names.h>
#include <greeter_server.h>

#define MAX_CLIENTS 16

static const char *me;   /* our name in the boot config, for messages */

/* LAB 1 BEGIN: calls_of(badge): a counter per client, told apart by badge */
/* Calls per client.  Clients are told apart by the badge of the capability
 * they call through, which the name service minted for each of them. */
static struct {
	uint64_t badge;
	unsigned calls;
} clients[MAX_CLIENTS];
static unsigned nclients;

static unsigned *calls_of(uint64_t badge)
{
	for (unsigned i = 0; i < nclients; i++)
		if (clients[i].badge == badge)
			return &clients[i].calls;
	if (nclients == MAX_CLIENTS)
		return 0;
	clients[nclients].badge = badge;
	return &clients[nclients++].calls;
}
/* LAB 1 END */

static int greet(void *ctx, uint64_t badge, const char *who, char *text)
{
	/* LAB 1 BEGIN: refuse an empty name, count the call under the caller's badge, answer "Hello, <who>!" */
	if (!*who)
		return -L4_EINVAL;
	unsigned *calls = calls_of(badge);
	if (!calls)
		return -L4_ENOMEM;
	++*calls;
	snprintf(text, GREETER_GREET_TEXT_MAX + 1, "Hello, %s!", who);
	printf("%s: greet(\"%s\") from client %llu, call %u\n", me, who,
	       (unsigned long long)badge, *calls);
	return 0;
	/* LAB 1 END */
	return -L4_ENOSYS;
}

static const struct greeter_ops ops = { .greet = greet };

int main(int argc, char **argv)
{
	me = l4_env() ? l4_env()->name : argv[0];
	uint64_t names = l4_env_cap("names");
	if (!names) {
		printf("%s: no 'names' capability (caps=names in the boot config)\n", me);
		return 1;
	}
	int e = -L4_ENOSYS;
	/* LAB 1 BEGIN: publish our endpoint L4_ENV_SERVER as "greeter", write-only and unbadged */
	/* Write-only: clients may call us but not receive our requests.
	 * Unbadged: the name service badges each client's copy. */
	e = names_publish(names, "greeter", MINNOW_IDL_CAP(L4_ENV_SERVER, L4_CAP_WRITE));
	/* LAB 1 END */
	if (e) {
		printf("%s: cannot publish 'greeter': %s\n", me,
		       e == -L4_ESLOT ? "the name is taken" : l4_strerror(e));
		return 1;
	}
	uint64_t badge, reply, tag = l4_recv(L4_ENV_SERVER, &badge);
	for (;;) {
		greeter_dispatch(&ops, 0, tag, badge, &reply);
		tag = l4_reply_wait(L4_ENV_SERVER, reply, &badge);
	}
}
