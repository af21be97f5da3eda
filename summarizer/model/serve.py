"""Run llama.cpp's OpenAI-compatible server, and exit when the process that started it is gone.

`LocalServer` starts `python -m summarizer.model.serve <llama_cpp.server arguments>` instead of the
server module itself: a client killed without running its exit handlers (SIGKILL, a timeout's
SIGTERM) then no longer leaves an orphaned server computing on the machine's cores.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


if __name__ == "__main__":
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    sys.argv = ["llama_cpp.server", *sys.argv[1:]]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
