"""Runs inside the grading sandbox: starts the kernel and carries its five ZeroMQ channels out through Unix sockets.

The sandbox has its own network namespace, with nothing but a loopback interface, so the kernel's TCP ports cannot be
reached from the grader. This relay listens on a Unix socket `<prefix>-<n>` for each channel (the folder is the only
one the grader and the sandbox share) and copies bytes both ways to the kernel's port `<base> + n` on the sandbox's
own loopback. The grader's Jupyter client connects to the Unix sockets with ZeroMQ's `ipc` transport; the bytes on the
wire are the same ZeroMQ protocol as over TCP.

Usage: python3 -I -S sandbox_relay.py PREFIX BASE_PORT N1,N2,... -- KERNEL_COMMAND...
Standard library only: it runs with the sandbox's Python and no site packages.
"""
import asyncio
import os
import signal
import sys


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def forwarder(port: int):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            kernel_reader, kernel_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            writer.close()  # the kernel is not listening yet: ZeroMQ on the other side connects again
            return
        await asyncio.gather(pipe(reader, kernel_writer), pipe(kernel_reader, writer))
    return handle


async def main(prefix: str, base: int, numbers: list[int], command: list[str]) -> int:
    kernel = await asyncio.create_subprocess_exec(*command)
    # The grader interrupts or stops the kernel by signalling this process: pass the signal on.
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda sig=sig: kernel.returncode is None and kernel.send_signal(sig))
    servers = [await asyncio.start_unix_server(forwarder(base + n), path=f"{prefix}-{n}") for n in numbers]
    code = await kernel.wait()
    for server in servers:
        server.close()
    return code


if __name__ == "__main__":
    split = sys.argv.index("--")
    prefix, base, numbers = sys.argv[1], int(sys.argv[2]), [int(n) for n in sys.argv[3].split(",")]
    os.umask(0o077)
    status = asyncio.run(main(prefix, base, numbers, sys.argv[split + 1:]))
    sys.exit(status if status >= 0 else 128 - status)
