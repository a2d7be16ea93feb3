/*
 * version.h - the version of netvet.
 */
#ifndef NV_VERSION_H
#define NV_VERSION_H

#define NV_VERSION "0.1.0"

#endif
