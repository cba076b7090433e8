"""Round-trip YAML for the commands that write records: comments, key order and quoting survive.

Reading for checks and briefs uses the fast reader (yamlread); this slower loader is used only
for files that are about to be changed.
"""

from __future__ import annotations


def round_trip():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = None
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    return yaml

