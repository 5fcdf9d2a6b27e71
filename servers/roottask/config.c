/* config.c - the root task's boot-config parser (syntax in config.h).
 *
 * Each line is copied into a bounded buffer and split in place, so the
 * input is read only inside text[0..len).  caps= may name programs declared
 * further down: the targets are kept by name and resolved at the end, with
 * the error reported at the line that named them.  Numbers are parsed here
 * rather than with strtoull so that overflow is caught exactly and no
 * sign, space or octal sneaks in. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "config.h"

#define PAGE 4096u

enum { O_MODULE, O_PRIO, O_ARGS, O_CAPS, O_IRQ, O_IO, O_MMIO, O_MEM, O_FACTORY,
       O_RESTART, O_THREADS, O_SHUTDOWN, O_PCI, O_CONTROL, O_HEARTBEAT, O_COUNT };

static const struct {
	const char *name, *form;        /* form: shown when the value is missing */
} opts[O_COUNT] = {
	[O_MODULE] = { "module", "module=FILE" },
	[O_PRIO] = { "prio", "prio=N" },
	[O_ARGS] = { "args", "args=\"...\"" },
	[O_CAPS] = { "caps", "caps=P[:AS],..." },
	[O_IRQ] = { "irq", "irq=N|gsiN[:level|:edge][:low|:high],..." },
	[O_IO] = { "io", "io=LO-HI,..." },
	[O_MMIO] = { "mmio", "mmio=BASE+SIZE,..." },
	[O_MEM] = { "mem", "mem=SIZE" },
	[O_FACTORY] = { "factory", "factory=SIZE" },
	[O_RESTART] = { "restart", "restart=N or restart=always" },
	[O_THREADS] = { "threads", "threads=N" },
	[O_SHUTDOWN] = { "shutdown", NULL },
	[O_PCI] = { "pci", "pci=VVVV:DDDD or pci=BB:DD.F" },
	[O_CONTROL] = { "control", NULL },
	[O_HEARTBEAT] = { "heartbeat", "heartbeat=Nms or heartbeat=Ns" },
};

struct parser {
	const char *file;
	unsigned line;
	char *err;
	size_t errlen;
	struct config *cfg;
	/* caps targets by name until the whole file is read */
	char want[CFG_MAX_PROGS][CFG_MAX_CAPS][CFG_NAME_MAX];
};

