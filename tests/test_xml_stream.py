"""Streaming native XML: write_xml_stream and iter_xml.

Round trips against the one-shot writer and reader, hostile and broken documents, and
memory: reading a stream must not grow with the number of credentials.
"""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import strategies as gen
from tests.conftest import SECRET

from eumicro import (
    MicroCredential,
    ParseError,
    Text,
    ValidationError,
    collection_from_xml,
    load_xml,
    samples,
    to_xml_bytes,
)
from eumicro.formats._xml_stream import iter_xml, write_xml_stream

NS = "urn:eumicro:xml:1"


def _samples() -> list[MicroCredential]:
    return [samples.load(n) for n in samples.names()]


def _many(count: int) -> Iterator[MicroCredential]:
    """``count`` distinct credentials, built one at a time."""
    bases = _samples()
    for i in range(count):
        base = bases[i % len(bases)]
        yield attrs.evolve(base, id=f"{base.id}:stream:{i:06d}")


def _streamed(credentials: list[MicroCredential], *, pretty: bool = True) -> bytes:
    out = io.BytesIO()
    assert write_xml_stream(credentials, out, pretty=pretty) == len(credentials)
    return out.getvalue()


class _Unseekable(io.RawIOBase):
    """A binary stream that cannot seek (a pipe, a socket)."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_until_error(
    source: object, *, max_bytes: int | None = None
) -> tuple[list[MicroCredential], ParseError]:
    """The credentials read before iter_xml raised, and the error (it must raise)."""
    read: list[MicroCredential] = []
    credentials = iter_xml(source, max_bytes=max_bytes)  # type: ignore[arg-type]
    with pytest.raises(ParseError) as info:
        read.extend(credentials)  # keeps what was read before the error
    return read, info.value


# ----------------------------------------------------------------------------- round trips


@given(st.lists(gen.micro_credentials(), max_size=4))
def test_stream_round_trips_and_matches_the_one_shot_writer(
    credentials: list[MicroCredential],
) -> None:
    data = _streamed(credentials)
    assert data == to_xml_bytes(credentials)
    assert list(iter_xml(io.BytesIO(data))) == credentials
    assert collection_from_xml(data) == credentials
    assert list(iter_xml(_Unseekable(data))) == credentials
    compact = _streamed(credentials, pretty=False)
    assert compact == to_xml_bytes(credentials, pretty=False)
    assert list(iter_xml(io.BytesIO(compact))) == credentials


@given(st.lists(gen.micro_credentials(), min_size=1, max_size=3))
def test_stream_round_trips_through_files(credentials: list[MicroCredential]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "collection.xml"
        assert write_xml_stream(iter(credentials), path) == len(credentials)
        assert list(iter_xml(path)) == credentials
        assert list(iter_xml(str(path))) == credentials
        assert load_xml(path) == credentials
        with path.open("rb") as handle:
            assert list(iter_xml(handle)) == credentials


def test_generators_and_empty_collections(tmp_path: Path) -> None:
    path = tmp_path / "many.xml"
    assert write_xml_stream(_many(50), path) == 50
    assert path.read_bytes() == to_xml_bytes(list(_many(50)))
    assert list(iter_xml(path)) == list(_many(50))
    for pretty in (True, False):
        empty = _streamed([], pretty=pretty)
        assert empty == to_xml_bytes([], pretty=pretty)
        assert list(iter_xml(io.BytesIO(empty))) == []


def test_reads_what_the_one_shot_writer_wrote_with_any_chunking() -> None:
    credentials = _samples()
    data = to_xml_bytes(credentials, pretty=False)
    assert list(iter_xml(io.BytesIO(data))) == credentials

    class Trickle(io.RawIOBase):
        """Hands out 7 bytes per read: every boundary falls somewhere new."""

        def __init__(self) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            chunk = self.inner.read(min(7, len(buffer)))
            buffer[: len(chunk)] = chunk
            return len(chunk)

        def read(self, size: int = -1) -> bytes:
            return self.inner.read(7)

    assert list(iter_xml(Trickle())) == credentials


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "iso-8859-1"])
def test_other_encodings(encoding: str) -> None:
    credentials = _samples()[:2]
    text = to_xml_bytes(credentials).decode("utf-8")
    text = text.replace("encoding='UTF-8'", f"encoding='{encoding.replace('-sig', '')}'")
    data = text.encode(encoding, "xmlcharrefreplace")
    assert list(iter_xml(io.BytesIO(data))) == credentials


# ----------------------------------------------------------------------------- writing errors


def test_writer_refuses_other_objects_and_unwritable_text(tmp_path: Path) -> None:
    c = _samples()[0]
    with pytest.raises(TypeError, match="item 2 is a Text"):
        write_xml_stream([c, Text(en="x")], io.BytesIO())  # type: ignore[list-item]
    title = Text(en="ab")
    object.__setattr__(title, "_items", (("en", "a\x01b"),))  # built around validation
    bad = attrs.evolve(c, specification=attrs.evolve(c.specification, title=Text(en="ab")))
    object.__setattr__(bad.specification, "title", title)
    path = tmp_path / "out.xml"
    with pytest.raises(ValidationError) as info:
        write_xml_stream([c, c, bad], path)
    [problem] = info.value.problems
    assert problem.location == "/collection/credential[3]/specification/title"
    assert "U+0001" in problem.message
    assert not path.exists()  # the partial document is removed
    with pytest.raises(TypeError, match="path or a binary file"):
        write_xml_stream([c], 42)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- reading errors


def _with_bad_third(credentials: list[MicroCredential]) -> bytes:
    data = to_xml_bytes(credentials)
    starts = [i for i in range(len(data)) if data.startswith(b"<credential ", i)]
    third = starts[2]
    end = data.index(b"</credential>", third)
    part = data[third:end]
    part = part.replace(b"<eqf>", b"<eqf>x", 1).replace(b"<issued>", b"<issued>x", 1)
    return data[:third] + part + data[end:]


def test_a_bad_credential_in_the_middle_stops_the_stream_with_its_problems() -> None:
    credentials = list(_many(5))
    data = _with_bad_third(credentials)
    read, error = _read_until_error(io.BytesIO(data))
    assert read == credentials[:2]
    with pytest.raises(ParseError) as whole:
        collection_from_xml(data)
    # The same problems as the whole-document reader: paths, messages, lines, columns.
    assert error.problems == whole.value.problems
    assert len(error.problems) == 2
    assert {p.location.split("/")[2] for p in error.problems} == {"credential[3]"}
    assert all(p.line and p.column for p in error.problems)
    # From a stream that cannot be read again, the columns are unknown, the rest is the same.
    _, blind = _read_until_error(_Unseekable(data))
    assert [(p.path, p.message, p.line) for p in blind.problems] == [
        (p.path, p.message, p.line) for p in whole.value.problems
    ]
    assert all(p.column is None for p in blind.problems)


class _SeekableTrickle(io.BytesIO):
    """A seekable file that hands out a few bytes per read: every boundary falls elsewhere."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(5)


