/* t_mem.c - memory: Sigma0's RAM and device memory, mapping between tasks,
 * recursive unmap, pagers and exception handlers. */
#include "ktest.h"
#include <l4/sys/sigma0.h>

#define AREA 0x0000520000000000ull     /* scratch addresses for these tests */
static uint64_t next_area = AREA;

/* Fresh addresses for pages pages, aligned so that one flexpage covers them. */
static uint64_t area(uint64_t pages)
{
	uint64_t size = 4096;
	while (size < pages * 4096)
		size <<= 1;
	uint64_t a = (next_area + size - 1) & ~(size - 1);
	next_area = a + size + 4096;
	return a;
}

static void release(uint64_t addr, unsigned order)
{
	if (l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(addr, order, L4_MEM_RWX), 1, 0))
		l4_debug_puts("# release: bad flexpage\n");
}

static int alloc_ram(void)
{
	uint64_t a = area(4), phys = 0;
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 4, 0, &phys), 0);
	CHECK(phys >= 0x100000);
	volatile uint64_t *p = (volatile uint64_t *)a;
	CHECK_EQ(p[0], 0);                      /* fresh memory is zeroed */
	for (int i = 0; i < 4 * 512; i++)
		p[i] = (uint64_t)i * 7;
	for (int i = 0; i < 4 * 512; i++)
		CHECK_EQ(p[i], (uint64_t)i * 7);
	release(a, 14);
	return 0;
}

static int alloc_refusals(void)
{
	uint64_t a = area(1);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a + 8, 1, 0, 0), -L4_EINVAL);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, 0xffff800000000000ull, 1, 0, 0), -L4_EINVAL);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 0, 0, 0), -L4_EINVAL);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, 0x400000, 1, 0, 0), -L4_ESLOT); /* our code */
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1ull << 40, 0, 0), -L4_EINVAL);
	/* The kernel's pages (KIP, our UTCB) cannot be mapped over. */
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, L4_KIP_ADDR, 1, 0, 0), -L4_ESLOT);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, L4_ROOT_UTCB_ADDR, 1, 0, 0), -L4_ESLOT);
	CHECK_EQ(((const struct l4_kip *)L4_KIP_ADDR)->magic, L4_KIP_MAGIC);
	uint64_t weak = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, L4_CAP_SIGMA0, weak, L4_CAP_READ, 0), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(weak, a, 1, 0, 0), -L4_EPERM);
	cap_drop(weak);
	return 0;
}

static int contiguous_and_phys(void)
{
	uint64_t a = area(8), phys = 0, q = 0;
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 8, L4_S0_CONTIGUOUS, &phys), 0);
	for (uint64_t i = 0; i < 8; i++) {
		CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, a + i * 4096 + 12, &q), 0);
		CHECK_EQ(q, phys + i * 4096 + 12);
	}
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, area(1), &q), -L4_EFAULT);
	release(a, 15);
	return 0;
}

static int device_memory(void)
{
	uint64_t a = area(1), ram = area(1), phys;
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, ram, 1, 0, &phys), 0);
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, phys, 1), -L4_EPERM);   /* RAM is not a device */
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0x100000, 1), -L4_EPERM);
	/* The VGA text buffer is: write a character and read it back. */
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0xb8000, 1), 0);
	volatile uint16_t *vga = (volatile uint16_t *)a;
	uint16_t old = vga[79];
	vga[79] = 0x2f00 | 'M';
	CHECK_EQ(vga[79], 0x2f00 | 'M');
	vga[79] = old;
	/* The kernel copies from RAM only: a debug write out of device memory
	 * is refused, below and above the RAM. */
	CHECK_EQ(l4_debug_write((const char *)a, 8), -L4_EFAULT);
	uint64_t high = area(1);
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, high, 0xfeb00000ull, 1), 0);
	CHECK_EQ(l4_debug_write((const char *)high, 8), -L4_EFAULT);
	release(high, 12);
	release(a, 12);
	release(ram, 12);
	return 0;
}

