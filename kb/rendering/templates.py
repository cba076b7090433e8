"""Render a brief or timeline context through Jinja2 templates.

Templates are looked up first in the knowledge base's own templates folder (config ``templates``,
default ``templates/``), then in the ones shipped with kb (the ``render/`` folder, installed as the
``kb.render`` package): a file of the same name overrides the default, as in mkdocs' ``custom_dir``.

Every template runs in Jinja2's sandbox, since a knowledge base's templates are as untrusted as
its records, with undefined names an error. Record text is data: it is handed to templates as
values, never compiled as template source, so ``{{ 7*7 }}`` in a record stays those characters.
Each output escapes it for its own syntax: HTML autoescapes; for Markdown and Mermaid every string
in the context is escaped before the template sees it, so a template cannot forget a field.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from kb.errors import KBError


class RenderError(KBError):
    """A template that is missing, broken or reached for something the sandbox forbids."""


def shipped_folder() -> Path:
    """The default templates: the ``kb.render`` package, which setup.cfg maps to ``render/`` (an
    editable install reads the checkout's). Found from its own file: importlib.resources costs a
    command that renders some 15 ms of start-up."""
    import kb.render

    return Path(kb.render.__file__).parent


# Bounds on a knowledge base's templates, which are as untrusted as its records.
TIME_LIMIT_S = 30  # one run of a template: a brief, a timeline, an agenda, one page of the site
OUTPUT_LIMIT = 64 * 1024**2  # characters of output
VALUE_LIMIT = 1024**2  # items or characters a `*` or `**` in a template may make
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space one run of a template may add
CHECK_EVERY = 512  # parts of a template's output between two looks at its size and time (every 64: a page of small values 20 % slower)


def override_folder(root: Path | None, configured: str | None) -> Path | None:
    """The knowledge base's own templates folder, or None. A folder that is (or lies under) a
    link, or that is outside the knowledge base, is refused: templates are read from the
    knowledge base only."""
    if root is None:
        return None
    inside = Path(root).resolve()
    folder = Path(os.path.abspath(inside / (configured or "templates")))
    if not os.path.lexists(folder):
        return None
    if not folder.resolve().is_relative_to(inside) or folder.resolve() != folder:
        raise RenderError(
            f"{folder}: the templates folder is a symbolic link or outside the knowledge base; "
            "kb reads templates from the knowledge base only: copy them in"
        )
    return folder if folder.is_dir() else None


_DICT_ATTRIBUTES = frozenset(dir(dict))
_LOCALS = frozenset({"_loop_vars", "_block_vars"})  # what compiled code passes to Context.call beside a call's own


def _template_class():
    """The class of compiled templates: one whose ``{{ ... }}`` (two million values a site build)
    are escaped as markupsafe's ``escape`` does, a plain string escaped in C without the ``Markup``
    that ``escape`` wraps it in: such a value is only written out (joined into the page, or into a
    macro's or block's output, which the compiled code makes a ``Markup`` itself)."""
    from jinja2 import Template
    from markupsafe import Markup, escape

    try:
        from markupsafe import _escape_inner  # MarkupSafe 3's, in C
    except ImportError:  # an older MarkupSafe: its own escape
        return Template

    def escape_output(value) -> str:
        kind = type(value)
        if kind is str:
            return _escape_inner(value)
        return value if kind is Markup else escape(value)  # markup (a macro's output) as it is

    class OutputTemplate(Template):
        @classmethod
        def _from_namespace(cls, environment, namespace, globals):
            namespace["escape"] = escape_output  # the name compiled code calls for ``{{ ... }}``
            return super()._from_namespace(environment, namespace, globals)

    return OutputTemplate


def _bounded_sandbox():
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    found = _html_links()
    link, links = found["record_link"], found["record_links"]

    class BoundedSandbox(SandboxedEnvironment):
        """The sandbox, with `*` and `**` unable to build huge values (a memory bomb), and its
        output escaped without a ``Markup`` made of every value (``_template_class``)."""

        intercepted_binops = frozenset({"*", "**"})
        template_class = _template_class()

        def getattr(self, obj, attribute):
            """``obj.attribute``: a plain dict's key, when the dict has no attribute of that name,
            is what the sandbox returns after failing ``getattr``; taken directly, without raising
            and catching an AttributeError for every field a template reads."""
            if type(obj) is dict and attribute not in _DICT_ATTRIBUTES and attribute in obj:
                return obj[attribute]
            return super().getattr(obj, attribute)

        def call(self, context, obj, /, *args, **kwargs):
            """A call from a template; kb's own ``record_link`` and ``record_links`` (a page calls
            them tens of thousands of times) called directly, as ``Context.call`` would call them,
            when there are no loop or block variables for them to see."""
            if (
                (obj is link or obj is links)
                and len(args) == 1
                and kwargs.keys() <= _LOCALS
                and not any(kwargs.values())
            ):
                try:
                    return obj(context, args[0])
                except StopIteration:
                    pass  # what Context.call makes of it, below
            return super().call(context, obj, *args, **kwargs)

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > 64 and abs(left) > 1:
                raise SecurityError("a power that large is not allowed in a template")
            if operator == "*":
                for sized, count in ((left, right), (right, left)):
                    if (
                        isinstance(sized, (str, list, tuple))
                        and isinstance(count, int)
                        and len(sized) * count > VALUE_LIMIT
                    ):
                        raise SecurityError("a repeated value that large is not allowed in a template")
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _linkless_loader(folder: Path):
    """A loader of the templates in ``folder`` that refuses any that is reached through a link."""
    from jinja2 import FileSystemLoader
    from jinja2.exceptions import SecurityError

    class LinklessLoader(FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            if os.path.realpath(filename) != os.path.abspath(filename):
                raise SecurityError(
                    f"template {template} is a symbolic link; templates are read from the "
                    "knowledge base only, never through links"
                )
            return source, filename, uptodate

    return LinklessLoader(str(folder))


def environment(output: str, overrides: Path | None, compiled_cache: bool = False):
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    loaders = [_linkless_loader(overrides)] if overrides else []
    loaders.append(FileSystemLoader(str(shipped_folder())))
    env = _bounded_sandbox()(
        loader=ChoiceLoader(loaders),
        autoescape=output == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # An environment lives for one brief, timeline or site build: each template is read once,
        # not looked at again (a stat of its file) each time a page asks for it or imports it.
        auto_reload=False,
        bytecode_cache=compiled_templates(output) if compiled_cache else _compiled_here(output),
    )
    env.filters["http_url"] = http_url
    if output == "html":
        env.globals.update(_html_links())
    return env


@lru_cache(maxsize=1)
def _html_links() -> dict:
    """``record_link`` and ``record_links``, what the site's ``link`` and ``parties`` macros drew,
    as functions: a page draws thousands of links, and a call of a macro costs ten of a function.
    Each reads a reference (a mapping or object with ``href`` and ``label``) through the sandbox,
    as the template did, and the page's ``base``; what they draw is escaped as autoescape does.
    A link is drawn as a plain string, its parts escaped as ``escape_output`` escapes them (a
    string in C, without a ``Markup`` made of it), and made markup once: the links of a list
    joined first (a ``Markup`` of each, each escaped again by ``Markup.join``, cost as much as
    drawing them)."""
    from jinja2 import pass_context
    from markupsafe import Markup

    escaped = _plain_escape()

    def drawn(context, ref) -> str:
        if not ref:
            return ""
        if type(ref) is dict and "href" in ref and "label" in ref:  # as BoundedSandbox.getattr reads them
            href, label = ref["href"], ref["label"]
        else:
            read = context.environment.getattr
            href, label = read(ref, "href"), read(ref, "label")
        if href:
            return f'<a href="{escaped(context.resolve("base"))}{escaped(href)}" dir="auto">{escaped(label)}</a>'
        return f'<span dir="auto">{escaped(label)}</span>'

    @pass_context
    def record_link(context, ref) -> Markup:
        """A link to a record (its label alone when it has no page), nothing for none."""
        return str.__new__(Markup, drawn(context, ref))  # Markup.__new__ looks for __html__

    @pass_context
    def record_links(context, refs) -> Markup:
        """Links to records, with commas between."""
        return str.__new__(Markup, ", ".join([drawn(context, ref) for ref in refs]))

    return {"record_link": record_link, "record_links": record_links}


def _plain_escape():
    """A function of a value to what markupsafe's ``escape`` makes of it, as a plain string: a
    string escaped in C (MarkupSafe 3's ``_escape_inner``), without the ``Markup`` ``escape``
    wraps it in; anything else through ``escape``."""
    from markupsafe import escape

    try:
        from markupsafe import _escape_inner
    except ImportError:  # an older MarkupSafe
        return lambda value: str(escape(value))

    def escaped(value) -> str:
        return _escape_inner(value) if type(value) is str else str(escape(value))

    return escaped


class _Deferred:
    """An environment made the first time it is asked for anything (Jinja2 imported then)."""

    def __init__(self, *args, **options):
        self._made: list = []
        self._args, self._options = args, options

    def __getattr__(self, name: str):
        if not self._made:
            self._made.append(environment(*self._args, **self._options))
        return getattr(self._made[0], name)


def deferred_environment(output: str, overrides: Path | None, compiled_cache: bool = False):
    """As :func:`environment`, made when first used: a site build that renders no page (a new day
    with nothing to show otherwise) never imports Jinja2."""
    return _Deferred(output, overrides, compiled_cache=compiled_cache)


def sources(overrides: Path | None, prefix: str) -> list[tuple[str, str, str]]:
    """(name, file, text) of every template whose name starts with ``prefix`` that an environment
    of ``overrides`` (see :func:`environment`) may load, by name: each name found in either folder
    (links not followed into), read from the knowledge base's own folder when there, else from
    kb's, as Jinja2's loaders list and read them, without importing it. A template of the
    knowledge base's reached through a link is refused, as its loader refuses it."""
    folders = [str(overrides), str(shipped_folder())] if overrides else [str(shipped_folder())]
    names = set()
    for folder in folders:
        for here, _subfolders, files in os.walk(folder):
            for file in files:
                name = os.path.join(here, file)[len(folder) :].strip(os.sep).replace(os.sep, "/")
                if name.startswith(prefix):
                    names.add(name)
    found = []
    for name in sorted(names):
        for number, folder in enumerate(folders):
            filename = os.path.join(folder, *name.split("/"))
            if not os.path.isfile(filename):
                continue
            if number == 0 and overrides and os.path.realpath(filename) != os.path.abspath(filename):
                raise RenderError(
                    f"template {name} is a symbolic link; templates are read from the knowledge base only, "
                    "never through links"
                )
            with open(filename, encoding="utf-8") as handle:
                found.append((name, os.path.normpath(filename), handle.read()))
            break
    return found


def compiled_templates(output: str):
    """A cache of compiled templates (compiling one costs more than rendering it) in the user's
    cache folder, or this process's own (_compiled_here) when that cannot be had. Never in the knowledge base: whoever can write
    to its repository could commit a cache there, and compiled code runs as kb itself. Entries
    are keyed on the template's path and a hash of its text, and on kb's code and the output
    format, which decide how it is compiled."""
    import jinja2

    from kb.store import cache

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return _compiled_here(output)
    return _template_cache(jinja2, Path(base) / "kb" / "templates", f"{cache.code_stamp()}|{output}")


# Templates compiled by this process, by cache key (see _compiled_here).
_COMPILED: dict[str, bytes] = {}
_COMPILED_MOST = 512


def _compiled_here(output: str):
    """A cache of compiled templates kept in this process alone (with --no-cache, or where the
    user's cache folder cannot be had): a process that renders with several environments (the
    site's pages built again, `kb site serve`) compiles each template once. Entries are keyed as
    in the user's cache folder and checked against a hash of the template's text, so an edited
    template is compiled again."""
    import jinja2

    class TemplatesHere(jinja2.BytecodeCache):
        def get_cache_key(self, name, filename=None):
            return super().get_cache_key(f"{output}|{name}", filename)

        def load_bytecode(self, bucket):
            code = _COMPILED.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket):
            if len(_COMPILED) >= _COMPILED_MOST:
                _COMPILED.clear()
            _COMPILED[bucket.key] = bucket.bytecode_to_string()

    return TemplatesHere()


