/*
 * Inbox processing: see process.h. A handler gets the activity, the signer
 * (already verified to be the activity's actor) and the job's database
 * connection, and returns what became of it. Everything one activity
 * changes happens in one transaction, together with any reply it queues.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/move.h"
#include "ap/note_fetch.h"
#include "ap/outbox.h"
#include "ap/process.h"
#include "ap/sanitize.h"
#include "db/db.h"
#include "jobs/job.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/url.h"

#define AS_PUBLIC	"https://www.w3.org/ns/activitystreams#Public"

enum in_result {
	IN_DONE,	/* applied, or nothing to apply */
	IN_DROP,	/* refused: malformed, forged or not ours (logged) */
	IN_RETRY,	/* a transient failure: run the job again */
};

/* What a handler works with. */
struct in_ctx {
	struct db	*db;
	const json_t	*act;		/* the activity; borrowed from the payload */
	const char	*type;
	const char	*id;
	long long	 signer;	/* accounts.id of the verified actor */
	char		 signer_id[24];	/* the same, as text for statements */
	char		*signer_uri;	/* from IN_ACCOUNT: owned */
	char		*signer_inbox;
	char		*signer_followers;
	char		*signer_featured;
	int		 depth;		/* how many replies down from what the inbox got */
	const char	*why;		/* for IN_DROP */
};

struct in_handler {
	const char	*type;
	enum in_result	(*apply)(struct in_ctx *c);
};

/* The id of an object given as a string or as an object with "id". */
static const char *
obj_id(const json_t *o)
{
	if (json_is_string(o))
		return json_string_value(o);
	return json_string_value(json_object_get(o, "id"));
}

static const char *
obj_type(const json_t *o)
{
	const json_t *t = json_object_get(o, "type");

	if (json_is_array(t))
		t = json_array_get(t, 0);
	return json_string_value(t);
}

static enum in_result
in_db_fail(struct in_ctx *c)
{
	return db_error_is_transient(c->db) ? IN_RETRY : (c->why = db_errmsg(c->db), IN_DROP);
}

static enum in_result
drop(struct in_ctx *c, const char *why)
{
	c->why = why;
	return IN_DROP;
}

/* A local, live actor by URI: its id (text) and whether it is locked. */
static int
local_actor(struct in_ctx *c, const char *uri, char *id, size_t idsz, int *locked)
{
	PGresult	*res;
	int		 found;

	if (uri == NULL || (res = DB_EXEC(c->db, STMT_IN_LOCAL_ACTOR, uri)) == NULL)
		return uri == NULL ? 0 : -1;
	found = PQntuples(res) == 1;
	if (found) {
		str_lcpy(id, PQgetvalue(res, 0, 0), idsz);
		if (locked != NULL)
			*locked = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	}
	PQclear(res);
	return found;
}

/* A live status by URI: its id, its author, whether it is local. */
static int
status_by_uri(struct in_ctx *c, const char *uri, char *id, size_t idsz,
    char *author, size_t authorsz, int *local)
{
	PGresult	*res;
	int		 found;

	if (uri == NULL || (res = DB_EXEC(c->db, STMT_IN_STATUS_BY_URI, uri)) == NULL)
		return uri == NULL ? 0 : -1;
	found = PQntuples(res) == 1;
	if (found) {
		str_lcpy(id, PQgetvalue(res, 0, 0), idsz);
		if (author != NULL)
			str_lcpy(author, PQgetvalue(res, 0, 1), authorsz);
		if (local != NULL)
			*local = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	}
	PQclear(res);
	return found;
}

static int
notify(struct in_ctx *c, const char *account, const char *type, const char *status)
{
	PGresult *res = DB_EXEC(c->db, STMT_IN_NOTIFY, account, c->signer_id, type, status);

	PQclear(res);
	return res != NULL ? 0 : -1;
}

/* Queues the fetch of a note from its origin (ap/note_fetch). */
static enum in_result
fetch_later(struct in_ctx *c, const char *uri, const char *author, int depth,
    const json_t *then)
{
	if (ap_note_fetch_queue(c->db, uri, author, depth, then, c->signer) == -1)
		return in_db_fail(c);
	return IN_DONE;
}