/* The rule is "not usable RAM in the firmware's map, not the kernel's",
 * not "above the end of RAM": a page of the PCI hole below 4 GiB maps, the
 * registers the kernel drives itself do not, nor does a range that runs
 * from a hole into RAM. */
static int device_memory_rule(void)
{
	uint64_t a = area(2);
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0xc0000000, 1), 0);
	release(a, 12);
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0xfec00000, 1), -L4_EPERM);   /* IOAPIC */
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0xfee00000, 1), -L4_EPERM);   /* LAPIC */
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0x9f000, 2), -L4_EPERM);      /* RAM, then VGA */
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 0xa0000, 2), 0);             /* VGA only */
	release(a, 13);
	CHECK_EQ(l4_sigma0_mem_device(L4_CAP_SIGMA0, a, 1ull << 46, 1), -L4_EPERM);  /* beyond 46 bits */
	return 0;
}

static int map_to_other_task(void)
{
	uint64_t t = slot_new(), a = area(2), phys, q;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, t, 16), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 2, 0, &phys), 0);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(a, 13, L4_MEM_R), 0x10000000), 0);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, t, 0x10000000, &q), 0);
	CHECK_EQ(q, phys);
	/* Mapping somewhere taken by another frame is refused. */
	uint64_t b = area(1);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, b, 1, 0, 0), 0);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(b, 12, L4_MEM_R), 0x10000000), -L4_ESLOT);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(a + 4096, 12, L4_MEM_R), 0x10000000), -L4_ESLOT);
	/* Unaligned or oversized flexpages are refused. */
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(a + 4096, 13, L4_MEM_R), 0x20000000), -L4_EINVAL);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(a, 11, L4_MEM_R), 0x20000000), -L4_EINVAL);
	CHECK_EQ(l4_task_mem_unmap(t, L4_FPAGE(0x10001000, 13, L4_MEM_R), 1, 0), -L4_EINVAL);
	/* Flexpages are bounded (1 GiB): a huge one is refused, not walked for hours. */
	CHECK_EQ(l4_task_mem_unmap(t, L4_FPAGE(0, 46, L4_MEM_R), 1, 0), -L4_EINVAL);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(0, 40, L4_MEM_R), 0), -L4_EINVAL);
	CHECK_EQ(l4_task_mem_unmap(t, L4_FPAGE(0x40000000, L4_FPAGE_MAX_ORDER, L4_MEM_R), 1, 0), 0);
	cap_drop(t);
	release(a, 13);
	release(b, 12);
	return 0;
}

/* A 1 GiB flexpage with pages in three page tables - its first page, one in
 * the middle, its last - maps exactly those (the walk skips empty table
 * entries: an off-by-one there loses or invents a page), and the unmap
 * finds each again. */
static int sparse_gib_walk(void)
{
	const uint64_t g = 0x0000590000000000ull, gib = 1ull << 30;
	const uint64_t at[3] = { 0, 0x12345000, gib - 4096 };
	uint64_t t = slot_new(), phys[3], q, n;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, t, 16), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, g + at[i], 1, 0, &phys[i]), 0);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(g, 30, L4_MEM_R), 0x40000000), 0);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, t, 0x40000000 + at[i], &q), 0);
		CHECK_EQ(q, phys[i]);
		CHECK(l4_sigma0_phys(L4_CAP_SIGMA0, t, 0x40000000 + at[i] + (i == 2 ? -4096 : 4096), &q) != 0);
	}
	CHECK_EQ(l4_task_mem_unmap(t, L4_FPAGE(0x40000000, 30, 7), 1, &n), 0);
	CHECK_EQ(n, 3);
	CHECK_EQ(l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(g, 30, 7), 1, &n), 0);
	CHECK_EQ(n, 3);
	cap_drop(t);
	return 0;
}

