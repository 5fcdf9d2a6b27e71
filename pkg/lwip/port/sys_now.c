/* port/sys_now.c - lwIP's clock (doc/sys_arch.txt: "u32_t sys_now(void)",
 * milliseconds, wrapping) from the kernel info page's clock_ns, which the
 * kernel keeps at every timer tick.  lwIP's timeouts compare differences,
 * so the wrap at 2^32 ms (49 days) is harmless. */
#include <lwip/sys.h>
#include <l4/sys/abi.h>

u32_t sys_now(void)
{
	const volatile struct l4_kip *kip = (const volatile struct l4_kip *)L4_KIP_ADDR;
	return (u32_t)(kip->clock_ns / 1000000u);
}