/* Accept or Reject of a Follow, sent back to the follower. */
static int
answer_follow(struct in_ctx *c, const char *local_id, const char *local_uri,
    const char *answer, const char *follow_row)
{
	json_t	*act;
	char	*aid;
	int	 rc;

	if (c->signer_inbox == NULL || *c->signer_inbox == '\0')
		return 0;
	aid = xasprintf("%s#%s/follows/%s", local_uri, answer[0] == 'A' ? "accepts" :
	    "rejects", follow_row);
	act = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s}}",
	    "@context", "https://www.w3.org/ns/activitystreams",
	    "id", aid, "type", answer, "actor", local_uri,
	    "object", "id", c->id, "type", "Follow", "actor", c->signer_uri,
	    "object", local_uri);
	rc = act != NULL ? ap_outbox_send(c->db, strtoll(local_id, NULL, 10),
	    c->signer_inbox, act) : -1;
	json_decref(act);
	free(aid);
	return rc;
}

static enum in_result
in_follow(struct in_ctx *c)
{
	const char	*target = obj_id(json_object_get(c->act, "object"));
	char		 local[24];
	int		 locked = 0, found;
	PGresult	*res;
	enum db_stmt	 stmt;
	int		 fresh;
	char		 row[24];

	if ((found = local_actor(c, target, local, sizeof(local), &locked)) <= 0)
		return found < 0 ? in_db_fail(c) : drop(c, "Follow of an actor that is not ours");
	if ((res = DB_EXEC(c->db, STMT_IN_BLOCKED, local, c->signer_id)) == NULL)
		return in_db_fail(c);
	found = PQntuples(res) > 0;
	PQclear(res);
	if (found)	/* Mastodon rejects follows from accounts it blocks. */
		return answer_follow(c, local, target, "Reject", "0") == 0 ? IN_DONE :
		    in_db_fail(c);
	stmt = locked ? STMT_IN_FOLLOW_REQUEST_INSERT : STMT_IN_FOLLOW_INSERT;
	if ((res = DB_EXEC(c->db, stmt, c->signer_id, local, c->id)) == NULL)
		return in_db_fail(c);
	str_lcpy(row, PQgetvalue(res, 0, 0), sizeof(row));
	fresh = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (fresh && notify(c, local, locked ? "follow_request" : "follow", NULL) == -1)
		return in_db_fail(c);
	/* A locked account answers when its owner decides (the client API). */
	if (!locked && answer_follow(c, local, target, "Accept", row) == -1)
		return in_db_fail(c);
	return IN_DONE;
}

static enum in_result
in_undo(struct in_ctx *c)
{
	const json_t	*obj = json_object_get(c->act, "object");
	const char	*oid = obj_id(obj), *otype = obj_type(obj);
	const json_t	*inner = json_is_object(obj) ? json_object_get(obj, "object") : NULL;
	char		 id[24], target[24] = "";
	PGresult	*res = NULL;

	if (oid == NULL)
		return drop(c, "Undo without an object id");
	/* An embedded object must be the signer's own. */
	if (json_is_object(obj) && json_object_get(obj, "actor") != NULL &&
	    (obj_id(json_object_get(obj, "actor")) == NULL ||
	    strcmp(obj_id(json_object_get(obj, "actor")), c->signer_uri) != 0))
		return drop(c, "Undo of another actor's activity");
	if (otype == NULL || strcmp(otype, "Follow") == 0) {
		if (inner != NULL && local_actor(c, obj_id(inner), target, sizeof(target), NULL) < 0)
			return in_db_fail(c);
		res = DB_EXEC(c->db, STMT_IN_UNFOLLOW, oid, c->signer_id,
		    target[0] ? target : NULL);
		if (res == NULL)
			return in_db_fail(c);
		if (otype != NULL || strcmp(PQgetvalue(res, 0, 0), "0") != 0) {
			PQclear(res);
			return IN_DONE;
		}
		PQclear(res);
		res = NULL;
	}
	if (otype == NULL || strcmp(otype, "Like") == 0) {
		if (inner != NULL && status_by_uri(c, obj_id(inner), id, sizeof(id), NULL, 0,
		    NULL) < 0)
			return in_db_fail(c);
		res = DB_EXEC(c->db, STMT_IN_FAVOURITE_DELETE, oid, c->signer_id,
		    inner != NULL && id[0] ? id : NULL);
	}
	if (res == NULL && (otype == NULL || strcmp(otype, "Announce") == 0))
		res = DB_EXEC(c->db, STMT_IN_REBLOG_DELETE, oid, c->signer_id);
	if (res == NULL && otype != NULL && strcmp(otype, "Block") == 0) {
		if (inner != NULL && local_actor(c, obj_id(inner), target, sizeof(target), NULL) < 0)
			return in_db_fail(c);
		res = DB_EXEC(c->db, STMT_IN_BLOCK_DELETE, oid, c->signer_id,
		    target[0] ? target : NULL);
	}
	if (res == NULL && db_last_error(c->db) != DB_OK)
		return in_db_fail(c);
	PQclear(res);
	return IN_DONE;
}