def _template_cache(jinja2, folder: Path, tag: str):
    class TemplateCache(jinja2.BytecodeCache):
        def get_cache_key(self, name, filename=None):
            return super().get_cache_key(f"{tag}|{name}", filename)

        def load_bytecode(self, bucket):
            try:
                with open(folder / f"{bucket.key}.cache", "rb") as handle:
                    bucket.load_bytecode(handle)
            except Exception:  # missing, unreadable or damaged: compiled again
                bucket.reset()

        def dump_bytecode(self, bucket):
            from kb.store.atomic import write_bytes

            try:
                write_bytes(folder / f"{bucket.key}.cache", bucket.bytecode_to_string(), durable=False)
            except OSError:
                pass  # a read-only home only costs the compile

    return TemplateCache()


def render(
    name: str,
    output: str,
    context: dict,
    root: Path | None = None,
    templates: str | None = None,
    use_cache: bool = True,
) -> str:
    """Render ``{name}.{output}.j2`` (brief.md.j2, timeline.mermaid.j2, ...) with ``context``.
    ``use_cache`` keeps compiled templates in the user's cache folder (see compiled_templates)."""
    overrides = override_folder(root, templates)
    env = environment(output, overrides, compiled_cache=use_cache)
    escape = {"md": (md_escape, md_url), "mermaid": (mermaid_escape, mermaid_escape)}.get(output)
    data = escape_strings(context, *escape) if escape else context
    return run(env, f"{name}.{output}.j2", data)


