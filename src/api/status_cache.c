/*
 * Cached Status entities for pages of statuses: see status_cache.h.
 *
 * A slot holds one status's entity as an anonymous reader sees it,
 * without "reblog", as compact JSON text, with the version it was
 * rendered at. The table is direct-mapped by id: a status evicts whatever
 * shared its slot, which bounds the work and the memory without any
 * bookkeeping. Texts are immutable and counted: a page takes a reference
 * to each text it needs under the lock and copies it into the reply
 * outside it, once.
 *
 * A version is never older than its text: the versions are read before
 * the entities are rendered, so a change committed in between yields a
 * newer text under the older version, which the next request (which sees
 * the newer version) replaces.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "api/entity.h"
#include "api/status_cache.h"
#include "util/mem.h"

#define SC_VERSION_MAX	192		/* longer versions (many attachments) are not cached */
#define SC_TEXT_MAX	(64u << 10)	/* nor entities longer than this */
#define SC_OUT_KEEP	(1u << 20)	/* a thread keeps a page buffer up to this size */
#define SC_FLAGS_MAX	128		/* bytes the viewer's fields add to an entity */

/* An entity's text, shared by the cache and the pages using it. */
struct sc_text {
	unsigned	 refs;		/* under sc_lock */
	size_t		 len;
	char		 data[];	/* compact JSON, NUL-terminated */
};

struct sc_slot {
	long long	 id;		/* 0: empty */
	char		 version[SC_VERSION_MAX];
	struct sc_text	*text;		/* one reference */
};

/* Process-wide on purpose: every thread serves the same statuses. */
static struct sc_slot	 sc_slots[API_STATUS_CACHE_SLOTS];
static size_t		 sc_bytes;	/* text held by the slots */
static pthread_mutex_t	 sc_lock = PTHREAD_MUTEX_INITIALIZER;

/* Each HTTP thread's page buffer (api_status_page_render's result). */
struct sc_out {
	char		*data;
	size_t		 cap;
};

static pthread_key_t	 sc_out_key;
static pthread_once_t	 sc_out_once = PTHREAD_ONCE_INIT;

/* One entity a page needs: a status of the page or a reblogged original. */
struct sc_entity {
	long long	 id;
	const char	*version;	/* borrowed from the page's result */
	struct sc_text	*text;		/* a reference; NULL until found or rendered */
};

static struct sc_slot *
sc_slot_of(long long id)
{
	unsigned long long h = (unsigned long long)id * 0x9E3779B97F4A7C15ULL;

	return &sc_slots[(h >> 40) & (API_STATUS_CACHE_SLOTS - 1)];
}

/* Drops a reference; the text is freed with the last one. Under sc_lock. */
static struct sc_text *
sc_unref_locked(struct sc_text *t)
{
	return t != NULL && --t->refs == 0 ? t : NULL;
}

/* References to the cached texts of es at their versions. */
static void
sc_get(struct sc_entity *es, size_t n)
{
	pthread_mutex_lock(&sc_lock);
	for (size_t i = 0; i < n; i++) {
		struct sc_slot *s = sc_slot_of(es[i].id);

		if (s->id == es[i].id && s->text != NULL &&
		    strcmp(s->version, es[i].version) == 0) {
			s->text->refs++;
			es[i].text = s->text;
		}
	}
	pthread_mutex_unlock(&sc_lock);
}

/* Keeps e's text in its slot, unless it or its version is too long or
 * the cache is full. */
static void
sc_put(const struct sc_entity *e)
{
	struct sc_slot	*s = sc_slot_of(e->id);
	struct sc_text	*old = NULL;
	size_t		 held;

	if (e->text->len > SC_TEXT_MAX || strlen(e->version) >= SC_VERSION_MAX)
		return;
	pthread_mutex_lock(&sc_lock);
	held = s->text != NULL ? s->text->len : 0;
	if (sc_bytes - held + e->text->len <= API_STATUS_CACHE_BYTES) {
		old = sc_unref_locked(s->text);
		sc_bytes = sc_bytes - held + e->text->len;
		s->id = e->id;
		snprintf(s->version, sizeof(s->version), "%s", e->version);
		s->text = e->text;
		s->text->refs++;
	}
	pthread_mutex_unlock(&sc_lock);
	free(old);
}

/* Drops the page's references. */
static void
sc_release(struct sc_entity *es, size_t n)
{
	struct sc_text	**dead = xcalloc(n + 1, sizeof(*dead));
	size_t		 ndead = 0;

	pthread_mutex_lock(&sc_lock);
	for (size_t i = 0; i < n; i++)
		if ((dead[ndead] = sc_unref_locked(es[i].text)) != NULL)
			ndead++;
	pthread_mutex_unlock(&sc_lock);
	for (size_t i = 0; i < ndead; i++)
		free(dead[i]);
	free(dead);
}

