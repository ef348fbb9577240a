# Helpers shared by every innosim target: warnings, sanitizers, and per-layer include roots.

# Warnings on every target we compile; -Werror when INNOSIM_WERROR is on (CI presets).
function(innosim_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    -Wimplicit-fallthrough)
  if(INNOSIM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(innosim_set_common target)
  innosim_set_warnings(${target})
  if(INNOSIM_SANITY_CHECKS)
    target_compile_definitions(${target} PUBLIC INNOSIM_SANITY_CHECKS=1)
  endif()
  if(INNOSIM_SANITIZE)
    # GCC 12's flow analysis sees through sanitizer instrumentation badly and reports
    # std::variant and std::vector members as "maybe uninitialized"; the release and dev builds
    # keep the warning (as an error).
    target_compile_options(${target} PUBLIC -fsanitize=${INNOSIM_SANITIZE} -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PUBLIC -Wno-maybe-uninitialized)
    endif()
    target_link_options(${target} PUBLIC -fsanitize=${INNOSIM_SANITIZE})
  endif()
endfunction()

# Makes `#include "<folder>/..."` resolve for `target` and for whatever links it, and for
# nothing else. Each layer gets its own include root in the build tree holding one symlink,
# <build>/include/<folder>/<folder> -> <source>/<folder>, so that models/ cannot reach
# output/ headers (nor the other way) unless the link list allows it.
function(innosim_layer target folder)
  set(root ${PROJECT_BINARY_DIR}/include/${folder})
  file(MAKE_DIRECTORY ${root})
  if(NOT EXISTS ${root}/${folder})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${folder} ${root}/${folder} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
  innosim_set_common(${target})
endfunction()