def run(env, name: str, data: dict) -> str:
    """The one way kb runs a template (briefs, timelines, agendas and every page of the site):
    ``name`` from ``env`` with ``data``, bounded in time and size (see _bounded). Whatever goes
    wrong inside it (syntax, the sandbox, an undefined name, a runtime error such as endless
    recursion or a huge ``range``) is a RenderError naming the template's file and line."""
    import jinja2

    try:
        return _bounded(env.get_template(name), data)
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(
            f"{error.filename or name}:{error.lineno}: template syntax error: {error.message}; "
            "fix or remove the template"
        ) from None
    except jinja2.TemplateNotFound as error:
        raise RenderError(f"template {error.name} not found (looked in {_searched(env)})") from None
    except jinja2.TemplateError as error:  # SecurityError, UndefinedError
        where = template_position(error) or name
        kind = "not allowed in a template" if isinstance(error, jinja2.exceptions.SecurityError) else "template error"
        raise RenderError(f"{where}: {kind}: {error}; fix or remove the template") from None
    except (RecursionError, MemoryError) as error:
        where = template_position(error) or name
        raise RenderError(f"{where}: template error: {_describe(error)}; fix or remove the template") from None
    except Exception as error:
        position = template_position(error)
        if position is None:  # not raised while a template ran: a bug in kb
            raise
        raise RenderError(f"{position}: template error: {_describe(error)}; fix or remove the template") from None


