# The code version written into every output: the project version plus the git revision of
# the source tree ("+dirty" when it has uncommitted changes). Provenance only: no result
# depends on it. Re-read at every build, so a new commit does not need a fresh configure.
set(INNOSIM_VERSION_IN ${PROJECT_SOURCE_DIR}/cmake/version.cpp.in)
set(INNOSIM_VERSION_OUT ${PROJECT_BINARY_DIR}/generated/innosim_version.cpp)
add_custom_target(innosim_version_stamp
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DIN=${INNOSIM_VERSION_IN} -DOUT=${INNOSIM_VERSION_OUT}
    -DVERSION=${PROJECT_VERSION}
    -P ${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${INNOSIM_VERSION_OUT}
  COMMENT "Stamping the git revision"
  VERBATIM)