def test_columns_with_comments_cdata_and_instructions_in_small_reads() -> None:
    credentials = list(_many(4))
    text = _with_bad_third(credentials).decode("utf-8")
    # Markup whose "<" is not a start tag, before and inside the bad credential.
    text = text.replace("<learner", "<!-- <learner> --><?note <x>?><learner", 2)
    text = text.replace("\n  <credential ", "\n  <!--<credential-->\n  <credential ", 3)
    third = [i for i in range(len(text)) if text.startswith("<credential ", i)][2]
    at = text.index("<fullName>", third) + len("<fullName>")
    text = text[:at] + "<![CDATA[<y>]]>" + text[at:]
    data = text.encode("utf-8")
    with pytest.raises(ParseError) as whole:
        collection_from_xml(data)
    read, error = _read_until_error(_SeekableTrickle(data))
    assert read == credentials[:2]
    assert error.problems == whole.value.problems
    assert all(p.column for p in error.problems)


def test_columns_of_a_bad_credential_far_into_the_file(tmp_path: Path) -> None:
    credentials = list(_many(300))
    data = to_xml_bytes(credentials, pretty=False)  # one long line
    last = data.rindex(b"<issued>")
    data = data[:last] + b"<issued>x" + data[last + len(b"<issued>") :]
    path = tmp_path / "long.xml"
    path.write_bytes(data)
    read, error = _read_until_error(path)
    assert read == credentials[:-1]
    with pytest.raises(ParseError) as whole:
        collection_from_xml(data)
    assert error.problems == whole.value.problems
    [problem] = error.problems
    assert problem.location == "/collection/credential[300]/issued"
    text = data.decode("utf-8")  # columns count characters
    assert (problem.line, problem.column) == (2, text.rindex("<issued>x") - text.index("\n"))


