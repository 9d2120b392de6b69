/*
 * steps.h: run the steps of a transcript (every line after the header)
 * against a server.
 */
#ifndef STEPS_H
#define STEPS_H

struct run;

/*
 * Run r->t's steps, then check that nothing received was left
 * unexpected and close the connections.  0 when all passed, else -1
 * with the first failure in r.
 */
int	 steps_run(struct run *);

#endif