/* Accept/Reject of a Follow we sent: the signer is who we followed. */
static enum in_result
in_accept_reject(struct in_ctx *c)
{
	const json_t	*obj = json_object_get(c->act, "object");
	const char	*follower = json_is_object(obj) ?
			    obj_id(json_object_get(obj, "actor")) : NULL;
	char		 local[24];
	int		 found;
	PGresult	*res;

	if (follower == NULL)
		return drop(c, "Accept/Reject without an embedded Follow");
	if ((found = local_actor(c, follower, local, sizeof(local), NULL)) <= 0)
		return found < 0 ? in_db_fail(c) : drop(c, "not a follow of ours");
	res = DB_EXEC(c->db, c->type[0] == 'A' ? STMT_IN_FOLLOW_ACCEPTED :
	    STMT_IN_FOLLOW_REJECTED, local, c->signer_id);
	if (res == NULL)
		return in_db_fail(c);
	PQclear(res);
	return IN_DONE;
}

static enum in_result
in_like(struct in_ctx *c)
{
	char		 status[24], author[24];
	int		 local = 0, found;
	PGresult	*res;

	found = status_by_uri(c, obj_id(json_object_get(c->act, "object")), status,
	    sizeof(status), author, sizeof(author), &local);
	if (found <= 0)
		return found < 0 ? in_db_fail(c) : drop(c, "Like of a status we do not have");
	if ((res = DB_EXEC(c->db, STMT_IN_FAVOURITE_INSERT, c->signer_id, status, c->id)) == NULL)
		return in_db_fail(c);
	found = PQntuples(res) == 1;
	PQclear(res);
	if (found && local && notify(c, author, "favourite", status) == -1)
		return in_db_fail(c);
	return IN_DONE;
}

static enum in_result
in_announce(struct in_ctx *c)
{
	char		 status[24], author[24];
	int		 local = 0, found;
	PGresult	*res;

	found = status_by_uri(c, obj_id(json_object_get(c->act, "object")), status,
	    sizeof(status), author, sizeof(author), &local);
	if (found < 0)
		return in_db_fail(c);
	/* A boost of a post we have not seen: fetch the post from its
	 * origin, then apply this Announce again. */
	if (found == 0) {
		const char *oid = obj_id(json_object_get(c->act, "object"));

		if (oid == NULL || c->depth > 0)
			return drop(c, "Announce of a status we do not have");
		return fetch_later(c, oid, NULL, 0, c->act);
	}
	if ((res = DB_EXEC(c->db, STMT_IN_REBLOG_INSERT, c->id, c->signer_id, status)) == NULL)
		return in_db_fail(c);
	found = PQntuples(res) == 1;
	PQclear(res);
	if (found && local && notify(c, author, "reblog", status) == -1)
		return in_db_fail(c);
	return IN_DONE;
}

static enum in_result
in_block(struct in_ctx *c)
{
	char		 local[24];
	int		 found;
	PGresult	*res;

	found = local_actor(c, obj_id(json_object_get(c->act, "object")), local,
	    sizeof(local), NULL);
	if (found <= 0)
		return found < 0 ? in_db_fail(c) : drop(c, "Block of an actor that is not ours");
	if ((res = DB_EXEC(c->db, STMT_IN_BLOCK_INSERT, c->signer_id, local, c->id)) == NULL)
		return in_db_fail(c);
	PQclear(res);
	return IN_DONE;
}

static enum in_result
in_delete(struct in_ctx *c)
{
	const char	*oid = obj_id(json_object_get(c->act, "object"));
	PGresult	*res;

	if (oid == NULL)
		return drop(c, "Delete without an object");
	if (strcmp(oid, c->signer_uri) == 0)
		res = DB_EXEC(c->db, STMT_IN_ACTOR_DELETE, c->signer_id);
	else	/* Only the author's own posts: the statement checks the owner. */
		res = DB_EXEC(c->db, STMT_IN_STATUS_TOMBSTONE, oid, c->signer_id);
	if (res == NULL)
		return in_db_fail(c);
	PQclear(res);
	return IN_DONE;
}

/* 1 when uri appears in the to or cc of o (a string or an array). */
static int
addressed(const json_t *o, const char *field, const char *uri)
{
	const json_t	*v = json_object_get(o, field), *e;
	size_t		 i;

	if (uri == NULL || *uri == '\0')
		return 0;
	if (json_is_string(v))
		return strcmp(json_string_value(v), uri) == 0;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), uri) == 0)
			return 1;
	return 0;
}