/* A page mapped back onto its own source's parent is refused: the parent
 * keeps its rights (it used to take the child's, fewer than its child). */
static int map_onto_own_parent_refused(void)
{
	uint64_t t = slot_new(), a = area(1);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, t, 16), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1, 0, 0), 0);
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(a, 12, L4_MEM_R | L4_MEM_W), 0x10000000), 0);
	CHECK_EQ(l4_task_mem_map_from(L4_CAP_SELF, t, L4_FPAGE(0x10000000, 12, L4_MEM_R), a),
		 -L4_ESLOT);
	CHECK_EQ(l4_kdb_check(), 0);
	*(volatile uint64_t *)a = 5;                        /* still writable */
	/* Mapping again from the same source upgrades, never lowers. */
	CHECK_EQ(l4_task_mem_map(t, L4_FPAGE(a, 12, L4_MEM_R), 0x10000000), 0);
	CHECK_EQ(l4_kdb_check(), 0);
	cap_drop(t);
	release(a, 12);
	return 0;
}

/* root -> A -> B; unmapping in root removes A's and B's; in A only B's. */
static int recursive_unmap_three_tasks(void)
{
	uint64_t ta = slot_new(), tb = slot_new(), a = area(1), q, n = 0;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, ta, 16), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, tb, 16), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1, 0, 0), 0);
	CHECK_EQ(l4_task_mem_map(ta, L4_FPAGE(a, 12, L4_MEM_RWX), 0x30000000), 0);
	CHECK_EQ(l4_task_mem_map_from(tb, ta, L4_FPAGE(0x30000000, 12, L4_MEM_R), 0x40000000), 0);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, tb, 0x40000000, &q), 0);
	CHECK_EQ(l4_task_mem_unmap(ta, L4_FPAGE(0x30000000, 12, L4_MEM_RWX), 0, &n), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, tb, 0x40000000, &q), -L4_EFAULT);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, ta, 0x30000000, &q), 0);
	CHECK_EQ(l4_task_mem_map_from(tb, ta, L4_FPAGE(0x30000000, 12, L4_MEM_R), 0x40000000), 0);
	CHECK_EQ(l4_task_mem_unmap(L4_CAP_SELF, L4_FPAGE(a, 12, L4_MEM_RWX), 0, &n), 0);
	CHECK_EQ(n, 2);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, ta, 0x30000000, &q), -L4_EFAULT);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, tb, 0x40000000, &q), -L4_EFAULT);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, a, &q), 0);
	cap_drop(ta);
	cap_drop(tb);
	release(a, 12);
	return 0;
}

static int task_death_unmaps_derived(void)
{
	uint64_t ta = slot_new(), tb = slot_new(), a = area(1), q;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, ta, 16), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, tb, 16), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1, 0, 0), 0);
	CHECK_EQ(l4_task_mem_map(ta, L4_FPAGE(a, 12, L4_MEM_RWX), 0x30000000), 0);
	CHECK_EQ(l4_task_mem_map_from(tb, ta, L4_FPAGE(0x30000000, 12, L4_MEM_RWX), 0x40000000), 0);
	cap_drop(ta);                           /* A dies: what B got through A goes */
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, tb, 0x40000000, &q), -L4_EFAULT);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, a, &q), 0);
	cap_drop(tb);
	release(a, 12);
	return 0;
}

static int unmap_frees_frames(void)
{
	long before = frames_free();
	uint64_t a = area(16);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 16, 0, 0), 0);
	CHECK(frames_free() <= before - 16);
	release(a, 16);
	/* Page tables made for the area and a grown mapping table stay with
	 * our task; the 16 frames themselves come back. */
	CHECK(frames_free() >= before - 8);
	return 0;
}

