/* crt0.S - user program entry.  The kernel (or, later, the loader) starts a
 * program here with rdi = its boot-info block and rsp = the top of its
 * stack.  Align the stack as the SysV ABI wants at a call (16 bytes), mark
 * the outermost frame, and hand over to C. */
	.text
	.globl _start
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call __minnow_start        /* (struct l4_bootinfo *), never returns */
	ud2

	.section .note.GNU-stack, "", @progbits
