/* names - the name service: up to 32 (name, capability) entries.  A server
 * publishes a capability under a name, a client looks it up and receives a
 * copy (lib/names.idl: the interface and its errors).
 *
 * It serves its own endpoint, L4_ENV_SERVER.  Programs reach it through
 * caps=names in the boot config, so the badge of every request is the
 * caller's program index + 1 (servers/roottask/loader.c). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <l4/rt/env.h>
#include <l4/sys/task.h>
#include <names_server.h>

#define MAX_NAMES 32

/* Our slots: the receive window for a published capability, a scratch
 * slot for the copy a lookup hands out, then one slot per entry. */
#define WINDOW    L4_ENV_FIRST_FREE
#define HANDOUT   (WINDOW + 1)
#define STORE(i)  (HANDOUT + 1 + (uint64_t)(i))

/* LAB 2 BEGIN: the table of entries; valid(name); find(name, &info): the entry holding a name, -1 if none */
static struct entry {
	char name[NAMES_PUBLISH_NAME_MAX + 1];   /* "" = free */
	uint64_t by;                             /* the publisher's badge */
} table[MAX_NAMES];

/* 1..15 of [A-Za-z0-9_-] (the stubs already bound the length). */
static bool valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* The entry holding name and what its capability is, or -1.  An entry
 * whose capability has vanished is dropped on the way: when a program ends
 * for good the root task revokes its endpoint, and with it our copy. */
static int find(const char *name, struct l4_cap_info *ci)
{
	for (int i = 0; i < MAX_NAMES; i++) {
		if (!table[i].name[0] || strcmp(table[i].name, name))
			continue;
		if (!l4_task_cap_info(L4_ENV_TASK, STORE(i), ci) && ci->type)
			return i;
		table[i].name[0] = 0;
	}
	return -1;
}
/* LAB 2 END */

static int publish(void *ctx, uint64_t badge, const char *name, uint64_t obj)
{
	/* LAB 2 BEGIN: keep the capability that arrived in the window under name (or refuse) */
	struct l4_cap_info ci;
	if (!valid(name))
		return -L4_EINVAL;
	int i = find(name, &ci);
	/* Taken, unless by the same program again: one the root task restarted
	 * (restart=N) publishes anew, and must not be locked out by itself. */
	if (i >= 0 && (table[i].by != badge || !badge))
		return -L4_ESLOT;
	bool again = i >= 0;
	if (again)
		l4_task_cap_delete(L4_ENV_TASK, STORE(i));
	else
		for (i = 0; i < MAX_NAMES && table[i].name[0]; i++)
			;
	if (i == MAX_NAMES)
		return -L4_ENOMEM;
	/* Out of the receive window (obj is the window slot) into the entry's. */
	int e = l4_task_cap_move(L4_ENV_TASK, obj, STORE(i));
	if (e) {
		table[i].name[0] = 0;
		return e;
	}
	strcpy(table[i].name, name);
	table[i].by = badge;
	printf("names: '%s' %sregistered by client %llu\n", name, again ? "re-" : "",
	       (unsigned long long)badge);
	return 0;
	/* LAB 2 END */
	return -L4_ENOSYS;
}

static int lookup(void *ctx, uint64_t badge, const char *name, uint64_t *obj)
{
	/* LAB 2 BEGIN: hand out a copy of name's capability, an endpoint badged with the asker's badge */
	if (!valid(name))
		return -L4_EINVAL;
	struct l4_cap_info ci;
	int i = find(name, &ci);
	if (i < 0)
		return -L4_ENOCAP;
	/* An unbadged endpoint is handed out badged with the asker's badge, so
	 * its server tells clients apart as it would with caps= in the config.
	 * Anything else goes out as it came in. */
	uint64_t mint = ci.type == L4_OBJ_ENDPOINT && !ci.badge ? badge : 0;
	int e = l4_task_cap_map(L4_ENV_TASK, STORE(i), HANDOUT, ci.rights, mint);
	if (e)
		return e;
	*obj = MINNOW_IDL_CAP(HANDOUT, ci.rights);
	return 0;
	/* LAB 2 END */
	return -L4_ENOSYS;
}

static int list(void *ctx, uint64_t badge, uint32_t index, char *name, uint64_t *by)
{
	/* LAB 2 BEGIN: entry index of the table: its name ("" when free) and who published it */
	struct l4_cap_info ci;
	if (index >= MAX_NAMES)
		return -L4_EINVAL;
	/* find() drops an entry whose server has gone for good. */
	if (table[index].name[0] && find(table[index].name, &ci) < 0)
		table[index].name[0] = 0;
	strcpy(name, table[index].name);
	*by = table[index].name[0] ? table[index].by : 0;
	return 0;
	/* LAB 2 END */
	return -L4_EINVAL;      /* the shell's `names` then lists nothing */
}

static const struct names_ops ops = { .publish = publish, .lookup = lookup, .list = list };

int main(void)
{
	if (!l4_env()) {
		printf("names: not started by the root task: no endpoint to serve\n");
		return 1;
	}
	printf("names: serving up to %d names\n", MAX_NAMES);
	l4_utcb()->cap_window = L4_CAP_WINDOW(WINDOW, 1);
	for (;;) {
		uint64_t badge, reply, tag = l4_recv(L4_ENV_SERVER, &badge);
		names_dispatch(&ops, 0, tag, badge, &reply);
		l4_reply(reply);
		/* Reply first, then tidy (a kernel call overwrites the message
		 * registers, so not in between; hence no l4_reply_wait).  The
		 * client's copy is a child of HANDOUT: deleting that re-parents it
		 * to the entry's capability.  A capability that arrived but was not
		 * kept (a refused publish, or one sent with the wrong request)
		 * must leave the window, which refuses the next one while full. */
		l4_task_cap_delete(L4_ENV_TASK, HANDOUT);
		l4_task_cap_delete(L4_ENV_TASK, WINDOW);
	}
}
