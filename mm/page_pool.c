#include "page_pool.h"

#include "lib/string.h"

static bool page_used(const struct page_pool *pool, size_t i)
{
	return pool->used[i / 64] & BIT(i % 64);
}

bool page_pool_page_used(const struct page_pool *pool, size_t i)
{
	return i < pool->npages && page_used(pool, i);
}

static void mark(struct page_pool *pool, size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			pool->used[i / 64] |= BIT(i % 64);
		else
			pool->used[i / 64] &= ~BIT(i % 64);
	}
}

void page_pool_init(struct page_pool *pool, uint64_t base, size_t npages, uint64_t *bitmap)
{
	pool->base = base;
	pool->npages = npages;
	pool->used = bitmap;
	pool->free_pages = npages;
	memset(bitmap, 0, ALIGN_UP(npages, 64) / 8);
}

void *page_pool_alloc(struct page_pool *pool, size_t n, size_t align_pages)
{
	if (n == 0 || n > pool->free_pages)
		return NULL;
	uint64_t align = (align_pages ? align_pages : 1) * PAGE_SIZE;
	/* First fit, stepping by the alignment on absolute addresses. */
	uint64_t first = ALIGN_UP(pool->base, align);
	for (uint64_t a = first; a + n * PAGE_SIZE <= pool->base + pool->npages * PAGE_SIZE;
	     a += align) {
		size_t i = (a - pool->base) / PAGE_SIZE, k;
		for (k = 0; k < n && !page_used(pool, i + k); k++)
			;
		if (k < n)
			continue;
		mark(pool, i, n, true);
		pool->free_pages -= n;
		void *p = (void *)(uintptr_t)a;
		memset(p, 0, n * PAGE_SIZE);
		return p;
	}
	return NULL;
}

void page_pool_free(struct page_pool *pool, void *p, size_t n)
{
	size_t i = ((uint64_t)(uintptr_t)p - pool->base) / PAGE_SIZE;
	mark(pool, i, n, false);
	pool->free_pages += n;
}

int page_cache_fill(struct page_cache *c, struct page_pool *pool, size_t n)
{
	while (c->count < n) {
		void **page = page_pool_alloc(pool, 1, 1);
		if (!page) {
			page_cache_drain(c, pool);
			return -ENOMEM;
		}
		*page = c->head;
		c->head = page;
		c->count++;
	}
	return 0;
}

void *page_cache_take(struct page_cache *c)
{
	void **page = c->head;
	if (!page)
		return NULL;
	c->head = *page;
	c->count--;
	*page = NULL; /* pages leave the cache zeroed */
	return page;
}

void page_cache_drain(struct page_cache *c, struct page_pool *pool)
{
	void *p;
	while ((p = page_cache_take(c)))
		page_pool_free(pool, p, 1);
}
