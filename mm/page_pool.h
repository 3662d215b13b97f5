/* Hypervisor-private page pool: page tables and other hypervisor data come
 * from here, and no part of it is ever mapped into a guest. */
#pragma once
#include "types.h"

struct page_pool {
	uint64_t base; /* address of the first page (PA == hypervisor VA) */
	size_t npages;
	uint64_t *used; /* one bit per page */
	size_t free_pages;
};

void page_pool_init(struct page_pool *pool, uint64_t base, size_t npages, uint64_t *bitmap);
/* n contiguous zeroed pages aligned to align_pages pages, or NULL. */
void *page_pool_alloc(struct page_pool *pool, size_t n, size_t align_pages);
void page_pool_free(struct page_pool *pool, void *p, size_t n);
/* Whether the pool's i-th page is allocated. */
bool page_pool_page_used(const struct page_pool *pool, size_t i);

/* Pages taken from the pool ahead of a mapping, so that the mapping itself
 * cannot fail half-way (prepare, then commit). Free pages are linked through
 * their first word. */
struct page_cache {
	void *head;
	size_t count;
};
int page_cache_fill(struct page_cache *c, struct page_pool *pool, size_t n);
void *page_cache_take(struct page_cache *c);
void page_cache_drain(struct page_cache *c, struct page_pool *pool);