static int read_only_mapping_enforced(void)
{
	uint64_t a = area(1), b = area(1);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1, 0, 0), 0);
	*(volatile uint64_t *)a = 0x5151;
	CHECK_EQ(l4_task_mem_map(L4_CAP_SELF, L4_FPAGE(a, 12, L4_MEM_R), b), 0);
	CHECK_EQ(*(volatile uint64_t *)b, 0x5151);     /* the same frame */
	extern void write_word(uint64_t);
	uint64_t t = spawn(write_word, b, 150);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE); /* its write faulted */
	CHECK_EQ(*(volatile uint64_t *)a, 0x5151);
	thread_kill(t);
	release(b, 12);
	release(a, 12);
	return 0;
}
void write_word(uint64_t addr)
{
	*(volatile uint64_t *)addr = 1;
}

/* ---- pagers and exception handlers ---- */

static volatile uint64_t pf_addr, pf_access, pf_rip, exc_vector, exc_rip;
static volatile int worker_done;
static uint64_t pager_backing;

/* Serve page faults by mapping pages of pager_backing at the fault address. */
static void pager_loop(uint64_t ep)
{
	uint64_t tag = l4_recv(ep, 0);
	for (;;) {
		struct l4_utcb *u = l4_utcb();
		unsigned words = 0, items = 0;
		if (L4_TAG_LABEL(tag) == L4_LABEL_PAGEFAULT) {
			pf_addr = u->mr[0];
			pf_access = u->mr[1];
			pf_rip = u->mr[2];
			l4_item_mem(0, L4_FPAGE(pager_backing, 12, L4_MEM_R | L4_MEM_W), pf_addr);
			items = 1;
		}
		tag = l4_reply_wait(ep, L4_TAG(0, words, items), 0);
	}
}

static void touch_and_report(uint64_t addr)
{
	*(volatile uint64_t *)addr = 0xfeedULL;
	worker_done = 1;
}

static int pager_serves_fault(void)
{
	uint64_t e = ep_new(), target = area(1);
	pager_backing = area(1);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, pager_backing, 1, 0, 0), 0);
	uint64_t p = spawn(pager_loop, e, 160);
	worker_done = 0;
	pf_addr = 0;
	/* A worker whose pager is e touches an unmapped page. */
	uint64_t w = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, w, 0), 0);
	CHECK(spawn_with_pager(w, touch_and_report, target + 8, e, 0));
	spin_until(&worker_done, 1);
	CHECK_EQ(worker_done, 1);
	CHECK_EQ(pf_addr, target + 8);
	CHECK(pf_access & L4_PF_WRITE);
	CHECK(pf_rip >= 0x400000 && pf_rip < 0x500000);
	CHECK_EQ(*(volatile uint64_t *)(pager_backing + 8), 0xfeed);   /* the same frame */
	thread_kill(w);
	thread_kill(p);
	cap_drop(e);
	release(target, 12);
	release(pager_backing, 12);
	return 0;
}

static void stopping_pager(uint64_t ep)
{
	l4_recv(ep, 0);
	for (;;)
		l4_reply_wait(ep, L4_TAG(L4_FAULT_STOP, 0, 0), 0);
}

static int pager_stops_thread(void)
{
	uint64_t e = ep_new();
	uint64_t p = spawn(stopping_pager, e, 160);
	uint64_t w = slot_new();
	worker_done = 0;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, w, 0), 0);
	CHECK(spawn_with_pager(w, touch_and_report, area(1), e, 0));
	for (int i = 0; i < 50 && thread_state(w) != L4_THREAD_INACTIVE; i++)
		l4_yield();
	CHECK_EQ(thread_state(w), L4_THREAD_INACTIVE);
	CHECK_EQ(worker_done, 0);
	thread_kill(w);
	thread_kill(p);
	cap_drop(e);
	return 0;
}

/* Exceptions: skip the faulting ud2 (two bytes) and go on. */
static void exc_handler_loop(uint64_t ep)
{
	uint64_t tag = l4_recv(ep, 0);
	for (;;) {
		struct l4_utcb *u = l4_utcb();
		if (L4_TAG_LABEL(tag) != L4_LABEL_EXCEPTION) {     /* e.g. the exit notice */
			tag = l4_recv(ep, 0);
			continue;
		}
		exc_vector = u->mr[0];
		exc_rip = u->mr[2];
		u->mr[0] = exc_rip + 2;
		tag = l4_reply_wait(ep, L4_TAG(0, 1, 0), 0);
	}
}

