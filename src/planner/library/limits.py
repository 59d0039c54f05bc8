"""The widths of the library's text columns, apart from the tables themselves: the app checks
what is typed against them on every rerun without loading the database toolkit."""

ID_LENGTH = 16  # the column's width; ids themselves are `ids.LENGTH` characters
NAME_LENGTH = 120
AUTHOR_LENGTH = 80
OWNER_LENGTH = 200
KEY_LENGTH = 64
