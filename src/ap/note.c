/*
 * Local statuses as Notes and their activities: see note.h. Columns come
 * in the order of AP_NOTE_COLUMNS in db/stmt_objects.def.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "ap/note.h"
#include "ap/urls.h"
#include "db/db.h"
#include "util/config.h"

#define AP_PUBLIC	"https://www.w3.org/ns/activitystreams#Public"

json_t *
ap_note_context(void)
{
	return json_pack("[s,{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:{s:s,s:s},s:s}]",
	    "https://www.w3.org/ns/activitystreams",
	    "ostatus", "http://ostatus.org#",
	    "atomUri", "ostatus:atomUri",
	    "inReplyToAtomUri", "ostatus:inReplyToAtomUri",
	    "conversation", "ostatus:conversation",
	    "sensitive", "as:sensitive",
	    "toot", "http://joinmastodon.org/ns#",
	    "votersCount", "toot:votersCount",
	    "blurhash", "toot:blurhash",
	    "focalPoint", "@container", "@list", "@id", "toot:focalPoint",
	    "Hashtag", "as:Hashtag");
}

PGresult *
ap_note_query(struct db *db, const char *id)
{
	return DB_EXEC(db, STMT_OBJ_STATUS_BY_ID, id);
}

static const char *
col(const PGresult *res, int row, int c)
{
	return PQgetvalue(res, row, c);
}

/* A column that may be SQL NULL or empty: NULL then. */
static const char *
col_opt(const PGresult *res, int row, int c)
{
	if (PQgetisnull(res, row, c) || *PQgetvalue(res, row, c) == '\0')
		return NULL;
	return PQgetvalue(res, row, c);
}

static int
col_bool(const PGresult *res, int row, int c)
{
	return strcmp(PQgetvalue(res, row, c), "t") == 0;
}

int
ap_note_is_reblog(const PGresult *res, int row)
{
	return !PQgetisnull(res, row, AP_NOTE_COL_REBLOG_URI);
}

/*
 * to and cc exactly as Mastodon's TagManager addresses a status: public is
 * to Public and cc the followers, unlisted swaps the two, private goes to
 * the followers only, direct only to those mentioned. Mentioned actors are
 * added to cc (to for direct). A reblog also cc's the original's author.
 */
static void
note_address(json_t *obj, const PGresult *res, int row, const json_t *mentions)
{
	const char	*vis = col(res, row, AP_NOTE_COL_VISIBILITY);
	const char	*followers = col(res, row, AP_NOTE_COL_FOLLOWERS);
	json_t		*to = json_array(), *cc = json_array(), *m;
	size_t		 i;
	int		 direct = strcmp(vis, "direct") == 0;

	if (strcmp(vis, "public") == 0) {
		json_array_append_new(to, json_string(AP_PUBLIC));
		if (ap_note_is_reblog(res, row))
			json_array_append_new(cc, json_string(col(res, row, AP_NOTE_COL_REBLOG_ACTOR)));
		json_array_append_new(cc, json_string(followers));
	} else if (strcmp(vis, "unlisted") == 0) {
		json_array_append_new(to, json_string(followers));
		json_array_append_new(cc, json_string(AP_PUBLIC));
		if (ap_note_is_reblog(res, row))
			json_array_append_new(cc, json_string(col(res, row, AP_NOTE_COL_REBLOG_ACTOR)));
	} else if (!direct) {
		json_array_append_new(to, json_string(followers));
	}
	json_array_foreach(mentions, i, m) {
		const char *uri = json_string_value(json_array_get(m, 0));

		if (uri != NULL)
			json_array_append_new(direct ? to : cc, json_string(uri));
	}
	json_object_set_new(obj, "to", to);
	json_object_set_new(obj, "cc", cc);
}

/* Mention tags first, then hashtags, in Mastodon's order. */
static json_t *
note_tags(const struct config *cfg, const json_t *mentions, const char *tags_json)
{
	json_t	*out = json_array(), *tags = json_loads(tags_json, 0, NULL), *m;
	char	 base[300];
	size_t	 i;

	ap_url_base(cfg, base, sizeof(base));
	json_array_foreach(mentions, i, m) {
		const char *uri = json_string_value(json_array_get(m, 0));
		const char *user = json_string_value(json_array_get(m, 1));
		const char *domain = json_string_value(json_array_get(m, 2));

		if (uri == NULL || user == NULL)
			continue;
		/* A local account has no domain in its row: it is ours. */
		json_array_append_new(out, json_pack("{s:s,s:s,s:o}", "type", "Mention",
		    "href", uri, "name", json_sprintf("@%s@%s", user,
		    domain != NULL ? domain : cfg->domain)));
	}
	json_array_foreach(tags, i, m) {
		const char	*name = json_string_value(m);
		char		*enc;

		if (name == NULL || (enc = evhttp_uriencode(name, -1, 0)) == NULL)
			continue;
		json_array_append_new(out, json_pack("{s:s,s:o,s:o}", "type", "Hashtag",
		    "href", json_sprintf("%s/tags/%s", base, enc),
		    "name", json_sprintf("#%s", name)));
		free(enc);
	}
	json_decref(tags);
	return out;
}

/* An integer from meta.original.<key> (Mastodon's layout) or meta.<key>. */
static json_t *
media_dimension(const json_t *meta, const char *key)
{
	const json_t *v = json_object_get(json_object_get(meta, "original"), key);

	if (!json_is_integer(v))
		v = json_object_get(meta, key);
	return json_is_integer(v) ? json_integer(json_integer_value(v)) : NULL;
}

