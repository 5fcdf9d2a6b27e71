/* loader.c - one incarnation of a program: a task, its ELF image checked
 * and copied in, a stack, the environment page, capabilities, and a first
 * thread whose faults come to us. */
#include <stdio.h>
#include <string.h>
#include <l4/sys/bootinfo.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/util/elf.h>
#include "pci.h"
#include "roottask.h"

#define PAGE 4096ull

/* The boot module whose file name (first word of its command line, without
 * directories) is name. */
const struct l4_bootinfo_module *boot_module(const char *name)
{
	const struct l4_bootinfo *bi = l4_bootinfo();
	for (unsigned i = 0; i < bi->nmodules && i < L4_BOOTINFO_MAX_MODULES; i++) {
		const char *c = bi->mod[i].cmdline, *base = c, *end = c;
		for (; *end && *end != ' '; end++)
			if (*end == '/')
				base = end + 1;
		if ((size_t)(end - base) == strlen(name) && !strncmp(base, name, end - base))
			return &bi->mod[i];
	}
	return 0;
}

/* Copy the checked segments into fresh memory and map them with their rights. */
static int load_segments(struct prog *p, const uint8_t *img, const struct elf_image *ei)
{
	for (unsigned i = 0; i < ei->nseg; i++) {
		const struct elf_segment *s = &ei->seg[i];
		uint64_t lo = s->vaddr & ~(PAGE - 1);
		uint64_t hi = (s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);
		struct region *r;
		int e = mem_region(p, lo, hi - lo, elf_mem_rights(s->prot), R_EAGER, &r);
		if (e)
			return e;
		uint64_t ours = mem_mirror(p, r) + (lo - r->va);
		if ((e = l4_sigma0_mem_alloc(L4_CAP_SIGMA0, ours, (hi - lo) / PAGE, 0, 0)))
			return e;
		memcpy((void *)(ours + (s->vaddr - lo)), img + s->offset, s->filesz);
		if ((e = mem_map_range(p, ours, lo, hi - lo, r->rights)))
			return e;
	}
	return 0;
}

static void env_cap(struct l4_env *env, const char *name, uint64_t slot, unsigned type,
		    unsigned rights)
{
	struct l4_env_cap *c = &env->caps[env->ncaps++];
	snprintf(c->name, sizeof c->name, "%s", name);
	c->slot = slot;
	c->type = type;
	c->rights = rights;
}

/* Capabilities from the config, and the environment page that names them. */
static int give_caps(struct prog *p, struct l4_env *env)
{
	const struct cfg_prog *c = p->cfg;
	uint64_t slot = L4_ENV_FIRST_CAP;
	int e;
	for (unsigned i = 0; i < c->ncaps; i++, slot++) {
		/* The server's endpoint, badged with who calls: the server can tell its clients apart. */
		const struct prog *srv = &rt_progs[c->caps[i].prog];
		if ((e = l4_task_cap_map(p->task, srv->server_ep, slot, L4_CAP_WRITE | L4_CAP_GRANT,
					 p->idx + 1)))
			return e;
		env_cap(env, c->caps[i].as, slot, L4_OBJ_ENDPOINT, L4_CAP_WRITE | L4_CAP_GRANT);
	}
	if (c->control) {
		/* Our own endpoint, its badge the program's and the control bit:
		 * only this capability reaches rtctl (rtctl.c). */
		if ((e = l4_task_cap_map(p->task, rt_service_ep, slot, L4_CAP_WRITE,
					 BADGE(p->idx, p->gen) | BADGE_CONTROL)))
			return e;
		env_cap(env, "rtctl", slot++, L4_OBJ_ENDPOINT, L4_CAP_WRITE);
	}
	for (unsigned i = 0; i < c->nirq; i++, slot++) {
		char name[L4_ENV_NAME_MAX];
		if ((e = l4_task_cap_map(p->task, p->irq[i], slot, L4_CAP_ALL, 0)))
			return e;
		snprintf(name, sizeof name, "%s%u", c->irq_mode[i] & CFG_IRQ_GSI ? "gsi" : "irq",
			 c->irq[i]);
		env_cap(env, name, slot, L4_OBJ_IRQ, L4_CAP_ALL);
	}
	if ((e = pci_give(p, env, slot++)))
		return e;
	if (c->heartbeat_ms) {
		/* heartbeat=: a notification in its kernel memory; we keep a
		 * copy to signal L4_ENV_HEARTBEAT_BIT on (prog.c).  The program
		 * binds it to its thread, so the question reaches its loop. */
		p->hb_notif = slot_alloc();
		if ((e = l4_factory_create(p->kmem, L4_OBJ_NOTIFICATION, p->hb_notif, 0)) ||
		    (e = l4_task_cap_map(p->task, p->hb_notif, slot, L4_CAP_READ | L4_CAP_WRITE, 0)))
			return e;
		env_cap(env, "heartbeat", slot++, L4_OBJ_NOTIFICATION, L4_CAP_READ | L4_CAP_WRITE);
	}
	for (unsigned i = 0; i < c->nio; i++) {
		if ((e = l4_sigma0_io_grant(L4_CAP_SIGMA0, p->task, (unsigned)c->io[i].base,
					    (unsigned)c->io[i].size)))
			return e;
		env->io[env->nio++] = (struct l4_env_range){ c->io[i].base, c->io[i].size };
	}
	for (unsigned i = 0; i < c->nmmio; i++)
		env->mmio[env->nmmio++] = (struct l4_env_range){ c->mmio[i].base, c->mmio[i].size };
	if (c->factory) {
		p->factory = slot_alloc();
		if ((e = l4_factory_create(p->kmem, L4_OBJ_FACTORY, p->factory, c->factory)) ||
		    (e = l4_task_cap_map(p->task, p->factory, L4_ENV_FACTORY, L4_CAP_ALL, 0)))
			return e;
	}
	if ((e = l4_task_cap_map(p->task, p->task, L4_ENV_TASK, L4_CAP_ALL, 0)) ||
	    (e = l4_task_cap_map(p->task, p->thread, L4_ENV_THREAD, L4_CAP_ALL, 0)) ||
	    (e = l4_task_cap_map(p->task, rt_service_ep, L4_ENV_PARENT, L4_CAP_WRITE,
				 BADGE(p->idx, p->gen))) ||
	    (e = l4_task_cap_map(p->task, p->server_ep, L4_ENV_SERVER, L4_CAP_ALL, 0)))
		return e;
	return 0;
}

