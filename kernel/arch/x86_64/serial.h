#pragma once
#include <stddef.h>
void serial_init(void);
void serial_write(const char *s, size_t n);
int serial_getc(void);
void vga_init(void);
void vga_write(const char *s, size_t n);
