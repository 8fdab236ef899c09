/*
 * Handlers of the client API group timelines (routes in api/routes_timelines.inc).
 */
#ifndef MEENT_API_TIMELINES_ROUTES_H
#define MEENT_API_TIMELINES_ROUTES_H

struct http_req;

#endif
