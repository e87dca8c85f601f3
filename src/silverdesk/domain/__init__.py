"""Pure domain rules: validators, normalisers, enums.  Standard library only."""
