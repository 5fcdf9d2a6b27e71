/* t_fault.c - faults in user threads: reported, the thread stopped, the
 * kernel unharmed. */
#include "ktest.h"

static void touch_unmapped(uint64_t addr)
{
	*(volatile int *)addr = 1;
}

static void execute_kernel(uint64_t addr)
{
	((void (*)(void))addr)();
}

static void bad_instruction(uint64_t unused)
{
	(void)unused;
	__asm__ volatile("ud2");
}

static void privileged(uint64_t unused)
{
	(void)unused;
	__asm__ volatile("cli");
}

static void port_io(uint64_t unused)
{
	(void)unused;
	__asm__ volatile("outb %%al, $0x80" :: "a"(0));
}

static int fault_stops(void (*fn)(uint64_t), uint64_t arg)
{
	uint64_t t = spawn(fn, arg, 150);      /* runs and faults at once */
	CHECK(t);
	CHECK_EQ(thread_state(t), L4_THREAD_INACTIVE);
	thread_kill(t);
	return 0;
}

static int pf_without_handler(void) { return fault_stops(touch_unmapped, 0xdead0000); }
static int kernel_write_refused(void) { return fault_stops(touch_unmapped, 0xffffffff80100000ull); }
static int kernel_exec_refused(void) { return fault_stops(execute_kernel, 0xffffffff80100000ull); }
static int ud_without_handler(void) { return fault_stops(bad_instruction, 0); }
static int privileged_refused(void) { return fault_stops(privileged, 0); }
static int io_without_permission(void) { return fault_stops(port_io, 0); }

KTEST_LIST(fault_tests) = {
	KT(pf_without_handler, "fault: page fault without pager stops the thread"),
	KT(kernel_write_refused, "fault: writing kernel memory stops the thread"),
	KT(kernel_exec_refused, "fault: executing kernel memory stops the thread"),
	KT(ud_without_handler, "fault: invalid opcode without handler stops the thread"),
	KT(privileged_refused, "fault: privileged instruction stops the thread"),
	KT(io_without_permission, "fault: port I/O without permission stops the thread"),
};
const unsigned n_fault_tests = sizeof fault_tests / sizeof fault_tests[0];
