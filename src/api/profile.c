/*
 * Profile words: see profile.h. Formatting goes through api/text.h, the
 * same formatter as posts, with the mentions resolved against accounts we
 * already know (a bio never triggers WebFinger, as in Mastodon).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/profile.h"
#include "api/text.h"
#include "db/db.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/validate.h"

/* Mastodon's TextFormatter::DEFAULT_REL, and what fields add to it. */
#define PROFILE_REL	"rel=\"nofollow noopener noreferrer\""
#define PROFILE_REL_ME	"rel=\"nofollow noopener noreferrer me\""

const char *
api_profile_name_check(const char *s)
{
	if (validate_text(s, 0, API_PROFILE_NAME_MAX, 0) == NULL)
		return NULL;
	if (validate_text(s, 0, (size_t)-1, 0) == NULL)
		return "Display name is too long (maximum is 30 characters)";
	return "Display name is invalid";
}

/* Accounts found for the mentions of a scan, parallel to its mentions. */
struct profile_mentions {
	struct api_text_account	 *accounts;	/* storage */
	const struct api_text_account **resolved;
	char			**strings;	/* what the accounts point into */
	size_t			  n;
};

static void
profile_mentions_cleanup(struct profile_mentions *m)
{
	for (size_t i = 0; i < m->n * 3; i++)
		free(m->strings[i]);
	free(m->strings);
	free(m->accounts);
	free(m->resolved);
	memset(m, 0, sizeof(*m));
}

/* Looks every mention up among known accounts. 0 or -1 (database). */
static int
profile_mentions_resolve(const struct api_profile_env *env, const struct api_text_scan *scan,
    struct profile_mentions *m)
{
	memset(m, 0, sizeof(*m));
	m->n = scan->nmentions;
	m->accounts = xcalloc(m->n + 1, sizeof(*m->accounts));
	m->resolved = xcalloc(m->n + 1, sizeof(*m->resolved));
	m->strings = xcalloc(m->n * 3 + 1, sizeof(*m->strings));
	for (size_t i = 0; i < m->n; i++) {
		const struct api_text_mention	*men = &scan->mentions[i];
		const char			*domain = men->domain;
		PGresult			*res;

		if (domain != NULL && strcasecmp(domain, env->domain) == 0)
			domain = NULL;
		if ((res = DB_EXEC(env->db, STMT_ACC_LOOKUP, men->username, domain)) == NULL)
			return -1;
		if (PQntuples(res) == 1) {
			m->strings[i * 3] = xstrdup(PQgetvalue(res, 0, 1));
			m->strings[i * 3 + 1] = PQgetisnull(res, 0, 2) ? NULL :
			    xstrdup(PQgetvalue(res, 0, 2));
			m->strings[i * 3 + 2] = xstrdup(PQgetvalue(res, 0, 3));
			m->accounts[i].username = m->strings[i * 3];
			m->accounts[i].domain = m->strings[i * 3 + 1];
			m->accounts[i].url = m->strings[i * 3 + 2];
			m->resolved[i] = &m->accounts[i];
		}
		PQclear(res);
	}
	return 0;
}

/* TextFormatter#to_s of text; the new HTML, or NULL with *why. */
static char *
profile_format(const struct api_profile_env *env, const char *text, const char **why)
{
	struct api_text_scan	 scan;
	struct api_text_result	 out;
	struct profile_mentions	 m;
	struct api_text_account	 me = { env->username, NULL, NULL, env->url };
	struct api_text_options	 opts = { env->base_url, env->domain, &me };
	char			*html = NULL;

	memset(&out, 0, sizeof(out));
	memset(&m, 0, sizeof(m));
	if (api_text_scan(text, &scan, why) == -1)
		return NULL;
	*why = NULL;	/* from here on, only the database fails */
	if (profile_mentions_resolve(env, &scan, &m) == 0 &&
	    api_text_render(text, &scan, m.resolved, &opts, &out) == 0) {
		html = out.html;
		out.html = NULL;
	}
	api_text_result_cleanup(&out);
	profile_mentions_cleanup(&m);
	api_text_scan_cleanup(&scan);
	return html;
}

char *
api_profile_note_html(const struct api_profile_env *env, const char *text, const char **why)
{
	size_t	 n;

	*why = NULL;
	if ((n = api_text_length(NULL, text)) == (size_t)-1) {
		*why = "Note is invalid";
		return NULL;
	}
	if (n > API_PROFILE_NOTE_MAX) {
		*why = "Note is too long (maximum is 500 characters)";
		return NULL;
	}
	/* An empty bio is "", not "<p></p>": TextFormatter returns '' for blank. */
	if (*text == '\0')
		return xstrdup("");
	return profile_format(env, text, why);
}

