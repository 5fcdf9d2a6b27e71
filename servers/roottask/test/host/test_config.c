/* test_config.c - host tests for servers/roottask/config.c: every field of a
 * full config, the defaults, the lexical corners, every refusal (with its
 * line and the word it names), and a mutation fuzz under ASan.  Every input
 * is handed over in an exactly sized heap buffer without a NUL, so a read
 * past len is an ASan report. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

static struct config cfg;
static char err[256];

static int parse_n(const char *s, size_t n)
{
	char *b = malloc(n ? n : 1);
	memcpy(b, s, n);
	memset(err, 'Z', sizeof err);
	int r = config_parse(b, n, "FILE", &cfg, err, sizeof err);
	free(b);
	return r;
}

static int parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static const char full[] =
	"# Minnow boot config\r\n"
	"\r\n"
	"start console module=console.elf prio=200 args=\"-v --baud 115200\" irq=4,3 "
	"io=0x3f8-0x3ff,0x2f8-0x2FF mem=8M restart=3\r\n"
	"\t  # an indented comment\n"
	"start net caps=console:log,name mmio=0xfebc0000+0x20000,0x1000+4096 irq=11 "
	"mem=0x100000 factory=1M\n"
	"\n"
	"start name prio=0x10 mem=64k factory=2048K   # a trailing comment\n"
	"start init module=init caps=name,console:cons,net\tshutdown control restart=100 "
	"args=plain mem=1g io=0x60-0x60\n"
	"start last-15-chars_x";

static void test_full(void **state)
{
	(void)state;
	assert_int_equal(parse(full), 0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.nprogs, 5);

	struct cfg_prog *c = &cfg.prog[0];
	assert_string_equal(c->name, "console");
	assert_string_equal(c->module, "console.elf");
	assert_string_equal(c->args, "-v --baud 115200");
	assert_int_equal(c->line, 3);
	assert_int_equal(c->prio, 200);
	assert_int_equal(c->ncaps, 0);
	assert_int_equal(c->nirq, 2);
	assert_int_equal(c->irq[0], 4);
	assert_int_equal(c->irq[1], 3);
	assert_int_equal(c->nio, 2);
	assert_int_equal(c->io[0].base, 0x3f8);
	assert_int_equal(c->io[0].size, 8);
	assert_int_equal(c->io[1].base, 0x2f8);
	assert_int_equal(c->io[1].size, 8);
	assert_int_equal(c->nmmio, 0);
	assert_int_equal(c->mem, 8 << 20);
	assert_int_equal(c->factory, 0);
	assert_int_equal(c->restart, 3);
	assert_false(c->shutdown);

	struct cfg_prog *n = &cfg.prog[1];
	assert_string_equal(n->name, "net");
	assert_string_equal(n->module, "net");
	assert_string_equal(n->args, "");
	assert_int_equal(n->line, 5);
	assert_int_equal(n->prio, 100);
	assert_int_equal(n->ncaps, 2);
	assert_int_equal(n->caps[0].prog, 0);
	assert_string_equal(n->caps[0].as, "log");
	assert_int_equal(n->caps[1].prog, 2);          /* forward reference */
	assert_string_equal(n->caps[1].as, "name");
	assert_int_equal(n->nirq, 1);
	assert_int_equal(n->irq[0], 11);
	assert_int_equal(n->nio, 0);
	assert_int_equal(n->nmmio, 2);
	assert_int_equal(n->mmio[0].base, 0xfebc0000);
	assert_int_equal(n->mmio[0].size, 0x20000);
	assert_int_equal(n->mmio[1].base, 0x1000);
	assert_int_equal(n->mmio[1].size, 4096);
	assert_int_equal(n->mem, 1 << 20);
	assert_int_equal(n->factory, 1 << 20);
	assert_int_equal(n->restart, 0);
	assert_false(n->shutdown);

	struct cfg_prog *m = &cfg.prog[2];
	assert_string_equal(m->name, "name");
	assert_int_equal(m->line, 7);
	assert_int_equal(m->prio, 16);
	assert_int_equal(m->mem, 64 << 10);
	assert_int_equal(m->factory, 2 << 20);
	assert_int_equal(m->ncaps + m->nirq + m->nio + m->nmmio, 0);

	struct cfg_prog *i = &cfg.prog[3];
	assert_string_equal(i->name, "init");
	assert_string_equal(i->module, "init");
	assert_string_equal(i->args, "plain");
	assert_int_equal(i->line, 8);
	assert_int_equal(i->ncaps, 3);
	assert_int_equal(i->caps[0].prog, 2);
	assert_string_equal(i->caps[0].as, "name");
	assert_int_equal(i->caps[1].prog, 0);
	assert_string_equal(i->caps[1].as, "cons");
	assert_int_equal(i->caps[2].prog, 1);
	assert_string_equal(i->caps[2].as, "net");
	assert_true(i->shutdown);
	assert_true(i->control);
	assert_false(n->control);
	assert_int_equal(i->restart, 100);
	assert_int_equal(i->mem, 1 << 30);
	assert_int_equal(i->nio, 1);
	assert_int_equal(i->io[0].base, 0x60);
	assert_int_equal(i->io[0].size, 1);

	struct cfg_prog *l = &cfg.prog[4];
	assert_string_equal(l->name, "last-15-chars_x");
	assert_int_equal(l->line, 9);
}

