/* entry.S - every way into the kernel after boot: the 32 exception vectors
 * and the syscall instruction.  Both build a struct trapframe (x86.h) on the
 * kernel stack and call C.  swapgs switches between the user's GS base and
 * this CPU's struct percpu whenever we cross the user/kernel line. */
#include <arch/layout.h>
#include "frame.h"
#include <k/percpu.h>
#include <layout/x86_seg.h>

#define VECTOR_SYSCALL 0x100



/* Vectors that push an error code (SDM 3A table 6-1). */
.macro STUB vec
	.align 16
trap_stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	push $0
	.endif
	push $\vec
	jmp trap_common
.endm

	.text
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STUB \v
	.endr

trap_common:
	testb $3, TF_CS(%rsp)
	jz 1f
	swapgs
1:	PUSH_GPRS
	cld
	mov %rsp, %rdi
	call trap_dispatch
	/* fall through: trap_dispatch returned, resume what was interrupted */
	.globl trap_return
trap_return:
	POP_GPRS
	testb $3, TF_CS(%rsp)
	jz 2f
	swapgs
2:	add $16, %rsp                   /* vector, error */
	iretq

/* syscall: rcx = user rip, r11 = user rflags, rsp still the user's, IF and
 * the other FMASK bits already clear (SDM 2B, SYSCALL). */
	.globl syscall_entry
syscall_entry:
	swapgs
	mov %rsp, %gs:PERCPU_USER_RSP
	mov %gs:PERCPU_TSS_RSP0, %rsp   /* the thread's kernel stack top */
	push $X86_SEL_UDATA                /* ss */
	push %gs:PERCPU_USER_RSP        /* rsp */
	push %r11                       /* rflags */
	push $X86_SEL_UCODE                /* cs */
	push %rcx                       /* rip */
	push $0                         /* error */
	push $VECTOR_SYSCALL            /* vector */
	PUSH_GPRS
	mov %rsp, %rdi
	cmp $2, %al                      /* L4_SYS_IPC: the fast path first (fastpath.c); */
	jne 1f
	call fastpath_syscall            /* it returns only when it cannot help */
	mov %rsp, %rdi
1:	call syscall_handle              /* generic (syscall.c): the frame is its user_regs_t */
/* Also where a thread whose kernel stack holds nothing but its system
 * call's frame leaves from (switch.S, <arch/switch.h>). */
	.globl syscall_exit
syscall_exit:
	POP_GPRS
	/* Above rsp now: vector, error, rip, cs, rflags, rsp, ss.  sysret
	 * faults in ring 0 on a non-canonical rcx (SDM 2B, SYSRET); the kernel
	 * only ever stores user rips below USER_TOP, so rcx is safe. */
	mov 16(%rsp), %rcx              /* rip */
	mov 32(%rsp), %r11              /* rflags */
	mov 40(%rsp), %rsp              /* user rsp; ss is implied */
	swapgs
	sysretq

	.section .rodata
	.align 8
	.globl trap_stubs
trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\v
	.endr

	.section .note.GNU-stack, "", @progbits
