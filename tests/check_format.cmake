# Fails when a C++ source differs from what .clang-format makes of it.
# Fix with: clang-format -i $(git ls-files '*.cpp' '*.hpp')
file(GLOB_RECURSE sources ${SOURCE_DIR}/sim/*.?pp ${SOURCE_DIR}/models/*.?pp ${SOURCE_DIR}/output/*.?pp
     ${SOURCE_DIR}/tools/*.?pp ${SOURCE_DIR}/tests/*.?pp)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  string(SUBSTRING "${err}" 0 4000 shown)
  message(FATAL_ERROR "Sources are not formatted (clang-format -i $(git ls-files '*.cpp' '*.hpp')):\n${shown}")
endif()
