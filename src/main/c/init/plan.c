/* plan.c - decoder of the init plan. Validates every length against the buffer before any
 * operation runs: a malformed plan is refused as a whole (fail closed). */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct opdef plan_opdefs[] = {
#define OP(code, name, sig, handler) {code, #name, sig},
#include "ops.def"
#undef OP
};
const size_t plan_nopdefs = sizeof(plan_opdefs) / sizeof(plan_opdefs[0]);

const struct opdef *plan_find(uint16_t code)
{
	for (size_t i = 0; i < plan_nopdefs; i++)
		if (plan_opdefs[i].code == code)
			return &plan_opdefs[i];
	return NULL;
}

const char *plan_opname(uint16_t code)
{
	const struct opdef *d = plan_find(code);
	return d ? d->name : "?";
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "plan: ");
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A string payload: at least the NUL, NUL-terminated, no NUL inside. */
static int check_string(const uint8_t *p, uint32_t len)
{
	return len >= 1 && p[len - 1] == 0 && memchr(p, 0, len - 1) == NULL;
}

static int check_list(const uint8_t *p, uint32_t len)
{
	if (len < 4)
		return 0;
	uint32_t count = rd32(p), off = 4;
	if (count > (len - 4) / 5) /* each element takes at least 5 bytes */
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		if (len - off < 4)
			return 0;
		uint32_t elen = rd32(p + off);
		off += 4;
		if (elen > len - off || !check_string(p + off, elen))
			return 0;
		off += elen;
	}
	return off == len;
}

static const char *type_name(char sig)
{
	switch (sig) {
	case 'i': return "an int";
	case 's': return "a string";
	case 'l': return "a list";
	case 'b': return "a blob";
	}
	return "?";
}

int plan_decode(const uint8_t *buf, size_t len, struct plan *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len < PLAN_HEADER_SIZE)
		return bad(err, errlen, "truncated header (%zu bytes)", len);
	if (memcmp(buf, PLAN_MAGIC, 4) != 0)
		return bad(err, errlen, "bad magic (not a jrunc plan)");
	if (rd16(buf + 4) != PLAN_VERSION)
		return bad(err, errlen, "unsupported version %u (this jrunc-init reads %u)", rd16(buf + 4), PLAN_VERSION);
	if (rd16(buf + 6) != 0)
		return bad(err, errlen, "unknown header flags 0x%x", rd16(buf + 6));
	uint32_t nops = rd32(buf + 8), body = rd32(buf + 12);
	if (len > PLAN_MAX_SIZE || (size_t)body != len - PLAN_HEADER_SIZE)
		return bad(err, errlen, "body length %u does not match the %zu bytes read", body, len - PLAN_HEADER_SIZE);
	if (nops > body / 8)
		return bad(err, errlen, "op count %u too large for a %u-byte body", nops, body);

	size_t cap = 16, nargs = 0;
	uint32_t *first = calloc(nops ? nops : 1, sizeof(*first));
	struct op *ops = calloc(nops ? nops : 1, sizeof(*ops));
	struct arg *args = malloc(cap * sizeof(*args));
	if (!first || !ops || !args) {
		free(first), free(ops), free(args);
		return bad(err, errlen, "out of memory");
	}
	size_t off = PLAN_HEADER_SIZE;
	for (uint32_t i = 0; i < nops; i++) {
		if (len - off < 8) {
			bad(err, errlen, "op %u: truncated op header at offset %zu", i, off);
			goto fail;
		}
		uint16_t code = rd16(buf + off), argc = rd16(buf + off + 2);
		uint32_t alen = rd32(buf + off + 4);
		off += 8;
		if (alen > len - off) {
			bad(err, errlen, "op %u: arguments (%u bytes) run past the end of the plan", i, alen);
			goto fail;
		}
		const struct opdef *def = plan_find(code);
		if (!def) {
			bad(err, errlen, "op %u: unknown opcode 0x%02x", i, code);
			goto fail;
		}
		if (argc != strlen(def->sig)) {
			bad(err, errlen, "op %u (%s): %u arguments, expected %zu", i, def->name, argc, strlen(def->sig));
			goto fail;
		}
		ops[i].code = code;
		ops[i].argc = argc;
		first[i] = (uint32_t)nargs;
		size_t end = off + alen;
		for (int a = 0; a < argc; a++) {
			if (end - off < 5) {
				bad(err, errlen, "op %u (%s): argument %d: truncated header", i, def->name, a);
				goto fail;
			}
			uint8_t type = buf[off];
			uint32_t plen = rd32(buf + off + 1);
			off += 5;
			if (plen > end - off) {
				bad(err, errlen, "op %u (%s): argument %d: %u bytes run past the op", i, def->name, a, plen);
				goto fail;
			}
			char want = def->sig[a];
			int ok;
			switch (type) {
			case ARG_INT: ok = want == 'i' && plen == 8; break;
			case ARG_STR: ok = want == 's' && check_string(buf + off, plen); break;
			case ARG_LIST: ok = want == 'l' && check_list(buf + off, plen); break;
			case ARG_BLOB: ok = want == 'b'; break;
			default: ok = 0;
			}
			if (!ok) {
				bad(err, errlen, "op %u (%s): argument %d: malformed or not %s (type %u, %u bytes)",
				    i, def->name, a, type_name(want), type, plen);
				goto fail;
			}
			if (nargs == cap) {
				cap *= 2;
				struct arg *n = realloc(args, cap * sizeof(*args));
				if (!n) {
					bad(err, errlen, "out of memory");
					goto fail;
				}
				args = n;
			}
			args[nargs].type = type;
			args[nargs].len = plen;
			args[nargs].p = buf + off;
			nargs++;
			off += plen;
		}
		if (off != end) {
			bad(err, errlen, "op %u (%s): %zu stray bytes after the arguments", i, def->name, end - off);
			goto fail;
		}
	}
	if (off != len) {
		bad(err, errlen, "%zu stray bytes after the last op", len - off);
		goto fail;
	}
	/* args is final now: point each op at its arguments */
	for (uint32_t i = 0; i < nops; i++)
		ops[i].args = args + first[i];
	free(first);
	out->nops = nops;
	out->ops = ops;
	out->args = args;
	return 0;
fail:
	free(first), free(ops), free(args);
	return -1;
}

void plan_free(struct plan *plan)
{
	free(plan->ops);
	free(plan->args);
	memset(plan, 0, sizeof(*plan));
}

int64_t arg_i(const struct op *op, int n) { return (int64_t)rd64(op->args[n].p); }

const char *arg_s(const struct op *op, int n) { return (const char *)op->args[n].p; }

const uint8_t *arg_b(const struct op *op, int n, uint32_t *len)
{
	*len = op->args[n].len;
	return op->args[n].p;
}

char **arg_l(const struct op *op, int n)
{
	const uint8_t *p = op->args[n].p;
	uint32_t count = rd32(p), off = 4;
	char **v = calloc((size_t)count + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t elen = rd32(p + off);
		v[i] = (char *)(p + off + 4);
		off += 4 + elen;
	}
	return v;
}
