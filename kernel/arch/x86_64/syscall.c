/* syscall.c - from the syscall trap frame to the generic handler.
 * ABI (see <l4/sys/abi.h>): rax = number, rdi/rsi/... = arguments, result in rax. */
#include "kernel.h"
#include "syscall.h"
#include "x86.h"

void syscall_dispatch(struct trapframe *tf);

void syscall_dispatch(struct trapframe *tf)
{
	tf->rax = (uint64_t)syscall_handle(tf->rax, tf->rdi, tf->rsi);
}
