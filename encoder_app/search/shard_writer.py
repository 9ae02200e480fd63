"""The processes that write the search index's Whoosh shards, one per shard: Whoosh indexing is
CPU-bound pure Python, so threads would only take turns on the interpreter lock.

They are spawned, never forked: fork does not exist on Windows, and a fork of a process running
Qt threads (the window builds on a worker thread) copies locks those threads may hold. A spawned
writer is a new interpreter, so it imports only what it needs: this module, Whoosh and the
program's main module, which multiprocessing runs again in every spawned child (entry points
keep `main()` behind `if __name__ == "__main__"`, and call freeze_support() first for a frozen
build). It inherits no descriptor but its pipe: the index lock stays with the builder.

Nothing here imports the database layer or the rest of the app; keep it that way, each writer
pays for its imports before it starts writing.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import traceback
from multiprocessing.connection import Connection

from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT, Schema

from encoder_app.cycle_collection import cycle_collection_paused


class SplitTokenizer(Tokenizer):
    """Text is normalised before indexing, so splitting on spaces is all Whoosh needs to do;
    this is several times faster than a regex tokenizer over 300,000 documents."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(value.split()):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


def schema() -> Schema:
    return Schema(words=TEXT(analyzer=SplitTokenizer(), phrase=False))


def write_shard(folder: str, texts: list[str]) -> int:
    ix = whoosh_index.create_in(folder, schema())
    writer = ix.writer(limitmb=256)
    for text in texts:
        writer.add_document(words=text)
    writer.commit(optimize=True)
    return len(texts)


class ShardWriters:
    """`count` writer processes, started at once so that their start-up (an interpreter and its
    imports, a few tenths of a second) overlaps the builder's own work until write().

    Leaving the `with` block kills writers still running: a build that fails or is cancelled
    removes the folder they write into."""

    def __init__(self, count: int):
        context = multiprocessing.get_context("spawn")
        self._writers: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []
        self._written = False
        try:
            for shard in range(count):
                ours, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(os.getpid(), theirs),
                                          name=f"search-index shard writer {shard}", daemon=True)
                process.start()
                theirs.close()  # the writer's end only in the writer: its death is EOF on ours
                self._writers.append((process, ours))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> ShardWriters:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def write(self, jobs: list[tuple[str, list[str]]]) -> list[int]:
        """Write shard i from jobs[i] (folder, texts) in writer i; the documents per shard."""
        try:
            for (_, conn), job in zip(self._writers, jobs, strict=True):
                conn.send(job)
            replies = [conn.recv() for _, conn in self._writers]
        except (EOFError, BrokenPipeError):
            # A writer died without a word (killed, out of memory): fail the build, never wait.
            ended = ", ".join(f"{process.name} (exit code {process.exitcode})"
                              for process, _ in self._writers if process.exitcode is not None)
            raise RuntimeError(f"the search index was not written: {ended or 'a writer'} "
                               f"ended before its shard was written") from None
        for (process, _), reply in zip(self._writers, replies, strict=True):
            if isinstance(reply, tuple):
                error, text = reply
                raise error from RuntimeError(f"in {process.name}:\n{text}")
        self._written = True
        return replies

    def close(self) -> None:
        for process, conn in self._writers:
            if not self._written and process.is_alive():
                process.kill()  # a failed or cancelled build: its folder is being removed
            process.join()
            conn.close()
        self._writers = []


_PR_SET_PDEATHSIG = 1  # prctl option: the signal a child gets when its parent dies (Linux)


def _serve(builder: int, conn: Connection) -> None:
    """A writer's whole life: one job from the builder, its result or error back."""
    # Ctrl-C reaches the whole process group: the builder decides, and kills its writers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        # Die with the builder rather than write on, orphaned, into a folder nobody will use.
        # The "parent" is the thread that started us: the builder starts and waits on one.
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.name == "posix" and os.getppid() != builder:  # the builder died before prctl
        os._exit(1)
    try:
        folder, texts = conn.recv()
    except EOFError:  # the build stopped before it had work for us
        return
    try:
        # As in the builder (cycle_collection): full collections over the many objects Whoosh
        # makes are wasted work, and a new interpreter starts with them on.
        with cycle_collection_paused():
            reply = write_shard(folder, texts)
    except Exception as exc:
        reply = (exc, traceback.format_exc())  # raised again in the builder, as Pool.map did
    try:
        conn.send(reply)
    except BrokenPipeError:  # the builder is gone (where we do not die with it): nobody to tell
        pass
    # The shard is written and closed, the reply sent: tearing the interpreter down object by
    # object would only keep the builder waiting for our exit.
    os._exit(0)
