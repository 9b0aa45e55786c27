// The hubmap command-line front end: all of it is hubmap::cli::run (cli/run.hpp), which tests
// also call in their own process.

#include "cli/run.hpp"

int main(int argc, char** argv) { return hubmap::cli::run(argc, argv); }