/* The environment page, read-only at L4_ENV_ADDR. */
static int make_env(struct prog *p)
{
	struct region *r;
	int e = mem_region(p, L4_ENV_ADDR, PAGE, L4_MEM_R, R_EAGER, &r);
	if (e || (e = mem_back(p, r, L4_ENV_ADDR)))
		return e;
	struct l4_env *env = (struct l4_env *)mem_mirror(p, r);
	env->magic = L4_ENV_MAGIC;
	env->version = L4_ENV_VERSION;
	snprintf(env->name, sizeof env->name, "%s", p->cfg->name);
	snprintf(env->cmdline, sizeof env->cmdline, "%s%s%s", p->cfg->module,
		 p->cfg->args[0] ? " " : "", p->cfg->args);
	env->mem_quota = p->cfg->mem;
	env->prio = p->cfg->prio;
	return give_caps(p, env);
}

int prog_load(struct prog *p, char *why, unsigned whylen)
{
	const struct cfg_prog *c = p->cfg;
	const struct l4_bootinfo_module *m = boot_module(c->module);
	if (!m) {
		snprintf(why, whylen, "no boot module '%s' (add it to the modules.list entry)",
			 c->module);
		return -L4_EINVAL;
	}
	struct elf_image ei;
	unsigned where;
	enum elf_err ee = elf_parse((const void *)m->start, m->size, P_TEXT_MIN, P_HEAP_BASE,
				    &ei, &where);
	if (ee) {
		char at[32] = "";
		if (ee >= ELF_ETOOMANY && ee != ELF_EENTRY)   /* about one segment */
			snprintf(at, sizeof at, " (program header %u)", where);
		snprintf(why, whylen, "module '%s': bad ELF file: %s%s", c->module,
			 elf_strerror(ee), at);
		return -L4_EINVAL;
	}

	p->gen++;
	mem_reset(p);
	p->kmem = slot_alloc();
	p->task = slot_alloc();
	p->thread = slot_alloc();
	p->handler = slot_alloc();
	int e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_FACTORY, p->kmem, RT_KMEM_BASE +
				  c->mem / 4096 * RT_KMEM_PER_PAGE + c->factory +
				  c->threads * RT_KMEM_PER_THREAD);
	if (!e)
		e = l4_factory_create(p->kmem, L4_OBJ_TASK, p->task, RT_TASK_SLOTS);
	if (!e)
		e = l4_factory_create(p->kmem, L4_OBJ_THREAD, p->thread, 0);
	if (!e)   /* the first thread's handler: its badge marks the exit notice as the program's end */
		e = l4_task_cap_map(L4_CAP_SELF, rt_service_ep, p->handler, L4_CAP_WRITE,
				    BADGE(p->idx, p->gen) | BADGE_MAIN);
	if (e) {
		snprintf(why, whylen, "cannot create its factory, task or thread: %s",
			 l4_strerror(e));
		return e;
	}
	struct region *stack;
	if ((e = load_segments(p, (const uint8_t *)m->start, &ei)) ||
	    (e = mem_region(p, P_STACK_TOP - P_STACK_SIZE, P_STACK_SIZE, L4_MEM_R | L4_MEM_W,
			      R_LAZY, &stack)) ||
	    (e = make_env(p))) {
		snprintf(why, whylen, "%s while loading it (mem=%llu bytes)",
			 e == -L4_ENOMEM ? "out of memory quota" : l4_strerror(e),
			 (unsigned long long)c->mem);
		return e;
	}
	if ((e = l4_thread_bind(p->thread, p->task, L4_ROOT_UTCB_ADDR)) ||
	    (e = l4_thread_set_prio(p->thread, c->prio, c->prio)) ||
	    (e = l4_thread_set_handlers(p->thread, p->handler, p->handler)) ||
	    (e = l4_thread_set_name(p->thread, c->name)) ||
	    (e = l4_thread_start(p->thread, ei.entry, P_STACK_TOP, L4_ENV_ADDR))) {
		snprintf(why, whylen, "cannot start its thread: %s", l4_strerror(e));
		return e;
	}
	return 0;
}
