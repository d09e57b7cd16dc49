#!/usr/bin/env python3
# asyncio_chat_server.py: the benchmark's peer, a chat server of the kind
# asyncio tutorials show: asyncio.start_server, one coroutine per client
# reading lines, each line written to every other client's writer (then
# drained, as the tutorials do). It speaks enough of our protocol for
# chat-load: a greeting on connect, "<nick> text" relayed to the others.
#
# usage: asyncio_chat_server.py [PORT]   (0 or nothing: any free port)
#
# SPDX-License-Identifier: GPL-3.0-or-later
import asyncio
import itertools
import sys

writers = set()
guests = itertools.count(1)


async def handle(reader, writer):
    nick = f"guest-{next(guests)}"
    writer.write(f"*** you are {nick}\n".encode())
    writers.add(writer)
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            message = b"<" + nick.encode() + b"> " + line.rstrip(b"\r\n") + b"\n"
            for other in list(writers):
                if other is not writer:
                    other.write(message)
                    await other.drain()
    except (ConnectionError, asyncio.LimitOverrunError, ValueError):
        pass
    finally:
        writers.discard(writer)
        writer.close()


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=4096)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
