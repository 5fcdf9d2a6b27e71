/* console.c - kprintf and panic on top of the architecture's consoles. */
#include <stdarg.h>
#include "k/kernel.h"
#include "k/arch.h"
#include "k/kprintf.h"

void console_write(const char *s, size_t n) { arch_console_write(s, n); }
void kputs(const char *s) { console_write(s, strlen(s)); }

static void vkprintf(const char *fmt, va_list ap)
{
	char buf[512];     /* longer lines are cut; kernel messages are short */
	int n = kvsnprintf(buf, sizeof buf, fmt, ap);
	console_write(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vkprintf(fmt, ap);
	va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
	static int panicking;      /* a panic while panicking just stops */
	__asm__ volatile("cli");
	if (!panicking++) {
		va_list ap;
		va_start(ap, fmt);
		kputs("minnow: kernel panic: ");
		vkprintf(fmt, ap);
		va_end(ap);
		kputs("\n");
		arch_dump_regs();
	}
	arch_shutdown(SHUTDOWN_PANIC);
}
