#pragma once
// The whole `hubmap` program as one function, as GDAL's utilities are (ogr2ogr_lib.cpp behind
// ogr2ogr_bin.cpp): main() is a call of it, and tests run the CLI in their own process with it
// (tests/cli_runner.hpp), without the ~65 ms a process start costs.

namespace hubmap::cli {

/// Runs `hubmap` on argv (argv[0] is the program's path, not used): parses the arguments, runs
/// one command, prints its output to stdout and its messages to stderr, and returns the exit
/// status: 0 success, 1 data or runtime error, 2 usage error.
///
/// While it runs the C locale is in force (numbers always with a decimal point) and SIGINT,
/// SIGTERM and SIGHUP may be caught (a staged output removes its temporary file, an export
/// cancels). On return both are as they were before the call, so a process that calls it
/// again gets the same behaviour as a fresh process. Not reentrant: one run at a time.
int run(int argc, char** argv);

}  // namespace hubmap::cli