static int
addressed_public(const json_t *o, const char *field)
{
	return addressed(o, field, AS_PUBLIC) || addressed(o, field, "as:Public") ||
	    addressed(o, field, "Public");
}

/* Mastodon's reading of the addressing (ActivityPub::Activity::Create). */
static const char *
visibility_of(struct in_ctx *c, const json_t *note)
{
	if (addressed_public(note, "to"))
		return "public";
	if (addressed_public(note, "cc"))
		return "unlisted";
	if (addressed(note, "to", c->signer_followers) || addressed(note, "cc", c->signer_followers))
		return "private";
	return "direct";
}

/* The content and its language: content, or the first contentMap entry. */
static const char *
note_content(const json_t *note, const char **lang)
{
	const json_t	*map = json_object_get(note, "contentMap"), *v;
	const char	*key;

	*lang = NULL;
	json_object_foreach((json_t *)map, key, v) {
		if (json_is_string(v)) {
			*lang = key;
			if (!json_is_string(json_object_get(note, "content")))
				return json_string_value(v);
			break;
		}
	}
	return json_string_value(json_object_get(note, "content"));
}

/* Mentions of local actors and hashtags, from the note's tag list. */
static int
note_tags(struct in_ctx *c, const json_t *note, const char *status, int notify_them)
{
	const json_t	*tags = json_object_get(note, "tag"), *tag;
	json_t		*one = NULL;
	size_t		 i;
	int		 rc = 0;

	if (json_is_object(tags))	/* a lone tag, as Kroeg sends */
		tags = one = json_pack("[O]", tags);
	json_array_foreach(tags, i, tag) {
		const char	*type = obj_type(tag), *href, *name;
		char		 local[24];
		PGresult	*res;

		if (type == NULL)
			continue;
		if (strcmp(type, "Mention") == 0 &&
		    (href = json_string_value(json_object_get(tag, "href"))) != NULL &&
		    local_actor(c, href, local, sizeof(local), NULL) == 1) {
			res = DB_EXEC(c->db, STMT_IN_MENTION_INSERT, status, local);
			if (res == NULL || (notify_them && notify(c, local, "mention", status) == -1))
				rc = -1;
			PQclear(res);
		} else if (strcmp(type, "Hashtag") == 0 &&
		    (name = json_string_value(json_object_get(tag, "name"))) != NULL) {
			if (*name == '#')
				name++;
			if (*name == '\0' || strlen(name) > 256)
				continue;
			if ((res = DB_EXEC(c->db, STMT_IN_TAG_LINK, status, name)) == NULL)
				rc = -1;
			PQclear(res);
		}
	}
	json_decref(one);
	return rc;
}

static const char *const note_types[] = {
	"Note", "Question", "Article", "Page", "Video", "Event", NULL,
};

static int
note_type_ok(const char *type)
{
	for (int i = 0; type != NULL && note_types[i] != NULL; i++)
		if (strcmp(type, note_types[i]) == 0)
			return 1;
	return 0;
}

/* The note's author: attributedTo, a string, an object or the first of a list. */
static const char *
note_author(const json_t *note)
{
	const json_t	*by = json_object_get(note, "attributedTo");

	if (json_is_array(by))
		by = json_array_get(by, 0);
	return obj_id(by);
}

/*
 * The activity's note when it is embedded, the signer's own and on the
 * signer's host (Mastodon's rule for trusting an embedded object);
 * anything else has to be fetched from its origin first.
 */
static const json_t *
own_note(struct in_ctx *c)
{
	const json_t	*note = json_object_get(c->act, "object");
	const char	*by;

	if (!json_is_object(note) || !note_type_ok(obj_type(note)))
		return NULL;
	by = note_author(note);
	if (by == NULL || strcmp(by, c->signer_uri) != 0 || obj_id(note) == NULL ||
	    !url_same_host(obj_id(note), c->signer_uri))
		return NULL;
	return note;
}

/*
 * The note's sanitised HTML and its content warning as plain text (both
 * new), and its language (borrowed). -1 when either is over the caps.
 */
static int
note_texts(const json_t *note, char **content, char **spoiler, const char **lang)
{
	const char *raw = note_content(note, lang);
	const char *summary = json_string_value(json_object_get(note, "summary"));

	*content = ap_html_sanitize(raw ? raw : "", raw ? strlen(raw) : 0, NULL);
	*spoiler = summary ? ap_html_to_text(summary, strlen(summary)) : xstrdup("");
	return *content != NULL && *spoiler != NULL ? 0 : -1;
}