/* irq= beyond ISA and pci= in both notations. */
static void test_gsi_and_pci(void **state)
{
	(void)state;
	static const char text[] =
		"start nic pci=8086:100e irq=gsi19:level:low,gsi20,5,gsi21:high:edge\n"
		"start nic2 pci=8086:100E\n"
		"start disk pci=00:1F.2 irq=gsi22:low\n";
	assert_int_equal(parse_n(text, strlen(text)), 0);
	const struct cfg_prog *n = &cfg.prog[0], *n2 = &cfg.prog[1], *d = &cfg.prog[2];
	assert_int_equal(n->nirq, 4);
	assert_int_equal(n->irq[0], 19);
	assert_int_equal(n->irq_mode[0], CFG_IRQ_GSI | CFG_IRQ_LEVEL | CFG_IRQ_LOW);
	assert_int_equal(n->irq[1], 20);
	assert_int_equal(n->irq_mode[1], CFG_IRQ_GSI);
	assert_int_equal(n->irq[2], 5);
	assert_int_equal(n->irq_mode[2], 0);
	assert_int_equal(n->irq_mode[3], CFG_IRQ_GSI);
	assert_true(n->pci.set && n->pci.by_id);
	assert_int_equal(n->pci.vendor, 0x8086);
	assert_int_equal(n->pci.device, 0x100e);
	assert_true(n2->pci.set && n2->pci.by_id && n2->pci.device == 0x100e);   /* the next one */
	assert_true(d->pci.set && !d->pci.by_id);
	assert_int_equal(d->pci.bus, 0);
	assert_int_equal(d->pci.dev, 0x1f);
	assert_int_equal(d->pci.fn, 2);
	assert_int_equal(d->irq_mode[0], CFG_IRQ_GSI | CFG_IRQ_LOW);
	assert_false(cfg.prog[1].nirq);
}

static void check_defaults(const struct cfg_prog *g, const char *name, unsigned line)
{
	assert_string_equal(g->name, name);
	assert_string_equal(g->module, name);
	assert_string_equal(g->args, "");
	assert_int_equal(g->line, line);
	assert_int_equal(g->prio, 100);
	assert_int_equal(g->mem, 4 << 20);
	assert_int_equal(g->factory, 0);
	assert_int_equal(g->restart, 0);
	assert_int_equal(g->heartbeat_ms, 0);
	assert_false(g->shutdown);
	assert_int_equal(g->ncaps + g->nirq + g->nio + g->nmmio, 0);
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("start a\n"), 0);
	assert_int_equal(cfg.nprogs, 1);
	check_defaults(&cfg.prog[0], "a", 1);
	/* an empty args= in quotes is allowed, and is the default */
	assert_int_equal(parse("start a args=\"\""), 0);
	check_defaults(&cfg.prog[0], "a", 1);
}