/* A new text of refs 1 holding s. */
static struct sc_text *
sc_text_new(const char *s)
{
	size_t		 len = strlen(s);
	struct sc_text	*t = xmalloc(sizeof(*t) + len + 1);

	t->refs = 1;
	t->len = len;
	memcpy(t->data, s, len + 1);
	return t;
}

/* The entity of id among the n of es, or NULL. */
static struct sc_entity *
sc_find(struct sc_entity *es, size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (es[i].id == id)
			return &es[i];
	return NULL;
}

/*
 * Renders the entities of es not found in the cache (as an anonymous
 * reader, in one query), keeps them, and fills them in. 0, or -1 on a
 * database error.
 */
static int
sc_render_missing(struct http_req *req, struct sc_entity *es, size_t n)
{
	long long	*miss = xcalloc(n + 1, sizeof(*miss));
	size_t		 m = 0, i;
	json_t		*arr, *obj;
	struct sc_entity *e;
	char		*text;

	for (i = 0; i < n; i++)
		if (es[i].text == NULL)
			miss[m++] = es[i].id;
	if (m == 0 || api_statuses_render(req, 0, miss, m, &arr) == -1) {
		free(miss);
		return m == 0 ? 0 : -1;
	}
	free(miss);
	json_array_foreach(arr, i, obj) {
		const char *id = json_string_value(json_object_get(obj, "id"));

		if (id == NULL || (e = sc_find(es, n, strtoll(id, NULL, 10))) == NULL ||
		    e->text != NULL)
			continue;
		/* The original goes in at assembly, with the viewer's flags. */
		json_object_del(obj, "reblog");
		if ((text = json_dumps(obj, JSON_COMPACT)) == NULL)
			continue;
		e->text = sc_text_new(text);
		free(text);
		sc_put(e);
	}
	json_decref(arr);
	return 0;
}

/* Writes s (len bytes) at *p. */
static void
sc_write(char **p, const char *s, size_t len)
{
	memcpy(*p, s, len);
	*p += len;
}

/* Writes the viewer's fields for flags (see TL_PAGE). */
static void
sc_flags(char **p, const char *f)
{
	static const char *const fields[2][5] = {
		{ ",\"favourited\":false", ",\"reblogged\":false", ",\"bookmarked\":false",
		  ",\"muted\":false", ",\"pinned\":false" },
		{ ",\"favourited\":true", ",\"reblogged\":true", ",\"bookmarked\":true",
		  ",\"muted\":true", ",\"pinned\":true" },
	};

	if (f == NULL || strlen(f) != 5)
		return;
	for (int i = 0; i < 5; i++)
		if (f[i] != '-')
			sc_write(p, fields[f[i] == 't'][i], strlen(fields[f[i] == 't'][i]));
}

/* Writes e's entity with its flags and, for a reblog, its original o. */
static void
sc_emit(char **p, const struct sc_entity *e, const char *flags,
    const struct sc_entity *o, const char *oflags)
{
	sc_write(p, e->text->data, e->text->len - 1);	/* all but the closing brace */
	if (o != NULL) {
		sc_write(p, ",\"reblog\":", 10);
		sc_write(p, o->text->data, o->text->len - 1);
		sc_write(p, ",\"reblog\":null", 14);
		sc_flags(p, oflags);
		sc_write(p, "}", 1);
	} else
		sc_write(p, ",\"reblog\":null", 14);
	sc_flags(p, flags);
	sc_write(p, "}", 1);
}

static const char *
sc_value(const PGresult *page, int row, int col)
{
	return PQgetisnull(page, row, col) ? NULL : PQgetvalue(page, row, col);
}

/* The entities of row r: e, and o for a reblog. 0, or -1 when the row
 * does not render. */
static int
sc_row_entities(const PGresult *page, int r, struct sc_entity *es, size_t nes,
    struct sc_entity **e, struct sc_entity **o)
{
	*o = NULL;
	if (sc_value(page, r, API_STATUS_PAGE_VERSION) == NULL)
		return -1;
	*e = sc_find(es, nes, strtoll(PQgetvalue(page, r, API_STATUS_PAGE_ID), NULL, 10));
	if (*e == NULL || (*e)->text == NULL)
		return -1;
	if (sc_value(page, r, API_STATUS_PAGE_REBLOG) == NULL)
		return 0;
	/* A reblog renders with its original or not at all. */
	if (sc_value(page, r, API_STATUS_PAGE_ORIG_VERSION) == NULL)
		return -1;
	*o = sc_find(es, nes, strtoll(PQgetvalue(page, r, API_STATUS_PAGE_REBLOG), NULL, 10));
	return *o != NULL && (*o)->text != NULL ? 0 : -1;
}