/*
 * Stores note, already trusted to be by the signer, as a status. A reply
 * to a post we do not have queues the fetch of that post, up to
 * AP_NOTE_FETCH_DEPTH posts up the thread; posts that arrived before
 * their parent are linked to it once it is stored.
 */
static enum in_result
store_note(struct in_ctx *c, const json_t *note)
{
	const char	*lang, *reply_uri, *published, *url;
	char		*content = NULL, *spoiler = NULL, reply[24], reply_author[24];
	char		 status[24];
	const json_t	*tags;
	int		 found = 0, fetch;
	enum in_result	 r = IN_DONE;
	PGresult	*res;

	if (note_texts(note, &content, &spoiler, &lang) == -1) {
		r = drop(c, "content too large");
		goto out;
	}
	reply_uri = obj_id(json_object_get(note, "inReplyTo"));
	reply[0] = reply_author[0] = '\0';
	if (reply_uri != NULL && (found = status_by_uri(c, reply_uri, reply, sizeof(reply),
	    reply_author, sizeof(reply_author), NULL)) < 0) {
		r = in_db_fail(c);
		goto out;
	}
	published = json_string_value(json_object_get(note, "published"));
	url = obj_id(json_object_get(note, "url"));
	fetch = reply_uri != NULL && !found && c->depth < AP_NOTE_FETCH_DEPTH;
	tags = json_object_get(note, "tag");
	{
		const char *params[] = { obj_id(note), url ? url : obj_id(note),
		    c->signer_id, found ? reply : NULL, found ? reply_author : NULL, reply_uri,
		    content, spoiler,
		    json_is_true(json_object_get(note, "sensitive")) ? "t" : "f",
		    visibility_of(c, note), lang, published };
		int n = (int)(sizeof(params) / sizeof(params[0]));

		/* Most posts are their row and nothing else (no tags, no
		 * parent to fetch): then the row's COMMIT goes with it. */
		res = fetch || json_is_object(tags) || json_array_size(tags) > 0 ?
		    db_exec(c->db, STMT_IN_STATUS_INSERT, n, params) :
		    db_exec_last(c->db, STMT_IN_STATUS_INSERT, n, params);
	}
	if (res == NULL) {
		/* A published date PostgreSQL cannot read is the sender's fault. */
		r = strcmp(db_sqlstate(c->db), "22007") == 0 ||
		    strcmp(db_sqlstate(c->db), "22008") == 0 ?
		    drop(c, "unreadable published date") : in_db_fail(c);
		goto out;
	}
	if (PQntuples(res) == 0) {	/* we have it already */
		PQclear(res);
		goto out;
	}
	str_lcpy(status, PQgetvalue(res, 0, 0), sizeof(status));
	PQclear(res);
	if (note_tags(c, note, status, 1) == -1) {
		r = in_db_fail(c);
		goto out;
	}
	if (fetch)
		r = fetch_later(c, reply_uri, NULL, c->depth + 1, NULL);
out:
	free(content);
	free(spoiler);
	return r;
}

static enum in_result
in_create(struct in_ctx *c)
{
	const json_t	*obj = json_object_get(c->act, "object");
	const json_t	*note = own_note(c);

	if (note != NULL)
		return store_note(c, note);
	/* Not embedded, or embedded from elsewhere: believe the origin only. */
	if (json_is_string(obj) || (json_is_object(obj) && note_type_ok(obj_type(obj)) &&
	    obj_id(obj) != NULL))
		return fetch_later(c, obj_id(obj), c->signer_uri, c->depth, NULL);
	return drop(c, "Create of something that is not a note");
}

static enum in_result
in_update(struct in_ctx *c)
{
	const json_t	*note;
	const char	*lang;
	char		*content = NULL, *spoiler = NULL;
	enum in_result	 r = IN_DONE;
	PGresult	*res;

	/* An actor's update is taken by refetching it (ap/fetch), which the
	 * verification path does when the cache is stale; nothing to store
	 * from the unsigned-by-origin copy in the activity itself. */
	if ((note = own_note(c)) == NULL)
		return IN_DONE;
	if (note_texts(note, &content, &spoiler, &lang) == -1) {
		r = drop(c, "content too large");
		goto out;
	}
	res = DB_EXEC(c->db, STMT_IN_STATUS_EDIT, obj_id(note), c->signer_id, content, spoiler,
	    json_is_true(json_object_get(note, "sensitive")) ? "t" : "f", lang);
	if (res == NULL)
		r = in_db_fail(c);
	PQclear(res);
out:
	free(content);
	free(spoiler);
	return r;
}

