/* roottask.c - build the root task from the first boot module, and end the
 * system when it ends.
 *
 * The root task gets: its ELF segments (page by page, each frame owned by
 * its address space), a stack, a read-only boot-info block describing the
 * other modules, those modules mapped read-only where the block says, a
 * thread with a UTCB, and capabilities to itself, its thread and a factory
 * holding all kernel memory (slots in enum l4_root_caps).  Anything wrong
 * with the module is reported by name and boot stops cleanly.
 */
#include "k/kernel.h"
#include "k/arch.h"
#include <l4/util/elf.h>
#include "k/factory.h"
#include "k/ipc.h"
#include "k/kmem.h"
#include "k/mm.h"
#include "k/obj.h"
#include "k/percpu.h"
#include "k/roottask.h"
#include "k/sched.h"
#include "k/sigma0.h"
#include "k/task.h"
#include "k/thread.h"
#include <arch/layout.h>
#include <l4/sys/abi.h>

static struct task *root;
static struct thread *root_thr;
static uint64_t frames_before;      /* free frames before the root task: leak check */
static volatile bool ending;
static long end_status;
static char root_name[32];

struct thread *root_thread(void) { return root_thr; }
bool root_task_ending(void) { return ending; }

/* "path/to/hello args" -> "hello" */
static void module_name(const char *cmdline, char *out, size_t n)
{
	const char *start = cmdline, *p;
	for (p = cmdline; *p && *p != ' '; p++)
		if (*p == '/')
			start = p + 1;
	size_t len = (size_t)(p - start) < n - 1 ? (size_t)(p - start) : n - 1;
	memcpy(out, start, len);
	out[len] = '\0';
}

/* The command line with the directory part of the name taken off. */
static void module_cmdline(const char *cmdline, char *out, size_t n)
{
	char name[64];
	const char *args = cmdline;
	while (*args && *args != ' ')
		args++;
	module_name(cmdline, name, sizeof name);
	ksnprintf(out, n, "%s%s", name, args);
}

static int load_segments(struct task *t, const uint8_t *img, const struct elf_image *ei)
{
	for (unsigned i = 0; i < ei->nseg; i++) {
		const struct elf_segment *s = &ei->seg[i];
		unsigned rights = elf_mem_rights(s->prot);
		for (uint64_t va = ALIGN_DOWN(s->vaddr, PAGE_SIZE); va < s->vaddr + s->memsz;
		     va += PAGE_SIZE) {
			uint64_t pa = frame_alloc_zeroed();
			if (!pa)
				return -L4_ENOMEM;
			int e = mdb_insert_root(t, va, pa, rights, true, false);
			if (e) {
				frame_free(pa);
				return e;
			}
			/* The part of this page that comes from the file. */
			uint64_t lo = va > s->vaddr ? va : s->vaddr;
			uint64_t hi = va + PAGE_SIZE < s->vaddr + s->filesz ? va + PAGE_SIZE
									 : s->vaddr + s->filesz;
			if (lo < hi)
				memcpy((uint8_t *)phys_to_virt(pa) + (lo - va),
				       img + s->offset + (lo - s->vaddr), hi - lo);
		}
	}
	return 0;
}

static int map_bootinfo(struct task *t, const struct boot_info *bi)
{
	static struct l4_bootinfo info;    /* too big for the kernel stack */
	memset(&info, 0, sizeof info);
	info.magic = L4_BOOTINFO_MAGIC;
	info.version = L4_BOOTINFO_VERSION;
	info.boot_protocol = (uint32_t)bi->proto;
	module_cmdline(bi->mod[0].cmdline, info.cmdline, sizeof info.cmdline);
	ksnprintf(info.kernel_cmdline, sizeof info.kernel_cmdline, "%s", bi->cmdline);
	ksnprintf(info.loader, sizeof info.loader, "%s", bi->loader);

	uint64_t va = L4_MODULES_BASE;
	for (unsigned i = 1; i < bi->nmod && info.nmodules < L4_BOOTINFO_MAX_MODULES; i++) {
		const struct boot_module *m = &bi->mod[i];
		struct l4_bootinfo_module *um = &info.mod[info.nmodules++];
		um->start = va + (m->start & (PAGE_SIZE - 1));
		um->size = m->end - m->start;
		module_cmdline(m->cmdline, um->cmdline, sizeof um->cmdline);
		for (uint64_t pa = ALIGN_DOWN(m->start, PAGE_SIZE); pa < m->end; pa += PAGE_SIZE) {
			int e = mdb_insert_root(t, va, pa, L4_MEM_R, false, false);  /* boot memory */
			if (e)
				return e;
			va += PAGE_SIZE;
		}
	}
	/* Fresh frames, filled before they are mapped read-only. */
	for (uint64_t off = 0; off < L4_BOOTINFO_SIZE; off += PAGE_SIZE) {
		uint64_t pa = frame_alloc_zeroed();
		if (!pa)
			return -L4_ENOMEM;
		if (off < sizeof info)
			memcpy(phys_to_virt(pa), (const uint8_t *)&info + off,
			       sizeof info - off < PAGE_SIZE ? sizeof info - off : PAGE_SIZE);
		int e = mdb_insert_root(t, L4_BOOTINFO_ADDR + off, pa, L4_MEM_R, true, false);
		if (e) {
			frame_free(pa);
			return e;
		}
	}
	return 0;
}

