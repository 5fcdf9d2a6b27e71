/* rtctl.c - the rtctl interface (libl4/lib/rtctl.idl): a shell lists,
 * starts and kills programs.  Only a program the config marks `control`
 * holds a capability to it: our endpoint badged with BADGE_CONTROL
 * (loader.c), which nothing else can forge. */
#include <stdio.h>
#include <string.h>
#include <l4/sys/factory.h>
#include <l4/sys/debug.h>
#include <l4/sys/kdebug.h>
#include <l4/sys/bootinfo.h>
#include <rtctl_server.h>
#include "roottask.h"

/* The caller: a running program holding the control capability. */
static struct prog *controller(uint64_t badge)
{
	return badge & BADGE_CONTROL ? rt_sender(badge) : 0;
}

static int info(void *ctx, uint64_t badge, uint32_t index, char *name, char *module,
		uint32_t *state, uint32_t *prio, uint64_t *quota, uint64_t *used,
		uint32_t *restarts, int32_t *status)
{
	if (!controller(badge))
		return -L4_EPERM;
	if (index >= rt_config.nprogs)
		return -L4_EINVAL;
	const struct prog *p = &rt_progs[index];
	snprintf(name, RTCTL_INFO_NAME_MAX + 1, "%s", p->cfg->name);
	snprintf(module, RTCTL_INFO_MODULE_MAX + 1, "%s", p->cfg->module);
	*state = p->state;
	*prio = p->cfg->prio;
	*quota = p->cfg->mem;
	*used = p->state == P_RUNNING ? p->committed : 0;
	*restarts = p->restarts;
	*status = p->status;
	return 0;
}

/* Where a new program goes: the place of an ended one of the same name,
 * else a new one, else the place of any program that has ended. */
static int place_for(const char *name)
{
	for (unsigned i = 0; i < rt_config.nprogs; i++)
		if (!strcmp(rt_progs[i].cfg->name, name))
			return rt_progs[i].state == P_ENDED ? (int)i : -1;
	if (rt_config.nprogs < CFG_MAX_PROGS)
		return (int)rt_config.nprogs;
	/* Not a place whose DMA memory is held for its device (mem.c). */
	for (unsigned i = 0; i < rt_config.nprogs; i++)
		if (rt_progs[i].state == P_ENDED && !rt_progs[i].ndma)
			return (int)i;
	return -2;
}

/* The line is parsed as the first of a config whose other lines are the
 * programs there are (so caps= finds them by name); its caps are then
 * turned from that config's indices into ours. */
static char text[CFG_LINE_MAX * (CFG_MAX_PROGS + 1)];
static struct config parsed;

static int start_line(const char *line, struct prog *me, uint32_t *index, char *reason)
{
	char name[CFG_NAME_MAX] = "";
	sscanf(line, "%15s", name);
	reason[0] = '\0';
	int at = place_for(name);
	size_t n = (size_t)snprintf(text, sizeof text, "start %s\n", line);
	for (unsigned i = 0; i < rt_config.nprogs && n < sizeof text; i++)
		if ((int)i != at)
			n += (size_t)snprintf(text + n, sizeof text - n, "start %s module=%s\n",
					      rt_progs[i].cfg->name, rt_progs[i].cfg->module);
	char err[RTCTL_START_REASON_MAX + 1];
	if (config_parse(text, n, me->cfg->name, &parsed, err, sizeof err)) {
		snprintf(reason, RTCTL_START_REASON_MAX + 1, "%s", err);
		return -L4_EINVAL;
	}
	struct cfg_prog *g = &parsed.prog[0];
	if (at < 0) {
		if (at == -1)
			snprintf(reason, RTCTL_START_REASON_MAX + 1, "'%s' runs already", g->name);
		else
			snprintf(reason, RTCTL_START_REASON_MAX + 1,
				 "no room for another program (%d run)", CFG_MAX_PROGS);
		return -L4_ESTATE;
	}
	if (g->shutdown) {
		snprintf(reason, RTCTL_START_REASON_MAX + 1, "'shutdown' is for the boot config only");
		return -L4_EINVAL;
	}
	for (unsigned k = 0; k < g->ncaps; k++) {
		const char *target = parsed.prog[g->caps[k].prog].name;
		for (unsigned i = 0; i < rt_config.nprogs; i++)
			if (!strcmp(rt_progs[i].cfg->name, target))
				g->caps[k].prog = i;
		if (!rt_progs[g->caps[k].prog].server_ep) {
			snprintf(reason, RTCTL_START_REASON_MAX + 1, "caps: '%s' has ended", target);
			return -L4_ESTATE;
		}
	}
	printf("roottask: '%s' starts '%s'\n", me->cfg->name, line);
	int e = prog_add((unsigned)at, g);
	if (e) {
		snprintf(reason, RTCTL_START_REASON_MAX + 1, "cannot start it: %s", l4_strerror(e));
		return e;
	}
	*index = (uint32_t)at;
	return 0;
}

static int start(void *ctx, uint64_t badge, const char *line, int32_t *error, uint32_t *index,
		 char *reason)
{
	struct prog *me = controller(badge);
	if (!me)
		return -L4_EPERM;
	*index = ~0u;
	*error = start_line(line, me, index, reason);
	return 0;
}

static int kill(void *ctx, uint64_t badge, uint32_t index)
{
	struct prog *me = controller(badge);
	if (!me)
		return -L4_EPERM;
	if (index >= rt_config.nprogs)
		return -L4_EINVAL;
	struct prog *p = &rt_progs[index];
	if (p->state != P_RUNNING)
		return -L4_ESTATE;
	char how[48];
	snprintf(how, sizeof how, "by '%s'", me->cfg->name);
	prog_died(p, -1, how);
	return 0;
}

static int stop(void *ctx, uint64_t badge, uint32_t index)
{
	struct prog *me = controller(badge);
	if (!me)
		return -L4_EPERM;
	if (index >= rt_config.nprogs)
		return -L4_EINVAL;
	return prog_stop(&rt_progs[index], me->cfg->name);
}

static int mem(void *ctx, uint64_t badge, uint64_t *quota, uint64_t *used)
{
	if (!controller(badge))
		return -L4_EPERM;
	return l4_factory_info(L4_CAP_FACTORY, quota, used);
}

static int kdb(void *ctx, uint64_t badge)
{
	if (!controller(badge))
		return -L4_EPERM;
	l4_kdb_enter();
	return 0;
}

static int module(void *ctx, uint64_t badge, const char *name, uint64_t offset, uint64_t *size,
		  void *data, size_t *len)
{
	if (!controller(badge))
		return -L4_EPERM;
	const struct l4_bootinfo_module *m = boot_module(name);
	if (!m)
		return -L4_EINVAL;
	*size = m->size;
	*len = 0;
	if (offset < m->size) {
		*len = m->size - offset < RTCTL_MODULE_DATA_MAX ? m->size - offset
								 : RTCTL_MODULE_DATA_MAX;
		memcpy(data, (const char *)m->start + offset, *len);
	}
	return 0;
}

static const struct rtctl_ops ops = {
	.info = info, .start = start, .kill = kill, .stop = stop, .mem = mem, .kdb = kdb, .module = module,
};

/* An rtctl request: answered (true, *reply) here; anything else is not ours. */
bool rtctl_handle(uint64_t tag, uint64_t badge, uint64_t *reply)
{
	if (L4_TAG_LABEL(tag) >> 16 != RTCTL_IFACE_ID)
		return false;
	*reply = 0;
	rtctl_dispatch(&ops, 0, tag, badge, reply);
	return *reply != 0;
}
