/* faulttest - hand the kernel bad pointers (each must be refused with
 * -L4_EFAULT, not followed), then touch unmapped memory ourselves: the
 * kernel must report the fault, kill us, reclaim our memory and go on. */
#include <l4/sys/debug.h>

static int n;

static void check(int ok, const char *what)
{
	l4_debug_puts(ok ? "ok " : "not ok ");
	l4_debug_putu((unsigned)++n, 10);
	l4_debug_puts(" - ");
	l4_debug_puts(what);
	l4_debug_puts("\n");
}

static char buf[8192];   /* spans several pages of .bss */

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	l4_debug_puts("1..7\n");
	check(l4_debug_write((void *)0, 1) == -L4_EFAULT, "NULL buffer refused");
	check(l4_debug_write((void *)0xffffffff80100000ull, 16) == -L4_EFAULT,
	      "kernel image address refused");
	check(l4_debug_write((void *)0xffff800000000000ull, 16) == -L4_EFAULT,
	      "direct-map address refused");
	check(l4_debug_write((void *)0x0000800000000000ull, 1) == -L4_EFAULT,
	      "non-canonical address refused");
	check(l4_debug_write((void *)0x00007ffffffffff0ull, 64) == -L4_EFAULT,
	      "range running off the top of user space refused");
	/* The end of .bss is mapped; the page after the data segment is not. */
	check(l4_debug_write(buf + sizeof buf - 8, 8192) == -L4_EFAULT,
	      "range running into an unmapped page refused");
	check(l4_debug_write("", 0) == 0, "empty write accepted");

	l4_debug_puts("faulttest: writing to unmapped address 0xdead0000\n");
	*(volatile int *)0xdead0000ul = 1;
	l4_debug_puts("faulttest: still alive - the fault was not delivered\n");
	return 1;
}
