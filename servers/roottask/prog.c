/* prog.c - life and death of programs: starting them all, reporting an
 * end, the restart policy, and when the system as a whole is done. */
#include <stdio.h>
#include <stdlib.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/irq.h>
#include "pci.h"
#include "roottask.h"

struct config rt_config;
const char *rt_config_name;
struct prog rt_progs[CFG_MAX_PROGS];

/* ---- our capability slots: a bump pointer and a free list ---- */

#define FIRST_SLOT 16
#define MAX_FREE   256
static uint64_t next_slot = FIRST_SLOT;
static uint64_t free_slots[MAX_FREE];
static unsigned nfree;

uint64_t slot_alloc(void)
{
	if (nfree)
		return free_slots[--nfree];
	if (next_slot == L4_ROOT_CSPACE_SLOTS) {
		printf("roottask: out of capability slots\n");
		exit(RT_EXIT_FAILED);
	}
	return next_slot++;
}

void slot_free(uint64_t slot)
{
	if (slot && nfree < MAX_FREE)
		free_slots[nfree++] = slot;
}

/* Remove a capability of ours and everything derived from it, wherever it
 * went (the program's own copies included: a task holding a capability to
 * itself would otherwise keep itself alive). */
void slot_drop(uint64_t *slot)
{
	if (!*slot)
		return;
	l4_task_cap_revoke(L4_CAP_SELF, *slot);
	l4_task_cap_delete(L4_CAP_SELF, *slot);
	slot_free(*slot);
	*slot = 0;
}

static void teardown(struct prog *p)
{
	if (p->thread)
		l4_thread_stop(p->thread);
	pci_take_back(p);
	slot_drop(&p->task);          /* its threads, capabilities, mappings */
	slot_drop(&p->thread);
	slot_drop(&p->handler);
	thread_drop_all(p);
	slot_drop(&p->factory);
	slot_drop(&p->kmem);          /* last: everything above was charged to it */
	mem_release(p);          /* and the frames behind its memory */
}

static void start(struct prog *p)
{
	char why[160];
	if (prog_load(p, why, sizeof why)) {
		printf("roottask: cannot start '%s': %s\n", p->cfg->name, why);
		teardown(p);
		p->state = P_ENDED;
		p->status = -1;
		return;
	}
	p->state = P_RUNNING;
	p->stop = false;
	printf("roottask: started '%s' (module %s, prio %u, mem %lluK)\n", p->cfg->name,
	       p->cfg->module, p->cfg->prio, (unsigned long long)p->cfg->mem / 1024);
}

/* When nothing runs any more, or the shutdown program has ended, the root
 * task exits and the kernel powers off with our status. */
static void maybe_end(const struct prog *ended)
{
	if (ended->cfg->shutdown) {
		int st = ended->status >= 0 && ended->status < RT_EXIT_KILLED ? ended->status
									     : RT_EXIT_KILLED;
		printf("roottask: '%s' has ended: shutting down (status %d)\n", ended->cfg->name, st);
		exit(st);
	}
	bool all_ok = true;
	for (unsigned i = 0; i < rt_config.nprogs; i++) {
		if (rt_progs[i].state != P_ENDED)
			return;
		all_ok &= rt_progs[i].status == 0;
	}
	printf("roottask: no programs left: shutting down\n");
	exit(all_ok ? 0 : RT_EXIT_FAILED);
}

/* Sigma0 refused a line as taken: by an Irq of ours for the same GSI (an
 * ISA IRQ and a GSI may name the same input), or by the kernel.  The
 * parser already refused the same line twice in the same notation. */
static const char *irq_taken(const struct prog *p, unsigned line, unsigned mode)
{
	for (unsigned i = 0; !(mode & CFG_IRQ_GSI) && i <= p->idx; i++) {
		/* We cannot tell an ISA IRQ's GSI; only whether a GSI of ours might be it. */
		const struct prog *q = &rt_progs[i];
		bool gsi_held = q->pci_irq;
		for (unsigned j = 0; j < q->cfg->nirq && q->irq[j]; j++)
			gsi_held |= q->cfg->irq_mode[j] & CFG_IRQ_GSI;
		if (gsi_held)
			return "the kernel keeps this line for itself, or another program has its GSI";
	}
	for (unsigned i = 0; (mode & CFG_IRQ_GSI) && i <= p->idx; i++) {
		const struct prog *q = &rt_progs[i];
		for (unsigned j = 0; j < q->cfg->nirq && q->irq[j]; j++) {
			unsigned g = ~0u;
			if (!l4_irq_info(q->irq[j], &g, 0) && g == line)
				return "another program's irq= has this GSI";
		}
		if (q->pci_irq && q->pci_gsi == line)
			return "it is another program's PCI interrupt";
	}
	return "the kernel keeps this line for itself";
}

