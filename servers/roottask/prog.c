/* prog.c - life and death of programs: starting them all, reporting an
 * end, the restart policy, and when the system as a whole is done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <l4/sys/debug.h>
#include <l4/sys/factory.h>
#include <l4/sys/sigma0.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/irq.h>
#include <l4/sys/notification.h>
#include <l4/util/rdtsc.h>
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

uint64_t rt_now_ns(void)
{
	return ((const volatile struct l4_kip *)L4_KIP_ADDR)->clock_ns;
}

/* Programs that asked to hear of p (parent_watch): p has started again or
 * has ended for good.  A signal never blocks. */
static void watchers_tell(const struct prog *p)
{
	for (unsigned i = 0; i < rt_config.nprogs; i++) {
		struct prog *w = &rt_progs[i];
		for (unsigned k = 0; w->state == P_RUNNING && k < w->nwatch; k++)
			if (w->watch[k].target == p->idx)
				l4_notification_signal(w->watch[k].notif, w->watch[k].bits);
	}
}

static void teardown(struct prog *p)
{
	if (p->thread)
		l4_thread_stop(p->thread);
	pci_take_back(p);
	slot_drop(&p->hb_notif);
	for (unsigned i = 0; i < p->nwatch; i++)
		slot_drop(&p->watch[i].notif);
	p->nwatch = 0;
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
	p->started_ns = rt_now_ns();
	p->hb_waiting = false;
	p->hb_missed = 0;
	p->hb_due = p->started_ns + p->cfg->heartbeat_ms * 1000000ull;
	printf("roottask: started '%s' (module %s, prio %u, mem %lluK)\n", p->cfg->name,
	       p->cfg->module, p->cfg->prio, (unsigned long long)p->cfg->mem / 1024);
	watchers_tell(p);
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
	mem_release_kept(p);            /* and so its clients' mappings of it */
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
	/* The heartbeats' periods begin now: the time we took loading the
	 * programs after it is not a program's. */
	uint64_t now = rt_now_ns();
	for (unsigned i = 0; i < rt_config.nprogs; i++)
		rt_progs[i].hb_due = now + rt_progs[i].cfg->heartbeat_ms * 1000000ull;
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
	uint64_t died_us = l4_tsc_us();
	teardown(p);
	p->status = status;
	p->state = P_ENDED;
	/* The restart policy: a program that failed comes back, up to
	 * restart=N times (restart=always: whenever it ends, without limit),
	 * with the same endpoint, so its clients keep their capability.  The
	 * first restart is at once; a row of them backs off exponentially. */
	bool always = p->cfg->restart == CFG_RESTART_ALWAYS;
	if ((status != 0 || always) && (always || p->restarts < p->cfg->restart) && !p->stop) {
		uint64_t now = rt_now_ns();
		if (now - p->started_ns >= RT_BACKOFF_RESET_MS * 1000000ull)
			p->fails = 0;
		unsigned ms = p->fails == 0 ? 0 : p->fails > 7 ? RT_BACKOFF_MAX_MS
					      : RT_BACKOFF_MIN_MS << (p->fails - 1);
		if (ms > RT_BACKOFF_MAX_MS)
			ms = RT_BACKOFF_MAX_MS;
		p->fails++;
		p->restarts++;
		char of[16] = "always";
		if (!always)
			snprintf(of, sizeof of, "%u", p->cfg->restart);
		printf("roottask: restarting '%s' (%u of %s) in %u ms; it ended at %llu.%06llu s\n",
		       p->cfg->name, p->restarts, of, ms, (unsigned long long)(died_us / 1000000),
		       (unsigned long long)(died_us % 1000000));
		if (ms) {
			p->state = P_BACKOFF;
			p->restart_ns = now + ms * 1000000ull;
			return;
		}
		start(p);
		if (p->state == P_RUNNING)
			return;
	}
	if (status != 0 && p->cfg->restart)
		printf("roottask: '%s' stays down\n", p->cfg->name);
	drop_lasting(p);
	watchers_tell(p);
	maybe_end(p);
}

/* Due restarts and heartbeats; microseconds until the next is due
 * (L4_TIMEOUT_NEVER: none).  The service loop's receive times out then. */
