/* <l4/sys/bootinfo.h> - the root task's view of the boot: its command line
 * and the other boot modules (see struct l4_bootinfo in <l4/sys/abi.h>). */
#pragma once
#include <l4/sys/abi.h>

extern const struct l4_bootinfo *__minnow_bootinfo;   /* set by the framework's crt0 */

static inline const struct l4_bootinfo *l4_bootinfo(void) { return __minnow_bootinfo; }
