/*
 * The server-rendered pages: see web.h. The assets are loaded by the first
 * request that needs them and kept for the life of the process; a change
 * to a template takes a restart, as a change to the binary does.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/reply.h"
#include "http/request.h"
#include "http/router.h"
#include "meent.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/token.h"
#include "web/catalog.h"
#include "web/locale.h"
#include "web/page_cache.h"
#include "web/template.h"
#include "web/web.h"

#define WEB_MAX_TEMPLATES	64
#define WEB_MAX_CSS		(256 * 1024)

/* The languages we have catalogues for; the first is the fallback. */
static const char *const web_locales[] = { "en", "nl" };
#define WEB_NLOCALES	(sizeof(web_locales) / sizeof(web_locales[0]))

struct web_template {
	char		*wt_name;	/* file name without ".html" */
	struct tpl	*wt_tpl;
};

struct web_assets {
	struct web_template	 wa_tpls[WEB_MAX_TEMPLATES];
	size_t			 wa_ntpls;
	struct web_catalog	*wa_catalogs[WEB_NLOCALES];
	char			*wa_css;
	size_t			 wa_css_len;
	char			 wa_css_url[64];	/* "/static/meent.css?v=<hash>" */
};

/*
 * Process-wide because every HTTP thread renders the same read-only
 * assets; the mutex only guards the first load (the struct meent has no
 * slot for them: main.c would load them before the threads start).
 */
static pthread_mutex_t	 web_lock = PTHREAD_MUTEX_INITIALIZER;
static struct web_assets *web_assets;
static int		 web_load_failed;

/* The bytes of path (new, NUL-terminated), at most max; NULL (logged) on failure. */
static char *
web_read_file(const char *path, size_t max, size_t *len)
{
	FILE	*fp;
	char	*data = NULL;
	size_t	 n;

	if ((fp = fopen(path, "rb")) == NULL) {
		log_error("web_read", "path=%s error=\"%s\"", path, strerror(errno));
		return NULL;
	}
	data = xmalloc(max + 1);
	n = fread(data, 1, max + 1, fp);
	if (ferror(fp) || n > max) {
		log_error("web_read", "path=%s error=\"%s\"", path,
		    ferror(fp) ? "read error" : "file too large");
		free(data);
		data = NULL;
	} else {
		data[n] = '\0';
		*len = n;
	}
	fclose(fp);
	return data;
}

static void
web_assets_free(struct web_assets *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->wa_ntpls; i++) {
		free(a->wa_tpls[i].wt_name);
		tpl_free(a->wa_tpls[i].wt_tpl);
	}
	for (size_t i = 0; i < WEB_NLOCALES; i++)
		web_catalog_free(a->wa_catalogs[i]);
	free(a->wa_css);
	free(a);
}