def test_each_credential_is_validated_against_the_xsd() -> None:
    """Elements out of order: only the XSD objects (the model would read them)."""
    credentials = list(_many(3))
    data = to_xml_bytes(credentials).decode("utf-8")
    starts = [i for i in range(len(data)) if data.startswith("<credential ", i)]
    second = data[starts[1] : starts[2]]
    learner = second[second.index("\n    <learner>") : second.index("</learner>") + 10]
    second = second.replace(learner, "")
    opened = second.index(">") + 1
    second = second[:opened] + learner + second[opened:]
    document = (data[: starts[1]] + second + data[starts[2] :]).encode("utf-8")
    read, error = _read_until_error(io.BytesIO(document))
    assert read == credentials[:1]
    [problem] = error.problems
    assert problem.location == "/collection/credential[2]/learner"
    assert problem.message == "<learner> is not allowed here; expected <specification>"
    with pytest.raises(ParseError) as whole:
        collection_from_xml(document)
    assert error.problems == whole.value.problems


def test_the_first_credential_is_numbered_too(tmp_path: Path) -> None:
    c = _samples()[0]
    data = to_xml_bytes([c]).replace(b"<issued>", b"<issued>x", 1)
    path = tmp_path / "one.xml"
    path.write_bytes(data)
    read, error = _read_until_error(path)
    assert read == []
    [problem] = error.problems
    assert problem.location == "/collection/credential[1]/issued"
    assert problem.line == data[: data.index(b"<issued>")].count(b"\n") + 1
    assert problem.column == 5


