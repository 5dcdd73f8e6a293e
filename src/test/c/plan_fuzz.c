/*
 * plan_fuzz: the plan decoder against malformed input, built with AddressSanitizer and UBSan.
 *
 *   plan_fuzz [GOLDEN.bin ...]
 *
 * 1. hand-made bad plans must be refused with the expected message;
 * 2. every golden plan must decode; every truncation of it must be refused; every single-byte
 *    corruption and a few thousand random multi-byte ones must be refused or decode cleanly,
 *    never read outside the buffer (each input sits in a malloc of its exact size, so ASan
 *    sees any overread).
 * Exit status 0 when all pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

static int failures;

static int decode(const uint8_t *data, size_t len, char *err, size_t errlen)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	struct plan plan;
	int r = plan_decode(copy, len, &plan, err, errlen);
	if (r == 0) {
		/* walk every argument through the accessors */
		for (uint32_t i = 0; i < plan.nops; i++)
			for (int a = 0; a < plan.ops[i].argc; a++) {
				const struct op *op = &plan.ops[i];
				uint32_t blen;
				switch (op->args[a].type) {
				case ARG_INT: (void)arg_i(op, a); break;
				case ARG_STR: (void)strlen(arg_s(op, a)); break;
				case ARG_BLOB: (void)arg_b(op, a, &blen); break;
				case ARG_LIST: {
					char **v = arg_l(op, a);
					for (char **s = v; s && *s; s++)
						(void)strlen(*s);
					free(v);
				}
				}
			}
		plan_free(&plan);
	}
	free(copy);
	return r;
}

/* A small builder for hand-made plans. */
struct buf { uint8_t b[4096]; size_t n; };
static void put(struct buf *b, const void *p, size_t n) { memcpy(b->b + b->n, p, n); b->n += n; }
static void u8(struct buf *b, unsigned v) { uint8_t x = (uint8_t)v; put(b, &x, 1); }
static void u16(struct buf *b, unsigned v) { u8(b, v & 0xff); u8(b, v >> 8); }
static void u32(struct buf *b, uint32_t v) { u16(b, v & 0xffff); u16(b, v >> 16); }
static void header(struct buf *b, uint32_t nops, uint32_t body)
{
	put(b, "JRPL", 4); u16(b, 1); u16(b, 0); u32(b, nops); u32(b, body);
}

static void expect_bad(const char *name, const struct buf *b, const char *needle)
{
	char err[512] = "";
	if (decode(b->b, b->n, err, sizeof(err)) == 0) {
		printf("FAIL %s: accepted\n", name);
		failures++;
	} else if (!strstr(err, needle)) {
		printf("FAIL %s: message \"%s\" lacks \"%s\"\n", name, err, needle);
		failures++;
	} else {
		printf("ok   %s: %s\n", name, err);
	}
}

/* one op with the given body bytes */
static struct buf one_op(unsigned code, unsigned argc, const struct buf *args)
{
	struct buf b = {.n = 0};
	header(&b, 1, (uint32_t)(8 + args->n));
	u16(&b, code); u16(&b, argc); u32(&b, (uint32_t)args->n);
	put(&b, args->b, args->n);
	return b;
}

