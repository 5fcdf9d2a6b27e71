/* vga.c - the 80x25 colour text screen at physical 0xb8000, reached through
 * the direct map.  Output only; scrolls by copying rows up. */
#include "k/kernel.h"
#include <arch/layout.h>
#include "serial.h"

enum { VGA_COLS = 80, VGA_ROWS = 25, VGA_ATTR = 0x07 /* grey on black */ };

static volatile uint16_t *const vga = (volatile uint16_t *)(PHYS_MAP + 0xb8000);
static unsigned col, row;        /* cursor; touched only with the console lock */
static bool lent;                /* a user-level console driver has the screen */

static void vga_scroll(void)
{
	for (unsigned i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
		vga[i] = vga[i + VGA_COLS];
	for (unsigned i = 0; i < VGA_COLS; i++)
		vga[(VGA_ROWS - 1) * VGA_COLS + i] = (VGA_ATTR << 8) | ' ';
	row = VGA_ROWS - 1;
}

void vga_init(void)
{
	for (unsigned i = 0; i < VGA_ROWS * VGA_COLS; i++)
		vga[i] = (VGA_ATTR << 8) | ' ';
	col = row = 0;
}

/* A console server maps the text buffer (arch_device_lend): our lines go
 * to the serial line only from now on, so they never overwrite its screen. */
void vga_lend(void)
{
	lent = true;
}

void vga_write(const char *s, size_t n)
{
	if (lent)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' || col == VGA_COLS) {
			col = 0;
			if (++row == VGA_ROWS)
				vga_scroll();
			if (c == '\n')
				continue;
		}
		if (c == '\r') {
			col = 0;
			continue;
		}
		vga[row * VGA_COLS + col++] = (uint16_t)((VGA_ATTR << 8) | (uint8_t)c);
	}
}