static void ud_then_done(uint64_t unused)
{
	(void)unused;
	__asm__ volatile("ud2");
	worker_done = 1;
}

static int exception_handler_resumes(void)
{
	uint64_t e = ep_new();
	uint64_t h = spawn(exc_handler_loop, e, 160);
	uint64_t w = slot_new();
	worker_done = 0;
	exc_vector = 0;
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, w, 0), 0);
	CHECK(spawn_with_pager(w, ud_then_done, 0, 0, e));
	spin_until(&worker_done, 1);
	CHECK_EQ(worker_done, 1);
	CHECK_EQ(exc_vector, 6);
	CHECK(exc_rip >= 0x400000 && exc_rip < 0x500000);
	thread_kill(w);
	thread_kill(h);
	cap_drop(e);
	return 0;
}

/* The pager dies while the thread waits for it: the fault comes back with
 * no handler, and the thread is stopped. */
static void silent_pager(uint64_t ep)
{
	l4_recv(ep, 0);
	worker_done = 2;
	for (;;)
		l4_recv(ep, 0);
}

static int pager_death_stops_thread(void)
{
	uint64_t e = ep_new();
	worker_done = 0;
	uint64_t p = spawn(silent_pager, e, 160);
	uint64_t w = slot_new();
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, w, 0), 0);
	CHECK(spawn_with_pager(w, touch_and_report, area(1), e, 0));
	spin_until(&worker_done, 2);
	CHECK_EQ(thread_state(w), L4_THREAD_REPLY);
	thread_kill(p);
	cap_drop(e);                    /* no pager left at all */
	CHECK_EQ(l4_thread_set_handlers(w, 0, 0), 0);
	for (int i = 0; i < 50 && thread_state(w) != L4_THREAD_INACTIVE; i++)
		l4_yield();
	CHECK_EQ(thread_state(w), L4_THREAD_INACTIVE);
	thread_kill(w);
	return 0;
}

/* ---- memory by IPC ---- */

static volatile uint64_t seen;
static void mem_receiver(uint64_t ep)
{
	uint64_t window = AREA + 0x10000000ull;
	l4_mem_window(L4_FPAGE(window, 16, L4_MEM_RWX));
	uint64_t tag = l4_recv(ep, 0);
	seen = l4_error(tag) ? 1 : *(volatile uint64_t *)(window + 0x3000);
	worker_done = 1;
}

static int memory_item_in_ipc(void)
{
	uint64_t e = ep_new(), a = area(1);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1, 0, 0), 0);
	*(volatile uint64_t *)a = 0x77aa77;
	worker_done = 0;
	uint64_t r = spawn(mem_receiver, e, 100);
	for (int i = 0; i < 100 && thread_state(r) != L4_THREAD_RECV; i++)
		l4_yield();
	struct l4_utcb *u = l4_utcb();
	/* Outside the receiver's window: refused, nothing happens. */
	u->mr[0] = L4_ITEM(L4_ITEM_MEM, 0) | (AREA + 0x20000000ull);
	u->mr[1] = L4_FPAGE(a, 12, L4_MEM_R);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(1, 0, 1))), -L4_EINVAL);
	l4_item_mem(0, L4_FPAGE(a, 12, L4_MEM_R), AREA + 0x10003000ull);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(1, 0, 1))), 0);
	spin_until(&worker_done, 1);
	CHECK_EQ(seen, 0x77aa77);
	thread_kill(r);
	cap_drop(e);
	release(AREA + 0x10003000ull, 12);
	release(a, 12);
	return 0;
}

