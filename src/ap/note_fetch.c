/*
 * The "fetch_note" job: see note_fetch.h. Two network steps at most, the
 * object and, when we do not know it yet, its author; each callback moves
 * the job on or finishes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/fetch.h"
#include "ap/note_fetch.h"
#include "ap/process.h"
#include "db/db.h"
#include "jobs/job.h"
#include "jobs/queue.h"
#include "util/config.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/url.h"

struct note_fetch {
	struct job_ctx	*ctx;
	const char	*uri;		/* borrowed from the payload */
	const char	*author;	/* required author, or NULL */
	int		 depth;
	json_t		*note;		/* the fetched object, while its author is fetched */
};

int
ap_note_fetch_queue(struct db *db, const char *uri, const char *author, int depth,
    const json_t *then, long long then_signer)
{
	struct job_spec	 js = { 0 };
	json_t		*payload;
	char		*dedup = NULL;
	int		 rc;

	payload = json_pack("{s:s,s:i}", "uri", uri, "depth", depth);
	if (payload == NULL)
		return -1;
	if (author != NULL)
		json_object_set_new(payload, "author", json_string(author));
	if (then != NULL) {
		json_object_set(payload, "then", (json_t *)then);
		json_object_set_new(payload, "then_signer", json_integer(then_signer));
	} else
		dedup = xasprintf("fetch_note:%s", uri);
	js.kind = AP_NOTE_FETCH_KIND;
	js.payload = payload;
	js.dedup_key = dedup;
	rc = job_enqueue(db, &js, NULL);
	json_decref(payload);
	free(dedup);
	return rc;
}

static void
nf_finish(struct note_fetch *nf, int transient, const char *why)
{
	if (why != NULL)
		log_info("note_fetch_failed", "uri=%s reason=\"%s\"", nf->uri, why);
	if (transient)
		job_retry(nf->ctx, 0, why);
	else
		job_done(nf->ctx);
	json_decref(nf->note);
	free(nf);
}

/* Stores the note by author, then applies what waited for it. */
static void
nf_store(struct note_fetch *nf, long long author)
{
	const json_t	*p = job_payload(nf->ctx);
	const json_t	*then = json_object_get(p, "then");
	struct db	*db = job_db(nf->ctx);

	if (ap_process_note(db, author, nf->note, nf->depth) == -1) {
		nf_finish(nf, 1, "database unavailable");
		return;
	}
	if (then != NULL && ap_process_apply(db, json_integer_value(json_object_get(p,
	    "then_signer")), then, 1) == -1) {
		nf_finish(nf, 1, "database unavailable");
		return;
	}
	nf_finish(nf, 0, NULL);
}

static void
nf_on_author(const struct ap_fetch_result *res, void *arg)
{
	struct note_fetch *nf = arg;

	if (!res->ok) {
		nf_finish(nf, res->transient, res->error);
		return;
	}
	nf_store(nf, res->account_id);
}

/* The author of the note: attributedTo, a string, an object or the first of a list. */
static const char *
nf_author_of(const json_t *note)
{
	const json_t	*by = json_object_get(note, "attributedTo");

	if (json_is_array(by))
		by = json_array_get(by, 0);
	if (json_is_object(by))
		by = json_object_get(by, "id");
	return json_string_value(by);
}

static void
nf_on_object(const struct ap_fetch_object_result *res, void *arg)
{
	struct note_fetch	*nf = arg;
	struct ap_fetch_env	 env;
	const char		*author;
	PGresult		*r;
	long long		 id = 0;

	if (!res->ok) {
		nf_finish(nf, res->transient, res->error);
		return;
	}
	author = nf_author_of(res->doc);
	if (author == NULL || !url_same_host(author, json_string_value(json_object_get(
	    res->doc, "id")))) {
		nf_finish(nf, 0, "the object's author is missing or on another host");
		return;
	}
	if (nf->author != NULL && strcmp(author, nf->author) != 0) {
		nf_finish(nf, 0, "the object is not by the actor who sent it");
		return;
	}
	nf->note = json_incref((json_t *)res->doc);
	if ((r = DB_EXEC(job_db(nf->ctx), STMT_AP_REMOTE_ACCOUNT_BY_URI, author)) == NULL) {
		nf_finish(nf, 1, "database unavailable");
		return;
	}
	if (PQntuples(r) == 1)
		id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	if (id > 0) {
		nf_store(nf, id);
		return;
	}
	env.client = job_client(nf->ctx);
	env.db = job_db(nf->ctx);
	env.cfg = job_config(nf->ctx);
	ap_fetch_actor(&env, author, nf_on_author, nf);
}

void
ap_note_fetch_run(struct job_ctx *ctx)
{
	const json_t		*p = job_payload(ctx);
	struct note_fetch	*nf;
	struct ap_fetch_env	 env;
	struct url_origin	 origin;
	PGresult		*r;
	int			 blocked;

	nf = xcalloc(1, sizeof(*nf));
	nf->ctx = ctx;
	nf->uri = json_string_value(json_object_get(p, "uri"));
	nf->author = json_string_value(json_object_get(p, "author"));
	nf->depth = (int)json_integer_value(json_object_get(p, "depth"));
	if (nf->uri == NULL || url_origin_parse(nf->uri,
	    job_config(ctx)->allow_insecure_http_for_development, &origin) != NULL) {
		nf_finish(nf, 0, "not a URL");
		return;
	}
	/* Nothing is fetched from a server the operator suspended. */
	if ((r = DB_EXEC(job_db(ctx), STMT_AP_DOMAIN_SUSPENDED, origin.uo_host)) == NULL) {
		nf_finish(nf, 1, "database unavailable");
		return;
	}
	blocked = PQntuples(r) > 0;
	PQclear(r);
	if (blocked) {
		nf_finish(nf, 0, "the domain is suspended");
		return;
	}
	env.client = job_client(ctx);
	env.db = job_db(ctx);
	env.cfg = job_config(ctx);
	ap_fetch_object(&env, nf->uri, nf_on_object, nf);
}
