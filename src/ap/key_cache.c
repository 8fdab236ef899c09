/* The keys of recent signers, per thread: see key_cache.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ap/key_cache.h"
#include "ap/signature.h"
#include "ap/verify.h"
#include "util/clock.h"
#include "util/mem.h"

struct key_cache {
	struct ap_key_entry	 e[AP_KEY_CACHE_SIZE];
};

static pthread_key_t	 key_cache_key;
static pthread_once_t	 key_cache_once = PTHREAD_ONCE_INIT;

static void
entry_clear(struct ap_key_entry *e)
{
	free(e->key_id);
	free(e->uri);
	free(e->domain);
	free(e->inbox);
	free(e->followers);
	free(e->featured);
	ap_signature_key_free(e->key);
	memset(e, 0, sizeof(*e));
}

static void
key_cache_free(void *p)
{
	struct key_cache *c = p;

	for (int i = 0; i < AP_KEY_CACHE_SIZE; i++)
		entry_clear(&c->e[i]);
	free(c);
}

static void
key_cache_init(void)
{
	/* The destructor frees a thread's cache when the thread ends. */
	(void)pthread_key_create(&key_cache_key, key_cache_free);
}

/* The calling thread's cache, made on first use; NULL if it cannot be. */
static struct key_cache *
key_cache(void)
{
	struct key_cache *c;

	pthread_once(&key_cache_once, key_cache_init);
	if ((c = pthread_getspecific(key_cache_key)) == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(key_cache_key, c) != 0) {
			free(c);
			return NULL;
		}
	}
	return c;
}

static struct ap_key_entry *
key_cache_find(struct key_cache *c, const char *key_id)
{
	for (int i = 0; i < AP_KEY_CACHE_SIZE; i++)
		if (c->e[i].key_id != NULL && strcmp(c->e[i].key_id, key_id) == 0)
			return &c->e[i];
	return NULL;
}

const struct ap_key_entry *
ap_key_cache_get(const char *key_id)
{
	struct key_cache	*c = key_cache();
	struct ap_key_entry	*e;

	if (c == NULL || (e = key_cache_find(c, key_id)) == NULL)
		return NULL;
	if (clock_ms() - e->at_ms >= AP_KEY_CACHE_TTL_MS) {
		entry_clear(e);
		return NULL;
	}
	return e;
}

void
ap_key_cache_put(const char *key_id, const struct ap_signer *from,
    struct ap_signature_key *key)
{
	struct key_cache	*c = key_cache();
	struct ap_key_entry	*e;

	if (c == NULL) {
		ap_signature_key_free(key);
		return;
	}
	if ((e = key_cache_find(c, key_id)) == NULL) {
		e = &c->e[0];
		for (int i = 0; i < AP_KEY_CACHE_SIZE; i++) {
			if (c->e[i].key_id == NULL) {
				e = &c->e[i];
				break;
			}
			if (c->e[i].at_ms < e->at_ms)
				e = &c->e[i];	/* the oldest goes */
		}
	}
	entry_clear(e);
	e->key_id = xstrdup(key_id);
	e->account_id = from->account_id;
	e->uri = xstrdup(from->uri);
	e->domain = xstrdup(from->domain);
	e->inbox = xstrdup(from->inbox);
	e->followers = xstrdup(from->followers);
	e->featured = xstrdup(from->featured);
	e->key = key;
	e->at_ms = clock_ms();
}

void
ap_key_cache_drop(const char *key_id)
{
	struct key_cache	*c = key_cache();
	struct ap_key_entry	*e;

	if (c != NULL && (e = key_cache_find(c, key_id)) != NULL)
		entry_clear(e);
}
