/* bootstamp - a program the root task starts (conf/bench-boot.cfg): how far
 * the system is from the kernel's first instructions (L4_DBG_STAMP 0) when
 * a started program reaches its main.  Under -icount shift=0 the time stamp
 * counter counts guest instructions; make bench reads the line. */
#include <l4/sys/debug.h>
#include <l4/sys/kdebug.h>
#include <l4/util/rdtsc.h>


int main(int argc, char **argv)
{
	uint64_t now = l4_rdtsc(), start = l4_kdb_stamp(0);
	(void)argc; (void)argv;
	if (start == 0 || start >= now) {      /* no stamp, or an error number */
		l4_debug_puts("bootstamp: the kernel gave no boot stamp\n");
		return 1;
	}
	uint64_t d = now - start;
	/* One sample: min, median and max are the same. */
	l4_debug_puts("bench: boot-kernel-to-program-main min ");
	l4_debug_putu(d, 10);
	l4_debug_puts(" median ");
	l4_debug_putu(d, 10);
	l4_debug_puts(" max ");
	l4_debug_putu(d, 10);
	l4_debug_puts("\n");
	return 0;
}
