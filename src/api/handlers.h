/*
 * Every client API handler, for the route table (http/routes.c): one
 * header per group of endpoints.
 */
#ifndef MEENT_API_HANDLERS_H
#define MEENT_API_HANDLERS_H

#include "api/oauth_routes.h"
#include "api/instance_routes.h"
#include "api/accounts_routes.h"
#include "api/statuses_routes.h"
#include "api/timelines_routes.h"

#endif
