/* test_elf.c - host tests for kernel/elf.c: every refusal path, and a
 * corruption sweep under ASan to show no header can make the checker read
 * outside the image. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <l4/util/elf.h>

#define MIN_VA 0x1000ull
#define MAX_VA 0x0000600000000000ull

enum { IMG_SIZE = 0x3000 };

/* A good executable: text at 0x400000 (R X), data at 0x401000 (R W). */
static uint8_t *good_image(void)
{
	uint8_t *img = calloc(1, IMG_SIZE);
	struct elf64_ehdr *e = (struct elf64_ehdr *)img;
	memcpy(e->e_ident, "\177ELF", 4);
	e->e_ident[4] = 2; e->e_ident[5] = 1; e->e_ident[6] = 1;
	e->e_type = 2; e->e_machine = 62; e->e_version = 1;
	e->e_entry = 0x400010; e->e_phoff = 64; e->e_ehsize = 64;
	e->e_phentsize = sizeof(struct elf64_phdr); e->e_phnum = 2;
	struct elf64_phdr *p = (struct elf64_phdr *)(img + 64);
	p[0] = (struct elf64_phdr){ 1, 5, 0x1000, 0x400000, 0x400000, 0x100, 0x100, 0x1000 };
	p[1] = (struct elf64_phdr){ 1, 6, 0x2000, 0x401000, 0x401000, 0x80, 0x2000, 0x1000 };
	return img;
}

static struct elf64_ehdr *EH(uint8_t *img) { return (struct elf64_ehdr *)img; }
static struct elf64_phdr *PH(uint8_t *img, int i) { return (struct elf64_phdr *)(img + 64) + i; }

static enum elf_err parse(uint8_t *img, size_t size, unsigned *where)
{
	struct elf_image ei;
	unsigned w;
	enum elf_err e = elf_parse(img, size, MIN_VA, MAX_VA, &ei, where ? where : &w);
	return e;
}

static void test_good(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	struct elf_image ei;
	unsigned w = 99;
	assert_int_equal(elf_parse(img, IMG_SIZE, MIN_VA, MAX_VA, &ei, &w), ELF_OK);
	assert_int_equal(ei.nseg, 2);
	assert_int_equal(ei.entry, 0x400010);
	assert_int_equal(ei.seg[0].prot, ELF_PF_R | ELF_PF_X);
	assert_int_equal(ei.seg[1].prot, ELF_PF_R | ELF_PF_W);
	assert_int_equal(ei.seg[1].memsz, 0x2000);
	assert_int_equal(ei.seg[1].filesz, 0x80);
	free(img);
}

static void test_truncated(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	assert_int_equal(parse(img, 63, NULL), ELF_ETRUNC);
	assert_int_equal(parse(img, 0, NULL), ELF_ETRUNC);
	free(img);
}

static void test_header_fields(void **state)
{
	(void)state;
	struct { int off; uint8_t val; enum elf_err want; } cases[] = {
		{ 0, 0x7e, ELF_EMAGIC }, { 3, 'f', ELF_EMAGIC },
		{ 4, 1, ELF_ECLASS },        /* ELFCLASS32 */
		{ 5, 2, ELF_ECLASS },        /* big endian */
		{ 6, 0, ELF_ECLASS },        /* version */
		{ 16, 3, ELF_ETYPE },        /* ET_DYN */
		{ 16, 1, ELF_ETYPE },        /* ET_REL */
		{ 18, 3, ELF_EMACHINE },     /* EM_386 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t *img = good_image();
		img[cases[i].off] = cases[i].val;
		assert_int_equal(parse(img, IMG_SIZE, NULL), cases[i].want);
		free(img);
	}
}

static void test_phdr_table(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	EH(img)->e_phentsize = 32;
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EPHDR);
	EH(img)->e_phentsize = sizeof(struct elf64_phdr);
	EH(img)->e_phnum = 0;
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EPHDR);
	EH(img)->e_phnum = 2;
	EH(img)->e_phoff = IMG_SIZE - 100;               /* second header runs off the end */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EPHDR);
	EH(img)->e_phoff = ~0ull - 10;                    /* offset arithmetic must not wrap */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EPHDR);
	EH(img)->e_phoff = 64;
	EH(img)->e_phnum = 0xffff;                        /* table larger than the file */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EPHDR);
	free(img);
}

static void test_no_load(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	PH(img, 0)->p_type = 4;    /* PT_NOTE */
	PH(img, 1)->p_type = 6;    /* PT_PHDR */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_ENOLOAD);
	free(img);
}

static void test_empty_segment_skipped(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	PH(img, 1)->p_memsz = 0;
	PH(img, 1)->p_filesz = 0;
	PH(img, 1)->p_vaddr = 0;   /* would be out of range if it were checked */
	struct elf_image ei;
	unsigned w;
	assert_int_equal(elf_parse(img, IMG_SIZE, MIN_VA, MAX_VA, &ei, &w), ELF_OK);
	assert_int_equal(ei.nseg, 1);
	free(img);
}

