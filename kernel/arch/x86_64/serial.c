/* serial.c - COM1, the console every test reads.
 * 16550 UART registers (PC16550D data sheet, table 2), 115200 8N1. */
#include "kernel.h"
#include <arch/cpu.h>
#include "serial.h"

enum com1 {
	COM1     = 0x3f8,
	UART_THR = 0,   /* transmit holding register (write) */
	UART_IER = 1,   /* interrupt enable */
	UART_DLL = 0,   /* divisor latch low (DLAB = 1) */
	UART_DLM = 1,   /* divisor latch high (DLAB = 1) */
	UART_FCR = 2,   /* FIFO control */
	UART_LCR = 3,   /* line control: word length, DLAB */
	UART_MCR = 4,   /* modem control: DTR, RTS, OUT2 */
	UART_LSR = 5,   /* line status */
};

enum {
	LSR_DR   = 1 << 0,   /* data ready */
	LSR_THRE = 1 << 5,   /* transmitter holding register empty */
};

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);   /* no UART interrupts (yet) */
	outb(COM1 + UART_LCR, 0x80);   /* DLAB on to set the divisor */
	outb(COM1 + UART_DLL, 0x01);   /* 115200 / 1 */
	outb(COM1 + UART_DLM, 0x00);
	outb(COM1 + UART_LCR, 0x03);   /* 8 data bits, no parity, 1 stop bit */
	outb(COM1 + UART_FCR, 0xc7);   /* FIFO on, cleared, 14-byte threshold */
	outb(COM1 + UART_MCR, 0x0b);   /* DTR, RTS, OUT2 */
}

static void serial_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
		;
	outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/* Blocking read of one character; -1 when there is no UART (LSR reads 0xff). */
int serial_getc(void)
{
	for (;;) {
		uint8_t lsr = inb(COM1 + UART_LSR);
		if (lsr == 0xff)
			return -1;
		if (lsr & LSR_DR)
			return inb(COM1 + UART_THR);   /* the receive buffer shares the port */
		__asm__ volatile("pause");
	}
}

/* One character if one has arrived, else -1 (also without a UART). */
int serial_getc_nowait(void)
{
	uint8_t lsr = inb(COM1 + UART_LSR);
	if (lsr == 0xff || !(lsr & LSR_DR))
		return -1;
	return inb(COM1 + UART_THR);
}

/* Interrupt on received data (IER bit 0), for the debugger's key. */
void serial_enable_rx_irq(void)
{
	outb(COM1 + UART_IER, 0x01);
}
