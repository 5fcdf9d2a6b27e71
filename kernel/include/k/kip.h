/* kip.h - the kernel info page: one read-only page mapped into every task
 * (struct l4_kip in <l4/sys/abi.h>): version, features, clock, memory map. */
#pragma once
#include <stdint.h>
#include "bootinfo.h"

struct aspace;

void kip_init(const struct boot_info *bi, uint32_t features, uint32_t timer_hz);
int kip_map(struct aspace *as);          /* 0 or -L4_Exxx */
void kip_tick(uint64_t now_ns);          /* from the timer interrupt */
