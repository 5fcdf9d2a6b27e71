/* <l4/util/port.h> - x86 port I/O for drivers.  A task may use only the
 * ports it was given (Sigma0's L4_S0_IO_GRANT, an L4_ITEM_IO item, or io= in
 * the boot config); any other port faults with #GP (Intel SDM vol. 1,
 * 19.5.2 "I/O Permission Bit Map"). */
#pragma once
#include <stdint.h>

static inline uint8_t l4_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t l4_inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t l4_inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void l4_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}
static inline void l4_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port));
}
static inline void l4_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port));
}