static void test_lexical(void **state)
{
	(void)state;
	/* CRLF, comments counted as lines, blanks with only spaces, tabs, no final newline */
	assert_int_equal(parse("#c\r\n \t \r\n\r\n\tstart\ta\t \r\n# x start y\n  start  b  "), 0);
	assert_int_equal(cfg.nprogs, 2);
	check_defaults(&cfg.prog[0], "a", 4);
	check_defaults(&cfg.prog[1], "b", 6);
	/* a quote groups spaces, tabs and '#'; quotes are removed */
	assert_int_equal(parse("start a args=\"x  y\t#z\" # c"), 0);
	assert_string_equal(cfg.prog[0].args, "x  y\t#z");
	assert_int_equal(parse("start a args=-o\"a b\"c"), 0);
	assert_string_equal(cfg.prog[0].args, "-oa bc");
	/* the longest line, the longest names, the largest values */
	char line[CFG_LINE_MAX + 8];
	memset(line, 'x', sizeof line);
	memcpy(line, "start a #", 9);
	memcpy(line + CFG_LINE_MAX - 1, "\r\n", 2);
	assert_int_equal(parse_n(line, CFG_LINE_MAX + 1), 0);
	assert_int_equal(parse("start abcdefghijklmno module="
			       "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.0123456789A"
			       " mem=0x40000000 factory=64M prio=254 restart=0 threads=32"), 0);
	assert_int_equal(strlen(cfg.prog[0].module), 63);
	assert_int_equal(cfg.prog[0].threads, CFG_MAX_THREADS);
	assert_int_equal(cfg.prog[0].mem, 1 << 30);
	assert_int_equal(cfg.prog[0].factory, 64 << 20);
	assert_int_equal(parse("start a io=0-0xffff mmio=0xffffffffffffe000+0x1000 prio=1 factory=1"), 0);
	assert_int_equal(cfg.prog[0].io[0].size, 0x10000);
	assert_int_equal(cfg.prog[0].mmio[0].base, 0xffffffffffffe000ull);
	assert_int_equal(cfg.prog[0].factory, 1);
	/* restart=always, heartbeats in ms and s, at both ends of the range */
	assert_int_equal(parse("start a restart=always heartbeat=1000ms\nstart b heartbeat=20ms\n"
			       "start c heartbeat=60s restart=0\n"), 0);
	assert_int_equal(cfg.prog[0].restart, CFG_RESTART_ALWAYS);
	assert_int_equal(cfg.prog[0].heartbeat_ms, 1000);
	assert_int_equal(cfg.prog[1].heartbeat_ms, 20);
	assert_int_equal(cfg.prog[1].restart, 0);
	assert_int_equal(cfg.prog[2].heartbeat_ms, 60000);
	/* decimal with leading zeros is decimal, not octal */
	assert_int_equal(parse("start a prio=010"), 0);
	assert_int_equal(cfg.prog[0].prio, 10);
	/* 16 programs, 8 caps, 4 of each range */
	char big[2048] = "";
	for (int i = 0; i < CFG_MAX_PROGS; i++)
		sprintf(big + strlen(big), "start p%d\n", i);
	strcat(big, "start z caps=p1,p2,p3,p4,p5,p6,p7,p8 irq=0,1,2,15 io=1-1,2-2,3-3,4-4 "
		    "mmio=0+4096,0+4096,0+4096,0+4096\n");
	assert_int_equal(parse(big + strlen("start p0\n")), 0);
	assert_int_equal(cfg.nprogs, 16);
	struct cfg_prog *z = &cfg.prog[15];
	assert_int_equal(z->ncaps, 8);
	assert_int_equal(z->caps[7].prog, 7);
	assert_int_equal(z->nirq, 4);
	assert_int_equal(z->nio, 4);
	assert_int_equal(z->nmmio, 4);
}

static void test_forward_caps(void **state)
{
	(void)state;
	assert_int_equal(parse("start a caps=c:x,b\nstart b caps=c,a\nstart c caps=a:y,b:z,a:aa"), 0);
	assert_int_equal(cfg.prog[0].caps[0].prog, 2);
	assert_string_equal(cfg.prog[0].caps[0].as, "x");
	assert_int_equal(cfg.prog[0].caps[1].prog, 1);
	assert_string_equal(cfg.prog[0].caps[1].as, "b");
	assert_int_equal(cfg.prog[1].caps[0].prog, 2);
	assert_int_equal(cfg.prog[1].caps[1].prog, 0);
	assert_int_equal(cfg.prog[2].ncaps, 3);
	assert_int_equal(cfg.prog[2].caps[2].prog, 0);       /* one program, two names */
	assert_string_equal(cfg.prog[2].caps[2].as, "aa");
}

struct bad {
	const char *text;
	unsigned line;
	const char *frag;
};

