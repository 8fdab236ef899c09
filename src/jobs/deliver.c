/*
 * The "deliver" job: see deliver.h. Its steps are check → send → judge;
 * the send is the only asynchronous one, so the state is just the
 * callback's argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "http/client.h"
#include "ap/sign.h"
#include "jobs/deliver.h"
#include "jobs/domain.h"
#include "jobs/job.h"
#include "jobs/policy.h"
#include "jobs/queue.h"
#include "util/config.h"
#include "util/log.h"
#include "util/mem.h"

#define DELIVER_CONTENT_TYPE	"Content-Type: application/activity+json"
#define DELIVER_REASON_MAX	400

/* One delivery in flight: the callback's argument. */
struct deliver {
	struct job_ctx	*d_ctx;
	char		 d_host[JOB_DOMAIN_MAX];
	int		 d_record;	/* a success has something to clear */
};

/* A request from the payload: borrowed from it, except body_owned. */
struct deliver_req {
	const char	*url;
	const char	*body;
	size_t		 body_len;
	char		*body_owned;		/* a JSON body, encoded; freed by the caller */
	const char	*headers[JOB_DELIVER_MAX_HEADERS + AP_SIGN_LINES + 2]; /* + Content-Type, signature lines, NULL */
};

/* Reads the payload into dr. NULL, or why it can never be delivered. */
static const char *
deliver_parse(const json_t *p, struct deliver_req *dr)
{
	const json_t	*url = json_object_get(p, "url");
	const json_t	*body = json_object_get(p, "body");
	const json_t	*hdrs = json_object_get(p, "headers"), *h;
	size_t		 i, n = 0;
	int		 has_type = 0;

	memset(dr, 0, sizeof(*dr));
	if (!json_is_string(url) || json_string_length(url) == 0)
		return "bad payload: no url";
	dr->url = json_string_value(url);
	if (json_is_string(body)) {
		dr->body = json_string_value(body);
		dr->body_len = json_string_length(body);
	} else if (json_is_object(body) || json_is_array(body)) {
		if ((dr->body_owned = json_dumps(body, JSON_COMPACT)) == NULL)
			return "bad payload: body not encodable";
		dr->body = dr->body_owned;
		dr->body_len = strlen(dr->body_owned);
	} else
		return "bad payload: no body";
	if (hdrs != NULL && (!json_is_array(hdrs) ||
	    json_array_size(hdrs) > JOB_DELIVER_MAX_HEADERS))
		return "bad payload: headers is not an array of at most 32 strings";
	json_array_foreach(hdrs, i, h) {
		if (!json_is_string(h))
			return "bad payload: a header is not a string";
		dr->headers[n++] = json_string_value(h);
		if (strncasecmp(json_string_value(h), "Content-Type:", 13) == 0)
			has_type = 1;
	}
	if (!has_type)
		dr->headers[n++] = DELIVER_CONTENT_TYPE;
	dr->headers[n] = NULL;
	return NULL;
}

/* Judges an HTTP answer: the domain answered, whatever it said. */
static void
deliver_judge_status(struct deliver *d, const struct http_client_resp *resp)
{
	struct job_ctx	*ctx = d->d_ctx;
	char		 reason[DELIVER_REASON_MAX];
	long		 retry_after = 0;

	snprintf(reason, sizeof(reason), "%s: HTTP %ld", d->d_host, resp->status);
	switch (job_policy_http_status(resp->status)) {
	case JOB_POLICY_DONE:
		if (d->d_record)
			job_domain_succeeded(job_db(ctx), d->d_host);
		job_done(ctx);
		return;
	case JOB_POLICY_PERMANENT:
		/* A 4xx is a server that works and refuses: not a broken domain. */
		if (d->d_record)
			job_domain_succeeded(job_db(ctx), d->d_host);
		job_fail_permanently(ctx, reason);
		return;
	case JOB_POLICY_RETRY:
		break;
	}
	/* Retry-After may come with 503 and 429 (RFC 9110 §10.2.3), or any 3xx. */
	(void)job_policy_retry_after(resp->retry_after, time(NULL), &retry_after);
	job_domain_failed(job_db(ctx), d->d_host,
	    (long)job_config(ctx)->job_domain_unavailable_after, reason);
	job_retry(ctx, retry_after, reason);
}

