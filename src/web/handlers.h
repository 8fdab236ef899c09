/*
 * Every handler of the public web pages, for the route table
 * (http/routes.c): one header per group of pages.
 */
#ifndef MEENT_WEB_HANDLERS_H
#define MEENT_WEB_HANDLERS_H

#include "web/front_routes.h"
#include "web/profile_routes.h"
#include "web/post_routes.h"

#endif
