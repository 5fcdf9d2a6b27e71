/* switch.S - switching kernel stacks between threads.
 *
 * arch_switch(&prev->ksp, next->ksp): push the callee-saved registers (the
 * SysV ABI says the caller saved the rest), store rsp, load the other
 * thread's rsp, pop its registers, return into wherever it called
 * arch_switch from - or, for a thread that never ran, into
 * thread_first_return, which leaves for user mode through trap_return with
 * the trapframe arch_thread_setup() built at the top of its stack. */
	.text

/* The callee-saved registers (SysV ABI): what a stack switch keeps. */
.macro SAVE_CALLEE
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
.endm
.macro RESTORE_CALLEE
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
.endm

	.globl arch_switch
arch_switch:
	SAVE_CALLEE
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	RESTORE_CALLEE
	ret

/* arch_switch_to_user(&prev->ksp, next_frame): save prev as arch_switch
 * does, then leave for user mode from next's system-call frame - its stack
 * holds nothing else (entry.S: syscall_exit). */
	.globl arch_switch_to_user
arch_switch_to_user:
	SAVE_CALLEE
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	jmp syscall_exit

/* arch_switch without saving anything: the current stack is abandoned
 * (its thread has nothing left to do in the kernel). */
	.globl arch_resume
arch_resume:
	mov %rdi, %rsp
	RESTORE_CALLEE
	ret

	.globl thread_first_return
thread_first_return:
	jmp trap_return

	.section .note.GNU-stack, "", @progbits