static _Noreturn void boot_fail(const char *what, const char *detail)
{
	kprintf("minnow: cannot start root task '%s': %s%s%s\n", root_name, what,
		detail ? ": " : "", detail ? detail : "");
	kprintf("minnow: boot stopped; powering off\n");
	arch_shutdown(SHUTDOWN_BOOT_ERROR);
}

void roottask_create(const struct boot_info *bi)
{
	const struct boot_module *m = &bi->mod[0];
	module_name(m->cmdline, root_name, sizeof root_name);
	frames_before = frames_free();

	struct elf_image ei;
	unsigned where;
	const uint8_t *img = phys_to_virt(m->start);
	enum elf_err ee = elf_parse(img, m->end - m->start, PAGE_SIZE, L4_MODULES_BASE, &ei, &where);
	if (ee) {
		char detail[96];
		ksnprintf(detail, sizeof detail, "%s (program header %u)", elf_strerror(ee), where);
		boot_fail("bad ELF file", detail);
	}

	int err = 0;
	struct factory *f = factory_create_root(frames_free() * PAGE_SIZE);
	root = task_create(f, L4_ROOT_CSPACE_SLOTS, &err);
	root_thr = root ? thread_create(f, &err) : NULL;
	if (!root || !root_thr)
		boot_fail("out of memory", NULL);
	root->all_next = all_tasks;
	all_tasks = root;
	task_set_name(root, root_name);
	memcpy(root_thr->name, root->name, sizeof root_thr->name);

	int e = load_segments(root, img, &ei);
	if (!e)
		e = task_map_anon(root, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE,
				  USER_STACK_PAGES, L4_MEM_R | L4_MEM_W);
	if (!e)
		e = map_bootinfo(root, bi);
	if (!e)
		e = thread_bind(root_thr, root, L4_ROOT_UTCB_ADDR);
	if (e)
		boot_fail(e == -L4_ENOMEM ? "out of memory" : "cannot map it", NULL);

	/* The kernel holds the root task and thread itself, so that deleting
	 * their capabilities cannot pull the system out from under it. */
	kobj_get(&root->obj);
	kobj_get(&root_thr->obj);
	cap_install(cap_slot(&root->cs, L4_CAP_SELF), &root->obj, CAP_ALL, 0);
	cap_install(cap_slot(&root->cs, L4_CAP_THREAD), &root_thr->obj, CAP_ALL, 0);
	cap_install(cap_slot(&root->cs, L4_CAP_FACTORY), &f->obj, CAP_ALL, 0);
	cap_install(cap_slot(&root->cs, L4_CAP_SIGMA0), &sigma0_obj, CAP_ALL, 0);

	root_thr->prio = 100;
	root_thr->mcp = L4_PRIO_MAX;
	kprintf("minnow: starting root task '%s' (%u segments, entry %#lx, %lu frames)\n",
		root->name, ei.nseg, ei.entry, root->as.nframes);
	thread_start(root_thr, ei.entry, USER_STACK_TOP, L4_BOOTINFO_ADDR);
}

_Noreturn void root_task_end(long status, const char *why)
{
	if (why) {
		kprintf("minnow: task '%s' killed (%s)\n", root_name, why);
		end_status = SHUTDOWN_ROOT_KILLED;
	} else {
		kprintf("minnow: task '%s' exited with status %ld\n", root_name, status);
		end_status = status >= 0 && status <= SHUTDOWN_ROOT_EXIT_MAX ? status
									   : SHUTDOWN_ROOT_EXIT_MAX;
	}
	ending = true;
	struct thread *cur = sched_current();
	ipc_cancel(cur);
	thread_set_state(cur, L4_THREAD_DEAD);
	sched_switch_to(this_cpu()->idle);
	panic("root task ran after its end");
}

/* On the idle thread: every task's capabilities go, which destroys every
 * object (cycles such as a task holding a capability to itself included);
 * then the frame count must be back where it was before the root task. */
void root_task_teardown(void)
{
	uint64_t before = frames_free();
	for (struct task *t = all_tasks; t; t = t->all_next)
		cspace_clear(&t->cs, &obj_dead);
	kobj_put(&root_thr->obj, &obj_dead);
	kobj_put(&root->obj, &obj_dead);
	obj_reap_all();
	kmalloc_trim();
	if (frames_free() != frames_before)
		panic("the root task's system leaked %ld frames", (long)(frames_before - frames_free()));
	kprintf("minnow: task '%s' released %lu frames; leak check ok\n", root_name,
		frames_free() - before);
	kprintf("minnow: no tasks left; powering off (status %ld)\n", end_status);
	arch_shutdown((unsigned)end_status);
}