static const struct bad bads[] = {
	{ "start a\nstrat b\n", 2, "unknown directive 'strat' (expected 'start')" },
	{ "Start a", 1, "unknown directive 'Start'" },
	{ "start=a", 1, "unknown directive 'start=a'" },
	{ "# c\nstart\n", 2, "missing program name after 'start'" },
	{ "start  # c", 1, "missing program name after 'start'" },
	{ "start \"a b!\"", 1, "bad program name '\"a b!\"'" },
	{ "start a!b", 1, "bad program name 'a!b'" },
	{ "start a.b", 1, "bad program name 'a.b'" },
	{ "start abcdefghijklmnop", 1, "bad program name 'abcdefghijklmnop'" },
	{ "start x\nstart y\n\nstart x", 4, "program 'x' already started on line 1" },
	{ "start a foo=1", 1, "unknown option 'foo'" },
	{ "start a foo", 1, "unknown option 'foo'" },
	{ "start a =3", 1, "unknown option ''" },
	{ "start a Prio=3", 1, "unknown option 'Prio'" },
	{ "start a prio=3 mem=8M prio=4", 1, "option 'prio' given twice" },
	{ "start a irq=3 irq=4", 1, "option 'irq' given twice" },
	{ "start a shutdown shutdown", 1, "option 'shutdown' given twice" },
	{ "start a prio", 1, "'prio' needs a value (prio=N)" },
	{ "start a prio=", 1, "'prio' needs a value (prio=N)" },
	{ "start a mem", 1, "'mem' needs a value (mem=SIZE)" },
	{ "start a args", 1, "'args' needs a value" },
	{ "start a caps=", 1, "'caps' needs a value" },
	{ "start a module", 1, "'module' needs a value (module=FILE)" },
	{ "start a prio=12x", 1, "bad number '12x' in prio" },
	{ "start a prio=0x", 1, "bad number '0x' in prio" },
	{ "start a prio=-1", 1, "bad number '-1' in prio" },
	{ "start a prio=+1", 1, "bad number '+1' in prio" },
	{ "start a prio=\"5\"", 1, "bad number '\"5\"' in prio" },
	{ "start a restart=1K", 1, "bad number '1K' in restart" },
	{ "start a prio=300", 1, "prio '300' out of range (1..254)" },
	{ "start a prio=0", 1, "prio '0' out of range (1..254)" },
	{ "start a prio=255", 1, "prio '255' out of range" },
	{ "start a prio=99999999999999999999999", 1, "prio '99999999999999999999999' out of range" },
	{ "start a prio=0x10000000000000064", 1, "prio '0x10000000000000064' out of range" },
	{ "start a restart=101", 1, "restart '101' out of range (0..100)" },
	{ "start a restart=Always", 1, "bad number 'Always' in restart" },
	{ "start a restart", 1, "'restart' needs a value (restart=N or restart=always)" },
	{ "start a heartbeat", 1, "'heartbeat' needs a value (heartbeat=Nms or heartbeat=Ns)" },
	{ "start a heartbeat=1000", 1, "bad heartbeat '1000' (Nms or Ns, e.g. heartbeat=1000ms)" },
	{ "start a heartbeat=1m", 1, "bad heartbeat '1m' (Nms or Ns" },
	{ "start a heartbeat=ms", 1, "bad heartbeat 'ms' (Nms or Ns" },
	{ "start a heartbeat=10ms", 1, "heartbeat '10ms' out of range (20ms..60s)" },
	{ "start a heartbeat=0s", 1, "heartbeat '0s' out of range (20ms..60s)" },
	{ "start a heartbeat=61s", 1, "heartbeat '61s' out of range (20ms..60s)" },
	{ "start a heartbeat=60001ms", 1, "heartbeat '60001ms' out of range" },
	{ "start a heartbeat=99999999999999999999s", 1, "heartbeat '99999999999999999999s' out of range" },
	{ "start a heartbeat=1s heartbeat=2s", 1, "option 'heartbeat' given twice" },
	{ "start a threads=33", 1, "threads '33' out of range (0..32)" },
	{ "start a threads=-1", 1, "bad number '-1' in threads" },
	{ "start a threads", 1, "'threads' needs a value (threads=N)" },
	{ "start a threads=1 threads=2", 1, "option 'threads' given twice" },
	{ "start a args=\"abc", 1, "unterminated quote in 'args=\"abc'" },
	{ "start a args=\"a b\" x\"", 1, "unterminated quote in 'x\"'" },
	{ "start a caps=nope\nstart b\n# end", 1, "caps: no program named 'nope'" },
	{ "start a\nstart b caps=a,nope:x\nstart c", 2, "caps: no program named 'nope'" },
	{ "start a caps=a", 1, "program 'a' may not name itself in caps" },
	{ "start a\nstart b caps=b:other", 2, "program 'b' may not name itself in caps" },
	{ "start a caps=b:x,c:x", 1, "duplicate alias 'x' in caps" },
	{ "start a caps=b,b", 1, "duplicate alias 'b' in caps" },
	{ "start a caps=b:c,c", 1, "duplicate alias 'c' in caps" },
	{ "start a caps=b:bad!", 1, "bad alias 'bad!' in caps" },
	{ "start a caps=b:", 1, "bad alias '' in caps" },
	{ "start a caps=b!", 1, "bad program name 'b!' in caps" },
	{ "start a caps=b,", 1, "bad program name '' in caps" },
	{ "start a caps=b:c:d", 1, "bad alias 'c:d' in caps" },
	{ "start a caps=b0,b1,b2,b3,b4,b5,b6,b7,b8", 1, "too many caps (max 8)" },
	{ "start a irq=0,1,2,3,5", 1, "too many irqs (max 4)" },
	{ "start a io=1-1,2-2,3-3,4-4,5-5", 1, "too many io ranges (max 4)" },
	{ "start a mmio=0+0x1000,0+0x1000,0+0x1000,0+0x1000,0+0x1000", 1, "too many mmio ranges (max 4)" },
	{ "start a irq=16", 1, "irq '16' out of range (ISA lines 0..15, or gsiN)" },
	{ "start a irq=0x10", 1, "irq '0x10' out of range" },
	{ "start a irq=3,", 1, "bad number '' in irq" },
	{ "start a irq=3;4", 1, "bad number '3;4' in irq" },
	{ "start console irq=4\n#\nstart b irq=3,4", 3, "irq '4' already given to 'console' (line 1)" },
	{ "start a irq=4,4", 1, "irq '4' already given to 'a' (line 1)" },
	{ "start a irq=gsi", 1, "bad number '' in irq" },
	{ "start a irq=gsi256", 1, "irq 'gsi256' out of range (GSI 0..255)" },
	{ "start a irq=gsi0x100:level", 1, "irq 'gsi0x100:level' out of range" },
	{ "start a irq=gsi19:lvl", 1, "irq 'gsi19:lvl': unknown mode 'lvl' (level, edge, low, high)" },
	{ "start a irq=gsi19:", 1, "irq 'gsi19:': unknown mode ''" },
	{ "start a irq=gsi19:level:edge", 1, "irq 'gsi19:level:edge': trigger or polarity given twice" },
	{ "start a irq=gsi19:low:high", 1, "trigger or polarity given twice" },
	{ "start a irq=GSI19", 1, "bad number 'GSI19' in irq" },
	{ "start a irq=gsi19\nstart b irq=gsi19:level", 2, "irq 'gsi19:level' already given to 'a' (line 1)" },
	{ "start a irq=gsi1,gsi2,gsi3,4,5", 1, "too many irqs (max 4)" },
	{ "start a pci=", 1, "'pci' needs a value (pci=VVVV:DDDD or pci=BB:DD.F)" },
	{ "start a pci=8086:100", 1, "bad pci '8086:100' (VVVV:DDDD vendor:device, or BB:DD.F" },
	{ "start a pci=8086:100e0", 1, "bad pci '8086:100e0'" },
	{ "start a pci=808g:100e", 1, "bad pci '808g:100e'" },
	{ "start a pci=0:3.0", 1, "bad pci '0:3.0'" },
	{ "start a pci=00:03", 1, "bad pci '00:03'" },
	{ "start a pci=00:20.0", 1, "pci '00:20.0': device 0..1f, function 0..7" },
	{ "start a pci=00:03.8", 1, "pci '00:03.8': device 0..1f, function 0..7" },
	{ "start a pci=ffff:100e", 1, "pci 'ffff:100e': vendor ffff is no device" },
	{ "start a pci=8086:100e pci=8086:100e", 1, "option 'pci' given twice" },
	{ "start a pci=00:03.0\nstart b pci=00:03.0", 2, "pci '00:03.0' already given to 'a' (line 1)" },
	{ "start a io=0x3ff-0x3f8", 1, "io range '0x3ff-0x3f8' is reversed" },
	{ "start a io=0x10000-0x10001", 1, "io range '0x10000-0x10001': ports above 0xffff" },
	{ "start a io=0-0x10000", 1, "io range '0-0x10000': ports above 0xffff" },
	{ "start a io=0-99999999999999999999999", 1, "ports above 0xffff" },
	{ "start a io=0x3f8", 1, "io range '0x3f8' needs LO-HI" },
	{ "start a io=1-2-3", 1, "io range '1-2-3' needs LO-HI" },
	{ "start a io=1-", 1, "io range '1-' needs LO-HI" },
	{ "start a io=-1", 1, "io range '-1' needs LO-HI" },
	{ "start a mmio=0x1000", 1, "mmio '0x1000' needs BASE+SIZE" },
	{ "start a mmio=0x1000+4K", 1, "mmio '0x1000+4K' needs BASE+SIZE" },
	{ "start a mmio=0x1001+0x1000", 1, "mmio '0x1001+0x1000' is not page aligned (4096)" },
	{ "start a mmio=0x1000+0x10", 1, "mmio '0x1000+0x10' is not page aligned (4096)" },
	{ "start a mmio=0x1000+0", 1, "mmio '0x1000+0' has size 0" },
	{ "start a mmio=0xfffffffffffff000+0x2000", 1, "mmio '0xfffffffffffff000+0x2000': base+size overflows" },
	{ "start a mmio=0xfffffffffffff000+0x1000", 1, "base+size overflows" },
	{ "start a mmio=0xffffffffffffe000+0x1000,0x1000+0x10000000000000000", 1,
	  "mmio '0x1000+0x10000000000000000': base+size overflows" },
	{ "start a mem=0", 1, "mem '0' must be more than 0" },
	{ "start a mem=0M", 1, "mem '0M' must be more than 0" },
	{ "start a mem=5000", 1, "mem '5000' is not a multiple of 4096" },
	{ "start a mem=1k", 1, "mem '1k' is not a multiple of 4096" },
	{ "start a mem=2G", 1, "mem '2G' is over 1G" },
	{ "start a mem=1073745920", 1, "mem '1073745920' is over 1G" },
	{ "start a mem=17179869184G", 1, "mem '17179869184G' is over 1G" },
	{ "start a mem=99999999999999999999", 1, "mem '99999999999999999999' is over 1G" },
	{ "start a mem=4X", 1, "bad size '4X' in mem (N, NK, NM or NG)" },
	{ "start a mem=4MB", 1, "bad size '4MB' in mem" },
	{ "start a mem=M", 1, "bad size 'M' in mem" },
	{ "start a factory=65M", 1, "factory '65M' is over 64M" },
	{ "start a factory=0", 1, "factory '0' must be more than 0" },
	{ "start a factory=1T", 1, "bad size '1T' in factory" },
	{ "start a shutdown=1", 1, "'shutdown' takes no value" },
	{ "start a control=yes", 1, "'control' takes no value" },
	{ "start a control control", 1, "option 'control' given twice" },
	{ "start a shutdown=", 1, "'shutdown' takes no value" },
	{ "start a shutdown\nstart b\nstart c shutdown", 3, "'shutdown' already given to 'a' (line 1)" },
	{ "start a module=a/b", 1, "bad module name 'a/b'" },
	{ "start a module="
	  "a123456789b123456789c123456789d123456789e123456789f123456789g123", 1,
	  "bad module name 'a123456789b123456789c123456789d123456789e123456789f123456789g123'" },
	{ "", 1, "no programs to start" },
	{ "# nothing\n\n", 2, "no programs to start" },
	{ "\n\n\n   ", 4, "no programs to start" },
	/* a later syntax error wins over an earlier unresolved cap */
	{ "start a caps=nope\nstart b prio=0", 2, "prio '0' out of range" },
};

