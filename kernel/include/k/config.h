/* config.h - Kconfig's choices (generated into the build directory by
 * `make olddefconfig`), with a default for every symbol C code tests, so
 * that a symbol switched off (absent from the header) reads as 0. */
#pragma once
#include <generated/autoconf.h>

#ifndef CONFIG_KERNEL_DEBUG
#define CONFIG_KERNEL_DEBUG 0
#endif
#ifndef CONFIG_VGA_CONSOLE
#define CONFIG_VGA_CONSOLE 0
#endif
#ifndef CONFIG_KDB
#define CONFIG_KDB 0
#endif
#ifndef CONFIG_KDB_TRACE_ALL
#define CONFIG_KDB_TRACE_ALL 0
#endif
#ifndef CONFIG_BOOT_VERBOSE
#define CONFIG_BOOT_VERBOSE 0
#endif
