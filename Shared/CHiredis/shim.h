#ifndef RAPPORT_CHIREDIS_SHIM_H
#define RAPPORT_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#endif
