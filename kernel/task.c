/* task.c - build the root task from the first boot module, and end tasks.
 *
 * The root task gets: its ELF segments (page by page, each frame owned by
 * its address space), a stack, a read-only boot-info block describing the
 * other modules, and those modules mapped read-only where the block says.
 * Anything wrong with the module is reported by name and boot stops cleanly.
 */
#include "kernel.h"
#include "arch.h"
#include "elf.h"
#include "mm.h"
#include "percpu.h"
#include "task.h"
#include <arch/layout.h>
#include <l4/sys/abi.h>

static struct task root;       /* the only task until the object model lands */

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

/* Copy name-first command line without the directory part of the name. */
static void module_cmdline(const char *cmdline, char *out, size_t n)
{
	char name[64];
	const char *args = cmdline;
	while (*args && *args != ' ')
		args++;
	module_name(cmdline, name, sizeof name);
	ksnprintf(out, n, "%s%s", name, args);
}

static int map_fresh(struct aspace *as, uint64_t va, unsigned prot, uint64_t *pa_out)
{
	uint64_t pa = frame_alloc_zeroed();
	if (!pa)
		return -L4_ENOMEM;
	int e = as_map(as, va, pa, prot | VM_OWNED);
	if (e) {
		frame_free(pa);
		return e;
	}
	*pa_out = pa;
	return 0;
}

static int load_segments(struct aspace *as, const uint8_t *img, const struct elf_image *ei)
{
	for (unsigned i = 0; i < ei->nseg; i++) {
		const struct elf_segment *s = &ei->seg[i];
		unsigned prot = VM_READ | (s->prot & ELF_PF_W ? VM_WRITE : 0) |
				(s->prot & ELF_PF_X ? VM_EXEC : 0);
		uint64_t first = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		for (uint64_t va = first; va < s->vaddr + s->memsz; va += PAGE_SIZE) {
			uint64_t pa;
			int e = map_fresh(as, va, prot, &pa);
			if (e)
				return e;
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

static int map_bootinfo(struct aspace *as, const struct boot_info *bi)
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
			int e = as_map(as, va, pa, VM_READ);    /* not owned: boot memory */
			if (e)
				return e;
			va += PAGE_SIZE;
		}
	}
	for (uint64_t off = 0; off < L4_BOOTINFO_SIZE; off += PAGE_SIZE) {
		uint64_t pa;
		int e = map_fresh(as, L4_BOOTINFO_ADDR + off, VM_READ, &pa);
		if (e)
			return e;
		size_t n = sizeof info - off < PAGE_SIZE ? sizeof info - off : PAGE_SIZE;
		if (off < sizeof info)
			memcpy(phys_to_virt(pa), (const uint8_t *)&info + off, n);
	}
	return 0;
}

static _Noreturn void boot_fail(const char *name, const char *what, const char *detail)
{
	kprintf("minnow: cannot start root task '%s': %s%s%s\n", name, what,
		detail ? ": " : "", detail ? detail : "");
	kprintf("minnow: boot stopped; powering off\n");
	arch_shutdown(SHUTDOWN_BOOT_ERROR);
}

_Noreturn void task_start_root(const struct boot_info *bi)
{
	struct task *t = &root;
	const struct boot_module *m = &bi->mod[0];
	module_name(m->cmdline, t->name, sizeof t->name);
	t->frames_before = frames_free();

	struct elf_image ei;
	unsigned where;
	const uint8_t *img = phys_to_virt(m->start);
	enum elf_err ee = elf_parse(img, m->end - m->start, PAGE_SIZE, L4_MODULES_BASE, &ei, &where);
	if (ee) {
		char detail[96];
		ksnprintf(detail, sizeof detail, "%s (program header %u)", elf_strerror(ee), where);
		boot_fail(t->name, "bad ELF file", detail);
	}
	if (as_create(&t->as))
		boot_fail(t->name, "out of memory", NULL);
	int e = load_segments(&t->as, img, &ei);
	for (uint64_t va = USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE; !e && va < USER_STACK_TOP;
	     va += PAGE_SIZE) {
		uint64_t pa;
		e = map_fresh(&t->as, va, VM_READ | VM_WRITE, &pa);
	}
	if (!e)
		e = map_bootinfo(&t->as, bi);
	if (e)
		boot_fail(t->name, e == -L4_ENOMEM ? "out of memory" : "cannot map it", NULL);

	kprintf("minnow: starting root task '%s' (%u segments, entry %#lx, %lu frames)\n",
		t->name, ei.nseg, ei.entry, t->as.nframes);
	t->state = TASK_RUNNING;
	this_cpu()->current = t;
	as_activate(&t->as);
	arch_enter_user(ei.entry, USER_STACK_TOP, L4_BOOTINFO_ADDR);
}

/* A task is gone: free everything it owned, prove nothing leaked, and since
 * the root task is the only one yet, power off with its status. */
static _Noreturn void task_end(struct task *t, unsigned status)
{
	t->state = TASK_DEAD;
	this_cpu()->current = NULL;
	uint64_t owned = t->as.nframes;
	as_destroy(&t->as);
	if (frames_free() != t->frames_before)
		panic("task '%s' leaked %ld frames", t->name,
		      (long)(t->frames_before - frames_free()));
	kprintf("minnow: task '%s' released %lu frames; leak check ok\n", t->name, owned);
	kprintf("minnow: no tasks left; powering off (status %u)\n", status);
	arch_shutdown(status);
}

_Noreturn void task_exit(struct task *t, long status)
{
	kprintf("minnow: task '%s' exited with status %ld\n", t->name, status);
	task_end(t, status >= 0 && status <= SHUTDOWN_ROOT_EXIT_MAX ? (unsigned)status
								   : SHUTDOWN_ROOT_EXIT_MAX);
}

_Noreturn void task_kill(struct task *t, const char *why)
{
	if (unlikely(!t))
		panic("user exception with no current task");
	kprintf("minnow: task '%s' killed (%s)\n", t->name, why);
	task_end(t, SHUTDOWN_ROOT_KILLED);
}