/* Two memory items of one message aimed at the same destination page: the
 * checks pass each alone, the second cannot be mapped once the first is.
 * The transfer ends there and the receiver's tag counts one item. */
static volatile uint64_t seen_tag;
static void mem_receiver_tag(uint64_t ep)
{
	uint64_t window = AREA + 0x30000000ull;
	l4_mem_window(L4_FPAGE(window, 16, L4_MEM_RWX));
	seen_tag = l4_recv(ep, 0);
	seen = *(volatile uint64_t *)(window + 0x2000);
	worker_done = 1;
}

static int memory_items_overlap(void)
{
	uint64_t e = ep_new(), a = area(1), b = area(1);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 1, 0, 0), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, b, 1, 0, 0), 0);
	*(volatile uint64_t *)a = 0xaaaa;
	*(volatile uint64_t *)b = 0xbbbb;
	worker_done = 0;
	uint64_t r = spawn(mem_receiver_tag, e, 100);
	for (int i = 0; i < 100 && thread_state(r) != L4_THREAD_RECV; i++)
		l4_yield();
	unsigned n = l4_item_mem(0, L4_FPAGE(a, 12, L4_MEM_R), AREA + 0x30002000ull);
	l4_item_mem(n, L4_FPAGE(b, 12, L4_MEM_R), AREA + 0x30002000ull);
	CHECK_EQ(l4_error(l4_send(e, L4_TAG(1, 0, 2))), 0);
	spin_until(&worker_done, 1);
	CHECK_EQ(l4_error(seen_tag), 0);
	CHECK_EQ(L4_TAG_TYPED(seen_tag), 1);      /* only the first arrived */
	CHECK_EQ(seen, 0xaaaa);
	thread_kill(r);
	cap_drop(e);
	release(AREA + 0x30002000ull, 12);
	release(a, 12);
	release(b, 12);
	return 0;
}

/* A map whose destination range holds a UTCB is refused before anything is
 * mapped (the pages before the UTCB used to stay mapped). */
static int map_over_utcb_changes_nothing(void)
{
	uint64_t a = area(2), phys = 0;
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, a, 2, 0, 0), 0);
	uint64_t at = L4_ROOT_UTCB_ADDR - 4096;
	CHECK_EQ(l4_task_mem_map(L4_CAP_SELF, L4_FPAGE(a, 13, L4_MEM_R), at), -L4_ESLOT);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, at, &phys), -L4_EFAULT);
	release(a, 13);
	return 0;
}

/* A contiguous allocation whose range holds a UTCB page fails at that page:
 * the pages before it are not left mapped and no frame is lost. */
static int alloc_fails_whole(void)
{
	uint64_t at = L4_ROOT_UTCB_ADDR - 2 * 4096, phys = 0;
	/* The two pages below the UTCB alone work; this also makes the page
	 * tables there, which stay until the task ends (not a leak). */
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, at, 2, L4_S0_CONTIGUOUS, &phys), 0);
	release(at, 12);
	release(at + 4096, 12);
	long before = frames_free();
	CHECK(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, at, 4, L4_S0_CONTIGUOUS, &phys) != 0);
	CHECK_EQ(frames_free(), before);
	CHECK(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, at, 4, 0, &phys) != 0);
	CHECK_EQ(frames_free(), before);
	CHECK_EQ(l4_sigma0_phys(L4_CAP_SIGMA0, L4_CAP_SELF, at, &phys), -L4_EFAULT);
	return 0;
}

/* Another task may not stop the machine in the debugger or switch the IPC
 * fast path: a few instructions of its own call L4_DBG_FASTPATH and store
 * the result for us. */