static void
sc_out_free(void *p)
{
	struct sc_out	*o = p;

	free(o->data);
	free(o);
}

static void
sc_out_init(void)
{
	/* The destructor frees a thread's buffer when the thread ends. */
	(void)pthread_key_create(&sc_out_key, sc_out_free);
}

/*
 * The thread's buffer with room for cap bytes, kept between pages: a
 * fresh one of this size per request costs page faults that show in the
 * request rate. One larger than is worth keeping is dropped at the next
 * page. NULL only when the thread's key cannot be set.
 */
static char *
sc_out_room(size_t cap)
{
	struct sc_out	*o;

	pthread_once(&sc_out_once, sc_out_init);
	if ((o = pthread_getspecific(sc_out_key)) == NULL) {
		o = xcalloc(1, sizeof(*o));
		if (pthread_setspecific(sc_out_key, o) != 0) {
			free(o);
			return NULL;
		}
	}
	if (cap > o->cap || o->cap > SC_OUT_KEEP) {
		free(o->data);
		o->data = xmalloc(cap);
		o->cap = cap;
	}
	return o->data;
}

/* The page's array, rows in order (reversed when reverse), in the
 * thread's buffer; NULL when there is none. */
static char *
sc_assemble(const PGresult *page, int reverse, struct sc_entity *es, size_t nes,
    size_t *len)
{
	int	 rows = PQntuples(page), first = 1;
	size_t	 cap = 3;
	char	*out, *p;

	/* The exact room first: an original may be reblogged on many rows. */
	for (int r = 0; r < rows; r++) {
		struct sc_entity *e, *o;

		if (sc_row_entities(page, r, es, nes, &e, &o) == 0)
			cap += e->text->len + (o != NULL ? o->text->len : 0) +
			    2 * SC_FLAGS_MAX + 64;
	}
	if ((p = out = sc_out_room(cap)) == NULL)
		return NULL;
	sc_write(&p, "[", 1);
	for (int k = 0; k < rows; k++) {
		int	 r = reverse ? rows - 1 - k : k;
		struct sc_entity *e, *o;

		if (sc_row_entities(page, r, es, nes, &e, &o) == -1)
			continue;
		if (!first)
			sc_write(&p, ",", 1);
		first = 0;
		sc_emit(&p, e, sc_value(page, r, API_STATUS_PAGE_FLAGS), o,
		    o != NULL ? sc_value(page, r, API_STATUS_PAGE_ORIG_FLAGS) : NULL);
	}
	sc_write(&p, "]", 2);	/* with the NUL */
	*len = (size_t)(p - out) - 1;
	return out;
}

/* Adds the entity of column idcol (with its version in vcol) of row r to es. */
static void
sc_add(const PGresult *page, int r, int idcol, int vcol, struct sc_entity *es, size_t *n)
{
	long long	 id;

	if (PQgetisnull(page, r, idcol) || PQgetisnull(page, r, vcol))
		return;
	id = strtoll(PQgetvalue(page, r, idcol), NULL, 10);
	if (sc_find(es, *n, id) != NULL)
		return;
	es[*n].id = id;
	es[*n].version = PQgetvalue(page, r, vcol);
	es[*n].text = NULL;
	(*n)++;
}

const char *
api_status_page_render(struct http_req *req, const void *pgresult, int reverse,
    size_t *len)
{
	const PGresult	*page = pgresult;
	struct sc_entity *es;
	size_t		 nes = 0;
	char		*out = NULL;

	/* The statuses and their originals, each once. */
	es = xcalloc((size_t)PQntuples(page) * 2 + 1, sizeof(*es));
	for (int r = 0; r < PQntuples(page); r++) {
		sc_add(page, r, API_STATUS_PAGE_ID, API_STATUS_PAGE_VERSION, es, &nes);
		sc_add(page, r, API_STATUS_PAGE_REBLOG, API_STATUS_PAGE_ORIG_VERSION, es, &nes);
	}
	sc_get(es, nes);
	if (sc_render_missing(req, es, nes) == 0)
		out = sc_assemble(page, reverse, es, nes, len);
	sc_release(es, nes);
	free(es);
	return out;
}
