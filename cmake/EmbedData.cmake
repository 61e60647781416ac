# Turns the language data files in data/ into a C++ source file, so the
# binaries need no install path to find them. Run as a script:
#   cmake -DDATA_DIR=... -DOUTPUT=... [-DPATTERN=docx/*.xml -DSYMBOL=kEmbeddedDocxTemplates] -P EmbedData.cmake
# PATTERN (default *.tsv) is relative to DATA_DIR; the files are named by
# that relative path ("units.tsv", "docx/styles.xml"). SYMBOL names the
# array and, with "Count" after it, its length.
if(NOT PATTERN)
  set(PATTERN "*.tsv")
endif()
if(NOT SYMBOL)
  set(SYMBOL "kEmbeddedDataFiles")
  set(COUNT_SYMBOL "kEmbeddedDataFileCount")
else()
  set(COUNT_SYMBOL "${SYMBOL}Count")
endif()
file(GLOB files RELATIVE "${DATA_DIR}" "${DATA_DIR}/${PATTERN}")
list(SORT files)
set(body "// Generated from data/ by cmake/EmbedData.cmake. Do not edit.\n")
string(APPEND body "#include \"common/language_data.h\"\n\nnamespace taizhang {\n\n")
# Declared extern first: a namespace-scope const would otherwise be internal.
string(APPEND body "extern const EmbeddedFile ${SYMBOL}[];\nextern const size_t ${COUNT_SYMBOL};\n\n")
string(APPEND body "const EmbeddedFile ${SYMBOL}[] = {\n")
foreach(f IN LISTS files)
  file(READ "${DATA_DIR}/${f}" content)
  string(APPEND body "  {\"${f}\", R\"taizhang_data(${content})taizhang_data\"},\n")
endforeach()
string(APPEND body "};\nconst size_t ${COUNT_SYMBOL} = sizeof(${SYMBOL}) / sizeof(${SYMBOL}[0]);\n\n}  // namespace taizhang\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
