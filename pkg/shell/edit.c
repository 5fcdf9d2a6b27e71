/* edit.c - the line editor: the console is in raw mode, so every key
 * comes here as typed.  Printable keys insert at the cursor, Backspace
 * and DEL delete before it, Left/Right (and ^B/^F) move it, Home/End
 * (^A/^E), ^U clears the line, Up/Down (^P/^N) walk the history, ^C
 * drops the line, ^D on an empty line is the end of input.  Arrow keys
 * come as ANSI sequences (ESC [ A ...), as terminals send them. */
#include <stdio.h>
#include <string.h>
#include <l4/util/rdtsc.h>
#include "shell.h"

#define CTRL(c) ((c) & 0x1f)
#define DEL     0x7f
#define ESC     0x1b
#define HIST    16

static char hist[HIST][LINE_MAX_];
static unsigned nhist;          /* lines ever added; the last HIST are kept */

/* Redraw from the cursor's old position: the prompt, the line, and the
 * cursor back where it belongs. */
static void redraw(const char *prompt, const char *buf, size_t len, size_t cur)
{
	printf("\r%s%.*s\033[K", prompt, (int)len, buf);
	if (cur < len)
		printf("\033[%zuD", len - cur);
}

static void remember(const char *line)
{
	if (!*line || (nhist && !strcmp(hist[(nhist - 1) % HIST], line)))
		return;
	snprintf(hist[nhist % HIST], LINE_MAX_, "%s", line);
	nhist++;
}

/* The key after ESC [: A B C D H F, or a number and ~ (3~ delete). */
static int escape(void)
{
	int c = getchar();
	if (c != '[' && c != 'O')
		return c == EOF ? EOF : 0;
	c = getchar();
	if (c >= '0' && c <= '9') {
		int n = c - '0';
		while ((c = getchar()) >= '0' && c <= '9')
			n = n * 10 + c - '0';
		return n == 3 ? DEL + 1 : n == 1 || n == 7 ? 'H' : n == 4 || n == 8 ? 'F' : 0;
	}
	return c;
}

int edit_line(const char *prompt, char *buf, size_t size)
{
	size_t len = 0, cur = 0;
	unsigned back = 0;              /* how far up the history we are */
	printf("%s", prompt);
	fflush(stdout);
	/* The first prompt is out of our hands: the system is up (uptime).
	 * The console shows it once we ask for a key, just below (it gives
	 * the input focus to the first program that reads, and holds the
	 * unfinished line of a program without it). */
	if (!first_prompt_tsc)
		first_prompt_tsc = l4_rdtsc();
	for (;;) {
		int c = getchar();
		if (c == EOF) {
			clearerr(stdin);
			return -1;
		}
		if (c == ESC) {
			switch (escape()) {
			case 'A': c = CTRL('P'); break;
			case 'B': c = CTRL('N'); break;
			case 'C': c = CTRL('F'); break;
			case 'D': c = CTRL('B'); break;
			case 'H': c = CTRL('A'); break;
			case 'F': c = CTRL('E'); break;
			case DEL + 1:
				if (cur < len) {
					memmove(buf + cur, buf + cur + 1, len - cur - 1);
					len--;
					redraw(prompt, buf, len, cur);
				}
				fflush(stdout);
				continue;
			default: continue;
			}
		}
		switch (c) {
		case '\r':
		case '\n':
			buf[len] = '\0';
			printf("\n");
			remember(buf);
			return (int)len;
		case CTRL('C'):
			printf("^C\n%s", prompt);
			len = cur = 0;
			back = 0;
			break;
		case CTRL('D'):
			if (!len) {
				printf("\n");
				return -1;
			}
			break;
		case CTRL('U'):
			len = cur = 0;
			redraw(prompt, buf, len, cur);
			break;
		case CTRL('A'): cur = 0; redraw(prompt, buf, len, cur); break;
		case CTRL('E'): cur = len; redraw(prompt, buf, len, cur); break;
		case CTRL('B'):
			if (cur) {
				cur--;
				printf("\b");
			}
			break;
		case CTRL('F'):
			if (cur < len)
				printf("%c", buf[cur++]);
			break;
		case CTRL('P'):
		case CTRL('N'): {
			unsigned kept = nhist < HIST ? nhist : HIST;
			if (c == CTRL('P') && back < kept)
				back++;
			else if (c == CTRL('N') && back)
				back--;
			else
				break;
			const char *h = back ? hist[(nhist - back) % HIST] : "";
			len = cur = strlen(h);
			memcpy(buf, h, len);
			redraw(prompt, buf, len, cur);
			break;
		}
		case DEL:
		case '\b':
			if (!cur)
				break;
			memmove(buf + cur - 1, buf + cur, len - cur);
			len--;
			cur--;
			if (cur == len)
				printf("\b \b");
			else
				redraw(prompt, buf, len, cur);
			break;
		default:
			if (c < 0x20 || c >= DEL || len + 1 >= size)
				break;
			memmove(buf + cur + 1, buf + cur, len - cur);
			buf[cur++] = (char)c;
			len++;
			if (cur == len)
				printf("%c", c);
			else
				redraw(prompt, buf, len, cur);
		}
		fflush(stdout);
	}
}
