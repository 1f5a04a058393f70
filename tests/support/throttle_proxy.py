#!/usr/bin/env python3
"""A TCP proxy on loopback that forwards to HOST:PORT and limits the client-to-server direction
to RATE bytes per second, so that an upload through it lasts long enough for short-lived keys to
expire and be refreshed during it. Prints "port N" once listening.

Usage: throttle_proxy.py HOST PORT RATE
"""
import asyncio
import sys


async def pump(reader, writer, rate):
    try:
        while True:
            data = await reader.read(64 * 1024)
            if not data:
                break
            writer.write(data)
            await writer.drain()
            if rate:
                await asyncio.sleep(len(data) / rate)
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    host, port, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pump(client_reader, server_writer, rate),
                             pump(server_reader, client_writer, 0))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print("port", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
