/* layout.h - the x86-64 virtual address map (used by C and assembly).
 *
 *   0x0000000000000000 .. USER_TOP       user space (lower canonical half)
 *   0xffff800000000000 ..                PHYS_MAP: all RAM, 2 MiB pages, NX
 *   0xffffffff80000000 ..                KERNEL_VMA: the kernel image
 */
#pragma once

#define KERNEL_VMA     0xffffffff80000000
#define PHYS_MAP       0xffff800000000000
#define USER_TOP       0x00007ffffffff000   /* last user page ends below this */
#define KSTACK_SIZE    16384

/* Where the kernel puts things in the root task (see libl4's <l4/sys/abi.h>). */
#define USER_STACK_TOP 0x00007fffffff0000
#define USER_STACK_PAGES 16
