"""Step 1 for a file too large to hold whole: its letters read one at a time.

A 200,000-claim backup is about 270 MB of JSON, and parsed whole its objects take several
times that. Here the file is read in chunks, and each item of its top-level lists (the
letters, and the actors and sources before them) is parsed on its own, by the decoder and
checks a whole file gets (read.py): a key given twice, a number JSON does not allow, nesting
too deep, half a surrogate pair, each reported with its line and column in the file. "letters" must be the
last member, as export_letters writes it: whatever came after it could not be checked
before the letters are.
"""

import codecs
import json

from interchange.format import ImportFailed

from .read import KeyGivenTwice, NotANumber, finite, invalid, keys_once, no_constant, shape_problem

CHUNK = 1 << 22  # characters read at a time (4 MB of ASCII)
WHITESPACE = " \t\n\r"


def read_streamed(handle, name):
    """(head, letters): the file's top-level members but "letters", and an iterator over the
    letters, each parsed as it is reached. Raises ImportFailed for what cannot be read."""
    stream = Stream(handle, name)
    if stream.peek() == "":
        raise stream.failed('the file is empty; expected a JSON object with "letters"')
    if stream.peek() != "{":
        raise stream.failed(invalid(stream.where(stream.pos), 'expected an object with "letters"'))
    stream.pos += 1
    head = {}
    if stream.peek() == "}":
        stream.pos += 1
        stream.end()
        return head, None
    while True:
        place = stream.where(stream.pos)
        if stream.peek() != '"':
            raise stream.failed(invalid(place, "Expecting property name enclosed in double quotes"))
        key = stream.value()
        if key in head:
            raise stream.failed(f'the key "{key}" is given twice in one object; give it once')
        stream.expect(":", "Expecting ':' delimiter")
        if key == "letters" and stream.peek() == "[":
            stream.pos += 1
            head[key] = letters = stream.items(after=stream.letters_ended)
            return head, letters
        if stream.peek() == "[":
            # The sources' texts (37 MB of a 270 MB backup) item by item too: parsed whole, the
            # value was re-read as the buffer doubled to hold it, and peaked at several times its size.
            stream.pos += 1
            head[key] = list(stream.items(after=lambda: None))
        else:
            head[key] = stream.value()
        if stream.peek() == "}":
            stream.pos += 1
            stream.end()
            return head, None
        stream.expect(",", "Expecting ',' delimiter")


class Stream:
    """A JSON text read in chunks, a value at a time; positions are reported in the whole file."""

    def __init__(self, handle, name):
        self.handle, self.name = handle, name
        self.decoder = json.JSONDecoder(
            object_pairs_hook=keys_once, parse_constant=no_constant, parse_float=finite
        )
        self.utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self.text = ""  # what has been read and not yet dropped
        self.pos = 0  # the next character to read in self.text
        self.line, self.column = 1, 1  # where self.text[0] is in the file
        self.bytes_read = 0
        self.ended = False

    def failed(self, message):
        return ImportFailed([f"{self.name}: {message}"])

    def more(self, at_least=CHUNK):
        """Read on; False once the file has ended."""
        if self.ended:
            return False
        raw = self.handle.read(max(CHUNK, at_least))
        pending = len(self.utf8.getstate()[0])
        try:
            self.text += self.utf8.decode(raw, final=not raw)
        except UnicodeDecodeError as error:
            raise self.failed(
                f"not UTF-8 text (byte {self.bytes_read - pending + error.start} is invalid)"
            )
        self.bytes_read += len(raw)
        self.ended = not raw
        return True

    def where(self, position):
        """(line, column) in the file of self.text[position]."""
        newlines = self.text.count("\n", 0, position)
        if newlines:
            return self.line + newlines, position - self.text.rfind("\n", 0, position)
        return self.line, self.column + position

    def drop(self):
        """Forget what has been read, keeping count of its lines (once there is a chunk of it)."""
        if self.pos < CHUNK:
            return
        done = self.text[: self.pos]
        if newlines := done.count("\n"):
            self.line += newlines
            self.column = self.pos - done.rfind("\n")
        else:
            self.column += self.pos
        self.text, self.pos = self.text[self.pos :], 0

    def peek(self):
        """The next character that is not white space, or "" at the end of the file."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, char, message):
        if self.peek() != char:
            raise self.failed(invalid(self.where(self.pos), message))
        self.pos += 1

    def end(self):
        if self.peek() != "":
            raise self.failed(invalid(self.where(self.pos), "Extra data"))

    def value(self):
        """The next JSON value, parsed and checked as read.parse checks a whole file."""
        self.peek()
        start = self.pos
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, start)
            except json.JSONDecodeError as error:
                # Cut off by the end of what has been read, not wrong: read on and try again.
                cut = error.msg.startswith("Unterminated string") or error.pos >= len(self.text) - 8
                if cut and self.more(at_least=len(self.text) - start):
                    continue
                raise self.failed(invalid(self.where(error.pos), error.msg))
            except KeyGivenTwice as error:
                raise self.failed(f'the key "{error}" is given twice in one object; give it once')
            except NotANumber as error:
                raise self.failed(f"not valid JSON: {error} is not a number JSON allows")
            except (RecursionError, ValueError) as error:  # nested too deep; a number too long
                problem = shape_problem(self.text[start:], self.located(start))
                raise self.failed(problem or f"not valid JSON: {error}")
            if end == len(self.text) and self.more():
                continue  # a number may go on in what is not read yet
            break
        if problem := shape_problem(self.text[start:end], self.located(start)):
            raise self.failed(problem)
        self.pos = end
        return value

    def located(self, start):
        return lambda position: self.where(start + position)

    def items(self, after):
        """The values of the array just opened, each parsed as it is reached; then `after()`."""
        if self.peek() == "]":
            self.pos += 1
            after()
            return
        while True:
            yield self.value()
            self.drop()
            if self.peek() == "]":
                self.pos += 1
                break
            self.expect(",", "Expecting ',' delimiter")
        after()

    def letters_ended(self):
        if self.peek() == ",":
            raise self.failed(
                '"letters" must be the last member of a file this large, as export_letters writes '
                "it: its letters are read one at a time, and what came after them could not be "
                "checked first"
            )
        self.expect("}", "Expecting ',' delimiter")
        self.end()