/*
 * Attachments as Mastodon's MediaAttachmentSerializer renders them. The SQL
 * already left out local files: media is not served by us yet, and an
 * attachment whose url 404s is worse than none.
 */
static json_t *
note_attachments(const char *media_json)
{
	json_t	*media = json_loads(media_json, 0, NULL), *out = json_array(), *m, *d;
	size_t	 i;

	json_array_foreach(media, i, m) {
		const char	*name = json_string_value(json_object_get(m, "name"));
		const json_t	*meta = json_object_get(m, "meta");
		json_t		*doc;

		doc = json_pack("{s:s,s:O,s:O}", "type", "Document",
		    "mediaType", json_object_get(m, "mediaType"), "url", json_object_get(m, "url"));
		if (doc == NULL)
			continue;
		/* An empty description is sent as null, as Mastodon does. */
		json_object_set_new(doc, "name", name != NULL && *name != '\0' ?
		    json_string(name) : json_null());
		if (json_is_string(json_object_get(m, "blurhash")))
			json_object_set(doc, "blurhash", json_object_get(m, "blurhash"));
		if ((d = media_dimension(meta, "width")) != NULL)
			json_object_set_new(doc, "width", d);
		if ((d = media_dimension(meta, "height")) != NULL)
			json_object_set_new(doc, "height", d);
		json_array_append_new(out, doc);
	}
	json_decref(media);
	return out;
}

json_t *
ap_note_render(const struct config *cfg, const PGresult *res, int row, int with_context)
{
	const char	*summary = col_opt(res, row, AP_NOTE_COL_SPOILER);
	const char	*parent = col_opt(res, row, AP_NOTE_COL_IN_REPLY_TO);
	const char	*lang = col_opt(res, row, AP_NOTE_COL_LANGUAGE);
	const char	*updated = col_opt(res, row, AP_NOTE_COL_UPDATED);
	json_t		*doc = json_object(), *mentions;

	mentions = json_loads(col(res, row, AP_NOTE_COL_MENTIONS), 0, NULL);
	if (with_context)
		json_object_set_new(doc, "@context", ap_note_context());
	json_object_set_new(doc, "id", json_string(col(res, row, AP_NOTE_COL_URI)));
	json_object_set_new(doc, "type", json_string("Note"));
	json_object_set_new(doc, "summary", summary ? json_string(summary) : json_null());
	json_object_set_new(doc, "inReplyTo", parent ? json_string(parent) : json_null());
	json_object_set_new(doc, "published", json_string(col(res, row, AP_NOTE_COL_PUBLISHED)));
	json_object_set_new(doc, "url", json_string(col(res, row, AP_NOTE_COL_URL)));
	json_object_set_new(doc, "attributedTo", json_string(col(res, row, AP_NOTE_COL_ACTOR)));
	note_address(doc, res, row, mentions);
	json_object_set_new(doc, "sensitive", json_boolean(col_bool(res, row, AP_NOTE_COL_SENSITIVE)));
	/* OStatus-era fields Mastodon still sends and reads: same values. */
	json_object_set_new(doc, "atomUri", json_string(col(res, row, AP_NOTE_COL_URI)));
	json_object_set_new(doc, "inReplyToAtomUri", parent ? json_string(parent) : json_null());
	/* conversation is left out: we keep no conversation URIs yet, and
	 * Mastodon treats a missing one as a new thread. */
	json_object_set_new(doc, "content", json_string(col(res, row, AP_NOTE_COL_CONTENT)));
	if (lang != NULL)
		json_object_set_new(doc, "contentMap", json_pack("{s:s}", lang,
		    col(res, row, AP_NOTE_COL_CONTENT)));
	if (updated != NULL)
		json_object_set_new(doc, "updated", json_string(updated));
	json_object_set_new(doc, "attachment", note_attachments(col(res, row, AP_NOTE_COL_MEDIA)));
	json_object_set_new(doc, "tag", note_tags(cfg, mentions, col(res, row, AP_NOTE_COL_TAGS)));
	/* replies, likes and shares are left out: we serve no such
	 * collections yet, and peers fetch nothing they are not given. */
	json_decref(mentions);
	return doc;
}

json_t *
ap_create_render(const struct config *cfg, const PGresult *res, int row)
{
	int	 reblog = ap_note_is_reblog(res, row);
	json_t	*act = json_object(), *mentions;

	/* A reblog has no mentions of its own: its addressing names none. */
	mentions = reblog ? json_array() :
	    json_loads(col(res, row, AP_NOTE_COL_MENTIONS), 0, NULL);
	json_object_set_new(act, "@context", ap_note_context());
	json_object_set_new(act, "id", json_sprintf("%s/activity", col(res, row, AP_NOTE_COL_URI)));
	json_object_set_new(act, "type", json_string(reblog ? "Announce" : "Create"));
	json_object_set_new(act, "actor", json_string(col(res, row, AP_NOTE_COL_ACTOR)));
	json_object_set_new(act, "published", json_string(col(res, row, AP_NOTE_COL_PUBLISHED)));
	note_address(act, res, row, mentions);
	json_object_set_new(act, "object", reblog ?
	    json_string(col(res, row, AP_NOTE_COL_REBLOG_URI)) :
	    ap_note_render(cfg, res, row, 0));
	json_decref(mentions);
	return act;
}
