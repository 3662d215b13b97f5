#include "string.h"

#include <stdint.h>

void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	/* Word stores for the bulk: zeroing tables and guest RAM is hot at boot. */
	while (n && ((uintptr_t)p & 7)) {
		*p++ = (unsigned char)c;
		n--;
	}
	uint64_t w = (unsigned char)c * 0x0101010101010101ULL;
	for (; n >= 8; n -= 8, p += 8)
		*(uint64_t *)p = w;
	while (n--)
		*p++ = (unsigned char)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	/* Word copies when both sides share an alignment: guest images sit at
	 * 4-byte offsets in the config blob and are copied to page boundaries. */
	if ((((uintptr_t)dp | (uintptr_t)sp) & 7) == 0) {
		for (; n >= 8; n -= 8, dp += 8, sp += 8)
			*(uint64_t *)dp = *(const uint64_t *)sp;
	} else if ((((uintptr_t)dp | (uintptr_t)sp) & 3) == 0) {
		for (; n >= 4; n -= 4, dp += 4, sp += 4)
			*(uint32_t *)dp = *(const uint32_t *)sp;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (unsigned char)*a - (unsigned char)*b;
	}
	return 0;
}

char *strstr(const char *h, const char *n)
{
	size_t len = strlen(n);
	for (; *h; h++)
		if (!strncmp(h, n, len))
			return (char *)h;
	return len ? NULL : (char *)h;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
