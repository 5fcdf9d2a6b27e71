#pragma once
#include <stddef.h>
void serial_init(void);
void serial_write(const char *s, size_t n);
int serial_getc(void);
int serial_getc_nowait(void);
void serial_enable_rx_irq(void);
void vga_init(void);
void vga_write(const char *s, size_t n);
void vga_lend(void);