def test_truncated_file(tmp_path: Path) -> None:
    credentials = list(_many(30))
    data = to_xml_bytes(credentials)
    cut = data[: len(data) * 2 // 3]
    path = tmp_path / "cut.xml"
    path.write_bytes(cut)
    read, error = _read_until_error(path)
    complete = cut.count(b"</credential>")
    assert read == credentials[:complete]
    [problem] = error.problems
    assert problem.code == "syntax"
    assert problem.line is not None
    assert problem.line >= cut.count(b"\n")


def test_malformed_credential_in_the_middle() -> None:
    credentials = list(_many(3))
    data = to_xml_bytes(credentials)
    second = data.index(b"<credential ", data.index(b"<credential ") + 1)
    broken = data[:second] + b"<credential><oops></credential>" + data[second:]
    read, error = _read_until_error(io.BytesIO(broken))
    assert read == credentials[:1]
    [problem] = error.problems
    line = broken[:second].count(b"\n") + 1
    assert (problem.code, problem.line) == ("syntax", line)
    assert "</credential>" in problem.message
    assert "<oops>" in problem.message


@pytest.mark.parametrize(
    ("document", "code", "message"),
    [
        (
            b'<collection xmlns="urn:other"/>',
            "root",
            "expected a <collection> document in namespace 'urn:eumicro:xml:1', got "
            "<collection> in namespace 'urn:other'",
        ),
        (
            b"<collection/>",
            "root",
            "expected a <collection> document in namespace 'urn:eumicro:xml:1', got "
            "<collection> in no namespace",
        ),
        (
            b'<credential xmlns="urn:eumicro:xml:1" id="urn:x"/>',
            "root",
            "got <credential>",
        ),
        (b"", "syntax", "the document is empty"),
        (b"   ", "syntax", "not well-formed XML"),
        (b'<collection xmlns="urn:eumicro:xml:1">', "syntax", "the document ends before"),
    ],
)
def test_documents_that_are_not_collections(document: bytes, code: str, message: str) -> None:
    _, error = _read_until_error(io.BytesIO(document))
    [problem] = error.problems
    assert problem.code == code
    assert message in problem.message
    assert problem.line is not None


def test_wrong_elements_in_the_collection(tmp_path: Path) -> None:
    c = _samples()[0]
    good = to_xml_bytes([c, c]).decode("utf-8")
    first_end = good.index("</credential>") + len("</credential>")
    foreign = good[:first_end] + '\n  <credential xmlns="urn:other"/>' + good[first_end:]
    path = tmp_path / "foreign.xml"
    path.write_text(foreign, encoding="utf-8")
    read, error = _read_until_error(path)
    assert read == [c]
    [problem] = error.problems
    assert problem.location == "/collection/credential"
    assert "namespace 'urn:other' is not part of this format" in problem.message
    assert (problem.line, problem.column) == (foreign[:first_end].count("\n") + 2, 3)

    spec = good[:first_end] + f'<specification id="{c.specification.id}"/>' + good[first_end:]
    read, error = _read_until_error(io.BytesIO(spec.encode()))
    assert read == [c]
    [problem] = error.problems
    assert "<specification> is not read by iter_xml" in problem.message


def test_max_bytes() -> None:
    data = to_xml_bytes(list(_many(40)))
    assert len(list(iter_xml(io.BytesIO(data), max_bytes=len(data)))) == 40
    read, error = _read_until_error(io.BytesIO(data), max_bytes=len(data) // 2)
    assert 0 < len(read) < 40
    [problem] = error.problems
    assert problem.code == "size"
    assert f"limit of {len(data) // 2} bytes" in problem.message


def test_sources_that_are_not_binary_files(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="not XML text"):
        iter_xml("<collection/>")
    with pytest.raises(TypeError, match="path or a binary file"):
        iter_xml(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="binary files"):
        list(iter_xml(io.StringIO("<collection/>")))  # type: ignore[arg-type]
    _, error = _read_until_error(tmp_path / "missing.xml")
    assert error.problems[0].code == "io"


# ----------------------------------------------------------------------------- hostile input


def _collection_with(inside: str) -> str:
    return f'<collection xmlns="{NS}">{inside}</collection>'


def _hostile(secret: Path) -> dict[str, str]:
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    return {
        "xxe": f'<!DOCTYPE collection [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        + _collection_with("&x;"),
        "billion laughs": f"<!DOCTYPE collection [{laughs}]>" + _collection_with("&lol9;"),
        "parameter entities": f'<!DOCTYPE collection [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>'
        + _collection_with(""),
        "external DTD": '<!DOCTYPE collection SYSTEM "http://127.0.0.1:9/x.dtd">'
        + _collection_with(""),
        "plain DOCTYPE": "<!DOCTYPE collection>" + _collection_with(""),
        "after a comment and a PI": "<?xml version='1.0'?>\n<!-- hi --><?pi x?>\n"
        "<!DOCTYPE collection>" + _collection_with(""),
        "after a long comment": "<!--"
        + "x" * 200_000
        + "-->\n<!DOCTYPE collection>"
        + _collection_with(""),
    }


@pytest.mark.parametrize(
    "name",
    [
        "xxe",
        "billion laughs",
        "parameter entities",
        "external DTD",
        "plain DOCTYPE",
        "after a comment and a PI",
        "after a long comment",
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_doctypes_are_refused_before_parsing(
    name: str, encoding: str, secret_file: Path, tmp_path: Path
) -> None:
    text = _hostile(secret_file)[name]
    data = text.encode(encoding)
    path = tmp_path / "hostile.xml"
    path.write_bytes(data)
    for source in (io.BytesIO(data), path):
        read, error = _read_until_error(source)
        assert read == []
        [problem] = error.problems
        assert problem.code == "doctype"
        assert SECRET not in str(error)
        at = text.index("<!DOCTYPE")
        assert problem.line == text[:at].count("\n") + 1
        assert problem.column == at - (text.rfind("\n", 0, at) + 1) + 1


def test_a_doctype_split_across_reads_is_refused() -> None:
    text = "<!--" + "x" * 65525 + "-->" + "<!DOCTYPE collection>" + _collection_with("")
    data = text.encode("utf-8")
    assert data[65532:65541] == b"<!DOCTYPE"  # the declaration straddles the first read
    _, error = _read_until_error(io.BytesIO(data))
    assert error.problems[0].code == "doctype"


def test_undeclared_entities_and_late_doctypes_are_syntax_errors(secret_file: Path) -> None:
    _, error = _read_until_error(io.BytesIO(_collection_with("&x;").encode()))
    assert error.problems[0].code == "syntax"
    assert "entity reference &x; is not defined" in error.problems[0].message
    late = _collection_with(f'<!DOCTYPE x [<!ENTITY e SYSTEM "{secret_file.as_uri()}">]>&e;')
    _, error = _read_until_error(io.BytesIO(late.encode()))
    assert error.problems[0].code == "syntax"
    assert SECRET not in str(error)


def test_xinclude_is_refused(secret_file: Path) -> None:
    c = _samples()[0]
    data = to_xml_bytes([c, c]).decode("utf-8")
    at = data.index("<learner")
    include = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret_file.as_uri()}" '
        'parse="text"/>'
    )
    hostile = data[:at] + include + data[at:]
    read, error = _read_until_error(io.BytesIO(hostile.encode()))
    assert read == []
    [problem] = error.problems
    assert problem.code == "xinclude"
    assert problem.location.startswith("/collection/credential[1]/include")
    assert SECRET not in str(error)


def test_deep_nesting_is_refused() -> None:
    deep = "<a>" * 300 + "</a>" * 300
    data = _collection_with(f'<credential id="urn:x">{deep}</credential>').encode()
    _, error = _read_until_error(io.BytesIO(data))
    [problem] = error.problems
    assert problem.code == "depth"
    assert problem.message == "elements are nested more than 256 levels deep"


def test_unknown_encodings() -> None:
    _, error = _read_until_error(
        io.BytesIO(b"<?xml version='1.0' encoding='x-nonsense'?><collection/>")
    )
    assert error.problems[0].code == "encoding"


_DTD = '<!DOCTYPE collection [<!ENTITY x "y">]>' + _collection_with("&x;")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'<?xml version="1.0" encoding="UTF-16"?>' + _DTD.encode(), id="utf-16-named"),
        pytest.param(b'<?xml version="1.0" encoding="cp500"?>' + _DTD.encode(), id="ebcdic-named"),
        pytest.param(
            ('<?xml version="1.0" encoding="IBM037"?>' + _DTD).encode("cp037"), id="ebcdic"
        ),
        pytest.param(_DTD.encode("utf-32-be"), id="utf-32-be"),
        pytest.param(_DTD.encode("utf-32-le"), id="utf-32-le"),
        pytest.param(_DTD.encode("utf-32"), id="utf-32"),
        pytest.param(
            ('<?xml version="1.0" encoding="UTF-16"?>' + _DTD).encode("utf-16-le"),
            id="utf-16-le",
        ),
        pytest.param(b"<!-- \xff\xfe\xfd -->" + _DTD.encode(), id="invalid-utf-8"),
    ],
)
def test_doctypes_are_refused_whatever_the_encoding_says(data: bytes) -> None:
    read, error = _read_until_error(io.BytesIO(data))
    assert read == []
    [problem] = error.problems
    assert problem.code == "doctype"


