/* syscall.h - generic system call handling, called by the arch entry code. */
#pragma once
#include <arch/regs.h>
void syscall_handle(user_regs_t *r);
