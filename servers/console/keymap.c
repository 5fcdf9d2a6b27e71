/* keymap.c - the US layout for scan code set 1 (IBM PC/AT Technical
 * Reference, "Keyboard Scan Codes"): what each make code types, plain and
 * with Shift.  0: a key that types nothing by itself.  Another layout is
 * another pair of tables. */
#include "console.h"

const struct keymap keymap_us = {
	.plain = {
		[0x02] = '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=',
		'\b', '\t', [0x10] = 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']',
		'\r', [0x1e] = 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
		[0x2b] = '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/',
		[0x37] = '*', [0x39] = ' ',
	},
	.shift = {
		[0x02] = '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+',
		'\b', '\t', [0x10] = 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}',
		'\r', [0x1e] = 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
		[0x2b] = '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?',
		[0x37] = '*', [0x39] = ' ',
	},
};
