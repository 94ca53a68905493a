# cmake -DSRC=<source dir> -DOUT=<header> [-DGIT=<git>] -P commit.cmake
# Writes OUT defining KARTOTEKA_COMMIT: the abbreviated commit of SRC when SRC is the top of a git
# checkout, else "unknown" (a tarball, even one unpacked inside some other repository). Run at
# every build; OUT is rewritten only when its text changes, so a build of the same commit
# recompiles nothing.
set(commit "unknown")
if(GIT)
  execute_process(COMMAND ${GIT} -C ${SRC} rev-parse --show-toplevel
                  OUTPUT_VARIABLE top RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${SRC}" src)
    if(top STREQUAL src)
      execute_process(COMMAND ${GIT} -C ${SRC} rev-parse --short=12 HEAD
                      OUTPUT_VARIABLE head RESULT_VARIABLE rc
                      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(rc EQUAL 0 AND head MATCHES "^[0-9a-f]+$")
        set(commit "${head}")
      endif()
    endif()
  endif()
endif()
file(WRITE "${OUT}.new" "#define KARTOTEKA_COMMIT \"${commit}\"\n")
configure_file("${OUT}.new" "${OUT}" COPYONLY)
file(REMOVE "${OUT}.new")
