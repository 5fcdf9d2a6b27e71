/* task.h - a running program: an address space and one thread of control.
 * (The full object model - tasks, threads, capabilities - replaces this.) */
#pragma once
#include <stdint.h>
#include "arch.h"
#include "bootinfo.h"

enum task_state { TASK_RUNNING, TASK_DEAD };

struct task {
	char name[32];             /* module name, for messages */
	struct aspace as;          /* [owned] freed when the task dies */
	enum task_state state;
	uint64_t frames_before;    /* free frames before it was built: leak check */
};

_Noreturn void task_start_root(const struct boot_info *bi);
_Noreturn void task_exit(struct task *t, long status);
_Noreturn void task_kill(struct task *t, const char *why);