static void expect_err(const char *text, size_t len, unsigned line, const char *frag)
{
	int r = parse_n(text, len);
	if (r != -1)
		fail_msg("accepted: \"%s\"", text);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "FILE:%u: ", line);
	assert_non_null(memchr(err, '\0', sizeof err));
	if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, frag) == NULL)
		fail_msg("\"%s\": got \"%s\", want \"%s...%s\"", text, err, prefix, frag);
}

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++)
		expect_err(bads[i].text, strlen(bads[i].text), bads[i].line, bads[i].frag);
	print_message("# %zu refusals checked\n", sizeof bads / sizeof bads[0]);
}

static void test_errors_built(void **state)
{
	(void)state;
	char buf[4096];

	/* 17 programs */
	buf[0] = '\0';
	for (int i = 0; i <= CFG_MAX_PROGS; i++)
		sprintf(buf + strlen(buf), "# p%d\nstart p%d\n", i, i);
	expect_err(buf, strlen(buf), 34, "too many programs (max 16)");

	/* args: 199 bytes are fine, 200 are not */
	char args[CFG_ARGS_MAX + 1];
	memset(args, 'a', sizeof args);
	args[CFG_ARGS_MAX - 1] = '\0';
	snprintf(buf, sizeof buf, "start a args=\"%s\"", args);
	assert_int_equal(parse(buf), 0);
	assert_int_equal(strlen(cfg.prog[0].args), CFG_ARGS_MAX - 1);
	args[CFG_ARGS_MAX - 1] = 'a';
	args[CFG_ARGS_MAX] = '\0';
	snprintf(buf, sizeof buf, "start a\nstart b args=\"%s\"", args);
	expect_err(buf, strlen(buf), 2, "args longer than 199 bytes");

	/* a NUL byte, here on line 2, even inside a comment */
	expect_err("start a\n# b\0c\nstart c", 21, 2, "NUL byte");
	expect_err("\0", 1, 1, "NUL byte");

	/* lines of 511 bytes are fine (with CR or not), 512 are not */
	memset(buf, '#', sizeof buf);
	memcpy(buf, "start a\n", 8);
	buf[8 + 511] = '\n';
	assert_int_equal(parse_n(buf, 8 + 512), 0);           /* 511 + LF */
	buf[8 + 511] = '\r';
	buf[8 + 512] = '\n';
	assert_int_equal(parse_n(buf, 8 + 513), 0);           /* 511 + CRLF */
	assert_int_equal(parse_n(buf, 8 + 512), 0);           /* 511 + CR, at the end */
	buf[8 + 511] = '#';
	expect_err(buf, 8 + 512, 2, "line longer than 511 bytes");   /* 512, at the end */
	expect_err(buf, 8 + 513, 2, "line longer than 511 bytes");   /* 512 + LF */
	buf[8 + 512] = '\r';
	buf[8 + 513] = '\n';
	expect_err(buf, 8 + 514, 2, "line longer than 511 bytes");   /* 512 + CRLF */
	expect_err(buf, sizeof buf, 2, "line longer than 511 bytes");
}

