/* vga.c - the VGA colour text screen: 80x25 cells at 0xb8000 (mapped
 * through the root task, the config's mmio=0xb8000+0x1000) and the
 * hardware cursor through the CRT controller (io=0x3d4-0x3d5).  A small
 * terminal: CR, LF, BS, TAB, printable bytes, and of ANSI's sequences the
 * ones the shell's line editor sends (ESC [ K, ESC [ n C, ESC [ n D);
 * other sequences are swallowed.  Cells and cursor through
 * <devregs/vga.h>. */
#include <string.h>
#include <l4/rt/env.h>
#include <parent_client.h>
#include <devregs/vga.h>
#include "console.h"

#define TEXT_PHYS 0xb8000
#define CRTC      0x3d4
#define COLS      80
#define ROWS      25

static volatile uint16_t *cells;        /* NULL: no screen */
static unsigned row, col;
static uint16_t attr = VGA_CELL_BLANK & ~0xff;   /* grey on black */
static enum { NORMAL, ESCAPE, CSI } state;
static unsigned param;

static bool have_ports(unsigned lo, unsigned hi)
{
	const struct l4_env *env = l4_env();
	for (unsigned i = 0; i < env->nio; i++)
		if (lo >= env->io[i].base && hi < env->io[i].base + env->io[i].size)
			return true;
	return false;
}

static void cursor(void)
{
	unsigned pos = row * COLS + col;
	vga_crtc_index_wr(CRTC, VGA_CRTC_INDEX_IDX_CURSOR_HI);
	vga_crtc_data_wr(CRTC, (uint8_t)(pos >> 8));
	vga_crtc_index_wr(CRTC, VGA_CRTC_INDEX_IDX_CURSOR_LO);
	vga_crtc_data_wr(CRTC, (uint8_t)pos);
}

bool vga_init(void)
{
	uint64_t va;
	if (!have_ports(CRTC, CRTC + 1) || parent_mmio_map(L4_ENV_PARENT, TEXT_PHYS, 4096, &va))
		return false;
	cells = (volatile uint16_t *)va;
	for (unsigned i = 0; i < ROWS * COLS; i++)
		cells[i] = VGA_CELL_BLANK;
	row = col = 0;
	cursor();
	return true;
}

static void scroll(void)
{
	memmove((void *)cells, (const void *)(cells + COLS), (ROWS - 1) * COLS * 2);
	for (unsigned i = 0; i < COLS; i++)
		cells[(ROWS - 1) * COLS + i] = VGA_CELL_BLANK;
	row = ROWS - 1;
}

static void newline(void)
{
	col = 0;
	if (++row == ROWS)
		scroll();
}

static void sequence(char final)
{
	unsigned n = param ? param : 1;
	switch (final) {
	case 'K':       /* erase to the end of the line */
		for (unsigned c = col; c < COLS; c++)
			cells[row * COLS + c] = VGA_CELL_BLANK;
		break;
	case 'D':
		col = n > col ? 0 : col - n;
		break;
	case 'C':
		col = col + n >= COLS ? COLS - 1 : col + n;
		break;
	}
}

void vga_put(const char *s, size_t n)
{
	if (!cells)
		return;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (state == ESCAPE) {
			state = c == '[' ? CSI : NORMAL;
			param = 0;
			continue;
		}
		if (state == CSI) {
			if (c >= '0' && c <= '9')
				param = param * 10 + (unsigned)(c - '0');
			else if (c >= 0x40 && c <= 0x7e) {
				sequence(c);
				state = NORMAL;
			}
			continue;
		}
		switch (c) {
		case 0x1b: state = ESCAPE; break;
		case '\r': col = 0; break;
		case '\n': newline(); break;
		case '\b': if (col) col--; break;
		case '\t': do vga_put(" ", 1); while (col % 8); break;
		default:
			if ((unsigned char)c < 0x20)
				break;
			if (col == COLS)
				newline();
			cells[row * COLS + col++] = (uint16_t)(attr | (uint8_t)c);
		}
	}
	cursor();
}

/* Program names in colour: each client its own, never black or grey. */
void vga_colour(unsigned id)
{
	static const uint8_t fg[] = {
		VGA_CELL_FG_LIGHT_GREEN, VGA_CELL_FG_LIGHT_CYAN, VGA_CELL_FG_YELLOW,
		VGA_CELL_FG_LIGHT_MAGENTA, VGA_CELL_FG_LIGHT_RED, VGA_CELL_FG_LIGHT_BLUE,
		VGA_CELL_FG_GREEN, VGA_CELL_FG_CYAN, VGA_CELL_FG_BROWN, VGA_CELL_FG_MAGENTA,
	};
	attr = id ? (uint16_t)(vga_cell_fg_insert(0, fg[id % sizeof fg]) & ~0xff)
		  : (uint16_t)(VGA_CELL_BLANK & ~0xff);
}