static int debug_calls_need_root(void)
{
	/* mov %rdi,%rbx; mov $L4_SYS_DEBUG,%eax; mov $OP,%edi;
	 * xor %esi,%esi; syscall; mov %rax,(%rbx); mov $L4_SYS_EXIT,%eax;
	 * xor %edi,%edi; syscall; jmp . */
	static const uint8_t ops[] = { L4_DBG_FASTPATH, L4_DBG_CHECK, L4_DBG_ENTER };
	for (unsigned k = 0; k < sizeof ops; k++) {
		const uint8_t blob[] = {
			0x48, 0x89, 0xfb, 0xb8, L4_SYS_DEBUG, 0, 0, 0, 0xbf, ops[k], 0, 0, 0,
			0x31, 0xf6, 0x0f, 0x05, 0x48, 0x89, 0x03, 0xb8, L4_SYS_EXIT, 0, 0, 0,
			0x31, 0xff, 0x0f, 0x05, 0xeb, 0xfe,
		};
		uint64_t task = slot_new(), thr = slot_new(), pages = area(2);
		CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, task, 16), 0);
		CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, pages, 2, 0, 0), 0);
		for (unsigned i = 0; i < sizeof blob; i++)
			((volatile uint8_t *)pages)[i] = blob[i];
		volatile int64_t *result = (volatile int64_t *)(pages + 4096);
		*result = 12345;
		CHECK_EQ(l4_task_mem_map(task, L4_FPAGE(pages, 12, L4_MEM_R | L4_MEM_X), 0x10000000), 0);
		CHECK_EQ(l4_task_mem_map(task, L4_FPAGE(pages + 4096, 12, L4_MEM_R | L4_MEM_W), 0x10001000), 0);
		CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, thr, 0), 0);
		CHECK_EQ(l4_thread_bind(thr, task, 0x10010000), 0);
		CHECK_EQ(l4_thread_set_prio(thr, 150, 150), 0);
		CHECK_EQ(l4_thread_start(thr, 0x10000000, 0x10002000, 0x10001000), 0);
		CHECK_EQ(thread_state(thr), L4_THREAD_DEAD);       /* ran to its exit */
		CHECK_EQ(*result, -L4_EPERM);
		cap_drop(thr);
		cap_drop(task);
		release(pages, 13);
	}
	return 0;
}

/* A thread that exited stays dead when its task dies: it cannot be resumed
 * (there is nothing to resume), only started afresh. */
static volatile int restarted_flag;
static void restarted(uint64_t unused)
{
	(void)unused;
	restarted_flag = 1;
}

static int exited_thread_stays_dead(void)
{
	/* mov $L4_SYS_EXIT,%eax; xor %edi,%edi; syscall; jmp . */
	static const uint8_t blob[] = { 0xb8, L4_SYS_EXIT, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05, 0xeb, 0xfe };
	uint64_t task = slot_new(), thr = slot_new(), page = area(1);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_TASK, task, 16), 0);
	CHECK_EQ(l4_sigma0_mem_alloc(L4_CAP_SIGMA0, page, 1, 0, 0), 0);
	for (unsigned i = 0; i < sizeof blob; i++)
		((volatile uint8_t *)page)[i] = blob[i];
	CHECK_EQ(l4_task_mem_map(task, L4_FPAGE(page, 12, L4_MEM_R | L4_MEM_X), 0x10000000), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, thr, 0), 0);
	CHECK_EQ(l4_thread_bind(thr, task, 0x10010000), 0);
	CHECK_EQ(l4_thread_set_prio(thr, 150, 150), 0);
	CHECK_EQ(l4_thread_start(thr, 0x10000000, 0x10002000, 0), 0);
	CHECK_EQ(thread_state(thr), L4_THREAD_DEAD);
	cap_drop(task);                                     /* the task dies under it */
	CHECK_EQ(thread_state(thr), L4_THREAD_DEAD);
	CHECK_EQ(l4_thread_resume(thr), -L4_ESTATE);
	restarted_flag = 0;
	CHECK(spawn_with_pager(thr, restarted, 0, 0, 0));  /* bound again, started afresh */
	spin_until(&restarted_flag, 1);
	CHECK_EQ(restarted_flag, 1);
	thread_kill(thr);
	release(page, 12);
	return 0;
}

