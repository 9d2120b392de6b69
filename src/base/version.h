/*
 * version.h: our version, and the reference protocol level we implement
 * (reported as environmentInfo.executorVersion).
 */
#ifndef VERSION_H
#define VERSION_H

#define VERSION			"0.1.0"
#define PROTOCOL_VERSION	"0.169.0"

#endif
