/*
 * record.h: record mode (--record), which writes what an expect step
 * received in the place of the scenario's expect list.
 */
#ifndef RECORD_H
#define RECORD_H

#include "base/json.h"

struct cxn;
struct run;

/*
 * Once expect step d's conditions are met on c, wait until c is quiet
 * ("quietMs") and write to r->record an expect step listing every
 * unclaimed message and process record, with d's other members.
 */
void	 record_expect(struct run *, struct cxn *c, const struct json_doc *d);

#endif
