/*
 * POST /@:username/remote_follow: following a local account from another
 * server, for a reader who is signed in there and not here. As Mastodon's
 * RemoteFollow did: the reader types their handle, we ask their server's
 * WebFinger for the http://ostatus.org/schema/1.0/subscribe template,
 * fill it with the account's actor id, and send the reader there, where
 * their own server shows its follow dialog. The lookup runs on this
 * thread's outbound client (http/client.h: timeouts, size caps and the
 * refusal of internal addresses), with the request held meanwhile, so no
 * HTTP thread waits on another server. A handle we cannot read, a server
 * that cannot be asked or has no template give the profile again with
 * the reason next to the field (422).
 *
 * A POST, not a GET: link prefetchers and crawlers must not make us
 * contact servers. Nothing is done on behalf of anyone here, and the
 * reader's server asks them to confirm, so there is no token to forge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "ap/remote_webfinger.h"
#include "api/params.h"
#include "http/client.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/log.h"
#include "util/mem.h"
#include "util/str.h"
#include "web/profile_input.h"
#include "web/profile_internal.h"
#include "web/profile_routes.h"
#include "web/web.h"

#define REMOTE_FOLLOW_TIMEOUT_MS	8000	/* a reader is waiting */

/* One lookup in flight; owns everything but req. */
struct remote_follow {
	struct http_req		*rf_req;
	const char		*rf_locale;	/* static (web_locale) */
	struct web_profile_acct	 rf_acct;
	char			*rf_input;	/* what the reader typed */
	char			 rf_user[WEB_REMOTE_USER_MAX + 1];
	char			 rf_domain[WEB_REMOTE_DOMAIN_MAX + 1];
};

static void
remote_follow_free(struct remote_follow *rf)
{
	if (rf == NULL)
		return;
	web_profile_acct_cleanup(&rf->rf_acct);
	free(rf->rf_input);
	free(rf);
}

/* The profile again, with the reason under the field. */
static void
remote_follow_refuse(struct remote_follow *rf, const char *why)
{
	web_profile_page(rf->rf_req, rf->rf_locale, &rf->rf_acct, 422, why, rf->rf_input);
}

/* The subscribe template of a WebFinger answer (new), or NULL. */
static char *
remote_follow_template(const struct http_client_resp *resp)
{
	struct ap_jrd	 jrd;
	const char	*reason = NULL;
	char		*tpl = NULL;
	size_t		 skip = strspn(resp->body, " \t\r\n");
	int		 rc;

	/* Old servers answer in XRD even when asked for JRD. */
	if (resp->body[skip] == '<')
		rc = ap_jrd_parse_xrd(resp->body, resp->body_len, &jrd, &reason);
	else
		rc = ap_jrd_parse(resp->body, resp->body_len, &jrd, &reason);
	if (rc == -1)
		return NULL;
	if (jrd.subscribe_template != NULL)
		tpl = xstrdup(jrd.subscribe_template);
	ap_jrd_cleanup(&jrd);
	return tpl;
}

static void
remote_follow_reply(const struct http_client_resp *resp, void *arg)
{
	struct remote_follow	*rf = arg;
	struct http_req		*req = rf->rf_req;
	char			*tpl = NULL, *url = NULL;

	if (resp->error != HTTP_CLIENT_OK || resp->status != 200) {
		log_info("web_remote_follow", "domain=%s error=\"%s\" status=%ld",
		    rf->rf_domain, resp->errmsg, resp->status);
		remote_follow_refuse(rf, "profile.remote_error_lookup");
		goto out;
	}
	if ((tpl = remote_follow_template(resp)) == NULL) {
		remote_follow_refuse(rf, "profile.remote_error_unsupported");
		goto out;
	}
	url = web_remote_follow_url(tpl, rf->rf_acct.uri,
	    req->req_meent->cfg.allow_insecure_http_for_development);
	if (url == NULL) {
		remote_follow_refuse(rf, "profile.remote_error_unsupported");
		goto out;
	}
	http_reply_header(req, "Cache-Control", "no-store");
	http_reply_redirect(req, 303, url);
out:
	free(tpl);
	free(url);
	remote_follow_free(rf);
}

/* Starts the WebFinger lookup of rf's handle; the request is held. */
static void
remote_follow_lookup(struct remote_follow *rf)
{
	struct http_req		*req = rf->rf_req;
	struct http_client_req	 creq;
	const char		*headers[] = { "Accept: application/jrd+json, application/json",
	    NULL };
	char			 acct[WEB_REMOTE_USER_MAX + WEB_REMOTE_DOMAIN_MAX + 8];
	char			*esc, *url;

	snprintf(acct, sizeof(acct), "acct:%s@%s", rf->rf_user, rf->rf_domain);
	esc = curl_easy_escape(NULL, acct, 0);
	url = xasprintf("%s://%s/.well-known/webfinger?resource=%s",
	    req->req_meent->cfg.allow_insecure_http_for_development ? "http" : "https",
	    rf->rf_domain, esc != NULL ? esc : "");
	curl_free(esc);
	memset(&creq, 0, sizeof(creq));
	creq.method = "GET";
	creq.url = url;
	creq.headers = headers;
	creq.max_response = AP_JRD_MAX_BODY;
	creq.timeout_ms = REMOTE_FOLLOW_TIMEOUT_MS;
	http_req_hold(req);
	if (http_client_request(http_req_client(req), &creq, remote_follow_reply, rf) == -1) {
		/* Shutting down: the callback will not run. */
		web_reply_public_message(req, 503, rf->rf_locale, "error.database", NULL);
		remote_follow_free(rf);
	}
	free(url);
}

void
web_remote_follow_post(struct http_req *req)
{
	const char		*locale = web_locale(req, http_req_query(req, "lang"));
	const char		*why, *input;
	struct api_params	*p;
	struct remote_follow	*rf;
	char			 err[200];

	rf = xcalloc(1, sizeof(*rf));
	rf->rf_req = req;
	rf->rf_locale = locale;
	switch (web_profile_find(req, http_req_param(req, "username"), &rf->rf_acct)) {
	case WEB_PROFILE_ERROR:
		web_reply_public_message(req, 503, locale, "error.database", NULL);
		goto out;
	case WEB_PROFILE_UNKNOWN:
		web_reply_public_message(req, 404, locale, "error.not_found", NULL);
		goto out;
	case WEB_PROFILE_FOUND:
		break;
	}
	if (rf->rf_acct.suspended || rf->rf_acct.deleted) {
		web_reply_public_message(req, 410, locale, "profile.gone", NULL);
		goto out;
	}
	if ((p = api_params_parse(req, err, sizeof(err))) == NULL) {
		remote_follow_refuse(rf, "profile.remote_error_invalid");
		goto out;
	}
	input = api_param_str(p, "acct");
	/* Shown again in the field: only what could be a handle. */
	rf->rf_input = xstrdup(input != NULL && strlen(input) <= WEB_REMOTE_INPUT_MAX ?
	    input : "");
	why = web_remote_acct_parse(input, rf->rf_user, rf->rf_domain);
	api_params_free(p);
	if (why != NULL) {
		remote_follow_refuse(rf, why);
		goto out;
	}
	/* Someone of this server follows from their app, not through here. */
	if (strcasecmp(rf->rf_domain, req->req_meent->cfg.domain) == 0) {
		remote_follow_refuse(rf, "profile.remote_error_local");
		goto out;
	}
	remote_follow_lookup(rf);
	return;
out:
	remote_follow_free(rf);
}
