# `cmake --install`: both programs, the geodata under share/hubmap, man pages generated from
# --help by help2man (scripts/make-man.sh), a .desktop entry and an icon for the viewer.

install(TARGETS hubmap RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET hubmap-viewer)
  install(TARGETS hubmap-viewer RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/assets/hubmap-viewer.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/assets/hubmap.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/geodata/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hubmap/geodata)

find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(man_dir ${CMAKE_BINARY_DIR}/man)
  set(man_pages ${man_dir}/hubmap.1)
  add_custom_command(OUTPUT ${man_dir}/hubmap.1
    COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/make-man.sh $<TARGET_FILE:hubmap> ${PROJECT_VERSION} ${man_dir}/hubmap.1
            "coverage of Japan's depopulated areas by small hubs and community centres"
    DEPENDS hubmap ${PROJECT_SOURCE_DIR}/scripts/make-man.sh
    COMMENT "man page hubmap.1 (help2man)" VERBATIM)
  if(TARGET hubmap-viewer)
    list(APPEND man_pages ${man_dir}/hubmap-viewer.1)
    add_custom_command(OUTPUT ${man_dir}/hubmap-viewer.1
      COMMAND ${CMAKE_COMMAND} -E make_directory ${man_dir}
      COMMAND ${PROJECT_SOURCE_DIR}/scripts/make-man.sh $<TARGET_FILE:hubmap-viewer> ${PROJECT_VERSION}
              ${man_dir}/hubmap-viewer.1 "the map of Japan's depopulated areas and their hubs"
      DEPENDS hubmap-viewer ${PROJECT_SOURCE_DIR}/scripts/make-man.sh
      COMMENT "man page hubmap-viewer.1 (help2man)" VERBATIM)
  endif()
  add_custom_target(man ALL DEPENDS ${man_pages})
  install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found: no man pages (scripts/install-deps.sh installs it)")
endif()
