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
	struct event_base	*base;
	struct ctl		*c;
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
	} else if (w->c->json) {
		ctl_print_json(json_pack("{s:I,s:s,s:s,s:s}", "id",
		    (json_int_t)res->account_id, "uri", res->uri, "domain", res->domain,
		    "key_id", res->key_id));
		w->rc = CTL_OK;
	} else {
		printf("fetched %s (account %lld, domain %s)\n", res->uri,
		    res->account_id, res->domain);
		w->rc = CTL_OK;
	}
	w->done = 1;
}

static int
ctl_remote_fetch(struct ctl *c, int argc, char **argv)
{
	struct http_client_config	 hc;
	struct ap_fetch_env		 env;
	struct remote_wait		 w;
	char				 err[256], user[256], *at;
	const char			*what;

	if (argc != 1)
		return ctl_fail(CTL_USAGE, "remote fetch takes one acct:user@domain or URL");
	what = argv[0];
	memset(&w, 0, sizeof(w));
	w.c = c;
	w.rc = CTL_ERR;
	if ((w.base = event_base_new()) == NULL)
		return ctl_fail(CTL_ERR, "remote fetch: no event loop");
	http_client_config_init(&hc, &c->cfg);
	if ((env.client = http_client_new(w.base, &hc, err, sizeof(err))) == NULL) {
		event_base_free(w.base);
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
			event_base_free(w.base);
			return ctl_fail(CTL_USAGE, "remote fetch: expected user@domain or a URL");
		}
		*at = '\0';
		ap_fetch_acct(&env, user, at + 1, remote_done, &w);
	}
	/* The callback may have run already (an immediate failure). */
	while (!w.done)
		event_base_loop(w.base, EVLOOP_ONCE);
	http_client_free(env.client);
	event_base_free(w.base);
	return w.rc;
}

const struct ctl_cmd ctl_remote_cmds[] = {
	{ "remote", "fetch", "ACCT|URL",
	    "fetch a remote actor (user@domain or its URL) and cache it, as meentd does",
	    ctl_remote_fetch, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