#define IN_FLAG_MAX_OBJECTS	64	/* objects of a Flag looked at; the rest are ignored */
#define IN_FLAG_COMMENT_MAX	5000	/* Mastodon's Flag::COMMENT_SIZE_LIMIT (in bytes here) */

/* What a Flag's objects name locally. */
struct flag_objects {
	char	 account[24];				/* the first local account; "" if none */
	int	 nstatus;
	char	 status[IN_FLAG_MAX_OBJECTS][24];	/* local statuses, in order */
	char	 author[IN_FLAG_MAX_OBJECTS][24];	/* and their authors */
};

/* Looks each object URI up as a local account and as a local status. */
static int
flag_objects(struct in_ctx *c, const json_t *objs, struct flag_objects *fo)
{
	size_t	 i, n = json_is_array(objs) ? json_array_size(objs) : 1;
	int	 local, found;

	memset(fo, 0, sizeof(*fo));
	for (i = 0; i < n && i < IN_FLAG_MAX_OBJECTS; i++) {
		const char *uri = obj_id(json_is_array(objs) ? json_array_get(objs, i) : objs);

		if (fo->account[0] == '\0' &&
		    (found = local_actor(c, uri, fo->account, sizeof(fo->account), NULL)) != 0) {
			if (found < 0)
				return -1;
			continue;
		}
		local = 0;
		found = status_by_uri(c, uri, fo->status[fo->nstatus], sizeof(fo->status[0]),
		    fo->author[fo->nstatus], sizeof(fo->author[0]), &local);
		if (found < 0)
			return -1;
		if (found && local)
			fo->nstatus++;
	}
	return 0;
}

/*
 * An incoming Flag becomes a report for the moderators (Mastodon's
 * ActivityPub::Activity::Flag): its objects are the reported local account
 * and some of its statuses, its content the comment. The account may also
 * be given only through its statuses. Mastodon files one report per local
 * account named; we take the first, as a Flag from Mastodon names one.
 */
static enum in_result
in_flag(struct in_ctx *c)
{
	const char		*text = json_string_value(json_object_get(c->act, "content"));
	struct flag_objects	 fo;
	struct buf		 ids;
	char			*comment = NULL;
	size_t			 len;
	int			 i, fresh;
	enum in_result		 r = IN_DONE;
	PGresult		*res;

	if (flag_objects(c, json_object_get(c->act, "object"), &fo) == -1)
		return in_db_fail(c);
	if (fo.account[0] == '\0' && fo.nstatus > 0)
		str_lcpy(fo.account, fo.author[0], sizeof(fo.account));
	if (fo.account[0] == '\0')
		return drop(c, "Flag of nothing of ours");
	/* Cut the comment at a character boundary, or PostgreSQL refuses it. */
	len = text != NULL ? strlen(text) : 0;
	if (len > IN_FLAG_COMMENT_MAX)
		for (len = IN_FLAG_COMMENT_MAX; len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80; len--)
			;
	comment = xstrndup(text != NULL ? text : "", len);
	buf_init(&ids, sizeof(fo.status) + 8);
	buf_puts(&ids, "{");
	for (i = 0; i < fo.nstatus; i++)
		if (strcmp(fo.author[i], fo.account) == 0)
			buf_printf(&ids, "%s%s", ids.len > 1 ? "," : "", fo.status[i]);
	buf_puts(&ids, "}");
	res = DB_EXEC(c->db, STMT_IN_REPORT_INSERT, c->signer_id, fo.account, ids.data,
	    comment, c->id);
	if (res == NULL) {
		r = in_db_fail(c);
		goto out;
	}
	fresh = PQntuples(res) == 1;
	PQclear(res);
	if (fresh) {	/* a re-delivered Flag notifies nobody again */
		if ((res = DB_EXEC(c->db, STMT_IN_NOTIFY_MODERATORS, c->signer_id)) == NULL)
			r = in_db_fail(c);
		PQclear(res);
	}
out:
	buf_cleanup(&ids);
	free(comment);
	return r;
}

/*
 * Add/Remove of a post on the signer's featured collection: pinning and
 * unpinning (Mastodon's ActivityPub::Activity::Add). Other collections
 * (featured tags, for instance) are ignored. A pinned post we do not have
 * is fetched first.
 */