static void test_too_many(void **state)
{
	(void)state;
	size_t size = 64 + 20 * sizeof(struct elf64_phdr);
	uint8_t *img = good_image();
	EH(img)->e_phnum = 20;
	for (int i = 0; i < 20; i++)
		*PH(img, i) = (struct elf64_phdr){ 1, 5, 0, 0x400000 + 0x1000ull * i, 0, 0, 0x10, 0x1000 };
	unsigned w;
	assert_true(size < IMG_SIZE);
	assert_int_equal(parse(img, IMG_SIZE, &w), ELF_ETOOMANY);
	assert_int_equal(w, ELF_MAX_SEGMENTS);
	free(img);
}

static void test_segment_file_range(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	unsigned w = 0;
	PH(img, 1)->p_filesz = IMG_SIZE;                    /* 0x2000 + 0x3000 > size */
	PH(img, 1)->p_memsz = IMG_SIZE;
	assert_int_equal(parse(img, IMG_SIZE, &w), ELF_ESEGFILE);
	assert_int_equal(w, 1);
	PH(img, 1)->p_offset = ~0ull;                       /* no wrap-around */
	PH(img, 1)->p_filesz = 2;
	assert_int_equal(parse(img, IMG_SIZE, &w), ELF_ESEGFILE);
	free(img);
}

static void test_segment_sizes(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	PH(img, 0)->p_filesz = 0x200;                       /* more file than memory */
	unsigned w = 9;
	assert_int_equal(parse(img, IMG_SIZE, &w), ELF_ESEGSIZE);
	assert_int_equal(w, 0);
	free(img);
}

static void test_segment_addresses(void **state)
{
	(void)state;
	struct { uint64_t vaddr, memsz, align; } bad[] = {
		{ 0, 0x100, 0x1000 },                         /* page zero: below MIN_VA */
		{ MAX_VA, 0x100, 0x1000 },                    /* at the limit */
		{ MAX_VA - 0x1000, 0x2000, 0x1000 },          /* runs past the limit */
		{ 0xffffffff80000000ull, 0x100, 0x1000 },     /* kernel half */
		{ 0x401000, ~0ull - 0x1000, 0x1000 },         /* vaddr + memsz wraps */
		{ 0x401000, 0x100, 0x3000 },                  /* align not a power of two */
		{ 0x401800, 0x100, 0x1000 },                  /* vaddr != offset mod align */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t *img = good_image();
		PH(img, 1)->p_vaddr = bad[i].vaddr;
		PH(img, 1)->p_memsz = bad[i].memsz;
		PH(img, 1)->p_align = bad[i].align;
		unsigned w = 0;
		assert_int_equal(parse(img, IMG_SIZE, &w), ELF_ESEGADDR);
		assert_int_equal(w, 1);
		free(img);
	}
}

static void test_overlap(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	PH(img, 1)->p_vaddr = 0x400000 + 0x800;              /* same page as text */
	PH(img, 1)->p_offset = 0x800;
	PH(img, 1)->p_align = 0x800;
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EOVERLAP);
	free(img);
}

static void test_entry(void **state)
{
	(void)state;
	uint8_t *img = good_image();
	EH(img)->e_entry = 0x401010;                         /* inside data: not executable */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EENTRY);
	EH(img)->e_entry = 0x400100;                         /* one past the end of text */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_EENTRY);
	EH(img)->e_entry = 0x4000ff;                         /* last byte of text */
	assert_int_equal(parse(img, IMG_SIZE, NULL), ELF_OK);
	free(img);
}

static void test_strerror(void **state)
{
	(void)state;
	for (int e = ELF_OK; e <= ELF_EENTRY; e++) {
		assert_non_null(elf_strerror(e));
		for (int f = ELF_OK; f < e; f++)
			assert_string_not_equal(elf_strerror(e), elf_strerror(f));
	}
	assert_string_equal(elf_strerror((enum elf_err)1000), "unknown ELF error");
}

/* Flip bytes of the headers at random: the checker may accept or refuse,
 * but must never read outside the image (ASan watches), and what it
 * accepts must lie inside the file and the address range. */
static void test_corruption_sweep(void **state)
{
	(void)state;
	srand(1234);
	for (int round = 0; round < 20000; round++) {
		uint8_t *good = good_image();
		size_t size = 64 + 2 * sizeof(struct elf64_phdr) + (size_t)(rand() % (IMG_SIZE - 176));
		uint8_t *img = malloc(size);      /* exact size: ASan catches any overread */
		memcpy(img, good, size);
		for (int k = 0; k < 1 + rand() % 4; k++)
			img[rand() % (64 + 2 * sizeof(struct elf64_phdr))] = (uint8_t)rand();
		struct elf_image ei;
		unsigned w;
		if (elf_parse(img, size, MIN_VA, MAX_VA, &ei, &w) == ELF_OK) {
			for (unsigned i = 0; i < ei.nseg; i++) {
				assert_true(ei.seg[i].offset + ei.seg[i].filesz <= size);
				assert_true(ei.seg[i].vaddr >= MIN_VA);
				assert_true(ei.seg[i].vaddr + ei.seg[i].memsz <= MAX_VA);
				assert_true(ei.seg[i].filesz <= ei.seg[i].memsz);
			}
		}
		free(img);
		free(good);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_phdr_table),
		cmocka_unit_test(test_no_load),
		cmocka_unit_test(test_empty_segment_skipped),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_segment_file_range),
		cmocka_unit_test(test_segment_sizes),
		cmocka_unit_test(test_segment_addresses),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_entry),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_corruption_sweep),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