static void handmade(void)
{
	struct buf b = {.n = 0}, a = {.n = 0};
	expect_bad("empty", &b, "truncated header");
	put(&b, "XXXX", 4); u16(&b, 1); u16(&b, 0); u32(&b, 0); u32(&b, 0);
	expect_bad("magic", &b, "bad magic");
	b.n = 0; put(&b, "JRPL", 4); u16(&b, 2); u16(&b, 0); u32(&b, 0); u32(&b, 0);
	expect_bad("version", &b, "unsupported version 2");
	b.n = 0; header(&b, 0, 5);
	expect_bad("body length", &b, "body length");
	b.n = 0; header(&b, 1000, 8); u32(&b, 0); u32(&b, 0);
	expect_bad("op count", &b, "op count");
	b.n = 0; header(&b, 0, 3); u8(&b, 0); u8(&b, 0); u8(&b, 0);
	expect_bad("stray after ops", &b, "stray bytes after the last op");

	b = one_op(0x7f, 0, &a);
	expect_bad("unknown opcode", &b, "unknown opcode 0x7f");
	b = one_op(0x32, 0, &a);
	expect_bad("hook argc", &b, "0 arguments, expected 7");
	b = one_op(0x31, 0, &a);
	expect_bad("seccomp argc", &b, "0 arguments, expected 3");
	b = one_op(0x06, 0, &a);
	expect_bad("argc", &b, "0 arguments, expected 1");

	a.n = 0; u8(&a, 1); u32(&a, 8); u32(&a, 0); u32(&a, 0); /* int where a string is due */
	b = one_op(0x06, 1, &a);
	expect_bad("type", &b, "not a string");
	a.n = 0; u8(&a, 2); u32(&a, 3); put(&a, "abc", 3); /* no NUL */
	b = one_op(0x06, 1, &a);
	expect_bad("unterminated string", &b, "not a string");
	a.n = 0; u8(&a, 2); u32(&a, 4); put(&a, "a\0b", 4); /* NUL inside */
	b = one_op(0x06, 1, &a);
	expect_bad("NUL inside string", &b, "not a string");
	a.n = 0; u8(&a, 2); u32(&a, 0);
	b = one_op(0x06, 1, &a);
	expect_bad("empty string payload", &b, "not a string");
	a.n = 0; u8(&a, 2); u32(&a, 0xfffffff0u); put(&a, "x", 2);
	b = one_op(0x06, 1, &a);
	expect_bad("huge string length", &b, "run past the op");
	a.n = 0; u8(&a, 1); u32(&a, 4); u32(&a, 0);
	b = one_op(0x03, 1, &a);
	expect_bad("short int", &b, "not an int");
	a.n = 0; u8(&a, 1); u32(&a, 8); u32(&a, 0); u32(&a, 0); u8(&a, 0);
	b = one_op(0x03, 1, &a);
	expect_bad("stray in op", &b, "stray bytes after the arguments");

	/* exec: list argv with a count far above its size, then an element past the end */
	a.n = 0; u8(&a, 3); u32(&a, 4); u32(&a, 0x7fffffff);
	u8(&a, 3); u32(&a, 4); u32(&a, 0);
	b = one_op(0x2b, 2, &a);
	expect_bad("list count", &b, "not a list");
	a.n = 0; u8(&a, 3); u32(&a, 10); u32(&a, 1); u32(&a, 9); put(&a, "ab", 2);
	u8(&a, 3); u32(&a, 4); u32(&a, 0);
	b = one_op(0x2b, 2, &a);
	expect_bad("list element", &b, "not a list");
	a.n = 0; u8(&a, 3); u32(&a, 5); u32(&a, 0); u8(&a, 0); /* stray byte in the list */
	u8(&a, 3); u32(&a, 4); u32(&a, 0);
	b = one_op(0x2b, 2, &a);
	expect_bad("list stray", &b, "not a list");

	/* a valid exec for contrast */
	a.n = 0; u8(&a, 3); u32(&a, 4 + 4 + 3); u32(&a, 1); u32(&a, 3); put(&a, "sh", 3);
	u8(&a, 3); u32(&a, 4); u32(&a, 0);
	b = one_op(0x2b, 2, &a);
	char err[512];
	if (decode(b.b, b.n, err, sizeof(err)) != 0) {
		printf("FAIL valid exec refused: %s\n", err);
		failures++;
	} else {
		printf("ok   valid exec accepted\n");
	}
	/* truncate the header's op: body says 1 op but has 4 bytes */
	b.n = 0; header(&b, 1, 8); u16(&b, 0x04); u16(&b, 0); u32(&b, 1);
	expect_bad("args past end", &b, "run past the end");
}

static uint32_t rng = 12345;
static uint32_t rnd(void) { rng = rng * 1103515245u + 12345u; return rng >> 8; }

static void golden(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("FAIL %s: cannot open\n", path);
		failures++;
		return;
	}
	static uint8_t data[1 << 20];
	size_t len = fread(data, 1, sizeof(data), f);
	fclose(f);
	char err[512];
	if (decode(data, len, err, sizeof(err)) != 0) {
		printf("FAIL %s: golden plan refused: %s\n", path, err);
		failures++;
		return;
	}
	size_t accepted_truncations = 0, accepted_flips = 0, flips = 0, randoms = 0;
	for (size_t n = 0; n < len; n++)
		if (decode(data, n, err, sizeof(err)) == 0)
			accepted_truncations++;
	uint8_t *copy = malloc(len);
	static const int deltas[] = {0x01, 0x80, 0xff};
	for (size_t i = 0; i < len; i++) {
		for (size_t d = 0; d < 5; d++) {
			memcpy(copy, data, len);
			copy[i] = d < 3 ? (uint8_t)(copy[i] ^ deltas[d]) : d == 3 ? 0 : 0xff;
			flips++;
			if (decode(copy, len, err, sizeof(err)) == 0)
				accepted_flips++;
		}
	}
	for (int r = 0; r < 20000; r++) {
		memcpy(copy, data, len);
		int k = 1 + (int)(rnd() % 8);
		for (int j = 0; j < k; j++)
			copy[rnd() % len] = (uint8_t)rnd();
		size_t n = len - (rnd() % 4 == 0 ? rnd() % len : 0);
		(void)decode(copy, n, err, sizeof(err));
		randoms++;
	}
	free(copy);
	if (accepted_truncations) {
		printf("FAIL %s: %zu truncations accepted\n", path, accepted_truncations);
		failures++;
	}
	/* A flip inside a string's text or an int's value can give another valid plan: fine.
	 * What matters is that nothing crashed (ASan would have aborted). */
	printf("ok   %s: %zu bytes, %zu truncations refused, %zu/%zu flips refused, %zu random corruptions survived\n",
	       path, len, len, flips - accepted_flips, flips, randoms);
}

int main(int argc, char **argv)
{
	handmade();
	for (int i = 1; i < argc; i++)
		golden(argv[i]);
	printf(failures ? "%d FAILURES\n" : "all passed\n", failures);
	return failures ? 1 : 0;
}
