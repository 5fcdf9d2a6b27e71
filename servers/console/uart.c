/* uart.c - the 16550 on COM1 (PC16550D data sheet).  The kernel set the
 * line up (115200 8N1, kernel/arch/x86_64/serial.c) and still writes its
 * own lines and panics to it, polled; we add the FIFOs and the receive
 * interrupt, and write the programs' text.  Every register access goes
 * through <devregs/uart16550.h>. */
#include <l4/sys/irq.h>
#include <devregs/uart16550.h>
#include "console.h"

#define COM1      0x3f8
#define TX_FIFO   16            /* bytes the transmit FIFO takes once THRE is set (PC16550D, FIFO mode) */

static uint64_t uart_irq;

int uart_init(uint64_t irq, uint64_t notif, uint64_t bit)
{
	int e = l4_irq_bind_notif(irq, notif, bit);
	if (e)
		return e;
	uart_irq = irq;
	/* FCR: FIFOs on and cleared; interrupt at 14 bytes or on the
	 * character timeout (four character times without a byte). */
	uart16550_fcr_wr(COM1, UART16550_FCR_ON_CLEARED_14);
	uart16550_mcr_wr(COM1, UART16550_MCR_DTR_RTS_OUT2);
	uart16550_ier_wr(COM1, UART16550_IER_ERBFI);
	while (uart_getc() >= 0)        /* whatever came before we listened */
		;
	return 0;
}

/* Polled: when THRE is set the transmit FIFO is empty and takes 16 bytes.
 * At 115200 baud a FIFO is 1.4 ms, short beside a line's worth of work;
 * an interrupt per FIFO would cost more than it saves here. */
void uart_put(const char *s, size_t n)
{
	while (n) {
		while (!uart16550_lsr_thre_extract(uart16550_lsr_rd(COM1)))
			;
		for (unsigned k = 0; k < TX_FIFO && n; k++, n--)
			uart16550_thr_wr(COM1, (uint8_t)*s++);
	}
}

bool uart_pending(void)
{
	return uart16550_lsr_dr_extract(uart16550_lsr_rd(COM1));
}

int uart_getc(void)
{
	return uart_pending() ? uart16550_rbr_rd(COM1) : -1;
}

void uart_ack(void)
{
	(void)uart16550_iir_rd(COM1);
	l4_irq_ack(uart_irq);
}