# ----------------------------------------------------------------------------- memory


def _traced_peak(run: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _consume(path: Path) -> int:
    count = 0
    for _ in iter_xml(path):
        count += 1
    return count


def test_reading_a_stream_takes_the_same_memory_for_ten_times_the_credentials(
    tmp_path: Path,
) -> None:
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_xml_stream(_many(100), small)
    write_xml_stream(_many(1_000), large)
    _consume(small)  # vocabularies, samples and the XSD load on first use
    assert _consume(large) == 1_000

    stream_small = _traced_peak(lambda: _consume(small))
    stream_large = _traced_peak(lambda: _consume(large))
    whole_small = _traced_peak(lambda: collection_from_xml(small.read_bytes()))
    whole_large = _traced_peak(lambda: collection_from_xml(large.read_bytes()))

    assert stream_large / stream_small < 1.5, (stream_small, stream_large)
    assert whole_large / whole_small > 5, (whole_small, whole_large)
    assert stream_large * 10 < whole_large


_RSS_PROBE = """
import gc, json, sys
from eumicro import collection_from_xml
from eumicro.formats._xml_stream import iter_xml

def peak():  # this process's peak resident set size (not inherited, unlike ru_maxrss)
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise SystemExit("no VmHWM")

mode, warm, path = sys.argv[1:]
for _ in iter_xml(warm):
    pass
gc.collect()
before = peak()
if mode == "stream":
    count = sum(1 for _ in iter_xml(path))
else:
    with open(path, "rb") as handle:
        count = len(collection_from_xml(handle.read(), max_bytes=1 << 30))
print(json.dumps([count, peak() - before]))
"""


def _rss_growth(mode: str, warm: Path, path: Path) -> tuple[int, int]:
    """Credentials read and growth of the peak resident memory, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, mode, str(warm), str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    count, growth = json.loads(done.stdout)
    return count, growth


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="needs Linux's /proc/self/status (VmHWM)"
)
def test_the_parsed_tree_does_not_grow_with_the_stream(tmp_path: Path) -> None:
    """libxml2's memory, which tracemalloc does not see: the peak resident set size."""
    warm, small, large = tmp_path / "warm.xml", tmp_path / "small.xml", tmp_path / "large.xml"
    write_xml_stream(_many(20), warm)
    write_xml_stream(_many(300), small)
    write_xml_stream(_many(3_000), large)
    MiB = 1024 * 1024

    count, stream_small = _rss_growth("stream", warm, small)
    assert count == 300
    count, stream_large = _rss_growth("stream", warm, large)
    assert count == 3_000
    _, whole_small = _rss_growth("whole", warm, small)
    _, whole_large = _rss_growth("whole", warm, large)

    # The whole document (about 14 MiB of XML) costs well over 50 MiB more at 3,000
    # credentials than at 300; the stream costs about nothing more (keeping the parsed
    # elements would cost some 70 MiB).
    assert whole_large - whole_small > 50 * MiB, (whole_small, whole_large)
    assert stream_large - stream_small < 8 * MiB, (stream_small, stream_large)


def test_writing_a_stream_takes_the_same_memory_for_ten_times_the_credentials() -> None:
    class Sink(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            return len(data)  # type: ignore[arg-type]

    write_xml_stream(_many(10), Sink())
    small = _traced_peak(lambda: write_xml_stream(_many(100), Sink()))
    large = _traced_peak(lambda: write_xml_stream(_many(1_000), Sink()))
    assert large / small < 1.5, (small, large)
