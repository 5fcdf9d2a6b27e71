/* boot.S - from the boot loader's 32-bit protected mode to 64-bit C.
 *
 * Both loaders leave us in flat 32-bit protected mode, paging off, interrupts
 * off, EAX = magic and EBX = physical address of their info structure
 * (multiboot 1 spec 3.2, multiboot 2 spec 3.3).  We check the CPU can do long
 * mode, build throw-away page tables that map the first GiB three times
 * (identity, direct map at PHYS_MAP, kernel image at KERNEL_VMA), enter long
 * mode (Intel SDM vol. 3A 9.8.5) and jump to the higher half.  paging.c
 * replaces these tables with the real ones once the memory map is known.
 *
 * Everything in the .boot.* sections runs at its physical address.
 */
#include <arch/layout.h>
#include <layout/x86_ctl.h>
#include <layout/x86_paging.h>
#include <layout/x86_seg.h>
#include <devregs/uart16550.h>

#define MB1_MAGIC  0x1BADB002
#define MB1_FLAGS  ((1 << 0) | (1 << 1))     /* page-align modules; give memory info */
#define MB2_MAGIC  0xE85250D6
#define MB2_ARCH   0                          /* i386 protected mode */


	.section .boot.header, "a"
	/* Multiboot 1 header: must lie in the first 8 KiB, 4-byte aligned. */
	.align 4
mb1_header:
	.long MB1_MAGIC
	.long MB1_FLAGS
	.long 0x100000000 - (MB1_MAGIC + MB1_FLAGS)

	/* Multiboot 2 header: first 32 KiB, 8-byte aligned, 8-byte aligned tags. */
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_MAGIC + MB2_ARCH + (mb2_header_end - mb2_header))
	.align 8
	.short 6, 0                 /* module alignment tag: page-align modules */
	.long 8
	.align 8
	.short 0, 0                 /* end tag */
	.long 8
mb2_header_end:

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov $boot_stack_top, %esp
	mov %eax, %edi              /* magic, first argument of kmain */
	mov %ebx, %esi              /* info address, second argument */
	rdtsc                       /* when the kernel started: make bench's boot figure */
	mov %eax, boot_tsc
	mov %edx, boot_tsc + 4

	/* Long mode and NX are in CPUID 0x80000001 EDX. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $X86_CPUID_EXT_EDX_LM, %edx
	jz no_long_mode
	test $X86_CPUID_EXT_EDX_NX, %edx
	jz no_long_mode

	/* One page directory of 2 MiB pages maps physical 0..1 GiB. */
	mov $boot_pd, %edx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $X86_VA_PD_SHIFT, %eax        /* 2 MiB frames */
	or $X86_PTE_BIG_PAGE, %eax
	mov %eax, (%edx, %ecx, 8)
	movl $0, 4(%edx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $boot_pd + X86_PTE_TABLE, %eax
	mov %eax, boot_pdpt_low
	mov %eax, boot_pdpt_high + 8 * 510        /* KERNEL_VMA is PDPT slot 510 */
	mov $boot_pdpt_low + X86_PTE_TABLE, %eax
	mov %eax, boot_pml4                       /* identity, for the jump below */
	mov %eax, boot_pml4 + 8 * 256             /* PHYS_MAP is PML4 slot 256 */
	mov $boot_pdpt_high + X86_PTE_TABLE, %eax
	mov %eax, boot_pml4 + 8 * 511             /* KERNEL_VMA is PML4 slot 511 */

	mov %cr4, %eax
	or $X86_CR4_PAE, %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $X86_MSR_EFER_OFFSET, %ecx
	rdmsr
	or $(X86_MSR_EFER_LME | X86_MSR_EFER_NXE), %eax
	wrmsr
	mov %cr0, %eax
	or $(X86_CR0_PG | X86_CR0_WP), %eax
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $X86_SEL_KCODE, $long_mode_entry

no_long_mode:
	mov $no_lm_msg, %ebx
2:	movb (%ebx), %al
	test %al, %al
	jz 3f
	mov $(0x3f8 + UART16550_THR_OFFSET), %dx    /* COM1 */
	outb %al, %dx
	inc %ebx
	jmp 2b
3:	hlt
	jmp 3b

	.code64
long_mode_entry:
	mov $X86_SEL_KDATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	movabs $kernel_entry64, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.align 8
	.globl boot_tsc
boot_tsc:	.quad 0             /* read by arch_early_init (arch.c) */
no_lm_msg:
	.asciz "minnow: this CPU lacks long mode or NX; Minnow needs an x86-64 CPU\r\n"
	.align 8
boot_gdt:
	.quad 0
	.quad X86_SEG_KERNEL_CODE       /* X86_SEL_KCODE */
	.quad X86_SEG_KERNEL_DATA       /* X86_SEL_KDATA */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
	.align 4096
boot_pml4:	.fill 4096, 1, 0
boot_pdpt_low:	.fill 4096, 1, 0
boot_pdpt_high:	.fill 4096, 1, 0
boot_pd:	.fill 4096, 1, 0
boot_stack:	.fill 1024, 1, 0
boot_stack_top:

	.text
	.code64
kernel_entry64:
	mov %edi, %r12d                 /* upper halves are undefined after the */
	mov %esi, %r13d                 /* switch (SDM 3A 9.8.5.x): zero-extend  */
	movabs $__bss_start, %rdi
	movabs $__bss_end, %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	movabs $boot_kstack_top, %rsp
	xor %ebp, %ebp
	mov %r12, %rdi
	mov %r13, %rsi
	call kmain
4:	cli
	hlt
	jmp 4b

	.bss
	.align 16
	.globl boot_kstack
boot_kstack:
	.skip KSTACK_SIZE
	.globl boot_kstack_top
boot_kstack_top:

	.section .note.GNU-stack, "", @progbits