static int
web_load_template(struct web_assets *a, const char *dir, const char *file)
{
	size_t	 flen = strlen(file), len;
	char	 path[1200], err[200];
	char	*text;
	struct tpl *t;

	if (a->wa_ntpls == WEB_MAX_TEMPLATES) {
		log_error("web_load", "dir=%s error=\"more than %d templates\"", dir,
		    WEB_MAX_TEMPLATES);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((text = web_read_file(path, TPL_MAX_SIZE, &len)) == NULL)
		return -1;
	t = tpl_parse(text, len, 0, err, sizeof(err));
	free(text);
	if (t == NULL) {
		log_error("web_load", "path=%s error=\"%s\"", path, err);
		return -1;
	}
	a->wa_tpls[a->wa_ntpls].wt_name = xstrndup(file, flen -
	    (strcmp(file + flen - 4, ".xml") == 0 ? 4 : 5));
	a->wa_tpls[a->wa_ntpls].wt_tpl = t;
	a->wa_ntpls++;
	return 0;
}

static int
web_load_templates(struct web_assets *a, const char *base)
{
	char		 dir[1100];
	DIR		*d;
	struct dirent	*e;
	int		 rc = 0;

	snprintf(dir, sizeof(dir), "%s/templates", base);
	if ((d = opendir(dir)) == NULL) {
		log_error("web_load", "dir=%s error=\"%s\"", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t	 n = strlen(e->d_name);

		if (n > 5 && n < 100 && e->d_name[0] != '.' &&
		    (strcmp(e->d_name + n - 5, ".html") == 0 ||
		    strcmp(e->d_name + n - 4, ".xml") == 0))
			rc = web_load_template(a, dir, e->d_name);
	}
	closedir(d);
	return rc;
}

/* Keeps the names ending in suffix, for scandir, whose filter takes no
 * argument; loads are one at a time under web_lock. */
static const char *web_scan_suffix;

static int
web_scan_filter(const struct dirent *e)
{
	size_t	 n = strlen(e->d_name), s = strlen(web_scan_suffix);

	return e->d_name[0] != '.' && n > s && n < 100 &&
	    strcmp(e->d_name + n - s, web_scan_suffix) == 0;
}

/*
 * Appends first, then every file ending in suffix in dir in name order
 * (a directory that does not exist has none), to b. -1 (logged) when a
 * file cannot be read or b's cap is reached.
 */
static int
web_read_parts(struct buf *b, const char *first, const char *dir, const char *suffix,
    size_t max)
{
	struct dirent	**list = NULL;
	char		 *text, path[1300];
	size_t		  len;
	int		  n, rc = 0;

	if ((text = web_read_file(first, max, &len)) == NULL)
		return -1;
	rc = buf_append(b, text, len);
	free(text);
	web_scan_suffix = suffix;
	n = scandir(dir, &list, web_scan_filter, alphasort);
	for (int i = 0; i < n; i++) {
		if (rc == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			if ((text = web_read_file(path, max, &len)) == NULL ||
			    buf_puts(b, "\n") == -1 || buf_append(b, text, len) == -1)
				rc = -1;
			free(text);
		}
		free(list[i]);
	}
	free(list);
	if (rc == -1)
		log_error("web_load", "path=%s error=\"too large or unreadable\"", dir);
	return rc;
}

/*
 * A language's messages are locales/<code>.txt (the words every page
 * shares) and then locales/<code>/<page>.txt, one file per page, so a
 * translator works through one page at a time.
 */
static int
web_load_catalogs(struct web_assets *a, const char *base)
{
	for (size_t i = 0; i < WEB_NLOCALES; i++) {
		char		 path[1100], dir[1100], err[200];
		struct buf	 b;

		snprintf(path, sizeof(path), "%s/locales/%s.txt", base, web_locales[i]);
		snprintf(dir, sizeof(dir), "%s/locales/%s", base, web_locales[i]);
		buf_init(&b, WEB_CATALOG_MAX_SIZE);
		if (web_read_parts(&b, path, dir, ".txt", WEB_CATALOG_MAX_SIZE) == -1) {
			buf_cleanup(&b);
			return -1;
		}
		a->wa_catalogs[i] = web_catalog_parse(b.data != NULL ? b.data : "", b.len,
		    err, sizeof(err));
		buf_cleanup(&b);
		if (a->wa_catalogs[i] == NULL) {
			log_error("web_load", "path=%s error=\"%s\"", path, err);
			return -1;
		}
	}
	return 0;
}

/*
 * The one stylesheet is static/meent.css followed by static/css/<page>.css,
 * one file per kind of page, served as one.
 */
static int
web_load_css(struct web_assets *a, const char *base)
{
	char		 path[1100], dir[1100], hash[TOKEN_HASH_BUFSZ];
	struct buf	 b;

	snprintf(path, sizeof(path), "%s/static/meent.css", base);
	snprintf(dir, sizeof(dir), "%s/static/css", base);
	buf_init(&b, WEB_MAX_CSS);
	if (web_read_parts(&b, path, dir, ".css", WEB_MAX_CSS) == -1 || b.data == NULL) {
		buf_cleanup(&b);
		return -1;
	}
	a->wa_css_len = b.len;
	a->wa_css = buf_take(&b);
	/* The URL names the content, so the stylesheet can be cached for a
	 * year and a new version is still fetched at once. */
	if (token_hash(a->wa_css, hash) == -1)
		return -1;
	snprintf(a->wa_css_url, sizeof(a->wa_css_url), "/static/meent.css?v=%.16s", hash);
	return 0;
}

/* The assets, loaded on first use; NULL when they cannot be (logged once). */
static const struct web_assets *
web_get(const struct http_req *req)
{
	const char	*dir = req->req_meent->cfg.web_dir;
	struct web_assets *a;

	pthread_mutex_lock(&web_lock);
	if (web_assets == NULL && !web_load_failed) {
		a = xcalloc(1, sizeof(*a));
		if (web_load_templates(a, dir) == -1 || web_load_catalogs(a, dir) == -1 ||
		    web_load_css(a, dir) == -1) {
			log_error("web_load", "dir=%s error=\"no web pages can be shown\"",
			    dir);
			web_assets_free(a);
			web_load_failed = 1;
		} else {
			web_assets = a;
		}
	}
	a = web_assets;
	pthread_mutex_unlock(&web_lock);
	return a;
}

/* The environment of one render: the assets and the reader's language. */
struct web_env_arg {
	const struct web_assets	*ea_assets;
	size_t			 ea_locale;
};

static const struct tpl *
web_partial(void *arg, const char *name, size_t len)
{
	const struct web_assets *a = ((struct web_env_arg *)arg)->ea_assets;

	for (size_t i = 0; i < a->wa_ntpls; i++)
		if (strlen(a->wa_tpls[i].wt_name) == len &&
		    memcmp(a->wa_tpls[i].wt_name, name, len) == 0)
			return a->wa_tpls[i].wt_tpl;
	return NULL;
}

/* A message of the reader's language, or of English when it has none. */
static const struct tpl *
web_message(void *arg, const char *key, size_t len)
{
	struct web_env_arg	*ea = arg;
	const struct tpl	*t;

	t = web_catalog_get(ea->ea_assets->wa_catalogs[ea->ea_locale], key, len);
	if (t == NULL)
		t = web_catalog_get(ea->ea_assets->wa_catalogs[0], key, len);
	return t;
}

static size_t
web_locale_index(const char *locale)
{
	int	 i = web_locale_find(locale, web_locales, WEB_NLOCALES);

	return i < 0 ? 0 : (size_t)i;
}

const char *
web_locale(const struct http_req *req, const char *lang)
{
	int	 i = web_locale_find(lang, web_locales, WEB_NLOCALES);

	if (i < 0)
		i = web_locale_pick(http_req_header(req, "Accept-Language"), web_locales,
		    WEB_NLOCALES);
	return web_locales[i < 0 ? 0 : i];
}

/* Renders key of the catalogue as plain text with a (assets) in locale. */
static json_t *
web_text_with(const struct web_assets *a, const char *locale, const char *key,
    json_t *ctx)
{
	struct web_env_arg	 ea = { a, web_locale_index(locale) };
	struct tpl_env		 env = { web_partial, web_message, &ea };
	const struct tpl	*t;
	struct buf		 b;
	json_t			*s;

	if (a == NULL || (t = web_message(&ea, key, strlen(key))) == NULL)
		return json_string(key);
	buf_init(&b, WEB_MAX_PAGE);
	if (tpl_render(t, ctx, &env, TPL_RAW, &b) == -1 || b.data == NULL)
		s = json_string(key);
	else
		s = json_stringn(b.data, b.len);
	buf_cleanup(&b);
	return s != NULL ? s : json_string("");
}

json_t *
web_text(const struct http_req *req, const char *locale, const char *key, json_t *ctx)
{
	return web_text_with(web_get(req), locale, key, ctx);
}

/* The CSP of every page; form_action as web_reply_page describes it. */
static void
web_csp(struct http_req *req, const char *form_action)
{
	char	 csp[1200];

	/* Nothing but our own stylesheet and images: no script runs on these
	 * pages, so a bug in a template cannot become a script injection. */
	snprintf(csp, sizeof(csp), "default-src 'none'; style-src 'self'; "
	    "img-src 'self' data:; media-src 'self'; %s%s%sframe-ancestors 'none'; "
	    "base-uri 'none'",
	    form_action == NULL || *form_action != '\0' ? "form-action " : "",
	    form_action == NULL ? "'self'" : form_action,
	    form_action == NULL || *form_action != '\0' ? "; " : "");
	http_reply_header(req, "Content-Security-Policy", csp);
	http_reply_header(req, "X-Frame-Options", "DENY");
	http_reply_header(req, "X-Content-Type-Options", "nosniff");
	http_reply_header(req, "Referrer-Policy", "no-referrer");
}

/* The page name, as fails to render, answered with a plain 500. */
static void
web_reply_broken(struct http_req *req, const char *name, const char *why)
{
	static const char msg[] = "The page cannot be shown: see the server log.\n";

	log_error("web_page", "name=%s error=\"%s\"", name, why);
	http_reply_body(req, 500, "text/plain; charset=utf-8", msg, sizeof(msg) - 1);
}

/*
 * The links to this page in the other languages, for the switch every
 * page shows: the path of the request with ?lang=.
 */
static json_t *
web_lang_links(const struct http_req *req, size_t current)
{
	static const char *const names[] = { "English", "Nederlands" };
	json_t		*links = json_array();
	const char	*uri = req->req_uri != NULL ? req->req_uri : "/";
	size_t		 plen = strcspn(uri, "?#");
	char		 href[HTTP_MAX_PATH + 16];

	if (plen >= HTTP_MAX_PATH)
		plen = 1;
	for (size_t i = 0; i < WEB_NLOCALES; i++) {
		snprintf(href, sizeof(href), "%.*s?lang=%s", (int)plen, uri, web_locales[i]);
		json_array_append_new(links, json_pack("{s:s,s:s,s:s,s:b}",
		    "code", web_locales[i], "name", names[i], "href", href,
		    "current", i == current));
	}
	return links;
}

/*
 * Renders name with ctx into b (initialised here; the caller cleans it
 * up), adding what every page has. -1 (logged, 500 sent) on failure.
 */
static int
web_render(struct http_req *req, const char *name, const char *locale, json_t *ctx,
    struct buf *b)
{
	const struct web_assets	*a = web_get(req);
	struct web_env_arg	 ea;
	struct tpl_env		 env = { web_partial, web_message, &ea };
	const struct tpl	*t;
	const char		*lang = http_req_query(req, "lang");
	char			 title[160];

	buf_init(b, WEB_MAX_PAGE);
	if (a == NULL || (t = web_partial(&(struct web_env_arg){ a, 0 }, name,
	    strlen(name))) == NULL) {
		web_reply_broken(req, name, "no such template");
		return -1;
	}
	ea.ea_assets = a;
	ea.ea_locale = web_locale_index(locale);
	json_object_set_new(ctx, "lang", json_string(web_locales[ea.ea_locale]));
	json_object_set_new(ctx, "instance", json_string(req->req_meent->cfg.instance_name));
	json_object_set_new(ctx, "domain", json_string(req->req_meent->cfg.domain));
	json_object_set_new(ctx, "css_url", json_string(a->wa_css_url));
	json_object_set_new(ctx, "lang_links", web_lang_links(req, ea.ea_locale));
	/* A language chosen with the switch is carried on the page's own
	 * links, as there is no cookie to remember it. */
	if (web_locale_find(lang, web_locales, WEB_NLOCALES) >= 0) {
		snprintf(title, sizeof(title), "lang=%s", web_locales[ea.ea_locale]);
		json_object_set_new(ctx, "lang_qs", json_string(title));
	}
	if (json_object_get(ctx, "title") == NULL) {
		snprintf(title, sizeof(title), "%s.title", name);
		json_object_set_new(ctx, "title", web_text_with(a, locale, title, ctx));
	}
	if (tpl_render(t, ctx, &env, 0, b) == -1 || b->data == NULL) {
		web_reply_broken(req, name, "rendering failed");
		return -1;
	}
	return 0;
}

void
web_reply_page(struct http_req *req, int status, const char *name,
    const char *locale, json_t *ctx, const char *form_action)
{
	struct buf	 b;

	json_object_set_new(ctx, "noindex", json_true());
	if (web_render(req, name, locale, ctx, &b) == 0) {
		web_csp(req, form_action);
		/* Sign-in and consent pages hold a CSRF token and a user's name. */
		http_reply_header(req, "Cache-Control", "private, no-store");
		http_reply_body(req, status, "text/html; charset=utf-8", b.data, b.len);
	}
	buf_cleanup(&b);
}

/* Whether the If-None-Match header (a list, or "*") names etag. */
static int
web_etag_matches(const char *inm, const char *etag)
{
	size_t	 elen = strlen(etag);

	if (inm == NULL)
		return 0;
	while (*inm != '\0') {
		inm += strspn(inm, " \t,");
		if (*inm == '*')
			return 1;
		if (strncmp(inm, "W/", 2) == 0)	/* weak comparison, RFC 9110 13.1.2 */
			inm += 2;
		if (strncmp(inm, etag, elen) == 0 &&
		    (inm[elen] == '\0' || inm[elen] == ',' || inm[elen] == ' '))
			return 1;
		inm += strcspn(inm, ",");
	}
	return 0;
}

/* The page cache's key of req in locale: the language and the URI. */
static int
web_cache_key(const struct http_req *req, const char *locale, char *key, size_t keysz)
{
	int	 n = snprintf(key, keysz, "%s %s", locale, req->req_uri != NULL ?
	    req->req_uri : "");

	return n > 0 && (size_t)n < keysz ? 0 : -1;
}

/* The headers every public page has, whatever its status. */
static void
web_reply_page_headers(struct http_req *req, const char *form_action)
{
	web_csp(req, form_action);
	/* The page depends on these request headers; shared caches must
	 * keep the variants apart. */
	http_reply_header(req, "Vary", "Accept, Accept-Language");
}

/* The headers and body of a 200 public page, or 304 when the reader has it. */
static void
web_reply_fresh(struct http_req *req, const char *type, const char *form_action,
    const char *etag, const char *body, size_t len)
{
	web_reply_page_headers(req, form_action);
	/* Short, so a new post or a deletion shows within a minute, and with
	 * an ETag so a reload costs a rendering but not the bytes. */
	http_reply_header(req, "Cache-Control", "public, max-age=60");
	http_reply_header(req, "ETag", etag);
	if (web_etag_matches(http_req_header(req, "If-None-Match"), etag))
		http_reply_empty(req, 304);
	else
		http_reply_body(req, 200, type, body, len);
}

int
web_reply_cached(struct http_req *req, const char *locale)
{
	struct page_cache_entry	 e;
	char			 key[HTTP_MAX_PATH + 16];

	if (web_cache_key(req, locale, key, sizeof(key)) == -1 ||
	    !page_cache_get(key, req->req_meent->cfg.page_cache_ms, &e))
		return 0;
	web_reply_fresh(req, e.pc_type, e.pc_form_action, e.pc_etag, e.pc_body, e.pc_len);
	page_cache_entry_free(&e);
	return 1;
}

static void
web_reply_cacheable(struct http_req *req, int status, const char *name,
    const char *locale, json_t *ctx, const char *form_action, const char *type)
{
	struct buf	 b;
	char		 hash[TOKEN_HASH_BUFSZ], etag[40], key[HTTP_MAX_PATH + 16];

	if (web_render(req, name, locale, ctx, &b) == -1)
		goto out;
	if (status != 200 || token_hash(b.data, hash) == -1) {
		web_reply_page_headers(req, form_action);
		http_reply_header(req, "Cache-Control", "no-cache");
		http_reply_body(req, status, type, b.data, b.len);
		goto out;
	}
	snprintf(etag, sizeof(etag), "\"%.32s\"", hash);
	if (req->req_meent->cfg.page_cache_ms > 0 &&
	    web_cache_key(req, locale, key, sizeof(key)) == 0)
		page_cache_put(key, &(struct page_cache_entry){ (char *)type,
		    (char *)form_action, etag, b.data, b.len });
	web_reply_fresh(req, type, form_action, etag, b.data, b.len);
out:
	buf_cleanup(&b);
}

void
web_reply_public(struct http_req *req, int status, const char *name,
    const char *locale, json_t *ctx, const char *form_action)
{
	web_reply_cacheable(req, status, name, locale, ctx, form_action,
	    "text/html; charset=utf-8");
}

void
web_reply_document(struct http_req *req, const char *name, const char *locale,
    json_t *ctx, const char *content_type)
{
	web_reply_cacheable(req, 200, name, locale, ctx, NULL, content_type);
}

static void
web_reply_message_as(struct http_req *req, int status, const char *locale,
    const char *key, json_t *ctx, int public)
{
	json_t	*page = ctx != NULL ? json_incref(ctx) : json_object();
	char	 k[160];

	snprintf(k, sizeof(k), "%s.title", key);
	json_object_set_new(page, "title", web_text(req, locale, k, page));
	snprintf(k, sizeof(k), "%s.text", key);
	json_object_set_new(page, "text", web_text(req, locale, k, page));
	if (public)
		web_reply_public(req, status, "message", locale, page, NULL);
	else
		web_reply_page(req, status, "message", locale, page, NULL);
	json_decref(page);
}

void
web_reply_message(struct http_req *req, int status, const char *locale,
    const char *key, json_t *ctx)
{
	web_reply_message_as(req, status, locale, key, ctx, 0);
}

void
web_reply_public_message(struct http_req *req, int status, const char *locale,
    const char *key, json_t *ctx)
{
	web_reply_message_as(req, status, locale, key, ctx, 1);
}

void
web_static_css(struct http_req *req)
{
	const struct web_assets *a = web_get(req);

	if (a == NULL) {
		http_reply_empty(req, 404);
		return;
	}
	http_reply_header(req, "Cache-Control", "public, max-age=31536000, immutable");
	http_reply_body(req, 200, "text/css; charset=utf-8", a->wa_css, a->wa_css_len);
}
