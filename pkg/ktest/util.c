/* util.c - helpers shared by the kernel tests. */
#include "ktest.h"

static uint64_t next_slot = L4_CAP_FIRST_FREE + 64;   /* 8..71: for tests that need fixed slots */
static uint64_t next_utcb = 0x0000500000000000ull;

#define NSTACKS 24
#define STACK_SIZE 16384
static uint8_t stacks[NSTACKS][STACK_SIZE] __attribute__((aligned(16)));
static uint64_t stack_owner[NSTACKS];

uint64_t slot_new(void)
{
	return next_slot++;
}

uint64_t ep_new(void)
{
	uint64_t s = slot_new();
	if (l4_factory_create(L4_CAP_FACTORY, L4_OBJ_ENDPOINT, s, 0))
		return 0;
	return s;
}

uint64_t notif_new(void)
{
	uint64_t s = slot_new();
	if (l4_factory_create(L4_CAP_FACTORY, L4_OBJ_NOTIFICATION, s, 0))
		return 0;
	return s;
}

uint64_t kip_ns(void)
{
	return ((const volatile struct l4_kip *)L4_KIP_ADDR)->clock_ns;
}

int cap_type(uint64_t task, uint64_t slot)
{
	struct l4_cap_info info;
	if (l4_task_cap_info(task, slot, &info))
		return -1;
	return (int)info.type;
}

void cap_drop(uint64_t slot)
{
	l4_task_cap_delete(L4_CAP_SELF, slot);
}

_Noreturn void thread_exit(long status)
{
	for (;;)
		__asm__ volatile("syscall" :: "a"((long)L4_SYS_EXIT), "D"(status) : "rcx", "r11", "memory");
}

struct start_args {
	void (*fn)(uint64_t);
	uint64_t arg;
};
static struct start_args args[NSTACKS];

static void trampoline(uint64_t i)
{
	args[i].fn(args[i].arg);
	thread_exit(0);
}

/* Bind t to our task with a fresh UTCB, set its priority and handlers,
 * start it on a free stack in fn(arg).  0 on failure. */
static uint64_t start_on_stack(uint64_t t, void (*fn)(uint64_t), uint64_t arg, unsigned prio,
			       uint64_t pager, uint64_t exc)
{
	unsigned i;
	for (i = 0; i < NSTACKS && stack_owner[i]; i++)
		;
	if (i == NSTACKS)
		return 0;
	if (l4_thread_bind(t, L4_CAP_SELF, next_utcb) || l4_thread_set_prio(t, prio, prio) ||
	    l4_thread_set_handlers(t, pager, exc))
		return 0;
	next_utcb += 4096;
	stack_owner[i] = t;
	args[i] = (struct start_args){ fn, arg };
	if (l4_thread_start(t, (uint64_t)trampoline, (uint64_t)(stacks[i] + STACK_SIZE - 8), i))
		return 0;
	return t;
}

uint64_t spawn(void (*fn)(uint64_t), uint64_t arg, unsigned prio)
{
	uint64_t t = slot_new();
	if (l4_factory_create(L4_CAP_FACTORY, L4_OBJ_THREAD, t, 0))
		return 0;
	return start_on_stack(t, fn, arg, prio, 0, 0);
}

/* Like spawn, for an existing thread, with a pager and an exception handler. */
uint64_t spawn_with_pager(uint64_t t, void (*fn)(uint64_t), uint64_t arg, uint64_t pager,
			  uint64_t exc)
{
	return start_on_stack(t, fn, arg, 100, pager, exc);
}

void thread_kill(uint64_t thread)
{
	l4_thread_stop(thread);
	for (unsigned i = 0; i < NSTACKS; i++)
		if (stack_owner[i] == thread)
			stack_owner[i] = 0;
	cap_drop(thread);
}

unsigned thread_state(uint64_t thread)
{
	unsigned st, prio, mcp;
	if (l4_thread_info(thread, &st, &prio, &mcp))
		return 99;
	return st;
}

void spin_until(volatile int *flag, int value)
{
	for (int i = 0; i < 100000 && *flag != value; i++)
		l4_yield();
}

long frames_free(void)
{
	return l4_kdb_frames_free();
}
