"""PyYAML's error messages, said in plain words, at the line the editor must look at.

PyYAML describes what its parser met ("mapping values are not allowed here", "expected
<block end>, but found '<scalar>'"); an editor needs what they wrote wrong and how to
write it. `plain_words` recognises the mistakes people make in front matter and
references.yaml (found by feeding PyYAML broken copies of the real files) and says each
one as a sentence with an example; anything it does not recognise keeps PyYAML's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml


@dataclass
class Words:
    message: str
    line: int  # in the file, 1-based
    column: int | None  # 1-based
    hint: str


# Characters that mean something to YAML at the start of a value.
_RESERVED = {"*": "an asterisk '*'", "&": "an ampersand '&'", "!": "an exclamation mark '!'",
             "@": "an at sign '@'", "`": "a backtick '`'",
             "?": "a question mark '? '", "[": "a bracket '['", "{": "a brace '{'",
             "-": "a dash '- '", "|": "a bar '|'", ">": "a greater-than sign '>'"}
_NO_SPACE = re.compile(r"\s*(?:-\s+)?[^\s:#'\"]+:(?=\S)")  # title:The title
_FIELD = re.compile(r"(\s*(?:-\s+)*)([^\s:#'\"\[{][^:]*?):(?:\s+|$)")


def plain_words(exc: yaml.YAMLError, text: str, first_line: int = 1) -> Words | None:
    """`exc` in plain words, or None if it is not a mistake recognised here."""
    try:
        return _plain_words(exc, text, first_line)
    except Exception:  # noqa: BLE001 - rewording must never hide the error behind another
        return None


def _plain_words(exc: yaml.YAMLError, text: str, first_line: int) -> Words | None:
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    pm = getattr(exc, "problem_mark", None)
    cm = getattr(exc, "context_mark", None)
    if pm is None:
        return None
    lines = text.split("\n")

    def at(mark_line: int, column: int | None, message: str, hint: str) -> Words:
        return Words(message, mark_line + first_line, None if column is None else column + 1,
                     hint)

    def line(i: int) -> str:
        return lines[i] if 0 <= i < len(lines) else ""

    here = line(pm.line)
    before = here[:pm.column]

    # A quote opened and never closed: PyYAML runs on to the end, or to the next quote.
    if context == "while scanning a quoted scalar" and cm is not None:
        return _unclosed_quote(cm, line(cm.line), at, first_line)
    if isinstance(exc, (yaml.scanner.ScannerError, yaml.parser.ParserError)):
        token = _last_token_before(text, pm)
        if (isinstance(token, yaml.tokens.ScalarToken) and token.style in ("'", '"')
                and token.start_mark.line < token.end_mark.line == pm.line
                and _swallows_a_field(text[token.start_mark.index:token.end_mark.index])):
            return _unclosed_quote(token.start_mark, line(token.start_mark.line), at, first_line)

    if problem.startswith("found character '\\t'"):
        if not before.strip():
            return at(pm.line, pm.column, "this line is indented with a tab; YAML needs spaces",
                      "replace the tab with spaces (two for each level), so that the line "
                      "starts in the same column as the lines it belongs with")
        return at(pm.line, pm.column, "this line holds a tab where YAML needs a space",
                  "replace the tab with one space")

    reserved = _reserved_start(exc, problem, context, here, pm, cm)
    if reserved is not None:
        column, char = reserved
        return at(pm.line, column, f"a value that begins with {_RESERVED[char]} must be put "
                  f"in quotes: {_quoted_example(here, column)}",
                  "YAML gives that character a meaning of its own at the start of a value; "
                  "quotes make the value plain text")

    if problem == "mapping values are not allowed here":
        return _colon(lines, pm, here, before, at)

    if context == "while scanning a simple key" and cm is not None:
        if m := _NO_SPACE.match(line(cm.line)):
            return _no_space(cm.line, m, at)
        return at(cm.line, None, "this line has no ':' after a field name",
                  "write 'name: value', with a colon and a space; if the line belongs to the "
                  "field above, indent it under that field or put it on that line after the "
                  "': '")

    if problem.startswith("found unknown escape character"):
        return at(pm.line, pm.column, "a backslash '\\' inside double quotes must start an "
                  "escape such as \\n",
                  "put the value in single quotes instead ('…'), or write the backslash "
                  "twice (\\\\)")

    if problem.startswith("duplicate key") and cm is not None:
        name = problem.removeprefix("duplicate key ").strip()
        hint = "keep one of the two lines and delete the other"
        if name in ("'id'", "'key'"):
            hint += "; if a new entry begins here, start its first line with '- '"
        return at(pm.line, pm.column, f"the field {name} is given twice (first on line "
                  f"{cm.line + first_line})", hint)

    if context == "while scanning a directive":
        return at(pm.line, 0, "a line cannot begin with a percent sign '%'",
                  "remove the '%', or put the text in quotes")

    if context == "while parsing a flow node" and problem.endswith("found ','"):
        return at(pm.line, pm.column, "this list has a comma with no item before it",
                  'remove the extra comma: keywords: ["social work", "carers"]')

    if problem == "but found another document":
        return at(pm.line, pm.column, "a line '---' here starts a second document; the file "
                  "may hold only one", "delete the '---' line")

    if context in ("while parsing a flow sequence", "while parsing a flow mapping") and cm:
        return _flow(context, problem, cm, pm, here, line(cm.line), at, first_line)

    if problem.startswith("expected <block end>, but found"):
        found = problem.removeprefix("expected <block end>, but found ").strip("'")
        return _block_end(found, lines, pm, here, before, at, first_line)
    return None


def _unclosed_quote(mark, text: str, at, first_line: int) -> Words:
    quote = text[mark.column] if mark.column < len(text) else '"'
    name = "double quote" if quote == '"' else "single quote"
    return at(mark.line, mark.column, f"a quote opened on line {mark.line + first_line} is "
              f"never closed", f"end the value with a {name} ({quote}) on the same line; a "
              f"quote mark inside the text is written curly (“ ” ‘ ’)")


def _last_token_before(text: str, mark):
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            last = token
    except Exception:  # noqa: BLE001 - the scanner stops where the text is broken
        pass
    return last


def _swallows_a_field(quoted: str) -> bool:
    """Whether a quoted value spread over lines took in a line that looks like a field."""
    return any(_FIELD.match(line) for line in quoted.split("\n")[1:])


def _reserved_start(exc, problem: str, context: str, here: str, pm, cm):
    """(column, character) where a value begins with a character YAML reserves, or None."""
    if context in ("while scanning an alias", "while scanning an anchor") and cm is not None:
        return cm.column, here[cm.column] if cm.column < len(here) else "*"
    if m := re.match(r"found character '(.)' that cannot start any token", problem):
        if m.group(1) in _RESERVED:
            return pm.column, m.group(1)
    if problem == "mapping keys are not allowed here":
        return pm.column, "?"
    if problem == "sequence entries are not allowed here":
        return pm.column, "-"
    if (context == "while scanning a block scalar" and cm is not None
            and problem.startswith("expected a comment or a line break")
            and here[cm.column:cm.column + 1] in ("|", ">")):
        return cm.column, here[cm.column]
    if isinstance(exc, yaml.constructor.ConstructorError) and problem.startswith(
            "could not determine a constructor for the tag"):
        column = here.find("!", pm.column)
        return (column if column >= 0 else pm.column), "!"
    return None


def _split_field(line: str, column: int | None = None) -> tuple[str, str]:
    """('  title', 'Part one: the start') for a 'name: value' line; ('', line) otherwise."""
    m = _FIELD.match(line)
    if m and (column is None or m.end() <= column + 1):
        return line[:m.end()].rstrip(), line[m.end():].strip()
    return "", line.strip()


def _quote(value: str) -> str:
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quoted_example(line: str, column: int) -> str:
    name, value = _split_field(line, column)
    value = re.sub(r"\s+#.*$", "", value)
    return f"{name.strip()} {_quote(value)}".strip()


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_indent(line: str) -> int:
    """The column where a line's content starts, after its spaces and any '- ' markers."""
    return re.match(r" *(?:-(?: +|$))*", line).end()