/* A length that cuts a line in the middle: the parser sees only the cut. */
static void test_truncated(void **state)
{
	(void)state;
	const char *t = "start a prio=12\nstart b prio=200 args=\"x y\"";
	const char *cut = strstr(t, "prio=200") + 6;
	assert_int_equal(parse_n(t, (size_t)(cut - t)), 0);
	assert_int_equal(cfg.prog[1].prio, 2);
	cut = strstr(t, "x y") + 1;
	expect_err(t, (size_t)(cut - t), 2, "unterminated quote in 'args=\"x'");
	expect_err(t, strlen("start a prio=12\nsta"), 2, "unknown directive 'sta'");
	expect_err(t, strlen("start a prio"), 1, "'prio' needs a value");

	/* every prefix of the full config: no read past the cut, always an answer */
	size_t n = strlen(full), ok = 0;
	for (size_t len = 0; len <= n; len++) {
		int r = parse_n(full, len);
		if (r == 0)
			ok++;
		else
			assert_memory_equal(err, "FILE:", 5);
	}
	assert_true(ok > 0);
}

static void test_err_truncation(void **state)
{
	(void)state;
	const char *t = "start a prio=300";
	char e[32];
	struct config c;

	memset(e, 'Z', sizeof e);
	assert_int_equal(config_parse(t, strlen(t), "FILE", &c, e, 0), -1);
	assert_int_equal(e[0], 'Z');
	assert_int_equal(config_parse(t, strlen(t), "FILE", &c, e, 1), -1);
	assert_int_equal(e[0], '\0');
	assert_int_equal(e[1], 'Z');
	memset(e, 'Z', sizeof e);
	assert_int_equal(config_parse(t, strlen(t), "FILE", &c, e, 5), -1);
	assert_string_equal(e, "FILE");
	assert_int_equal(e[5], 'Z');
	memset(e, 'Z', sizeof e);
	assert_int_equal(config_parse(t, strlen(t), "FILE", &c, e, 12), -1);
	assert_string_equal(e, "FILE:1: pri");
	assert_int_equal(e[12], 'Z');
	/* a long file name alone fills the buffer */
	memset(e, 'Z', sizeof e);
	assert_int_equal(config_parse(t, strlen(t), "a/very/long/path/to/the/boot/config/file",
				      &c, e, 16), -1);
	assert_string_equal(e, "a/very/long/pat");
	assert_int_equal(e[16], 'Z');
	/* no buffer at all */
	assert_int_equal(config_parse(t, strlen(t), "FILE", &c, NULL, 0), -1);
	assert_int_equal(config_parse("start a", 7, "FILE", &c, NULL, 0), 0);
	/* success clears err */
	memset(e, 'Z', sizeof e);
	assert_int_equal(config_parse("start a", 7, "FILE", &c, e, sizeof e), 0);
	assert_string_equal(e, "");
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32) % n;
}

