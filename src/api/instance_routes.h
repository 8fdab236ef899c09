/*
 * Handlers of the client API group instance (routes in api/routes_instance.inc).
 */
#ifndef MEENT_API_INSTANCE_ROUTES_H
#define MEENT_API_INSTANCE_ROUTES_H

struct http_req;

#endif
