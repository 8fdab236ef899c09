/*
 * Every HTTP route of meentd, one per line: methods, path pattern, handler
 * and flags. The first matching row wins, so list specific patterns before
 * general ones. Metrics are labelled with the pattern.
 */
#include <stddef.h>

#include "ap/actor.h"
#include "ap/collections.h"
#include "ap/inbox.h"
#include "ap/nodeinfo.h"
#include "ap/objects.h"
#include "ap/webfinger.h"
#include "api/handlers.h"
#include "http/health.h"
#include "http/router.h"
#include "http/server.h"
#include "web/handlers.h"

const struct http_route http_routes[] = {
	{ HTTP_GET, "/healthz",		http_health_live,	0 },
	{ HTTP_GET, "/readyz",		http_health_ready,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/metrics",		http_health_metrics,	0 },

	/* Discovery (Federation I) */
	{ HTTP_GET, "/.well-known/webfinger",	ap_webfinger_get,	HTTP_ROUTE_CORS | HTTP_ROUTE_DB },
	{ HTTP_GET, "/.well-known/host-meta",	ap_host_meta_get,	HTTP_ROUTE_CORS },
	{ HTTP_GET, "/.well-known/nodeinfo",	ap_nodeinfo_discovery,	HTTP_ROUTE_CORS },
	{ HTTP_GET, "/nodeinfo/:version",	ap_nodeinfo_get,	HTTP_ROUTE_CORS | HTTP_ROUTE_DB },

	/* Actors */
	{ HTTP_GET, "/actor",			ap_instance_actor_get,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username",		ap_actor_get,		HTTP_ROUTE_DB },

	/* Collections and objects (Federation II) */
	{ HTTP_GET, "/users/:username/outbox",	ap_collection_outbox_get,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username/followers", ap_collection_followers_get,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username/following", ap_collection_following_get,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username/collections/featured", ap_collection_featured_get, HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username/collections/tags", ap_collection_tags_get, HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username/statuses/:id", ap_object_status_get,	HTTP_ROUTE_DB },
	{ HTTP_GET, "/users/:username/statuses/:id/activity", ap_object_activity_get, HTTP_ROUTE_DB },

	/* Inboxes */
	{ HTTP_POST, "/inbox",			ap_inbox_post,		HTTP_ROUTE_DB },
	{ HTTP_POST, "/users/:username/inbox",	ap_inbox_post,		HTTP_ROUTE_DB },

	/* Client API: oauth */
#include "api/routes_oauth.inc"

	/* Client API: instance */
#include "api/routes_instance.inc"

	/* Client API: accounts */
#include "api/routes_accounts.inc"

	/* Client API: statuses */
#include "api/routes_statuses.inc"

	/* Client API: timelines */
#include "api/routes_timelines.inc"

	/* Public web: the front page */
#include "web/routes_front.inc"

	/* Public web: profiles, tags and their feeds */
#include "web/routes_profile.inc"

	/* Public web: posts and oEmbed */
#include "web/routes_post.inc"
};

const size_t http_nroutes = sizeof(http_routes) / sizeof(http_routes[0]);