__attribute__((format(__printf__, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	if (p->err == NULL || p->errlen == 0)
		return -1;
	int n = snprintf(p->err, p->errlen, "%s:%u: ", p->file, p->line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool name_ok(const char *s, size_t max, bool dot)
{
	size_t n = 0;
	for (; s[n]; n++) {
		char c = s[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || (dot && c == '.')))
			return false;
	}
	return n >= 1 && n <= max;
}

/* Cut s at the first c: returns what follows it, or NULL if there is no c. */
static char *cut(char *s, char c)
{
	char *q = memchr(s, c, strlen(s));
	if (q == NULL)
		return NULL;
	*q = '\0';
	return q + 1;
}

/* Decimal or 0x-hex at s; *end is the first byte after the digits.  -1 if
 * there are none; 1 if the value overflowed (it saturates, so range checks
 * still refuse it); 0 otherwise. */
static int digits(const char *s, const char **end, uint64_t *v)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned base = hex ? 16 : 10;
	const char *q = hex ? s + 2 : s;
	int r = 0;
	*v = 0;
	for (;; q++) {
		unsigned d;
		if (*q >= '0' && *q <= '9')
			d = (unsigned)(*q - '0');
		else if (hex && *q >= 'a' && *q <= 'f')
			d = (unsigned)(*q - 'a' + 10);
		else if (hex && *q >= 'A' && *q <= 'F')
			d = (unsigned)(*q - 'A' + 10);
		else
			break;
		if (*v > (UINT64_MAX - d) / base)
			r = 1, *v = UINT64_MAX;
		else if (r == 0)
			*v = *v * base + d;
	}
	*end = q;
	return q == (hex ? s + 2 : s) ? -1 : r;
}

/* The whole of s as a number. */
static int number(struct parser *p, const char *s, const char *what, uint64_t *v)
{
	const char *e;
	if (digits(s, &e, v) < 0 || *e != '\0')
		return fail(p, "bad number '%s' in %s", s, what);
	return 0;
}

/* N, NK, NM or NG, more than 0 and at most max. */
static int size(struct parser *p, const char *s, const char *what, uint64_t max,
		const char *maxs, uint64_t *v)
{
	const char *e;
	unsigned shift = 0;
	int r = digits(s, &e, v);
	if (*e == 'k' || *e == 'K')
		shift = 10, e++;
	else if (*e == 'm' || *e == 'M')
		shift = 20, e++;
	else if (*e == 'g' || *e == 'G')
		shift = 30, e++;
	if (r < 0 || *e != '\0')
		return fail(p, "bad size '%s' in %s (N, NK, NM or NG)", s, what);
	if (*v == 0)
		return fail(p, "%s '%s' must be more than 0", what, s);
	if (*v > max >> shift)          /* an overflow saturated: also caught */
		return fail(p, "%s '%s' is over %s", what, s, maxs);
	*v <<= shift;
	return 0;
}

/* The next token of the line at *s, NUL-terminated in place; NULL at the end
 * of the line or at a comment.  A double quote runs to the next one. */
static int token(struct parser *p, char **s, char **tok)
{
	char *q = *s;
	while (*q == ' ' || *q == '\t')
		q++;
	*tok = NULL;
	if (*q == '\0' || *q == '#')
		return 0;
	char *t = q;
	for (; *q && *q != ' ' && *q != '\t'; q++)
		if (*q == '"') {
			char *close = memchr(q + 1, '"', strlen(q + 1));
			if (close == NULL)
				return fail(p, "unterminated quote in '%s'", t);
			q = close;
		}
	if (*q)
		*q++ = '\0';
	*s = q;
	*tok = t;
	return 0;
}

static int opt_caps(struct parser *p, struct cfg_prog *g, unsigned gi, char *val)
{
	for (char *it = val, *next; it; it = next) {
		next = cut(it, ',');
		char *as = cut(it, ':');
		if (!name_ok(it, CFG_NAME_MAX - 1, false))
			return fail(p, "bad program name '%s' in caps", it);
		if (as == NULL)
			as = it;
		else if (!name_ok(as, CFG_NAME_MAX - 1, false))
			return fail(p, "bad alias '%s' in caps (1-15 of A-Z a-z 0-9 _ -)", as);
		if (strcmp(it, g->name) == 0)
			return fail(p, "program '%s' may not name itself in caps", it);
		for (unsigned i = 0; i < g->ncaps; i++)
			if (strcmp(g->caps[i].as, as) == 0)
				return fail(p, "duplicate alias '%s' in caps", as);
		if (g->ncaps == CFG_MAX_CAPS)
			return fail(p, "too many caps (max %d)", CFG_MAX_CAPS);
		memcpy(g->caps[g->ncaps].as, as, strlen(as) + 1);
		memcpy(p->want[gi][g->ncaps], it, strlen(it) + 1);
		g->ncaps++;
	}
	return 0;
}

/* gsiN's modifiers after the number: :level :edge :low :high, each kind once. */
static int irq_modes(struct parser *p, const char *it, char *mods, uint8_t *mode)
{
	bool trig = false, pol = false;
	for (char *m = mods, *next; m; m = next) {
		next = cut(m, ':');
		bool *seen = !strcmp(m, "level") || !strcmp(m, "edge") ? &trig :
			     !strcmp(m, "low") || !strcmp(m, "high") ? &pol : NULL;
		if (seen == NULL)
			return fail(p, "irq '%s': unknown mode '%s' (level, edge, low, high)", it, m);
		if (*seen)
			return fail(p, "irq '%s': trigger or polarity given twice", it);
		*seen = true;
		if (!strcmp(m, "level"))
			*mode |= CFG_IRQ_LEVEL;
		else if (!strcmp(m, "low"))
			*mode |= CFG_IRQ_LOW;
	}
	return 0;
}

static int opt_irq(struct parser *p, struct cfg_prog *g, char *val)
{
	for (char *it = val, *next; it; it = next) {
		next = cut(it, ',');
		uint64_t v;
		uint8_t mode = 0;
		char whole[CFG_LINE_MAX];
		snprintf(whole, sizeof whole, "%s", it);      /* for messages: cut() splits it */
		if (strncmp(it, "gsi", 3) == 0) {
			char *mods = cut(it + 3, ':');
			mode = CFG_IRQ_GSI;
			if (number(p, it + 3, "irq", &v) < 0)
				return -1;
			if (v > 255)
				return fail(p, "irq '%s' out of range (GSI 0..255)", whole);
			if (mods && irq_modes(p, whole, mods, &mode) < 0)
				return -1;
		} else {
			if (number(p, it, "irq", &v) < 0)
				return -1;
			if (v > 15)
				return fail(p, "irq '%s' out of range (ISA lines 0..15, or gsiN)", it);
		}
		/* g is the last program: this checks its own list too */
		for (unsigned i = 0; i < p->cfg->nprogs; i++)
			for (unsigned j = 0; j < p->cfg->prog[i].nirq; j++)
				if (p->cfg->prog[i].irq[j] == v &&
				    (p->cfg->prog[i].irq_mode[j] & CFG_IRQ_GSI) == (mode & CFG_IRQ_GSI))
					return fail(p, "irq '%s' already given to '%s' (line %u)", whole,
						    p->cfg->prog[i].name, p->cfg->prog[i].line);
		if (g->nirq == CFG_MAX_IRQS)
			return fail(p, "too many irqs (max %d)", CFG_MAX_IRQS);
		g->irq_mode[g->nirq] = mode;
		g->irq[g->nirq++] = (unsigned)v;
	}
	return 0;
}

/* n hex digits, exactly, at s. */
static bool hex_exact(const char *s, unsigned n, unsigned *v)
{
	*v = 0;
	for (unsigned i = 0; i < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			     c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
			     c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (d == 16)
			return false;
		*v = *v * 16 + d;
	}
	return true;
}

/* pci=VVVV:DDDD or pci=BB:DD.F (lspci's notation). */
static int opt_pci(struct parser *p, struct cfg_prog *g, const char *val)
{
	unsigned a, b, f;
	struct cfg_pci *c = &g->pci;
	if (strlen(val) == 9 && val[4] == ':' && hex_exact(val, 4, &a) && hex_exact(val + 5, 4, &b)) {
		if (a == 0xffff)
			return fail(p, "pci '%s': vendor ffff is no device", val);
		*c = (struct cfg_pci){ .set = true, .by_id = true, .vendor = (uint16_t)a,
				       .device = (uint16_t)b };
		return 0;
	}
	if (strlen(val) != 7 || val[2] != ':' || val[5] != '.' || !hex_exact(val, 2, &a) ||
	    !hex_exact(val + 3, 2, &b) || !hex_exact(val + 6, 1, &f))
		return fail(p, "bad pci '%s' (VVVV:DDDD vendor:device, or BB:DD.F bus:device.function, hex)",
			    val);
	if (b > 31 || f > 7)
		return fail(p, "pci '%s': device 0..1f, function 0..7", val);
	for (unsigned i = 0; i + 1 < p->cfg->nprogs; i++) {
		const struct cfg_pci *o = &p->cfg->prog[i].pci;
		if (o->set && !o->by_id && o->bus == a && o->dev == b && o->fn == f)
			return fail(p, "pci '%s' already given to '%s' (line %u)", val,
				    p->cfg->prog[i].name, p->cfg->prog[i].line);
	}
	*c = (struct cfg_pci){ .set = true, .bus = (uint8_t)a, .dev = (uint8_t)b, .fn = (uint8_t)f };
	return 0;
}

/* io=LO-HI and mmio=BASE+SIZE lists. */
static int opt_ranges(struct parser *p, struct cfg_prog *g, char *val, bool mmio)
{
	for (char *it = val, *next; it; it = next) {
		next = cut(it, ',');
		const char *e, *e2 = "";
		uint64_t a, b;
		int ra = digits(it, &e, &a), rb = -1;
		if (ra >= 0 && *e == (mmio ? '+' : '-'))
			rb = digits(e + 1, &e2, &b);
		if (rb < 0 || *e2 != '\0')
			return fail(p, mmio ? "mmio '%s' needs BASE+SIZE" : "io range '%s' needs LO-HI", it);
		if (!mmio) {
			if (a > 0xffff || b > 0xffff)
				return fail(p, "io range '%s': ports above 0xffff", it);
			if (a > b)
				return fail(p, "io range '%s' is reversed", it);
			b = b - a + 1;
		} else if (ra > 0 || rb > 0 || b > UINT64_MAX - a) {
			return fail(p, "mmio '%s': base+size overflows", it);
		} else if (b == 0) {
			return fail(p, "mmio '%s' has size 0", it);
		} else if (a % PAGE || b % PAGE) {
			return fail(p, "mmio '%s' is not page aligned (%u)", it, PAGE);
		}
		unsigned *n = mmio ? &g->nmmio : &g->nio;
		if (*n == (mmio ? CFG_MAX_MMIO : CFG_MAX_IO))
			return fail(p, "too many %s (max %d)", mmio ? "mmio ranges" : "io ranges",
				    mmio ? CFG_MAX_MMIO : CFG_MAX_IO);
		struct cfg_range *r = mmio ? &g->mmio[*n] : &g->io[*n];
		r->base = a;
		r->size = b;
		++*n;
	}
	return 0;
}

/* heartbeat=Nms or Ns: the period within which the program must answer
 * the root task's heartbeat (CFG_HEARTBEAT_MIN_MS..CFG_HEARTBEAT_MAX_MS;
 * the kernel's timer ticks every 10 ms, so less would be noise). */
static int heartbeat(struct parser *p, struct cfg_prog *g, const char *val)
{
	const char *e;
	uint64_t v;
	int r = digits(val, &e, &v);
	uint64_t scale = !strcmp(e, "ms") ? 1 : !strcmp(e, "s") ? 1000 : 0;
	if (r < 0 || !scale)
		return fail(p, "bad heartbeat '%s' (Nms or Ns, e.g. heartbeat=1000ms)", val);
	if (r > 0 || v > CFG_HEARTBEAT_MAX_MS / scale || v * scale < CFG_HEARTBEAT_MIN_MS)
		return fail(p, "heartbeat '%s' out of range (%ums..%us)", val, CFG_HEARTBEAT_MIN_MS,
			    CFG_HEARTBEAT_MAX_MS / 1000);
	g->heartbeat_ms = (unsigned)(v * scale);
	return 0;
}

static int option(struct parser *p, struct cfg_prog *g, unsigned gi, char *tok, unsigned *seen)
{
	char *val = cut(tok, '=');
	unsigned o = 0;
	while (o < O_COUNT && strcmp(tok, opts[o].name) != 0)
		o++;
	if (o == O_COUNT)
		return fail(p, "unknown option '%s'", tok);
	if (*seen & 1u << o)
		return fail(p, "option '%s' given twice", tok);
	*seen |= 1u << o;
	if (o == O_SHUTDOWN) {
		if (val != NULL)
			return fail(p, "'shutdown' takes no value");
		for (unsigned i = 0; i + 1 < p->cfg->nprogs; i++)
			if (p->cfg->prog[i].shutdown)
				return fail(p, "'shutdown' already given to '%s' (line %u)",
					    p->cfg->prog[i].name, p->cfg->prog[i].line);
		g->shutdown = true;
		return 0;
	}
	if (o == O_CONTROL) {
		if (val != NULL)
			return fail(p, "'control' takes no value");
		g->control = true;
		return 0;
	}
	if (val == NULL || *val == '\0')
		return fail(p, "'%s' needs a value (%s)", tok, opts[o].form);

	uint64_t v;
	size_t n = 0;
	switch (o) {
	case O_MODULE:
		if (!name_ok(val, sizeof g->module - 1, true))
			return fail(p, "bad module name '%s' (1-%zu of A-Z a-z 0-9 _ - .)", val,
				    sizeof g->module - 1);
		memcpy(g->module, val, strlen(val) + 1);
		return 0;
	case O_PRIO:
		if (number(p, val, "prio", &v) < 0)
			return -1;
		if (v < 1 || v > 254)
			return fail(p, "prio '%s' out of range (1..254)", val);
		g->prio = (unsigned)v;
		return 0;
	case O_RESTART:
		if (!strcmp(val, "always")) {
			g->restart = CFG_RESTART_ALWAYS;
			return 0;
		}
		if (number(p, val, "restart", &v) < 0)
			return -1;
		if (v > 100)
			return fail(p, "restart '%s' out of range (0..100)", val);
		g->restart = (unsigned)v;
		return 0;
	case O_HEARTBEAT:
		return heartbeat(p, g, val);
	case O_THREADS:
		if (number(p, val, "threads", &v) < 0)
			return -1;
		if (v > CFG_MAX_THREADS)
			return fail(p, "threads '%s' out of range (0..%u)", val, CFG_MAX_THREADS);
		g->threads = (unsigned)v;
		return 0;
	case O_ARGS:
		/* quotes only group; they are not part of the value */
		for (const char *s = val; *s; s++) {
			if (*s == '"')
				continue;
			if (n == sizeof g->args - 1)
				return fail(p, "args longer than %zu bytes", sizeof g->args - 1);
			g->args[n++] = *s;
		}
		g->args[n] = '\0';
		return 0;
	case O_MEM:
		if (size(p, val, "mem", 1ull << 30, "1G", &g->mem) < 0)
			return -1;
		if (g->mem % PAGE)
			return fail(p, "mem '%s' is not a multiple of %u", val, PAGE);
		return 0;
	case O_FACTORY:
		return size(p, val, "factory", 64ull << 20, "64M", &g->factory);
	case O_CAPS:
		return opt_caps(p, g, gi, val);
	case O_IRQ:
		return opt_irq(p, g, val);
	case O_PCI:
		return opt_pci(p, g, val);
	default:
		return opt_ranges(p, g, val, o == O_MMIO);
	}
}

static int parse_line(struct parser *p, char *s)
{
	struct config *c = p->cfg;
	char *tok;
	if (token(p, &s, &tok) < 0)
		return -1;
	if (tok == NULL)
		return 0;               /* blank or comment */
	if (strcmp(tok, "start") != 0)
		return fail(p, "unknown directive '%s' (expected 'start')", tok);
	if (token(p, &s, &tok) < 0)
		return -1;
	if (tok == NULL)
		return fail(p, "missing program name after 'start'");
	if (!name_ok(tok, CFG_NAME_MAX - 1, false))
		return fail(p, "bad program name '%s' (1-15 of A-Z a-z 0-9 _ -)", tok);
	for (unsigned i = 0; i < c->nprogs; i++)
		if (strcmp(c->prog[i].name, tok) == 0)
			return fail(p, "program '%s' already started on line %u", tok, c->prog[i].line);
	if (c->nprogs == CFG_MAX_PROGS)
		return fail(p, "too many programs (max %d)", CFG_MAX_PROGS);

	unsigned gi = c->nprogs++;
	struct cfg_prog *g = &c->prog[gi];
	memset(g, 0, sizeof *g);
	memcpy(g->name, tok, strlen(tok) + 1);
	memcpy(g->module, tok, strlen(tok) + 1);
	g->line = p->line;
	g->prio = 100;
	g->mem = 4u << 20;

	unsigned seen = 0;
	for (;;) {
		if (token(p, &s, &tok) < 0)
			return -1;
		if (tok == NULL)
			return 0;
		if (option(p, g, gi, tok, &seen) < 0)
			return -1;
	}
}

int config_parse(const char *text, size_t len, const char *file, struct config *out,
		 char *err, size_t errlen)
{
	struct parser p = { .file = file ? file : "?", .err = err, .errlen = errlen, .cfg = out };
	char buf[CFG_LINE_MAX];
	size_t pos = 0;

	memset(out, 0, sizeof *out);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	while (pos < len) {
		const char *l = text + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		pos += n + (nl != NULL);
		p.line++;
		if (memchr(l, '\0', n) != NULL)
			return fail(&p, "NUL byte in the file");
		if (n > 0 && l[n - 1] == '\r')
			n--;
		if (n > CFG_LINE_MAX - 1)
			return fail(&p, "line longer than %d bytes", CFG_LINE_MAX - 1);
		memcpy(buf, l, n);
		buf[n] = '\0';
		if (parse_line(&p, buf) < 0)
			return -1;
	}
	if (out->nprogs == 0) {
		p.line = p.line ? p.line : 1;
		return fail(&p, "no programs to start");
	}

	/* Now every program is known: resolve caps=. */
	for (unsigned i = 0; i < out->nprogs; i++) {
		struct cfg_prog *g = &out->prog[i];
		for (unsigned k = 0; k < g->ncaps; k++) {
			unsigned j = 0;
			while (j < out->nprogs && strcmp(out->prog[j].name, p.want[i][k]) != 0)
				j++;
			if (j == out->nprogs) {
				p.line = g->line;
				return fail(&p, "caps: no program named '%s'", p.want[i][k]);
			}
			g->caps[k].prog = j;
		}
	}
	return 0;
}
