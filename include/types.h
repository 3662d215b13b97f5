/* Basic types. Physical addresses, guest IPAs and hypervisor VAs are distinct
 * struct types so that a stage-2 walk handed a PA does not compile. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t pa;
} paddr_t;
typedef struct {
	uint64_t ipa;
} ipaddr_t;
typedef struct {
	uint64_t va;
} vaddr_t;

static inline paddr_t pa_init(uint64_t a)
{
	return (paddr_t){a};
}
static inline ipaddr_t ipa_init(uint64_t a)
{
	return (ipaddr_t){a};
}
static inline vaddr_t va_init(uint64_t a)
{
	return (vaddr_t){a};
}
static inline uint64_t pa_addr(paddr_t p)
{
	return p.pa;
}
static inline uint64_t ipa_addr(ipaddr_t p)
{
	return p.ipa;
}
static inline uint64_t va_addr(vaddr_t p)
{
	return p.va;
}

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1ULL << PAGE_SHIFT)
#define SZ_2M	   (1ULL << 21)
#define SZ_1G	   (1ULL << 30)

#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define ALIGN_UP(x, a)	 ALIGN_DOWN((x) + (a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	 ((a) < (b) ? (a) : (b))
#define MAX(a, b)	 ((a) > (b) ? (a) : (b))
#define BIT(n)		 (1ULL << (n))
/* Bits hi..lo set. */
#define GENMASK(hi, lo) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

/* Error codes returned as negatives. */
#define EINVAL 22
#define ENOSPC 28
#define ENOMEM 12
#define EEXIST 17
#define ERANGE 34
#define ENOENT 2
#define EBUSY  16
#define EAGAIN 11
#define EIO    5
#define ETIMEDOUT 110

/* Storage the boot does not clear (linker.ld .noinit): for large buffers
 * every user writes before reading. */
#define __noinit __attribute__((section(".noinit")))