static enum in_result
in_add_remove(struct in_ctx *c)
{
	const char	*target = obj_id(json_object_get(c->act, "target"));
	const char	*oid = obj_id(json_object_get(c->act, "object"));
	char		 status[24], author[24];
	int		 found, add = c->type[0] == 'A';
	PGresult	*res;

	if (target == NULL || oid == NULL || c->signer_featured == NULL ||
	    *c->signer_featured == '\0' || strcmp(target, c->signer_featured) != 0)
		return IN_DONE;
	found = status_by_uri(c, oid, status, sizeof(status), author, sizeof(author), NULL);
	if (found < 0)
		return in_db_fail(c);
	if (found == 0)
		return add && c->depth == 0 ? fetch_later(c, oid, c->signer_uri, 0, c->act) :
		    IN_DONE;
	if (strcmp(author, c->signer_id) != 0)
		return drop(c, "pinning someone else's post");
	res = DB_EXEC(c->db, add ? STMT_IN_PIN : STMT_IN_UNPIN, c->signer_id, status);
	if (res == NULL)
		return in_db_fail(c);
	PQclear(res);
	return IN_DONE;
}

/*
 * Move of the signer to a new account: checked and carried out by the
 * "move" job (ap/move), which has to fetch the new account first to see
 * that it claims the old one (alsoKnownAs).
 */
static enum in_result
in_move(struct in_ctx *c)
{
	const char	*oid = obj_id(json_object_get(c->act, "object"));
	const char	*target = obj_id(json_object_get(c->act, "target"));

	if (oid == NULL || strcmp(oid, c->signer_uri) != 0)
		return drop(c, "Move of someone other than the signer");
	if (target == NULL || strcmp(target, c->signer_uri) == 0)
		return drop(c, "Move without a new account");
	if (ap_move_queue(c->db, c->signer, target) == -1)
		return in_db_fail(c);
	return IN_DONE;
}

static const struct in_handler in_handlers[] = {
	{ "Follow",	in_follow },
	{ "Undo",	in_undo },
	{ "Accept",	in_accept_reject },
	{ "Reject",	in_accept_reject },
	{ "Like",	in_like },
	{ "Announce",	in_announce },
	{ "Block",	in_block },
	{ "Delete",	in_delete },
	{ "Create",	in_create },
	{ "Update",	in_update },
	{ "Flag",	in_flag },
	{ "Add",	in_add_remove },
	{ "Remove",	in_add_remove },
	{ "Move",	in_move },
};

static int
in_load_signer(struct in_ctx *c)
{
	PGresult *res = DB_EXEC(c->db, STMT_IN_ACCOUNT, c->signer_id);

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		c->signer_uri = xstrdup(PQgetvalue(res, 0, 1));
		c->signer_inbox = xstrdup(*PQgetvalue(res, 0, 3) ? PQgetvalue(res, 0, 3) :
		    PQgetvalue(res, 0, 2));
		c->signer_followers = xstrdup(PQgetvalue(res, 0, 4));
		c->signer_featured = xstrdup(PQgetvalue(res, 0, 6));
	}
	PQclear(res);
	return 0;
}

/*
 * Runs apply (a handler, or NULL to dispatch on the activity's type) for
 * c in one transaction. A handler-less type is ignored.
 */
static enum in_result
in_run(struct in_ctx *c, enum in_result (*apply)(struct in_ctx *))
{
	enum in_result	 r;
	size_t		 i;

	if (apply == NULL) {
		for (i = 0; i < sizeof(in_handlers) / sizeof(in_handlers[0]); i++)
			if (strcmp(in_handlers[i].type, c->type) == 0)
				break;
		if (i == sizeof(in_handlers) / sizeof(in_handlers[0])) {
			/* Unknown types are ignored, as the corpus README asks. */
			log_debug("inbox_ignored", "type=%s id=%s", c->type, c->id);
			return IN_DONE;
		}
		apply = in_handlers[i].apply;
	}
	if (db_begin(c->db) == -1)
		return IN_RETRY;
	r = apply(c);
	if (r == IN_DONE ? db_commit(c->db) == -1 : db_rollback(c->db) == -1)
		r = IN_RETRY;
	return r;
}

static void
in_cleanup(struct in_ctx *c)
{
	free(c->signer_uri);
	free(c->signer_inbox);
	free(c->signer_followers);
	free(c->signer_featured);
}

static void
in_log(const struct in_ctx *c, enum in_result r)
{
	if (r == IN_DONE)
		log_info("inbox_processed", "type=%s id=%s", c->type, c->id);
	else if (r == IN_DROP)
		log_info("inbox_dropped", "type=%s id=%s reason=\"%s\"", c->type, c->id,
		    c->why ? c->why : "-");
}

