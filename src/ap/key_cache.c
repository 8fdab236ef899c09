/* The keys of recent signers, per thread: see key_cache.h. */
#include <stdlib.h>
#include <string.h>

#include "ap/key_cache.h"
#include "ap/signature.h"
#include "util/clock.h"
#include "util/mem.h"
#include "util/thread_slot.h"

struct key_cache {
	struct ap_key_entry	 e[AP_KEY_CACHE_SIZE];
};

static void
entry_clear(struct ap_key_entry *e)
{
	free(e->key_id);
	free((char *)e->signer.uri);
	free((char *)e->signer.domain);
	free((char *)e->signer.inbox);
	free((char *)e->signer.followers);
	free((char *)e->signer.featured);
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

static struct thread_slot key_cache_slot =
    THREAD_SLOT(sizeof(struct key_cache), key_cache_free);

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
	struct key_cache	*c = thread_slot_get(&key_cache_slot);
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
	struct key_cache	*c = thread_slot_get(&key_cache_slot);
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
	e->signer.account_id = from->account_id;
	e->signer.uri = xstrdup(from->uri);
	e->signer.domain = xstrdup(from->domain);
	e->signer.inbox = xstrdup(from->inbox);
	e->signer.followers = xstrdup(from->followers);
	e->signer.featured = xstrdup(from->featured);
	e->key = key;
	e->at_ms = clock_ms();
}

void
ap_key_cache_drop(const char *key_id)
{
	struct key_cache	*c = thread_slot_get(&key_cache_slot);
	struct ap_key_entry	*e;

	if (c != NULL && (e = key_cache_find(c, key_id)) != NULL)
		entry_clear(e);
}