/* s without leading and trailing white space, cut to max code points (new). */
static char *
profile_cut(const char *s, size_t max)
{
	char	*t = str_trim(xstrdup(s != NULL ? s : ""));
	size_t	 cps = 0, i;

	for (i = 0; t[i] != '\0'; i++)
		if (((unsigned char)t[i] & 0xc0) != 0x80 && cps++ == max)
			break;
	t[i] = '\0';
	return t;
}

/*
 * A field value as Mastodon shows it (TextFormatter with multiline false
 * and with_rel_me): one line, no paragraph, links with rel="me" so that
 * the pages they point to can verify the profile.
 */
static char *
profile_field_html(const struct api_profile_env *env, const char *value, const char **why)
{
	char		*line = xstrdup(value), *html, *p;
	struct buf	 b;
	size_t		 n;

	for (p = line; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	html = *line != '\0' ? profile_format(env, line, why) : xstrdup("");
	free(line);
	if (html == NULL)
		return NULL;
	n = strlen(html);
	if (n >= 7 && strncmp(html, "<p>", 3) == 0 && strcmp(html + n - 4, "</p>") == 0) {
		memmove(html, html + 3, n - 7);
		html[n - 7] = '\0';
	}
	buf_init(&b, 0);
	for (p = html; *p != '\0';) {
		if (strncmp(p, PROFILE_REL, strlen(PROFILE_REL)) == 0) {
			buf_puts(&b, PROFILE_REL_ME);
			p += strlen(PROFILE_REL);
		} else
			buf_append(&b, p++, 1);
	}
	free(html);
	return buf_take(&b);
}

/* The verified_at of the old field with value (borrowed), or NULL. */
static json_t *
profile_verified_at(const json_t *old, const char *value)
{
	const json_t	*f;
	size_t		 i;

	json_array_foreach(old, i, f) {
		const char *v = json_string_value(json_object_get(f, "value_source"));

		if (v == NULL)
			v = json_string_value(json_object_get(f, "value"));
		if (v != NULL && strcmp(v, value) == 0 &&
		    json_is_string(json_object_get(f, "verified_at")))
			return json_object_get(f, "verified_at");
	}
	return NULL;
}

/* Adds the pair (name, value) to out; 0, or -1 with *why. */
static int
profile_field_add(const struct api_profile_env *env, json_t *out, const json_t *attr,
    const json_t *old, const char **why)
{
	char		*name, *value, *html = NULL;
	json_t		*verified;
	int		 rc = -1;

	name = profile_cut(json_string_value(json_object_get(attr, "name")), API_PROFILE_FIELD_MAX);
	value = profile_cut(json_string_value(json_object_get(attr, "value")), API_PROFILE_FIELD_MAX);
	if (*name == '\0' && *value == '\0') {
		rc = 0;
		goto out;
	}
	if (*name == '\0') {
		*why = "Fields contains values with missing labels";
		goto out;
	}
	if (validate_text(name, 0, (size_t)-1, 0) != NULL ||
	    validate_text(value, 0, (size_t)-1, 1) != NULL) {
		*why = "Fields is invalid";
		goto out;
	}
	if ((html = profile_field_html(env, value, why)) == NULL)
		goto out;
	verified = profile_verified_at(old, value);
	json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:O}", "name", name, "value", html,
	    "value_source", value, "verified_at", verified != NULL ? verified : json_null()));
	rc = 0;
out:
	free(name);
	free(value);
	free(html);
	return rc;
}

json_t *
api_profile_fields(const struct api_profile_env *env, const json_t *attrs, const json_t *old,
    const char **why)
{
	json_t		*out = json_array(), *attr;
	const char	*key;
	size_t		 i;
	int		 rc = 0;

	*why = NULL;
	if (json_is_array(attrs)) {
		json_array_foreach(attrs, i, attr)
			if (rc == 0 && json_is_object(attr))
				rc = profile_field_add(env, out, attr, old, why);
	} else if (json_is_object(attrs)) {
		json_object_foreach((json_t *)attrs, key, attr)
			if (rc == 0 && json_is_object(attr))
				rc = profile_field_add(env, out, attr, old, why);
	}
	if (rc == 0 && json_array_size(out) > API_PROFILE_FIELDS_MAX) {
		*why = "Fields is too long (maximum is 4 characters)";
		rc = -1;
	}
	if (rc == -1) {
		json_decref(out);
		return NULL;
	}
	return out;
}
