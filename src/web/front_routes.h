/* The handlers of the public web's front pages (web/routes_front.inc). */
#ifndef MEENT_WEB_FRONT_ROUTES_H
#define MEENT_WEB_FRONT_ROUTES_H

struct http_req;

#endif