/* Objects that outlive incarnations: the endpoint clients hold, the Irqs. */
static int make_lasting(struct prog *p)
{
	int e;
	p->server_ep = slot_alloc();
	if ((e = l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, p->server_ep, 0)))
		return e;
	for (unsigned i = 0; i < p->cfg->nirq; i++) {
		unsigned m = p->cfg->irq_mode[i];
		unsigned flags = m & CFG_IRQ_GSI ? (m & CFG_IRQ_LEVEL ? L4_S0_IRQ_LEVEL : 0) |
						   (m & CFG_IRQ_LOW ? L4_S0_IRQ_LOW : 0)
						 : L4_S0_IRQ_ISA;
		p->irq[i] = slot_alloc();
		if ((e = l4_sigma0_irq_create(L4_CAP_SIGMA0, p->cfg->irq[i], p->irq[i], flags))) {
			printf("roottask: %s:%u: irq %s%u for '%s': %s\n", rt_config_name, p->cfg->line,
			       m & CFG_IRQ_GSI ? "gsi" : "", p->cfg->irq[i], p->cfg->name,
			       e == -L4_ESLOT ? irq_taken(p, p->cfg->irq[i], m) :
			       e == -L4_EINVAL ? "this machine has no such line" : l4_strerror(e));
			return e;
		}
	}
	return pci_assign(p) ? -L4_EINVAL : 0;
}

/* Gone for good: its clients' calls fail (L4_ECANCELED) instead of waiting forever. */
static void drop_lasting(struct prog *p)
{
	slot_drop(&p->server_ep);
	for (unsigned i = 0; i < p->cfg->nirq; i++)
		slot_drop(&p->irq[i]);
	slot_drop(&p->pci_irq);
}

void prog_start_all(void)
{
	for (unsigned i = 0; i < rt_config.nprogs; i++) {
		struct prog *p = &rt_progs[i];
		*p = (struct prog){ .cfg = &rt_config.prog[i], .idx = i };
		if (make_lasting(p)) {
			printf("roottask: boot config refused; nothing started\n");
			exit(RT_EXIT_CONFIG);
		}
	}
	for (unsigned i = 0; i < rt_config.nprogs; i++)
		start(&rt_progs[i]);
	for (unsigned i = 0; i < rt_config.nprogs; i++)
		if (rt_progs[i].state == P_ENDED) {
			drop_lasting(&rt_progs[i]);
			maybe_end(&rt_progs[i]);
		}
}

/* p has ended: exited with status (>= 0), or killed (status -1, how says why). */
void prog_died(struct prog *p, int status, const char *how)
{
	if (status >= 0)
		printf("roottask: '%s' exited with status %d\n", p->cfg->name, status);
	else
		printf("roottask: '%s' killed: %s\n", p->cfg->name, how);
	teardown(p);
	p->status = status;
	p->state = P_ENDED;
	/* The restart hook: a program that failed comes back, up to restart=N
	 * times, with the same endpoint, so its clients keep their capability. */
	if (status != 0 && p->restarts < p->cfg->restart && !p->stop) {
		p->restarts++;
		printf("roottask: restarting '%s' (%u of %u)\n", p->cfg->name, p->restarts,
		       p->cfg->restart);
		start(p);
		if (p->state == P_RUNNING)
			return;
	}
	if (status != 0 && p->cfg->restart)
		printf("roottask: '%s' stays down\n", p->cfg->name);
	drop_lasting(p);
	maybe_end(p);
}

/* A program started after boot (rtctl start) at config index idx: a new
 * one, or the place of one that has ended for good.  Its incarnation
 * count goes on from there, so a badge of the old one stays stale. */
int prog_add(unsigned idx, const struct cfg_prog *cfg)
{
	struct prog *p = &rt_progs[idx];
	bool fresh = idx == rt_config.nprogs;
	unsigned gen = fresh ? 0 : p->gen;
	rt_config.prog[idx] = *cfg;
	if (fresh)
		rt_config.nprogs++;
	*p = (struct prog){ .cfg = &rt_config.prog[idx], .idx = idx, .gen = gen,
			    .state = P_ENDED, .status = -1 };
	int e = make_lasting(p);
	if (!e) {
		start(p);
		if (p->state == P_RUNNING)
			return 0;
		e = -L4_EINVAL;
	}
	drop_lasting(p);
	if (fresh)
		rt_config.nprogs--;     /* as if never asked */
	return e;
}
