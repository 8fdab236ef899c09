/*
 * The rendered public pages a process keeps for a moment (page_cache_ms,
 * a second by default): when a post is linked from the news, thousands of
 * readers ask for the same page within seconds, and each would otherwise
 * cost a handful of queries and a rendering. A page is kept by its
 * address and language only; public pages hold nothing that depends on
 * who asks (web/web.h), which is what makes this safe. Each process keeps
 * its own: another meentd needs none of it, and it may be stale by at
 * most the time it is kept, which the pages' own "max-age=60" allows any
 * cache anyway.
 *
 * Thread-safe: one mutex, held to copy a page in or out.
 */
#ifndef MEENT_WEB_PAGE_CACHE_H
#define MEENT_WEB_PAGE_CACHE_H

#include <stddef.h>

#define PAGE_CACHE_SLOTS	64
#define PAGE_CACHE_MAX_BODY	(256 * 1024)	/* larger pages are not kept */

/* A kept page; every string is owned by it (page_cache_entry_free). */
struct page_cache_entry {
	char	*pc_type;		/* Content-Type */
	char	*pc_form_action;	/* as web_reply_public's, or NULL */
	char	*pc_etag;
	char	*pc_body;
	size_t	 pc_len;
};

/*
 * Copies the page kept for key (the language and the request URI) into
 * *e when it was kept less than ttl_ms ago. 1 when found, else 0.
 */
int	 page_cache_get(const char *key, long long ttl_ms, struct page_cache_entry *e);

/* Keeps a copy of e under key, replacing what its slot held. */
void	 page_cache_put(const char *key, const struct page_cache_entry *e);

void	 page_cache_entry_free(struct page_cache_entry *e);

#endif