def _previous(lines: list[str], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip() and not lines[j].lstrip().startswith("#"):
            return j
    return None


def _spaces(n: int) -> str:
    return f"{n} space" if n == 1 else f"{n} spaces"


def _colon(lines, pm, here: str, before: str, at) -> Words:
    if _FIELD.match(before) or re.match(r"\s*-\s", before):
        name, value = _split_field(here)
        return at(pm.line, pm.column, f"a value holding ': ' must be put in quotes: "
                  f"{name.strip()} {_quote(value)}".rstrip(),
                  "YAML reads ': ' as the end of a field name; inside quotes it is plain text")
    prev = _previous(lines, pm.line)
    if prev is not None:
        above = lines[prev]
        if _indent(here) > _content_indent(above):
            return at(pm.line, _indent(here), f"this line is indented more than the line above "
                      f"it ({_spaces(_indent(here))}, not {_content_indent(above)}), so YAML "
                      "reads it as part of that line's value",
                      "start the fields that belong together in the same column, with spaces")
        if m := _NO_SPACE.match(above):
            return _no_space(prev, m, at)
    return at(pm.line, pm.column, "YAML does not expect ': ' here",
              "check the indentation of this line and the one above, and put in quotes a "
              "value that holds ': '")


def _no_space(line: int, match, at) -> Words:
    return at(line, match.end() - 1, "there is no space after the ':' on this line",
              "write a space after the colon that ends a field name: title: The title")


def _flow(context, problem, cm, pm, here, opened, at, first_line) -> Words:
    bracket, close = ("[", "]") if context == "while parsing a flow sequence" else ("{", "}")
    if pm.line == cm.line and "<stream end>" not in problem:
        after_quote = pm.column > 0 and here[pm.column - 1] in "\"'"
        if after_quote and here[pm.column:pm.column + 1].isalnum():
            return at(pm.line, pm.column - 1, "the quotes in this list do not pair up: a "
                      "closing quote is missing before this one",
                      'quote each item on its own: keywords: ["social work", "carers"]')
        return at(pm.line, pm.column, "two items of this list have no comma between them",
                  'separate the items with commas: keywords: ["social work", "carers"]')
    if bracket == "[":
        return at(cm.line, cm.column, f"a list opened with '[' on line {cm.line + first_line} "
                  "is never closed with ']'",
                  'end it with \']\' on the same line: keywords: ["social work", "carers"]; '
                  "if the '[' is part of the text, put the whole value in quotes")
    return at(cm.line, cm.column, f"a brace '{{' opened on line {cm.line + first_line} is "
              "never closed with '}'",
              "if the braces are part of the text, put the whole value in quotes: "
              f"{_quoted_example(opened, cm.column)}")


def _block_end(found: str, lines, pm, here: str, before: str, at, first_line) -> Words | None:
    if found in ("<scalar>", ","):
        end = before.rstrip()
        if end.endswith(("'", '"')):
            name, value = _split_field(here)
            if found == ",":
                return at(pm.line, pm.column, "this value looks like a list but has no "
                          "opening '['", "write the list in brackets: "
                          f"{name.strip() or 'authors:'} [{value.rstrip(']')}]")
            if end.endswith("'") and pm.column == len(end) and here[pm.column].isalpha():
                inner = value[1:-1] if len(value) > 1 and value.endswith("'") else value[1:]
                return at(pm.line, pm.column - 1, "the apostrophe here ends the value, "
                          "which began with a single quote",
                          "write the apostrophe as ’, as printed, or put the value in "
                          f"double quotes: {name.strip()} {_quote(inner)}")
            return at(pm.line, pm.column, "text follows the closing quote: a value that "
                      "begins with a quote must end with it",
                      f"write quotes inside the text curly (“ ”), as printed, or put the whole "
                      f"value in quotes: {name.strip()} {_quote(value)}")
        if end.endswith(("]", "}")):
            name, value = _split_field(here)
            char = "[" if end.endswith("]") else "{"
            return at(pm.line, len(name) + 1 if name else pm.column,
                      f"a value that begins with {_RESERVED[char]} must be put in quotes: "
                      f"{name.strip()} {_quote(value)}",
                      "YAML reads " + ("[…] at the start of a value as a list" if char == "["
                                       else "{…} at the start of a value as a set of fields")
                      + "; quotes make it plain text")
        if before.strip() or (prev := _previous(lines, pm.line)) is None:
            return None
        # A line of text less indented than the text above it (in a '|' or '>' block).
        return at(pm.line, pm.column, f"this line is not lined up with the line above it: it "
                  f"is indented by {_spaces(pm.column)}, the line above by "
                  f"{_content_indent(lines[prev])}",
                  "if it continues the text above, indent it as far as that text")
    prev = _previous(lines, pm.line)
    if found in ("<block sequence start>", "-"):
        for j in range(pm.line - 1, -1, -1):
            if re.match(r"\s*-(\s|$)", lines[j]):
                return at(pm.line, pm.column, f"this list item is not lined up with the one "
                          f"on line {j + first_line}: its '-' is indented by "
                          f"{_spaces(pm.column)}, the other's by {_indent(lines[j])}",
                          "start every '- ' of one list in the same column")
        return at(pm.line, pm.column, "a list item ('- ') where a field ('name: value') was "
                  "expected", "remove the '- ', or indent the list under the field it "
                  "belongs to")
    if found in ("<block mapping start>", "?") and prev is not None:
        above = _content_indent(lines[prev])
        return at(pm.line, pm.column, f"this line is not lined up with the line above it: it "
                  f"is indented by {_spaces(pm.column)}, the line above by {above}",
                  "indent with spaces, so that the fields of one entry start in the same "
                  "column (see the examples in content/README.md)")
    return None
