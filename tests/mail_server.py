"""A tiny SMTP server for fault drills. It counts a message as delivered once it has read the
message's data to the end, as a real mail server takes over responsibility for a message then.
It can keep a sender waiting at the start of the data, so a drill can kill the sender in the
middle of the conversation, before the message was handed over.
"""

import socket
import socketserver
import threading
import time


class MailServer:
    """Delivered messages (their raw data), and switches to hold and release senders."""

    def __init__(self):
        self.delivered: list[str] = []
        self.receiving = threading.Event()  # a sender asked to hand over a message
        self.hold = threading.Event()  # while set, senders wait before handing it over
        self.port = 0

    def delivered_to(self, address: str) -> int:
        return sum(address in message for message in self.delivered)


def _handler(server: MailServer):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self) -> None:
            self.reply("220 drill ESMTP")
            while line := self.rfile.readline():
                command = line.decode(errors="replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 drill")
                elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                    self.reply("250 OK")
                elif command == "DATA":
                    server.receiving.set()
                    if not self.wait_while_held():
                        return  # the sender died before handing the message over
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    if not self.receive_data():
                        return
                elif command == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Not implemented")

        def wait_while_held(self) -> bool:
            """Keep the sender waiting while held; False if it went away meanwhile."""
            while server.hold.is_set():
                if self.connection_lost():
                    return False
                time.sleep(0.05)
            return True

        def receive_data(self) -> bool:
            lines = []
            while (line := self.rfile.readline()) != b".\r\n":
                if not line:
                    return False
                lines.append(line.decode(errors="replace"))
            server.delivered.append("".join(lines))
            self.reply("250 OK: queued")
            return True

        def connection_lost(self) -> bool:
            self.connection.settimeout(0)
            try:
                return self.connection.recv(1, socket.MSG_PEEK) == b""  # EOF: the sender left
            except BlockingIOError:
                return False
            finally:
                self.connection.settimeout(None)

    return Handler


def start_mail_server() -> tuple[MailServer, socketserver.ThreadingTCPServer]:
    """Start a server on a free loopback port; call ``shutdown()`` on the second value."""
    state = MailServer()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server
