/* syscall.c - from the syscall trap frame to the generic handler. */
#include "kernel.h"
#include "syscall.h"
#include "x86.h"

void syscall_dispatch(struct trapframe *tf);

void syscall_dispatch(struct trapframe *tf)
{
	syscall_handle(tf);
}
