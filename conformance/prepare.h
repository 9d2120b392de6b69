/*
 * prepare.h: the "prepare" operations (also a header's serverPrepare),
 * which lay out files under ${WORK}.
 */
#ifndef PREPARE_H
#define PREPARE_H

#include "base/json.h"

struct run;

/*
 * Carry out the operations of array arr of d in order.  0, or -1 when
 * arr is not an array or an operation failed (run_fail says which).
 */
int	 prepare_run(struct run *, const struct json_doc *d, int arr);

#endif
