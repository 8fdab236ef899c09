/*
 * Local statuses as ActivityPub objects: the Note, and the Create (or, for
 * a reblog, the Announce) that wraps it, rendered as Mastodon renders them
 * (app/serializers/activitypub/note_serializer.rb, activity_serializer.rb,
 * and the addressing of lib/activitypub/tag_manager.rb). The same code
 * serves GET requests and builds the activities delivered to followers.
 * Not here: HTTP, authorisation (ap/objects.c), remote notes (ap/process.c).
 */
#ifndef MEENT_AP_NOTE_H
#define MEENT_AP_NOTE_H

#include <jansson.h>
#include <libpq-fe.h>

struct config;
struct db;

/* Columns of AP_NOTE_COLUMNS (db/stmt_objects.def), in order. */
enum ap_note_col {
	AP_NOTE_COL_ID, AP_NOTE_COL_URI, AP_NOTE_COL_URL, AP_NOTE_COL_VISIBILITY,
	AP_NOTE_COL_SPOILER, AP_NOTE_COL_SENSITIVE, AP_NOTE_COL_CONTENT,
	AP_NOTE_COL_LANGUAGE, AP_NOTE_COL_PUBLISHED, AP_NOTE_COL_UPDATED,
	AP_NOTE_COL_IN_REPLY_TO, AP_NOTE_COL_ACTOR, AP_NOTE_COL_FOLLOWERS,
	AP_NOTE_COL_DELETED, AP_NOTE_COL_REBLOG_URI, AP_NOTE_COL_REBLOG_ACTOR,
	AP_NOTE_COL_ACCOUNT_SUSPENDED, AP_NOTE_COL_ACCOUNT_DELETED,
	AP_NOTE_COL_MENTIONS, AP_NOTE_COL_TAGS, AP_NOTE_COL_MEDIA,
};

/* The JSON-LD @context Mastodon puts on notes and their activities (new). */
json_t	*ap_note_context(void);

/*
 * Loads status id (decimal text) for rendering: a result (new, PQclear it)
 * with zero or one row of AP_NOTE_COLUMNS, or NULL on a database error.
 */
PGresult *ap_note_query(struct db *db, const char *id);

/*
 * Renders row of res (AP_NOTE_COLUMNS) as a Note (new reference). cfg
 * gives the domain for mention names and hashtag links. With
 * with_context the object carries its @context (a top-level document);
 * without, it is ready to embed. A reblog row renders its own uri and
 * addressing; callers want ap_create_render for reblogs.
 */
json_t	*ap_note_render(const struct config *cfg, const PGresult *res, int row,
	    int with_context);

/*
 * Renders row as the activity that published it (new reference, with
 * @context): {id: <uri>/activity, type: Create, object: <Note>}, or for a
 * reblog an Announce whose object is the original's uri.
 */
json_t	*ap_create_render(const struct config *cfg, const PGresult *res, int row);

/* 1 for a reblog row (rendered as an Announce). */
int	 ap_note_is_reblog(const PGresult *res, int row);

#endif
