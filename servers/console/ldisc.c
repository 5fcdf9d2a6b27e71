/* ldisc.c - the line discipline: keys typed on the console become the
 * focus' input.  Line mode: printable keys are echoed and collected, DEL
 * or BS takes one back, Enter hands the line (with its newline) to the
 * program, ^D hands over what is typed or, on an empty line, the end of
 * input, ^C drops the line and the program's pending input and tells it
 * (its read fails once with L4_ECANCELED).  Raw mode: every byte as it
 * comes, no echo (the shell edits its line itself).  ^T, in both modes,
 * moves the focus to the next program that reads - or, when no other
 * program reads yet, to the next one that starts to, unless a key comes
 * first (a program just started has often not read yet: the shell's
 * `start` returns before it ran); ^Y shows the focus' last lines again
 * (its scrollback). */
#include <l4/rt/env.h>
#include <l4/sys/notification.h>
#include <l4/sys/task.h>
#include "console.h"

#define CTRL(c) ((c) & 0x1f)
#define DEL 0x7f

static void wake(struct client *c, unsigned bits)
{
	/* The notification dies with its program: an error here is a program
	 * gone, whose slot the next open reuses. */
	(void)l4_notification_signal(c->wake, bits);
}

/* Append to the input FIFO; what does not fit is dropped (the program
 * does not read). */
static void in_put(struct client *c, const char *s, unsigned n)
{
	for (unsigned i = 0; i < n && c->inlen < CONS_INPUT; i++)
		c->in[(c->inhead + c->inlen++) % CONS_INPUT] = s[i];
}

/* The root task revokes a program's first thread when the program ends,
 * and with it our copy: an empty slot means the program has gone.  Its
 * next incarnation opens afresh. */
static bool alive(unsigned id)
{
	struct client *c = &cons_client[id];
	struct l4_cap_info ci;
	if (c->open && (l4_task_cap_info(L4_ENV_TASK, CONS_LIFE(id), &ci) || !ci.type)) {
		c->open = false;
		screen_drop(id);
	}
	return c->open;
}

static bool switch_owed;         /* a ^T found no other reader */

void focus_next(void)
{
	for (unsigned k = 1; k <= CONS_CLIENTS; k++) {
		unsigned id = (cons_focus + k - 1) % CONS_CLIENTS + 1;
		if (cons_client[id].reader && alive(id)) {
			if (id != cons_focus)
				screen_focus(id);
			return;
		}
	}
}

void focus_first_read(unsigned id)
{
	if (!cons_focus || switch_owed)
		screen_focus(id);
	switch_owed = false;
}

void ldisc_seq(const char *s, size_t n)
{
	struct client *c = &cons_client[cons_focus];
	switch_owed = false;
	if (!cons_focus || !c->raw)
		return;                 /* line mode has no use for arrows */
	in_put(c, s, (unsigned)n);
	wake(c, CONSOLE_WAKE_INPUT);
}

void ldisc_key(int k)
{
	char ch = (char)k;
	struct client *c = &cons_client[cons_focus];
	if (k == CTRL('Y')) {
		screen_back();
		return;
	}
	switch_owed = false;
	if (k == CTRL('T') || (cons_focus && !alive(cons_focus))) {
		unsigned was = cons_focus;
		focus_next();           /* a key for a program gone goes to the next */
		if (k == CTRL('T')) {
			switch_owed = cons_focus == was;    /* to the next that reads */
			return;
		}
		c = &cons_client[cons_focus];
	}
	if (!cons_focus || !c->open)
		return;                 /* nobody reads (any more) */
	if (c->raw) {
		in_put(c, &ch, 1);
		wake(c, CONSOLE_WAKE_INPUT);
		return;
	}
	switch (k) {
	case '\r':
	case '\n':
		screen_echo("\n", 1);
		in_put(c, c->edit, c->editlen);
		in_put(c, "\n", 1);
		c->editlen = 0;
		wake(c, CONSOLE_WAKE_INPUT);
		return;
	case DEL:
	case '\b':
		if (c->editlen) {
			c->editlen--;
			screen_echo("\b \b", 3);
		}
		return;
	case CTRL('C'):
		screen_echo("^C\n", 3);
		c->editlen = 0;
		c->inlen = 0;
		c->intr = true;
		wake(c, CONSOLE_WAKE_INTR | CONSOLE_WAKE_INPUT);
		return;
	case CTRL('D'):
		if (c->editlen)
			in_put(c, c->edit, c->editlen);
		else
			c->eof = true;
		c->editlen = 0;
		wake(c, CONSOLE_WAKE_INPUT);
		return;
	default:
		if ((k >= 0x20 && k < DEL) || k == '\t') {
			if (c->editlen < CONS_LINE - 1) {
				c->edit[c->editlen++] = ch;
				screen_echo(&ch, 1);
			}
		}
	}
}
