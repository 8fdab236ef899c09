/*
 * A status as the statuses endpoints load it: live or not there, and
 * whether the viewer may see it, decided in SQL as Mastodon's
 * StatusPolicy#show? decides (db/stmt_api_statuses.def), together with
 * what the handlers act on. A status the viewer may not see is answered
 * like one that does not exist: 404 "Record not found".
 */
#ifndef MEENT_API_STATUS_VISIBILITY_H
#define MEENT_API_STATUS_VISIBILITY_H

#include "db/statements.h"

struct http_req;

/* Columns of API_ST_LOAD, in order. */
enum api_status_col {
	API_ST_COL_ID, API_ST_COL_ACCOUNT, API_ST_COL_VISIBILITY, API_ST_COL_REBLOG_OF,
	API_ST_COL_LOCAL, API_ST_COL_CONVERSATION, API_ST_COL_VISIBLE,
	API_ST_COL_AUTHOR_LOCAL, API_ST_COL_TEXT, API_ST_COL_SPOILER,
	API_ST_COL_SENSITIVE, API_ST_COL_LANGUAGE, API_ST_COL_AUTHOR_INBOX,
	API_ST_COL_URI, API_ST_COL_IN_REPLY_TO, API_ST_COL_IN_REPLY_TO_ACCOUNT,
	API_ST_COL_IS_REPLY,
};

struct api_status {
	long long	 id;
	long long	 account_id;		/* the author */
	long long	 reblog_of_id;		/* 0: not a boost */
	long long	 conversation_id;	/* 0: none */
	long long	 in_reply_to_account_id; /* 0: none */
	char		 id_s[24];		/* the same as text, for statements */
	char		 account_id_s[24];
	char		 reblog_of_s[24];	/* "" when not a boost */
	char		 visibility[16];
	int		 visible;		/* the viewer may see it */
	int		 local;			/* posted here */
	int		 author_local;
	int		 sensitive;
	int		 is_reply;		/* a reply, even to a post we lack */
	char		*text;			/* source text (local posts); owned */
	char		*spoiler_text;		/* owned */
	char		*language;		/* owned; NULL when none */
	char		*author_inbox;		/* the author's own inbox; owned */
	char		*uri;			/* owned */
};

/*
 * Loads the live status id as viewer (0: anonymous) sees it into st.
 * 1 when it exists (st->visible says whether the viewer may see it), 0
 * when it does not or is deleted, -1 on a database error. Free st with
 * api_status_cleanup whatever the result.
 */
int	 api_status_load(struct http_req *req, long long viewer, long long id,
	    struct api_status *st);
void	 api_status_cleanup(struct api_status *st);

/* api_status_from_route's flags. */
#define API_STATUS_ANY	0x01	/* also one the viewer may not see (st->visible says) */

/*
 * The status named by the route's ":id" that viewer may see (with
 * API_STATUS_ANY: any live one), into st. 0, or -1 after replying: 404
 * "Record not found" for a bad id, a status that does not exist or one
 * the viewer may not see; 503/500 when the database fails. Free st with
 * api_status_cleanup either way.
 */
int	 api_status_from_route(struct http_req *req, long long viewer, unsigned flags,
	    struct api_status *st);

/*
 * For a boost st, loads its original into orig (which must be visible to
 * viewer); for anything else leaves orig empty (orig->id 0). 0, or -1
 * after replying (404, or a database error). Clean orig up either way.
 */
int	 api_status_original(struct http_req *req, long long viewer,
	    const struct api_status *st, struct api_status *orig);

/*
 * Runs stmt (two text parameters) and reads the id in the first column of
 * its one row into out: 1, 0 when there is no row, -1 on a database error.
 */
int	 api_status_id_of(struct http_req *req, enum db_stmt stmt, const char *p1,
	    const char *p2, long long *out);

/*
 * Replies 200 with status id rendered for viewer (the reply of almost
 * every statuses endpoint), 404 when it is gone meanwhile, 503/500 when
 * the database fails.
 */
void	 api_status_reply(struct http_req *req, long long viewer, long long id);

/* 1 for the visibilities a client may give (public, unlisted, private, direct). */
int	 api_status_visibility_valid(const char *v);

#endif
