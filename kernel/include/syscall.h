/* syscall.h - generic system call handling, called by the arch entry code. */
#pragma once
#include <stdint.h>
long syscall_handle(uint64_t nr, uint64_t a0, uint64_t a1);
