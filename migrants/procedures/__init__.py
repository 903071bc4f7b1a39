"""Administrative procedures: the office's guidance sheets (issue 24, part 8; docs/migrants.md).

Short sheets on the procedures migrants ask about — residence permits, civil status documents,
consular services — in French and English. The office admin writes and publishes them; anyone
reads the published ones online (no login: a migrant abroad or a relative); an advisor links the
sheets given to a person to the visit, and the person's timeline shows them.
"""
