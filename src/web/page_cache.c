/*
 * The moment's cache of public pages: see page_cache.h. Direct-mapped by
 * a hash of the key: a collision only costs a rendering.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/mem.h"
#include "web/page_cache.h"

struct page_cache_slot {
	char			*ps_key;	/* NULL: empty */
	long long		 ps_at;		/* monotonic ms when kept */
	struct page_cache_entry	 ps_entry;
};

static pthread_mutex_t		 page_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct page_cache_slot	 page_cache_slots[PAGE_CACHE_SLOTS];

/* FNV-1a. */
static size_t
page_cache_slot_of(const char *key)
{
	uint32_t	 h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % PAGE_CACHE_SLOTS;
}

static void
page_cache_copy(struct page_cache_entry *dst, const struct page_cache_entry *src)
{
	dst->pc_type = xstrdup(src->pc_type);
	dst->pc_form_action = src->pc_form_action != NULL ?
	    xstrdup(src->pc_form_action) : NULL;
	dst->pc_etag = xstrdup(src->pc_etag);
	dst->pc_body = xmalloc(src->pc_len + 1);
	memcpy(dst->pc_body, src->pc_body, src->pc_len);
	dst->pc_body[src->pc_len] = '\0';
	dst->pc_len = src->pc_len;
}

void
page_cache_entry_free(struct page_cache_entry *e)
{
	free(e->pc_type);
	free(e->pc_form_action);
	free(e->pc_etag);
	free(e->pc_body);
	memset(e, 0, sizeof(*e));
}

int
page_cache_get(const char *key, long long ttl_ms, struct page_cache_entry *e)
{
	struct page_cache_slot	*s = &page_cache_slots[page_cache_slot_of(key)];
	int			 found = 0;

	if (ttl_ms <= 0)
		return 0;
	pthread_mutex_lock(&page_cache_lock);
	if (s->ps_key != NULL && strcmp(s->ps_key, key) == 0 &&
	    clock_ms() - s->ps_at < ttl_ms) {
		page_cache_copy(e, &s->ps_entry);
		found = 1;
	}
	pthread_mutex_unlock(&page_cache_lock);
	return found;
}

void
page_cache_put(const char *key, const struct page_cache_entry *e)
{
	struct page_cache_slot	*s = &page_cache_slots[page_cache_slot_of(key)];
	struct page_cache_entry	 copy, old;
	char			*k, *oldkey;

	if (e->pc_len > PAGE_CACHE_MAX_BODY)
		return;
	/* Copy outside the lock; free the old page outside it too. */
	page_cache_copy(&copy, e);
	k = xstrdup(key);
	pthread_mutex_lock(&page_cache_lock);
	oldkey = s->ps_key;
	old = s->ps_entry;
	s->ps_key = k;
	s->ps_entry = copy;
	s->ps_at = clock_ms();
	pthread_mutex_unlock(&page_cache_lock);
	free(oldkey);
	page_cache_entry_free(&old);
}