static void
deliver_cb(const struct http_client_resp *resp, void *arg)
{
	struct deliver	*d = arg;
	struct job_ctx	*ctx = d->d_ctx;
	char		 reason[DELIVER_REASON_MAX];

	snprintf(reason, sizeof(reason), "%s: %s", d->d_host, resp->errmsg);
	switch (resp->error) {
	case HTTP_CLIENT_OK:
		deliver_judge_status(d, resp);
		break;
	case HTTP_CLIENT_ECANCELLED:
		/* Shutdown: the job was given back, or its lease will run out. */
		job_retry(ctx, 0, reason);
		break;
	case HTTP_CLIENT_EINVAL:
	case HTTP_CLIENT_ESCHEME:
	case HTTP_CLIENT_EADDR:
	case HTTP_CLIENT_EREDIRECTS:
	case HTTP_CLIENT_ETOOBIG:
		/* Our policy or the URL itself: no later attempt differs. */
		job_fail_permanently(ctx, reason);
		break;
	case HTTP_CLIENT_EDNS:
	case HTTP_CLIENT_ECONNECT:
	case HTTP_CLIENT_ETLS:
	case HTTP_CLIENT_ETIMEOUT:
	case HTTP_CLIENT_EOTHER:
		job_domain_failed(job_db(ctx), d->d_host,
		    (long)job_config(ctx)->job_domain_unavailable_after, reason);
		job_retry(ctx, 0, reason);
		break;
	}
	free(d);
}

void
job_deliver_run(struct job_ctx *ctx)
{
	struct deliver_req	 dr;
	struct http_client_req	 req;
	struct deliver		*d = NULL;
	struct ap_signed_lines	 signed_lines;
	const char		*why;

	memset(&signed_lines, 0, sizeof(signed_lines));

	if ((why = deliver_parse(job_payload(ctx), &dr)) != NULL) {
		job_fail_permanently(ctx, why);
		goto out;
	}
	d = xcalloc(1, sizeof(*d));
	d->d_ctx = ctx;
	if (job_domain_of_url(dr.url, d->d_host, sizeof(d->d_host)) == -1) {
		job_fail_permanently(ctx, "bad payload: the url has no host");
		goto out;
	}
	if (job_domain_skip(job_db(ctx), d->d_host, &d->d_record)) {
		job_retry(ctx, 0, "domain unavailable: postponed without trying");
		goto out;
	}
	/* "signer": sign now, with that local actor's key, so that every
	 * attempt carries a fresh Date (ap/outbox queues such jobs). */
	if (json_is_integer(json_object_get(job_payload(ctx), "signer"))) {
		size_t n = 0;

		while (dr.headers[n] != NULL)
			n++;
		if (ap_sign_request_as(job_db(ctx), json_integer_value(json_object_get(
		    job_payload(ctx), "signer")), "POST", dr.url, dr.body, dr.body_len,
		    &signed_lines) == -1) {
			job_retry(ctx, 0, "cannot sign: the sender's key is not available");
			goto out;
		}
		for (int i = 0; signed_lines.line[i] != NULL &&
		    n < JOB_DELIVER_MAX_HEADERS + AP_SIGN_LINES + 1; i++)
			dr.headers[n++] = signed_lines.line[i];
		dr.headers[n] = NULL;
	}
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = dr.url;
	req.headers = dr.headers;
	req.body = dr.body;
	req.body_len = dr.body_len;
	req.no_redirects = 1;
	if (http_client_request(job_client(ctx), &req, deliver_cb, d) == -1) {
		job_retry(ctx, 0, "the outbound client is shutting down");
		goto out;
	}
	d = NULL;	/* the callback has it now */
out:
	free(d);
	free(dr.body_owned);
	ap_signed_lines_cleanup(&signed_lines);
}

int
job_deliver_enqueue(struct db *db, const char *url, const char *body,
    const char *const *headers, const char *dedup_key, long long *id)
{
	struct job_spec	 js;
	json_t		*payload, *hdrs;
	int		 rc;

	hdrs = json_array();
	for (size_t i = 0; headers != NULL && headers[i] != NULL; i++) {
		if (json_array_append_new(hdrs, json_string(headers[i])) == -1) {
			json_decref(hdrs);
			hdrs = NULL;
			break;
		}
	}
	payload = hdrs != NULL ? json_pack("{s:s,s:s,s:o}", "url", url, "body", body,
	    "headers", hdrs) : NULL;
	if (payload == NULL) {
		log_error("job_enqueue_failed", "kind=%s msg=\"url, body or a header is "
		    "not UTF-8\"", JOB_DELIVER_KIND);
		return -1;
	}
	memset(&js, 0, sizeof(js));
	js.kind = JOB_DELIVER_KIND;
	js.queue = JOB_DELIVER_QUEUE;
	js.payload = payload;
	js.dedup_key = dedup_key;
	rc = job_enqueue(db, &js, id);
	json_decref(payload);
	return rc;
}
