/* host/sys_now.c - sys_now() for the host build of the port: the guest's
 * reads the KIP clock (pkg/lwip/port/sys_now.c), this one CLOCK_MONOTONIC. */
#include <time.h>
#include <lwip/sys.h>

u32_t sys_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u32_t)((u64_t)ts.tv_sec * 1000u + (u64_t)ts.tv_nsec / 1000000u);
}
