/* udn_ports.h - the five ports of a UDN router, shared by the engine
 * (udn_mesh.h) and its statistics (udn_stats.h), which the engine updates:
 * a header of its own so that the statistics need not include the engine. */
#ifndef DL_MESH_UDN_PORTS_H
#define DL_MESH_UDN_PORTS_H

enum { UDN_DIR_E = 0, UDN_DIR_W = 1, UDN_DIR_S = 2, UDN_DIR_N = 3, UDN_DIR_LOCAL = 4,
       UDN_PORTS = 5 };

#endif
