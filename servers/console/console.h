/* console.h - the console server's parts: the UART (uart.c), the screen
 * that multiplexes the programs' output onto it (screen.c), and the line
 * discipline that turns keys into input (ldisc.c).  main.c serves the
 * console interface (libl4/lib/console.idl) and the UART's interrupt in
 * one loop.
 *
 * Clients are named by the badge of their capability: caps=console gives
 * program i of the config badge i + 1, so 1..CONS_CLIENTS. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <l4/rt/console.h>
#include <l4/util/ring.h>

#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely(x)   __builtin_expect(!!(x), 1)

/* Our slots for a client's capabilities (main.c takes 64..66). */
#define CONS_WAKE(id) (80 + (uint64_t)(id))    /* its notification: write */
#define CONS_LIFE(id) (100 + (uint64_t)(id))   /* its first thread: gone when it is */

#define CONS_CLIENTS  16        /* the root task's CFG_MAX_PROGS */
#define CONS_LINE     256       /* a line held back for a program without the focus */
#define CONS_INPUT    512       /* input waiting for a read */
#define CONS_SHOWN    256       /* the focus' unfinished line, kept for redraws */
#define CONS_BACK     32        /* lines of scrollback per client */


struct client {
	bool open;
	char name[16];
	uint64_t wake;                  /* our slot: its notification (write) */
	bool raw;                       /* console_mode(CONSOLE_RAW) */
	bool reader;                    /* has read: may have the focus */
	char edit[CONS_LINE];           /* line mode: the line being typed */
	unsigned editlen;
	char line[CONS_LINE];           /* output not yet out (no focus) */
	unsigned linelen;
	char in[CONS_INPUT];            /* input ready for read, a FIFO */
	unsigned inhead, inlen;
	bool eof, intr;                 /* a ^D (empty read), a ^C (L4_ECANCELED) owed */
	unsigned long long bytes_out;
	/* Scrollback: its last CONS_BACK lines, as they went out (screen.c). */
	char back[CONS_BACK][CONS_LINE];
	uint16_t backlen[CONS_BACK];
	unsigned backnext, backcount;
	char cur[CONS_LINE];            /* the line it is writing */
	unsigned curlen;
	void *ring_mem;                 /* ours, lent to the client (ring.c) */
	struct l4_ring ring;
	bool ring_on;
	uint32_t rd;                    /* the next chunk we read; the ring's tail is the
					 * first not wholly out (ring.c) */
	uint32_t tail, skip;            /* that tail, ours; bytes of its chunk already out */
	bool room_owed, ring_broken;    /* for rings_after_reply */
};

extern struct client cons_client[CONS_CLIENTS + 1];   /* [0] unused */
extern unsigned cons_focus;                           /* a badge, 0: none */

/* Keystroke-to-echo latency (main.c: `args="stats"`): the time stamp
 * counter when a key's interrupt was taken, and the difference when the
 * focus' next text went out (under QEMU's -icount shift=0, guest
 * instructions). */
extern uint64_t cons_key_t0, cons_echo_lat;
static inline uint64_t cons_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* uart.c: COM1, FIFOs on, interrupt on receive; output polled through
 * the transmit FIFO. */
int uart_init(uint64_t irq, uint64_t notif, uint64_t bit);
void uart_put(const char *s, size_t n);
int uart_getc(void);            /* a received byte, or -1 */
bool uart_pending(void);        /* a byte is waiting (for ESC sequences) */
void uart_ack(void);

/* vga.c: the text screen, when the config gives it (mmio=0xb8000+0x1000
 * io=0x3d4-0x3d5); else these do nothing. */
bool vga_init(void);
void vga_put(const char *s, size_t n);
void vga_colour(unsigned id);   /* the colour of client id's name; 0: plain */

/* kbd.c and keymap.c: the PS/2 keyboard (irq=1 io=0x60-0x60,0x64-0x64). */
struct keymap {
	char plain[0x80], shift[0x80];  /* by make code; 0: types nothing */
};
extern const struct keymap keymap_us;
int kbd_init(uint64_t irq, uint64_t notif, uint64_t bit);
void kbd_input(void);

/* screen.c: where the programs' text meets. */
size_t screen_write(unsigned id, const char *s, size_t n); /* a client's output; how much
							      * of s has gone out (the rest
							      * is held: a line unfinished) */
void screen_echo(const char *s, size_t n);                 /* the line discipline's */
void screen_note(const char *s);                           /* the console's own line */
void screen_redraw(void);       /* restore the focus' line if others broke it */
bool screen_broken(void);
void screen_drop(unsigned id);  /* forget a client's unfinished output */
void screen_focus(unsigned id); /* give the focus to client id */
void screen_back(void);         /* show the focus' scrollback */

/* What a restarted console finds of its clients (ring.c): a page of our
 * shared memory, which the root task keeps across our restarts (restart=
 * in the config) as it keeps the rings: per client whether its ring is
 * in use, how far its text has gone out (the ring's tail and the bytes
 * of that chunk already out: a line we held is read again, never a line
 * twice), its name and mode. */
struct cons_saved {
	uint32_t open, tail, off, raw;
	char name[16];
};
extern struct cons_saved *cons_saved;  /* [CONS_CLIENTS + 1] */

/* ring.c: the clients' output rings. */
int rings_init(void);            /* memory for all; adopt what a dead console left */
int ring_open(unsigned id, bool again, uint64_t ring_at);
void ring_drain(unsigned id);
bool rings_idle(void);           /* no kernel calls: fine before a reply */
bool rings_owe(void);
void rings_after_reply(void);

/* ldisc.c: one key typed, for the client in focus. */
void ldisc_key(int c);
void ldisc_seq(const char *s, size_t n);   /* an escape sequence (arrows), as is */
void focus_next(void);
/* A program reads for the first time: it takes the focus if nobody has
 * it, or if a ^T found no other reader and no key came since. */
void focus_first_read(unsigned id);