/* A thread with an exception handler that exits: the handler receives
 * L4_LABEL_EXIT with the status and the capability's badge; the thread is
 * dead once it has. */
static void exit_with_7(uint64_t unused)
{
	(void)unused;
	thread_exit(7);
}

static int exit_notice_to_handler(void)
{
	uint64_t e = ep_new(), b = slot_new(), w = slot_new();
	CHECK_EQ(l4_task_cap_map(L4_CAP_SELF, e, b, L4_CAP_WRITE, 0x77), 0);
	CHECK_EQ(l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, w, 0), 0);
	CHECK(spawn_with_pager(w, exit_with_7, 0, 0, b));
	for (int i = 0; i < 100 && thread_state(w) != L4_THREAD_SEND; i++)
		l4_yield();
	CHECK_EQ(thread_state(w), L4_THREAD_SEND);         /* waits to be noticed */
	uint64_t badge = 0;
	uint64_t tag = l4_recv_timeout(e, &badge, 100000);
	CHECK_EQ(l4_error(tag), 0);
	CHECK_EQ(L4_TAG_LABEL(tag), L4_LABEL_EXIT);
	CHECK_EQ(l4_utcb()->mr[0], 7);
	CHECK_EQ(badge, 0x77);
	for (int i = 0; i < 100 && thread_state(w) != L4_THREAD_DEAD; i++)
		l4_yield();
	CHECK_EQ(thread_state(w), L4_THREAD_DEAD);
	thread_kill(w);
	cap_drop(e);
	return 0;
}

KTEST_LIST(mem_tests) = {
	KT(exit_notice_to_handler, "fault: an exiting thread's exception handler receives its status"),
	KT(exited_thread_stays_dead, "thread: an exited thread stays dead when its task dies; it can only start afresh"),
	KT(debug_calls_need_root, "kdb: only the root task may enter the debugger, check invariants or switch the fast path"),
	KT(alloc_ram, "mem: sigma0 hands out zeroed RAM"),
	KT(alloc_refusals, "mem: bad addresses, occupied pages, missing rights refused"),
	KT(contiguous_and_phys, "mem: contiguous RAM and physical addresses for DMA"),
	KT(device_memory, "mem: device memory mapped, RAM refused as a device"),
	KT(device_memory_rule, "mem: device memory is what is not RAM nor the kernel's: the PCI hole maps, IOAPIC/LAPIC refused"),
	KT(map_to_other_task, "mem: pages mapped into another task"),
	KT(sparse_gib_walk, "mem: a sparse 1 GiB flexpage maps and unmaps exactly its pages (first, middle, last)"),
	KT(map_onto_own_parent_refused, "mem: a page mapped onto its source's parent is refused; rights only grow"),
	KT(recursive_unmap_three_tasks, "mem: unmap is recursive across three tasks"),
	KT(task_death_unmaps_derived, "mem: a dying task takes derived mappings with it"),
	KT(unmap_frees_frames, "mem: unmapping sigma0 memory frees the frames"),
	KT(read_only_mapping_enforced, "mem: a read-only mapping cannot be written"),
	KT(pager_serves_fault, "mem: a user-level pager serves a page fault"),
	KT(pager_stops_thread, "mem: a pager may stop the faulting thread"),
	KT(exception_handler_resumes, "fault: an exception handler resumes the thread"),
	KT(pager_death_stops_thread, "fault: a thread whose pager died is stopped"),
	KT(memory_item_in_ipc, "ipc: memory mapped by IPC into the receive window"),
	KT(memory_items_overlap, "ipc: two memory items for one page: the transfer ends at the second"),
	KT(map_over_utcb_changes_nothing, "mem: a map over a UTCB is refused before anything is mapped"),
	KT(alloc_fails_whole, "mem: an allocation failing part way maps nothing and loses no frame"),
};
const unsigned n_mem_tests = sizeof mem_tests / sizeof mem_tests[0];
