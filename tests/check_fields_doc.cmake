# Fails when docs/fields.md is not what the field registry generates (`hubmap fields`).
#   cmake -DHUBMAP=<hubmap binary> -DDOC=<docs/fields.md> -P check_fields_doc.cmake
execute_process(COMMAND "${HUBMAP}" fields --markdown OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "hubmap fields failed (${rc})")
endif()
if(NOT EXISTS "${DOC}")
  message(FATAL_ERROR "${DOC} is missing; write it with: hubmap fields --markdown > docs/fields.md")
endif()
file(READ "${DOC}" committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "${DOC} differs from the field registry; regenerate it with: "
                      "hubmap fields --markdown > docs/fields.md")
endif()
message(STATUS "${DOC} matches the field registry")