uint32_t prog_timers(void)
{
	uint64_t now = rt_now_ns(), next = ~0ull;
	for (unsigned i = 0; i < rt_config.nprogs; i++) {
		struct prog *p = &rt_progs[i];
		if (p->state == P_BACKOFF && now >= p->restart_ns) {
			start(p);
			if (p->state != P_RUNNING) {
				drop_lasting(p);
				watchers_tell(p);
				maybe_end(p);
			}
		}
		if (p->state == P_RUNNING && p->cfg->heartbeat_ms && now >= p->hb_due) {
			if (p->hb_waiting && ++p->hb_missed >= RT_HEARTBEAT_MISSES) {
				char how[80];
				snprintf(how, sizeof how, "hung: no heartbeat answer within %u ms "
					 "(%u periods)", RT_HEARTBEAT_MISSES * p->cfg->heartbeat_ms,
					 RT_HEARTBEAT_MISSES);
				prog_died(p, -1, how);
				now = rt_now_ns();
				i = ~0u;        /* a start may have changed any program: look again */
				next = ~0ull;
				continue;
			}
			/* Ask (again, after a miss); the answer is parent_heartbeat(). */
			l4_notification_signal(p->hb_notif, L4_ENV_HEARTBEAT_BIT);
			p->hb_waiting = true;
			p->hb_due = now + p->cfg->heartbeat_ms * 1000000ull;
		}
		if (p->state == P_BACKOFF && p->restart_ns < next)
			next = p->restart_ns;
		if (p->state == P_RUNNING && p->cfg->heartbeat_ms && p->hb_due < next)
			next = p->hb_due;
	}
	if (next == ~0ull)
		return L4_TIMEOUT_NEVER;
	uint64_t us = next > now ? (next - now) / 1000 : 0;
	return us < 1 ? 1 : us >= L4_TIMEOUT_NEVER ? L4_TIMEOUT_NEVER - 1 : (uint32_t)us;
}

int prog_stop(struct prog *p, const char *by)
{
	char how[48];
	snprintf(how, sizeof how, "stopped by '%s'", by);
	p->stop = true;
	if (p->state == P_RUNNING) {
		prog_died(p, -1, how);
		return 0;
	}
	if (p->state != P_BACKOFF)
		return -L4_ESTATE;
	printf("roottask: '%s' %s while waiting to restart: stays down\n", p->cfg->name, how);
	p->state = P_ENDED;
	drop_lasting(p);
	watchers_tell(p);
	maybe_end(p);
	return 0;
}

void prog_heartbeat(struct prog *p)
{
	p->hb_waiting = false;
	p->hb_missed = 0;
}

/* parent_watch: p hears (bits on its notification in its slot `notif`)
 * when the program behind its capability `slot` (one of caps=) starts
 * again or ends for good. */
int prog_watch(struct prog *p, uint64_t slot, uint64_t notif, uint64_t bits)
{
	if (slot < L4_ENV_FIRST_CAP || slot >= L4_ENV_FIRST_CAP + p->cfg->ncaps || !bits)
		return -L4_EINVAL;
	if (p->nwatch == RT_MAX_WATCH)
		return -L4_ENOMEM;
	struct l4_cap_info ci;
	if (notif >= RT_TASK_SLOTS || l4_task_cap_info(p->task, notif, &ci) ||
	    ci.type != L4_OBJ_NOTIFICATION || !(ci.rights & L4_CAP_WRITE))
		return -L4_EINVAL;
	uint64_t ours = slot_alloc();
	int e = l4_task_cap_map_from(L4_CAP_SELF, p->task, notif, ours, L4_CAP_WRITE, 0);
	if (e) {
		slot_free(ours);
		return e;
	}
	p->watch[p->nwatch].notif = ours;
	p->watch[p->nwatch].bits = bits;
	p->watch[p->nwatch++].target = p->cfg->caps[slot - L4_ENV_FIRST_CAP].prog;
	return 0;
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
	struct prog old = *p;   /* its DMA memory stays held for the place (mem.c) */
	*p = (struct prog){ .cfg = &rt_config.prog[idx], .idx = idx, .gen = gen,
			    .state = P_ENDED, .status = -1 };
	if (!fresh) {
		memcpy(p->dma, old.dma, sizeof p->dma);
		p->ndma = old.ndma;
		p->dma_mirror_next = old.dma_mirror_next;
	}
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
