/* NodeInfo: see nodeinfo.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/nodeinfo.h"
#include "ap/urls.h"
#include "db/db.h"
#include "http/reply.h"
#include "http/request.h"
#include "meent.h"
#include "util/str.h"

void
ap_nodeinfo_discovery(struct http_req *req)
{
	char base[300];

	ap_url_base(&req->req_meent->cfg, base, sizeof(base));
	http_reply_header(req, "Cache-Control", "max-age=259200, public");
	http_reply_json(req, 200, json_pack("{s:[{s:s,s:s+},{s:s,s:s+}]}", "links",
	    "rel", "http://nodeinfo.diaspora.software/ns/schema/2.0",
	    "href", base, "/nodeinfo/2.0",
	    "rel", "http://nodeinfo.diaspora.software/ns/schema/2.1",
	    "href", base, "/nodeinfo/2.1"));
}

static json_int_t
num(const PGresult *res, int c)
{
	long long v = 0;

	(void)str_to_ll(PQgetvalue(res, 0, c), 0, (long long)1 << 62, &v);
	return (json_int_t)v;
}

void
ap_nodeinfo_get(struct http_req *req)
{
	const char	*version = http_req_param(req, "version");
	struct meent	*m = req->req_meent;
	PGresult	*res;
	json_t		*doc, *software;
	char		*text, ctype[160];
	int		 v21;

	if (strcmp(version, "2.0") != 0 && strcmp(version, "2.1") != 0) {
		http_reply_error(req, 404, "Record not found");
		return;
	}
	v21 = version[2] == '1';
	if ((res = DB_EXEC0(req->req_db, STMT_AP_NODEINFO_USAGE)) == NULL) {
		http_reply_db_error(req);
		return;
	}
	software = json_pack("{s:s,s:s}", "name", "meent", "version", MEENT_VERSION);
	if (v21) {
		json_object_set_new(software, "repository",
		    json_string("https://github.com/meent/meent"));
		json_object_set_new(software, "homepage",
		    json_string("https://github.com/meent/meent"));
	}
	doc = json_pack("{s:s,s:o,s:[s],s:{s:[],s:[]},s:b,s:{s:{s:I,s:I,s:I},s:I},s:{s:s}}",
	    "version", version,
	    "software", software,
	    "protocols", "activitypub",
	    "services", "outbound", "inbound",
	    "openRegistrations", 0,
	    "usage", "users", "total", num(res, 0), "activeMonth", num(res, 1),
	    "activeHalfyear", num(res, 2), "localPosts", num(res, 3),
	    "metadata", "nodeName", m->cfg.instance_name);
	PQclear(res);
	if (doc == NULL || (text = json_dumps(doc, JSON_COMPACT)) == NULL) {
		json_decref(doc);
		http_reply_error(req, 500, "Internal server error");
		return;
	}
	json_decref(doc);
	/* The content type names the schema, as the specification asks. */
	snprintf(ctype, sizeof(ctype), "application/json; profile="
	    "\"http://nodeinfo.diaspora.software/ns/schema/%s#\"", version);
	http_reply_header(req, "Cache-Control", "max-age=1800, public");
	http_reply_body(req, 200, ctype, text, strlen(text));
	free(text);
}
