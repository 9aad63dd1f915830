/* version.h - the simulator's version, printed by --version and echoed in
 * stats.json. */
#ifndef DL_SIM_VERSION_H
#define DL_SIM_VERSION_H
#define DLSIM_VERSION "0.1.0"
#endif
