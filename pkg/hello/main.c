/* hello - the smallest Minnow program: greet, show the command line and the
 * boot modules it was handed, exit 0. */
#include <l4/sys/bootinfo.h>
#include <l4/sys/debug.h>
#include <generated/autoconf.h>   /* CONFIG_HELLO_GREETING, from pkg/hello/Kconfig */

int main(int argc, char **argv)
{
	l4_debug_puts(CONFIG_HELLO_GREETING "\n");
	l4_debug_puts("cmdline:");
	for (int i = 0; i < argc; i++) {
		l4_debug_puts(" ");
		l4_debug_puts(argv[i]);
	}
	l4_debug_puts("\n");

	const struct l4_bootinfo *bi = l4_bootinfo();
	l4_debug_puts("boot modules: ");
	l4_debug_putu(bi->nmodules, 10);
	l4_debug_puts("\n");
	for (unsigned i = 0; i < bi->nmodules; i++) {
		l4_debug_puts("  ");
		l4_debug_puts(bi->mod[i].cmdline);
		l4_debug_puts(" (");
		l4_debug_putu(bi->mod[i].size, 10);
		l4_debug_puts(" bytes): ");
		/* The module is mapped read-only in our address space: show its first line. */
		const char *text = (const char *)bi->mod[i].start;
		uint64_t len = 0;
		while (len < bi->mod[i].size && len < 72 && text[len] != '\n')
			len++;
		l4_debug_write(text, len);
		l4_debug_puts("\n");
	}
	return 0;
}
