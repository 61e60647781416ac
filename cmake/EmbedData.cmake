# Turns the language data files in data/ into a C++ source file, so the
# binaries need no install path to find them. Run as a script:
#   cmake -DDATA_DIR=... -DOUTPUT=... -P EmbedData.cmake
file(GLOB files RELATIVE "${DATA_DIR}" "${DATA_DIR}/*.tsv")
list(SORT files)
set(body "// Generated from data/ by cmake/EmbedData.cmake. Do not edit.\n")
string(APPEND body "#include \"common/language_data.h\"\n\nnamespace taizhang {\n\n")
string(APPEND body "const EmbeddedFile kEmbeddedDataFiles[] = {\n")
foreach(f IN LISTS files)
  file(READ "${DATA_DIR}/${f}" content)
  string(APPEND body "  {\"${f}\", R\"taizhang_data(${content})taizhang_data\"},\n")
endforeach()
string(APPEND body "};\nconst size_t kEmbeddedDataFileCount = sizeof(kEmbeddedDataFiles) / sizeof(kEmbeddedDataFiles[0]);\n\n}  // namespace taizhang\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
