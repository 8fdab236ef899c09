/*
 * meentctl remote: fetch (or refresh) a remote actor by acct: or URL, with
 * exactly the code meentd uses (ap/fetch): signed with the instance
 * actor's key, checked, WebFinger round-tripped and cached. For operators
 * debugging federation, and for the federation tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "ap/fetch.h"
#include "ctl/ctl.h"
#include "http/client.h"
#include "util/str.h"

struct remote_wait {
	struct ctl		*c;
	struct ctl_actor	*out;
	int			 rc;
	int			 done;
};

static void
remote_done(const struct ap_fetch_result *res, void *arg)
{
	struct remote_wait *w = arg;

	if (!res->ok) {
		w->rc = ctl_fail(res->transient ? CTL_DBERR : CTL_ERR, "remote fetch: %s%s",
		    res->error, res->transient ? " (temporary; try again later)" : "");
	} else {
		w->out->id = res->account_id;
		str_lcpy(w->out->uri, res->uri, sizeof(w->out->uri));
		str_lcpy(w->out->domain, res->domain, sizeof(w->out->domain));
		str_lcpy(w->out->key_id, res->key_id, sizeof(w->out->key_id));
		w->rc = CTL_OK;
	}
	w->done = 1;
}

int
ctl_fetch_actor(struct ctl *c, const char *what, struct ctl_actor *out)
{
	struct http_client_config	 hc;
	struct ap_fetch_env		 env;
	struct remote_wait		 w;
	struct event_base		*base;
	char				 err[256], user[256], *at;

	memset(&w, 0, sizeof(w));
	memset(out, 0, sizeof(*out));
	w.c = c;
	w.out = out;
	w.rc = CTL_ERR;
	if ((base = event_base_new()) == NULL)
		return ctl_fail(CTL_ERR, "remote fetch: no event loop");
	http_client_config_init(&hc, &c->cfg);
	if ((env.client = http_client_new(base, &hc, err, sizeof(err))) == NULL) {
		event_base_free(base);
		return ctl_fail(CTL_USAGE, "remote fetch: %s", err);
	}
	env.db = c->db;
	env.cfg = &c->cfg;
	if (str_has_prefix(what, "https://") || str_has_prefix(what, "http://")) {
		ap_fetch_actor(&env, what, remote_done, &w);
	} else {
		if (str_has_prefix(what, "acct:"))
			what += 5;
		if (*what == '@')
			what++;
		if (str_lcpy(user, what, sizeof(user)) >= sizeof(user) ||
		    (at = strchr(user, '@')) == NULL || at == user || at[1] == '\0') {
			http_client_free(env.client);
			event_base_free(base);
			return ctl_fail(CTL_USAGE, "remote fetch: expected user@domain or a URL");
		}
		*at = '\0';
		ap_fetch_acct(&env, user, at + 1, remote_done, &w);
	}
	/* The callback may have run already (an immediate failure). */
	while (!w.done)
		event_base_loop(base, EVLOOP_ONCE);
	http_client_free(env.client);
	event_base_free(base);
	return w.rc;
}

static int
ctl_remote_fetch(struct ctl *c, int argc, char **argv)
{
	struct ctl_actor	 a;
	int			 rc;

	if (argc != 1)
		return ctl_fail(CTL_USAGE, "remote fetch takes one acct:user@domain or URL");
	if ((rc = ctl_fetch_actor(c, argv[0], &a)) != CTL_OK)
		return rc;
	if (c->json)
		ctl_print_json(json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)a.id,
		    "uri", a.uri, "domain", a.domain, "key_id", a.key_id));
	else
		printf("fetched %s (account %lld, domain %s)\n", a.uri, a.id, a.domain);
	return CTL_OK;
}

const struct ctl_cmd ctl_remote_cmds[] = {
	{ "remote", "fetch", "ACCT|URL",
	    "fetch a remote actor (user@domain or its URL) and cache it, as meentd does",
	    ctl_remote_fetch, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
