/* <l4/sys/abi.h> - the binary interface between the Minnow kernel and user
 * code: system call numbers, error codes, and the boot-info block the kernel
 * maps into the root task.  The kernel includes this file too, so there is
 * exactly one definition of every number that crosses the boundary.
 *
 * System calls use the `syscall` instruction: number in rax, arguments in
 * rdi, rsi, rdx, r10, r8, r9; result in rax (>= 0 success, -L4_Exxx error);
 * rcx and r11 are clobbered by the instruction itself.
 */
#pragma once
#include <stdint.h>

enum l4_syscall {
	L4_SYS_DEBUG_WRITE = 0,   /* (const char *buf, size_t len) -> bytes written */
	L4_SYS_EXIT        = 1,   /* (int status) -> does not return */
	L4_SYS_COUNT
};

/* The one error enum.  Returned negated in rax. */
enum l4_err {
	L4_EOK     = 0,
	L4_ENOSYS  = 1,   /* no such system call or operation */
	L4_EFAULT  = 2,   /* a user pointer that is not mapped readable/writable */
	L4_EINVAL  = 3,   /* an argument out of range */
	L4_ENOMEM  = 4,   /* kernel memory or quota exhausted */
	L4_ENOCAP  = 5,   /* no capability in that slot */
	L4_EPERM   = 6,   /* the capability lacks a right */
	L4_ETIMEOUT = 7,  /* IPC timeout expired */
	L4_ECANCELED = 8, /* the partner went away */
	L4_EAGAIN  = 9,   /* would block (zero timeout) */
	L4_ERR_COUNT
};

#define L4_DEBUG_WRITE_MAX 4096   /* longer writes are cut, not refused */

/* Boot information for the root task, read-only at L4_BOOTINFO_ADDR; its
 * address also arrives in rdi at the program's entry point. */
#define L4_BOOTINFO_ADDR   0x00007ff000000000ull
#define L4_BOOTINFO_SIZE   16384ull
#define L4_BOOTINFO_MAGIC  0x574f4e4du     /* "MNOW" */
#define L4_BOOTINFO_VERSION 1
#define L4_MODULES_BASE    0x0000600000000000ull  /* boot modules, read-only, in order */
#define L4_BOOTINFO_MAX_MODULES 32
#define L4_CMDLINE_MAX     256

struct l4_bootinfo_module {
	uint64_t start;                 /* user virtual address of the contents */
	uint64_t size;                  /* bytes */
	char cmdline[L4_CMDLINE_MAX];   /* "name args...", as given in modules.list */
};

struct l4_bootinfo {
	uint32_t magic;                 /* L4_BOOTINFO_MAGIC */
	uint32_t version;               /* L4_BOOTINFO_VERSION */
	uint32_t nmodules;              /* entries used in mod[] */
	uint32_t boot_protocol;         /* 1 or 2: multiboot version that booted us */
	char cmdline[L4_CMDLINE_MAX];   /* the root task's own "name args..." */
	char kernel_cmdline[L4_CMDLINE_MAX];
	char loader[64];                /* boot loader name, if it gave one */
	struct l4_bootinfo_module mod[L4_BOOTINFO_MAX_MODULES];
};

_Static_assert(sizeof(struct l4_bootinfo) <= L4_BOOTINFO_SIZE,
	       "boot info must fit the pages the kernel maps for it");
_Static_assert(sizeof(struct l4_bootinfo_module) == 272, "ABI: module entry layout");
