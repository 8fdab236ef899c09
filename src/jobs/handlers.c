/*
 * The kinds of job this build runs, one row each (jobs/job.h). A node
 * claims only the kinds in its table, so a job queued by a newer node
 * waits, instead of failing, until a node that knows it picks it up.
 */
#include <stddef.h>
#include <string.h>

#include "ap/fanout.h"
#include "ap/move.h"
#include "ap/note_fetch.h"
#include "ap/process.h"
#include "jobs/deliver.h"
#include "jobs/job.h"

static const struct job_handler job_handlers[] = {
	{ JOB_DELIVER_KIND,	job_deliver_run },
	{ AP_PROCESS_KIND,	ap_process_run },	/* activities from the inbox */
	{ AP_FANOUT_KIND,	ap_fanout_run },	/* one activity to every inbox */
	{ AP_NOTE_FETCH_KIND,	ap_note_fetch_run },	/* a post from its origin */
	{ AP_MOVE_KIND,		ap_move_run },		/* followers to a moved account */
};

#define JOB_NHANDLERS	(sizeof(job_handlers) / sizeof(job_handlers[0]))

const struct job_handler *
job_handler_find(const char *kind)
{
	for (size_t i = 0; i < JOB_NHANDLERS; i++)
		if (strcmp(job_handlers[i].kind, kind) == 0)
			return &job_handlers[i];
	return NULL;
}

size_t
job_handler_count(void)
{
	return JOB_NHANDLERS;
}

const struct job_handler *
job_handler_at(size_t i)
{
	return i < JOB_NHANDLERS ? &job_handlers[i] : NULL;
}