/*
 * The signer as the inbox found it (the job's "signer_actor"), when the
 * job has it whole: 1, else 0.
 */
static int
in_known_signer(struct in_ctx *c, const json_t *known)
{
	const char *uri = json_string_value(json_object_get(known, "uri"));
	const char *inbox = json_string_value(json_object_get(known, "inbox"));
	const char *followers = json_string_value(json_object_get(known, "followers"));
	const char *featured = json_string_value(json_object_get(known, "featured"));

	if (uri == NULL || inbox == NULL || followers == NULL || featured == NULL)
		return 0;
	c->signer_uri = xstrdup(uri);
	c->signer_inbox = xstrdup(inbox);
	c->signer_followers = xstrdup(followers);
	c->signer_featured = xstrdup(featured);
	return 1;
}

/*
 * Sets c up for signer, as known (the inbox's view of it, may be NULL) or
 * as stored; 1, 0 when the signer is gone, -1 on a database error.
 */
static int
in_setup(struct in_ctx *c, struct db *db, long long signer, const json_t *known,
    const json_t *act, int depth)
{
	memset(c, 0, sizeof(*c));
	c->db = db;
	c->act = act;
	c->type = obj_type(act);
	c->id = obj_id(act);
	c->signer = signer;
	c->depth = depth;
	snprintf(c->signer_id, sizeof(c->signer_id), "%lld", signer);
	if (!in_known_signer(c, known) && in_load_signer(c) == -1)
		return -1;
	return c->signer_uri != NULL;
}

static int
in_outcome(enum in_result r)
{
	return r == IN_RETRY ? -1 : 0;
}

int
ap_process_apply(struct db *db, long long signer, const json_t *activity, int depth)
{
	struct in_ctx	 c;
	enum in_result	 r = IN_DONE;
	int		 ok = in_setup(&c, db, signer, NULL, activity, depth);

	if (ok == 1 && c.type != NULL && c.id != NULL) {
		r = in_run(&c, NULL);
		in_log(&c, r);
	}
	in_cleanup(&c);
	return ok == -1 ? -1 : in_outcome(r);
}

/* Stores the note ap_process_note wrapped in a stand-in Create. */
static enum in_result
in_fetched(struct in_ctx *c)
{
	return store_note(c, json_object_get(c->act, "object"));
}

int
ap_process_note(struct db *db, long long author, const json_t *note, int depth)
{
	struct in_ctx	 c;
	enum in_result	 r = IN_DONE;
	json_t		*act;
	int		 ok;

	/* The note as if its author had sent a Create of it: the same path. */
	act = json_pack("{s:s,s:s?,s:O}", "type", "Create", "id", obj_id(note),
	    "object", note);
	if (act == NULL)
		return 0;
	ok = in_setup(&c, db, author, NULL, act, depth);
	if (ok == 1 && c.id != NULL) {
		const char *by = note_author(note);

		if (!note_type_ok(obj_type(note)) || by == NULL ||
		    strcmp(by, c.signer_uri) != 0)
			r = drop(&c, "fetched object is not a note by its author");
		else
			r = in_run(&c, in_fetched);
		in_log(&c, r);
	}
	in_cleanup(&c);
	json_decref(act);
	return ok == -1 ? -1 : in_outcome(r);
}

void
ap_process_run(struct job_ctx *ctx)
{
	const json_t	*p = job_payload(ctx);
	struct in_ctx	 c;
	enum in_result	 r = IN_DONE;
	long long	 signer = json_integer_value(json_object_get(p, "signer"));
	int		 ok;

	if (obj_type(json_object_get(p, "activity")) == NULL ||
	    obj_id(json_object_get(p, "activity")) == NULL || signer <= 0) {
		job_fail_permanently(ctx, "bad payload");
		return;
	}
	ok = in_setup(&c, job_db(ctx), signer, json_object_get(p, "signer_actor"),
	    json_object_get(p, "activity"), 0);
	if (ok == -1) {
		in_cleanup(&c);
		job_retry(ctx, 0, "database unavailable");
		return;
	}
	if (ok == 0) {
		in_cleanup(&c);
		job_fail_permanently(ctx, "the signer is gone");
		return;
	}
	r = in_run(&c, NULL);
	in_log(&c, r);
	if (r == IN_RETRY)
		job_retry(ctx, 0, "database unavailable or busy");
	else
		job_done(ctx);
	in_cleanup(&c);
}
