"""Runs moto's server on a free loopback port for the integration tests.

Prints the port on the first line of stdout, then serves until stdin closes:
the test process holds the other end, so the server ends with it, however
that process ends.
"""
import os
import sys

from moto.server import ThreadedMotoServer

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()
server.stop()
os._exit(0)
