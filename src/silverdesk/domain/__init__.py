"""Pure domain rules: validators, normalisers, enums, pinyin keys of names.

No database, no Qt, no files of the office: the standard library, plus pypinyin's reading tables
(:mod:`.pinyin`, which caches them in the user cache folder).
"""
