/*
 * Operational endpoints: /healthz (the process answers), /readyz (the
 * database answers and its schema is the one this build expects) and
 * /metrics (Prometheus text).
 */
#ifndef MEENT_HTTP_HEALTH_H
#define MEENT_HTTP_HEALTH_H

struct http_req;

void	 http_health_live(struct http_req *req);
void	 http_health_ready(struct http_req *req);
void	 http_health_metrics(struct http_req *req);

#endif