static bool name_ok(const char *s, size_t max, bool dot)
{
	size_t n = strnlen(s, max + 1);
	if (n < 1 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' || (dot && s[i] == '.')))
			return false;
	return true;
}

/* What any accepted config must satisfy. */
static void check_sane(const struct config *c)
{
	unsigned shutdowns = 0;
	assert_in_range(c->nprogs, 1, CFG_MAX_PROGS);
	for (unsigned i = 0; i < c->nprogs; i++) {
		const struct cfg_prog *g = &c->prog[i];
		assert_true(name_ok(g->name, CFG_NAME_MAX - 1, false));
		assert_true(name_ok(g->module, sizeof g->module - 1, true));
		assert_non_null(memchr(g->args, '\0', sizeof g->args));
		assert_null(memchr(g->args, '"', strlen(g->args)));
		assert_in_range(g->prio, 1, 254);
		assert_true(g->restart <= 100 || g->restart == CFG_RESTART_ALWAYS);
		assert_true(g->heartbeat_ms == 0 || (g->heartbeat_ms >= CFG_HEARTBEAT_MIN_MS && g->heartbeat_ms <= CFG_HEARTBEAT_MAX_MS));
		assert_in_range(g->threads, 0, CFG_MAX_THREADS);
		assert_true(g->mem > 0 && g->mem <= 1u << 30 && g->mem % 4096 == 0);
		assert_true(g->factory <= 64u << 20);
		assert_true(g->ncaps <= CFG_MAX_CAPS && g->nirq <= CFG_MAX_IRQS &&
			    g->nio <= CFG_MAX_IO && g->nmmio <= CFG_MAX_MMIO);
		for (unsigned k = 0; k < g->ncaps; k++) {
			assert_true(g->caps[k].prog < c->nprogs && g->caps[k].prog != i);
			assert_true(name_ok(g->caps[k].as, CFG_NAME_MAX - 1, false));
		}
		for (unsigned k = 0; k < g->nirq; k++)
			assert_in_range(g->irq[k], 0, g->irq_mode[k] & CFG_IRQ_GSI ? 255 : 15);
		if (g->pci.set && !g->pci.by_id)
			assert_true(g->pci.dev < 32 && g->pci.fn < 8);
		for (unsigned k = 0; k < g->nio; k++)
			assert_true(g->io[k].size >= 1 && g->io[k].base + g->io[k].size <= 0x10000);
		for (unsigned k = 0; k < g->nmmio; k++)
			assert_true(g->mmio[k].size && !(g->mmio[k].base % 4096) &&
				    !(g->mmio[k].size % 4096) &&
				    g->mmio[k].base + g->mmio[k].size - 1 >= g->mmio[k].base);
		shutdowns += g->shutdown;
	}
	assert_true(shutdowns <= 1);
}

static void test_fuzz(void **state)
{
	(void)state;
	static const char alphabet[] = "\0\n\r \t\"#=,:+-._xX0123456789aAfFkKmMgG\xff";
	static const char *words[] = {
		"start ", "start a ", "prio=", "caps=", "irq=", "io=", "mmio=", "mem=", "factory=",
		"restart=", "shutdown", "args=\"", "module=", "0x", "console", "net", "name", ",",
		"\n", "\r\n", "# ", "4K", "1G", "99999999999999999999", "0xfffffffffffff000",
		"pci=", "8086:100e", "00:1f.7", "gsi", ":level", ":low",
	};
	size_t flen = strlen(full);
	char *buf = malloc(4 * flen);
	unsigned accepted = 0;

	for (int it = 0; it < 20000; it++) {
		size_t n = flen;
		memcpy(buf, full, n);
		for (unsigned m = 1 + rnd(8); m > 0; m--) {
			size_t at = rnd((uint32_t)n + 1);
			switch (rnd(6)) {
			case 0:         /* replace a byte */
				if (at < n)
					buf[at] = alphabet[rnd(sizeof alphabet - 1)];
				break;
			case 1:         /* delete a run */
				if (at < n) {
					size_t k = 1 + rnd(16);
					k = k > n - at ? n - at : k;
					memmove(buf + at, buf + at + k, n - at - k);
					n -= k;
				}
				break;
			case 2: {       /* insert a word */
				const char *w = words[rnd(sizeof words / sizeof words[0])];
				size_t k = strlen(w);
				if (n + k <= 4 * flen) {
					memmove(buf + at + k, buf + at, n - at);
					memcpy(buf + at, w, k);
					n += k;
				}
				break;
			}
			case 3: {       /* duplicate a chunk (lines, long lines, repeats) */
				size_t k = rnd(200);
				k = k > n - at ? n - at : k;
				if (n + k <= 4 * flen) {
					memmove(buf + at + k, buf + at, n - at);
					n += k;
				}
				break;
			}
			case 4:         /* cut the end */
				n = at;
				break;
			default:        /* random byte */
				if (at < n)
					buf[at] = (char)rnd(256);
				break;
			}
		}
		int r = parse_n(buf, n);
		if (r == 0) {
			accepted++;
			check_sane(&cfg);
		} else {
			assert_int_equal(r, -1);
			assert_non_null(memchr(err, '\0', sizeof err));
			assert_memory_equal(err, "FILE:", 5);
		}
	}
	free(buf);
	print_message("# fuzz: 20000 mutations, %u accepted\n", accepted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_gsi_and_pci),
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_forward_caps),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_errors_built),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_err_truncation),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests_name("roottask config", tests, NULL, NULL);
}
