"""The codes that reading a record's YAML reports (kb.store.yamlread), each with its documentation
(see kb/model/findings.py): declared apart from the reader, so that a command that lists or
checks codes without reading a file (a warm `kb check`, a site build) does not import the YAML
parser."""

from __future__ import annotations

from kb.model.findings import ERROR, code

code(
    "KB100",
    "yaml-syntax",
    ERROR,
    """The file is not valid YAML (the position is the parser's).

    Nothing else in the file can be checked until it parses. The position is where the parser
    gave up, often just after the real mistake: an unclosed bracket or quote, or a bad indent.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: [Ministry of Foreign Affairs
        country: PK

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        country: PK
    """,
)
code(
    "KB101",
    "tab-indent",
    ERROR,
    """A tab is used for indentation; YAML allows only spaces.

    Editors often show a tab like spaces, so the record looks right and still does not parse.
    Replace the tab (the failing example's last line starts with one) with spaces.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        aliases:
        \t- Foreign Office

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        aliases:
          - Foreign Office
    """,
)
code(
    "KB102",
    "duplicate-key",
    ERROR,
    """A key appears twice in one mapping.

    YAML readers silently keep one of the two values, so one of them is lost without a word.
    Keep the right one and delete the other.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        name: Foreign Office

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        aliases: [Foreign Office]
    """,
)
code(
    "KB103",
    "unsafe-tag",
    ERROR,
    """An explicit YAML tag such as `!!python/object`; tags are never constructed.

    A tag asks a YAML reader to build an object, which is how YAML files run code. kb never
    obeys one: write the value as plain text.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: !!python/name:os.system Ministry of Foreign Affairs

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)
code(
    "KB104",
    "multiple-documents",
    ERROR,
    """The file holds more than one YAML document.

    One file is one record. A second document after `---` is usually a record pasted into the
    wrong file: move it to a file of its own, named after its id.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        ---
        id: pk-interior
        name: Ministry of Interior

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)
code(
    "KB105",
    "merge-conflict",
    ERROR,
    """A Git merge-conflict marker is left in the file.

    Both sides of a conflicting merge are still in the record. Choose what is right, and delete
    the marker lines (`<<<<<<<`, `=======`, `>>>>>>>`).

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        <<<<<<< HEAD
        name: Ministry of Foreign Affairs
        =======
        name: Foreign Office
        >>>>>>> other-branch

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)
code(
    "KB106",
    "not-utf8",
    ERROR,
    """The file is not valid UTF-8.

    Records are UTF-8 text. A file saved in another encoding (Windows-1252, Latin-1) turns names
    such as Chargé into bytes that are not UTF-8; save it again as UTF-8.

    Failing, described: orgs/pk-foreign-office.yaml saved in Latin-1 with the name "Ministère des
    Affaires étrangères", whose byte 0xe8 is not UTF-8 (an example that cannot be written as text).

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministère des Affaires étrangères
    """,
)
code(
    "KB107",
    "too-large",
    ERROR,
    """The file is larger than a record can sensibly be (1 MB).

    A record is a few kilobytes; a megabyte is pasted material (a whole article, a data dump).
    Keep a short summary and link the source instead.

    Failing, described: orgs/pk-foreign-office.yaml with a 1,000,100-character `notes` comment
    (too long to show here).

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        url: https://mofa.gov.pk
    """,
)
code(
    "KB108",
    "too-complex",
    ERROR,
    """Nesting too deep, or an alias bomb expanding past the node limit.

    No record nests more than a few levels. Deeper nesting, or aliases (`*a`) that expand to
    millions of values, can only exhaust memory; the file is refused before it is built.

    Failing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        aliases: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
        aliases: [Foreign Office]
    """,
)
code(
    "KB109",
    "not-a-mapping",
    ERROR,
    """The file is empty, only comments, or its top level is not a mapping.

    A record is a mapping of fields (`id: ...`, `name: ...`). A list at the top level is often a
    record indented as a list item by mistake: remove the `- `.

    Failing: orgs/pk-foreign-office.yaml
        - id: pk-foreign-office
          name: Ministry of Foreign Affairs

    Passing: orgs/pk-foreign-office.yaml
        id: pk-foreign-office
        name: Ministry of Foreign Affairs
    """,
)
