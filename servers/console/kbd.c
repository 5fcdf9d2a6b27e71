/* kbd.c - the PS/2 keyboard behind the 8042 (ports 0x60 and 0x64, IRQ
 * 1): scan code set 1, as the controller translates it, into the bytes a
 * terminal would send, so the line discipline sees one kind of input:
 * letters through the layout (keymap.c) with Shift, Caps Lock and Ctrl,
 * and the arrow, Home, End and Delete keys as ANSI sequences.  Registers
 * through <devregs/i8042.h>. */
#include <l4/rt/env.h>
#include <l4/sys/irq.h>
#include <devregs/i8042.h>
#include "console.h"

#define KBC     0x60
/* Make codes of the modifier keys (set 1). */
enum { LSHIFT = 0x2a, RSHIFT = 0x36, CTRL = 0x1d, CAPS = 0x3a };

static uint64_t kbd_irq;
static const struct keymap *map = &keymap_us;
static bool shift, ctrl, caps, ext;

int kbd_init(uint64_t irq, uint64_t notif, uint64_t bit)
{
	int e = l4_irq_bind_notif(irq, notif, bit);
	if (e)
		return e;
	kbd_irq = irq;
	while (i8042_status_obf_extract(i8042_status_rd(KBC)))   /* stale bytes */
		(void)i8042_data_rd(KBC);
	return 0;
}

/* An extended key (after the 0xe0 prefix): the sequence a terminal sends. */
static void extended(uint8_t key)
{
	static const char *const seq[0x80] = {
		[0x48] = "\033[A", [0x50] = "\033[B", [0x4d] = "\033[C", [0x4b] = "\033[D",
		[0x47] = "\033[H", [0x4f] = "\033[F", [0x53] = "\033[3~",
	};
	if (key == CTRL)
		return;
	if (seq[key]) {
		size_t n = 0;
		while (seq[key][n])
			n++;
		ldisc_seq(seq[key], n);
	} else if (key == 0x1c) {
		ldisc_key('\r');        /* keypad Enter */
	}
}

static void scancode(uint8_t b)
{
	if (b == PS2_SET1_EXT) {
		ext = true;
		return;
	}
	uint8_t key = ps2_set1_key_extract(b);
	bool up = ps2_set1_release_extract(b);
	if (key == LSHIFT || key == RSHIFT)
		shift = !up;
	else if (key == CTRL)
		ctrl = !up;
	else if (key == CAPS && !up)
		caps = !caps;
	else if (!up && ext)
		extended(key);
	else if (!up) {
		char c = (shift ? map->shift : map->plain)[key];
		if (caps && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			c ^= 0x20;
		if (ctrl && c >= 0x40)
			c &= 0x1f;
		if (c && c != 0x1b)     /* ESC is the debugger's key, on the serial line */
			ldisc_key(c);
	}
	ext = false;
}

void kbd_input(void)
{
	uint8_t st;
	while (i8042_status_obf_extract(st = i8042_status_rd(KBC))) {
		uint8_t b = i8042_data_rd(KBC);
		if (!i8042_status_aux_extract(st))
			scancode(b);
	}
	l4_irq_ack(kbd_irq);
}
