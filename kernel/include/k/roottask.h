/* roottask.h - the first user program, and the end of the system. */
#pragma once
#include "bootinfo.h"

struct thread;

/* Build the root task from the first boot module and make its thread ready. */
void roottask_create(const struct boot_info *bi);
struct thread *root_thread(void);

/* The root task is done (exited with status, or killed: why != NULL): tear
 * everything down on the idle thread, check nothing leaked, power off. */
_Noreturn void root_task_end(long status, const char *why);
void root_task_teardown(void);      /* runs on the idle thread */
#include <stdbool.h>
bool root_task_ending(void);
