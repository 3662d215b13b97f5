/* Reading a fuzzer's bytes as a sequence of choices: once the input runs
 * out every read gives 0, so each input is a complete, finite run. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fuzz_bytes(struct fuzz_in *in, unsigned nbytes)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < nbytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}
static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	return (uint8_t)fuzz_bytes(in, 1);
}
static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	return (uint32_t)fuzz_bytes(in, 4);
}
static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	return fuzz_bytes(in, 8);
}
/* One of n choices (n > 0). */
static inline unsigned fuzz_pick(struct fuzz_in *in, unsigned n)
{
	return fuzz_u8(in) % n;
}
/* A value a config or a guest would plausibly use most of the time (one of
 * vals), and now and then any 64-bit value, so both the common paths and
 * the edges get visited. */
static inline uint64_t fuzz_value(struct fuzz_in *in, const uint64_t *vals, unsigned n)
{
	unsigned c = fuzz_u8(in);
	if (c < 224)
		return vals[c % n];
	if (c < 240)
		return vals[c % n] + (fuzz_u8(in) - 128) * 0x1000ULL;
	return fuzz_u64(in);
}
