"""Stage 0, base: the leaf utilities every stage uses; they import nothing else of pyshim's.

In: text, file names, environment variables. Out: `errors` (PyshimError and its kinds, each
with the fix to type), `record.Record` (the values every stage passes on), `paths` (pyshim's
root and cache folders, as text), `fsutil` (write beside then rename, file locks),
`json_text` (JSON without the json package, for the start-up path) and `package_data` (the one
loader of the template files shipped in the package).
"""
