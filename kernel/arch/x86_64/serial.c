/* serial.c - COM1, the console every test reads: a 16550 UART at 115200
 * 8N1.  The registers are pkg/devregs/uart16550.dev (PC16550D data sheet,
 * table 2), the description user-level console drivers use too. */
#include "k/kernel.h"
#include <arch/cpu.h>
#include <devregs/uart16550.h>
#include "serial.h"

#define COM1 0x3f8

void serial_init(void)
{
	uart16550_ier_wr(COM1, 0);                           /* no UART interrupts (yet) */
	uart16550_lcr_wr(COM1, UART16550_LCR_DLAB);           /* the divisor latch ... */
	uart16550_dll_wr(COM1, 1);                           /* ... 115200 / 1 */
	uart16550_dlm_wr(COM1, 0);
	uart16550_lcr_wr(COM1, UART16550_LCR_EIGHT_N_ONE);    /* and DLAB off again */
	uart16550_fcr_wr(COM1, UART16550_FCR_ON_CLEARED_14);
	uart16550_mcr_wr(COM1, UART16550_MCR_DTR_RTS_OUT2);
}

static void serial_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (int i = 0; i < 100000 && !(uart16550_lsr_rd(COM1) & UART16550_LSR_THRE); i++)
		;
	uart16550_thr_wr(COM1, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/* An LSR of all ones is the floating bus of a missing UART. */
static bool no_uart(uint8_t lsr) { return lsr == 0xff; }

/* Blocking read of one character; -1 when there is no UART. */
int serial_getc(void)
{
	for (;;) {
		uint8_t lsr = uart16550_lsr_rd(COM1);
		if (no_uart(lsr))
			return -1;
		if (lsr & UART16550_LSR_DR)
			return uart16550_rbr_rd(COM1);
		__asm__ volatile("pause");
	}
}

/* One character if one has arrived, else -1 (also without a UART). */
int serial_getc_nowait(void)
{
	uint8_t lsr = uart16550_lsr_rd(COM1);
	if (no_uart(lsr) || !(lsr & UART16550_LSR_DR))
		return -1;
	return uart16550_rbr_rd(COM1);
}

/* Interrupt on received data, for the debugger's key. */
void serial_enable_rx_irq(void)
{
	uart16550_ier_wr(COM1, UART16550_IER_ERBFI);
}
