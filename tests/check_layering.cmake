# Checks the dependency rule on the sources: tools -> {models, output} -> sim.
#   sim/     includes nothing of models/, output/, tools/, and no YAML, HDF5 or printing;
#   models/  nothing of output/ or tools/, no YAML or HDF5;
#   output/  nothing of models/ or tools/, no YAML;
#   nowhere  relative includes that climb out of a folder ("../").
# The per-layer include roots already make most violations fail to compile; this catches
# what they cannot (system headers, printing) and says which rule was broken.
file(GLOB_RECURSE sources RELATIVE ${SOURCE_DIR}
  ${SOURCE_DIR}/sim/*.hpp ${SOURCE_DIR}/sim/*.cpp
  ${SOURCE_DIR}/models/*.hpp ${SOURCE_DIR}/models/*.cpp
  ${SOURCE_DIR}/output/*.hpp ${SOURCE_DIR}/output/*.cpp
  ${SOURCE_DIR}/tools/*.hpp ${SOURCE_DIR}/tools/*.cpp)
set(problems "")
foreach(f ${sources})
  file(STRINGS ${SOURCE_DIR}/${f} lines REGEX "^#include|std::cout|std::cerr|printf\\(")
  string(REGEX MATCH "^[a-z]+" layer ${f})
  foreach(line ${lines})
    set(bad "")
    if(line MATCHES "#include \"\\.\\./")
      set(bad "relative include climbing out of its folder")
    elseif(layer STREQUAL "sim" AND line MATCHES "#include [\"<](models|output|tools)/")
      set(bad "sim/ must not include the layers above it")
    elseif(layer STREQUAL "sim" AND line MATCHES "yaml-cpp|hdf5|H5Cpp|<iostream>")
      set(bad "sim/ uses only std, TBB, Boost.Graph and Random123, and never prints")
    elseif(layer STREQUAL "sim" AND NOT f STREQUAL "sim/assert.hpp" AND line MATCHES "std::cout|std::cerr|printf\\(")
      set(bad "sim/ never prints (only SIM_ASSERT reports internal errors)")
    elseif(layer STREQUAL "models" AND line MATCHES "#include [\"<](output|tools)/")
      set(bad "models/ depends on sim/ only")
    elseif(layer STREQUAL "models" AND line MATCHES "yaml-cpp|hdf5|H5Cpp|std::cout|std::cerr|printf\\(")
      set(bad "models/ never reads YAML, writes HDF5 or prints")
    elseif(layer STREQUAL "output" AND line MATCHES "#include [\"<](models|tools)/")
      set(bad "output/ depends on sim/ only")
    elseif(layer STREQUAL "output" AND line MATCHES "yaml-cpp")
      set(bad "only tools/ reads YAML")
    endif()
    if(bad)
      string(APPEND problems "  ${f}: ${line}\n    -> ${bad}\n")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "Layering rule broken:\n${problems}")
endif()
list(LENGTH sources n)
message(STATUS "layering: ${n} files follow tools -> {models, output} -> sim")
