/*
 * stream.h: the output streams of a process, as the protocol names
 * them ("stream" of process/output notifications and process/read
 * chunks), in the order of struct proc's out[] (session.h).
 */
#ifndef STREAM_H
#define STREAM_H

extern const char *const stream_names[3];

#endif
