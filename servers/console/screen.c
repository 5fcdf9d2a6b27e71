/* screen.c - many programs, one serial line.  As L4Re's cons and sDDF's
 * serial virtualiser do: the program in focus writes straight through
 * (its prompt needs no newline); every other program's text is held per
 * program until its line is complete, and goes out whole, after its
 * name, so two programs' lines never mix.  When such a line breaks into
 * the focus' unfinished line (a prompt and what is typed after it), the
 * unfinished line is drawn again after it: at once when the focus writes
 * or types, else when nothing else came for a moment (main.c). */
#include <string.h>
#include "console.h"

struct client cons_client[CONS_CLIENTS + 1];
unsigned cons_focus;

static char shown[CONS_SHOWN];  /* the focus' unfinished line as on screen */
static unsigned shownlen;
static bool broken;             /* other lines went out since: draw shown again */

/* Both screens: the serial line and, if we have it, the VGA. */
static void out(const char *s, size_t n)
{
	uart_put(s, n);
	vga_put(s, n);
}

/* The terminal wants CR LF. */
static void put_text(const char *s, size_t n)
{
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) : n;
		out(s, k);
		if (!nl)
			return;
		out("\r\n", 2);
		s += k + 1;
		n -= k + 1;
	}
}

static void focus_out(const char *s, size_t n)
{
	if (cons_key_t0 && n) {
		cons_echo_lat = cons_rdtsc() - cons_key_t0;
		cons_key_t0 = 0;
	}
	screen_redraw();
	put_text(s, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			shownlen = 0;
		else if (shownlen < CONS_SHOWN)
			shown[shownlen++] = s[i];
	}
}

/* A whole line from elsewhere: below the focus' unfinished one. */
static void line_out(unsigned id, const char *s, size_t n)
{
	if (shownlen && !broken)
		out("\r\n", 2);
	broken = shownlen != 0;
	if (id) {
		const char *name = cons_client[id].name;
		out("[", 1);
		vga_colour(id);
		out(name, strlen(name));
		vga_colour(0);
		out("] ", 2);
	}
	put_text(s, n);
	out("\r\n", 2);
}

/* Keep client c's lines for its scrollback. */
static void remember(struct client *c, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n' && c->curlen < CONS_LINE) {
			c->cur[c->curlen++] = s[i];
			continue;
		}
		if (s[i] != '\n')
			continue;       /* past CONS_LINE: the rest of the line is not kept */
		memcpy(c->back[c->backnext], c->cur, c->curlen);
		c->backlen[c->backnext] = (uint16_t)c->curlen;
		c->backnext = (c->backnext + 1) % CONS_BACK;
		if (c->backcount < CONS_BACK)
			c->backcount++;
		c->curlen = 0;
	}
}

size_t screen_write(unsigned id, const char *s, size_t n)
{
	struct client *c = &cons_client[id];
	size_t done = 0;
	c->bytes_out += n;
	remember(c, s, n);
	if (id == cons_focus) {
		focus_out(s, n);
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			c->line[c->linelen++] = s[i];
		if (s[i] == '\n' || c->linelen == CONS_LINE) {
			line_out(id, c->line, c->linelen);
			c->linelen = 0;
			done = i + 1;
		}
	}
	return done;
}

void screen_echo(const char *s, size_t n)
{
	focus_out(s, n);
}

void screen_note(const char *s)
{
	line_out(0, s, strlen(s));
}

/* The focus' last lines again, between two notes, and then its
 * unfinished line: what scrolled away, or what another program's lines
 * pushed up. */
void screen_back(void)
{
	struct client *c = &cons_client[cons_focus];
	if (!cons_focus)
		return;
	char note[48];
	strcpy(note, "[console: the last lines of ");
	strncat(note, c->name, 16);
	strcat(note, "]");
	line_out(0, note, strlen(note));
	for (unsigned k = 0; k < c->backcount; k++) {
		unsigned i = (c->backnext + CONS_BACK - c->backcount + k) % CONS_BACK;
		line_out(0, c->back[i], c->backlen[i]);
	}
	line_out(0, "[console: end]", 14);
	screen_redraw();
}

void screen_redraw(void)
{
	if (!broken)
		return;
	broken = false;
	out(shown, shownlen);
}

bool screen_broken(void)
{
	return broken;
}

void screen_drop(unsigned id)
{
	cons_client[id].linelen = 0;
	if (id == cons_focus)
		shownlen = 0;
}

/* The focus moves: the old focus' unfinished line (its prompt, say) is
 * held for it as if it had not gone out, and the new focus' held text and
 * half-typed input are drawn. */
void screen_focus(unsigned id)
{
	if (shownlen && !broken)
		out("\r\n", 2);
	if (cons_focus && cons_client[cons_focus].open) {
		struct client *old = &cons_client[cons_focus];
		unsigned n = shownlen < CONS_LINE ? shownlen : CONS_LINE;
		memcpy(old->line, shown, n);
		old->linelen = n;
	}
	shownlen = 0;
	broken = false;
	cons_focus = id;
	struct client *c = &cons_client[id];
	char note[48];
	strcpy(note, "[console: input to ");
	strncat(note, c->name, 16);
	strcat(note, "]");
	line_out(0, note, strlen(note));
	focus_out(c->line, c->linelen);
	c->linelen = 0;
	focus_out(c->edit, c->editlen);
}