def _describe(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "it calls itself without end (a macro or include that never stops recursing)"
    if isinstance(error, MemoryError):
        return "it ran out of memory"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _searched(env) -> str:
    """The folders ``env`` looks for templates in, for a message."""
    loaders = getattr(env.loader, "loaders", [env.loader])
    return " and ".join(str(path) for loader in loaders for path in getattr(loader, "searchpath", []))


class _Overrun(Exception):
    pass


def _bounded(template, data: dict) -> str:
    """The template's output, stopped with a RenderError past TIME_LIMIT_S, OUTPUT_LIMIT or
    MEMORY_LIMIT (a MemoryError, which run() reports as the template's)."""
    import time
    from itertools import islice

    deadline = time.process_time() + TIME_LIMIT_S
    try:
        with _alarm(TIME_LIMIT_S), _address_space(MEMORY_LIMIT):
            parts: list[str] = []
            size = 0
            generate = template.generate(**data)
            # Checked every CHECK_EVERY parts (a page is made of hundreds of thousands): taken in
            # C, a run of parts costs little more than joining them.
            while chunk := list(islice(generate, CHECK_EVERY)):
                size += sum(map(len, chunk))
                if size > OUTPUT_LIMIT:
                    raise _Overrun(f"wrote more than {OUTPUT_LIMIT:,} characters")
                if time.process_time() > deadline:
                    raise _Overrun(f"took longer than {TIME_LIMIT_S} s of CPU time")
                parts += chunk
        return "".join(parts)
    except _Overrun as error:
        raise RenderError(f"template {template.name} {error}: it was stopped; fix the template") from None


@contextmanager
def _alarm(seconds: float):
    """_Overrun raised wherever the code is once the process has spent ``seconds`` of CPU time, so
    that a loop that writes nothing is stopped too (SIGPROF, in the main thread; elsewhere only the
    checks between parts of the output stop a template). CPU time, not the clock's: a template
    cannot wait on anything, and a page that is slow only because the machine is busy is not
    stopped."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGPROF"):
        yield
        return

    def overrun(_signum, _frame):
        raise _Overrun(f"took longer than {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, overrun)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@contextmanager
def _address_space(limit: int):
    """The process's address space capped at what it uses now plus ``limit`` bytes, while a
    template runs: a value that grows without end (a string doubled in a loop) is a MemoryError
    instead of the machine's memory. Where the cap cannot be had (no /proc, no RLIMIT_AS), nothing."""
    try:
        import resource

        descriptor = os.open("/proc/self/statm", os.O_RDONLY)  # a raw read: once a page of the site
        try:
            used = int(os.read(descriptor, 256).split()[0]) * os.sysconf("SC_PAGE_SIZE")
        finally:
            os.close(descriptor)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, AttributeError):
        yield
        return
    cap = used + limit if hard == resource.RLIM_INFINITY else min(used + limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:  # already as tight
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def template_position(error: BaseException) -> str | None:
    """'path:line' of the innermost template frame, from the traceback Jinja rewrites."""
    found = None
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{filename}:{traceback.tb_lineno}"
        traceback = traceback.tb_next
    return found


def escape_strings(value, escape, escape_url, key: str | None = None):
    """A copy of a context with ``escape`` applied to every string (not to keys), and
    ``escape_url`` to the values of ``url`` keys."""
    kind = type(value)
    if kind is str or isinstance(value, str):  # a str subclass: escaped all the same
        return escape_url(value) if key == "url" else escape(value)
    if kind is dict or isinstance(value, dict):
        found = {}
        for name, item in value.items():  # a brief holds thousands of strings: each taken here, not by a call
            if type(item) is str:
                found[name] = escape_url(item) if name == "url" else escape(item)
            elif item is None or type(item) in _PLAIN:
                found[name] = item
            else:
                found[name] = escape_strings(item, escape, escape_url, name)
        return found
    if kind is list or isinstance(value, list):
        return [
            (escape_url(item) if key == "url" else escape(item))
            if type(item) is str
            else escape_strings(item, escape, escape_url, key)
            for item in value
        ]
    return value


_PLAIN = frozenset({int, float, bool})  # values escape_strings leaves as they are, without a call


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# What would start a heading, quote, list or rule if the text began a line: '# ', '- ', '1. '.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-])|^(\s*\d+)([.)])(?=\s|$)")


@lru_cache(maxsize=1 << 14)  # names, dates and titles recur throughout a brief
def md_escape(text: str) -> str:
    """Record text as inert inline Markdown: no HTML (``<script>`` becomes ``&lt;script&gt;``), no
    emphasis, links, code, tables or line-start structure (headings, lists, quotes)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: (m.group(1) or m.group(3) or "") + "\\" + (m.group(2) or m.group(4)), text)


_MERMAID_SPECIAL = re.compile(r'[#:;<>%{}"`]')


@lru_cache(maxsize=1 << 14)
def mermaid_escape(text: str) -> str:
    """Record text as one inert Mermaid label: entity codes for the characters Mermaid reads as
    syntax (':' separates events, '#' starts an entity, '%%' a comment or directive)."""
    return _MERMAID_SPECIAL.sub(lambda m: f"#{ord(m.group())};", " ".join(text.split()))


def http_url(url) -> str:
    """Only http(s) addresses become links: no javascript: or data: reaches an href."""
    if isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url):
        return url
    return ""


def md_url(url) -> str:
    """A URL for a Markdown link destination: only http(s), and the characters that would end the
    destination or break a table cell percent-encoded."""
    url = "".join(f"%{ord(c):02X}" if c in "()<> \\|" else c for c in http_url(url))
    # Entities are decoded in a destination: '&copy=1' must not become '©=1'.
    return url.replace("&", "&amp;")
