# Script mode (cmake -P), run after a test executable is built: writes the CTest file that
# registers one CTest test per GoogleTest suite (`Suite` runs `--gtest_filter=Suite.*`), and one
# per case for the suites matching EACH_CASE (long cases CTest should spread over the cores).
#
# Why not gtest_discover_tests: it makes a process per case, and every process of ours loads
# GDAL and its ~110 libraries (about 50 ms of dynamic linking) and redoes the suite's shared
# set-up; a process per suite keeps the parallelism and drops most of that (docs/testing.md).
#
# Inputs: EXE, CTEST_FILE, EACH_CASE (a regex over suite names, may be empty), PROPERTIES
# (`KEY|value|KEY|value`, a `,` between the items of a list value; given to every test).
foreach(var EXE CTEST_FILE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "discover_suites.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND "${EXE}" --gtest_list_tests
  OUTPUT_VARIABLE listing ERROR_VARIABLE errors RESULT_VARIABLE status TIMEOUT 60)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "discover_suites.cmake: ${EXE} --gtest_list_tests failed (${status}):\n${errors}")
endif()

# The properties as written in the CTest file (`|` separates keys and values: a `;` would be
# split by the build tool's command line on the way here).
set(props "")
if(PROPERTIES)
  string(REPLACE "|" ";" pairs "${PROPERTIES}")
  list(LENGTH pairs n)
  math(EXPR last "${n} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET pairs ${i} key)
    list(GET pairs ${j} value)
    string(REPLACE "," ";" value "${value}")
    string(APPEND props " ${key} [==[${value}]==]")
  endforeach()
endif()

set(script "")
macro(register test_name filter)
  string(APPEND script "add_test([==[${test_name}]==] [==[${EXE}]==] [==[--gtest_filter=${filter}]==])\n")
  if(props)
    string(APPEND script "set_tests_properties([==[${test_name}]==] PROPERTIES${props})\n")
  endif()
endmacro()

string(REPLACE "\n" ";" lines "${listing}")
set(suite "")
set(suite_registered FALSE)
foreach(line IN LISTS lines)
  if(line MATCHES "^([^ #][^ ]*)\\.( *#.*)?$")
    set(suite "${CMAKE_MATCH_1}")
    set(suite_registered FALSE)
  elseif(line MATCHES "^  ([^ ]+)" AND suite)
    set(case "${CMAKE_MATCH_1}")
    if(suite MATCHES "(^|/)DISABLED_" OR case MATCHES "^DISABLED_")
      continue()
    endif()
    if(EACH_CASE AND suite MATCHES "${EACH_CASE}")
      register("${suite}.${case}" "${suite}.${case}")
    elseif(NOT suite_registered)
      register("${suite}" "${suite}.*")
      set(suite_registered TRUE)
    endif()
  endif()
endforeach()
if(script STREQUAL "")
  message(FATAL_ERROR "discover_suites.cmake: ${EXE} lists no tests")
endif()
file(WRITE "${CTEST_FILE}" "${script}")
