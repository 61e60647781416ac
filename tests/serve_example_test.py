#!/usr/bin/env python3
"""scripts/serve-example.sh runs as the README says: it imports the bundled
example, adds the units and the user zhangsan, and starts `taizhang serve`;
the server answers /healthz, zhangsan logs in with the printed one-time
password, must change it, changes it, and then lists the example's items
(清河县农业农村局 2025) through /api/v1/items; SIGTERM stops the server with
exit code 0.

usage: serve_example_test.py TAIZHANG_BINARY REPO_ROOT
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    h = {"Content-Type": "application/json"} if data is not None else {}
    h.update(headers or {})
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    payload = r.read().decode("utf-8")
    cookie = r.getheader("Set-Cookie") or ""
    conn.close()
    return r.status, payload, cookie


def main():
    binary, repo = sys.argv[1], sys.argv[2]
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        out_path = os.path.join(work, "out.txt")
        with open(out_path, "wb") as out:
            proc = subprocess.Popen(
                [os.path.join(repo, "scripts/serve-example.sh"), "--listen", f"127.0.0.1:{port}",
                 os.path.join(work, "example")],
                stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ, TAIZHANG=binary))
        try:
            deadline = time.time() + 120
            while True:
                if proc.poll() is not None:
                    sys.exit("the script ended early:\n" + open(out_path, encoding="utf-8").read())
                try:
                    if request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.time() > deadline:
                    sys.exit("no answer on /healthz:\n" + open(out_path, encoding="utf-8").read())
                time.sleep(0.2)
            text = open(out_path, encoding="utf-8").read()
            m = re.search(r"初始密码：(\S+)（一次性", text)
            assert m, "no password printed:\n" + text
            assert f"服务地址：http://127.0.0.1:{port}/" in text, text
            password = m.group(1)

            status, body, cookie = request(port, "POST", "/api/v1/auth/login",
                                           {"name": "zhangsan", "password": password})
            assert status == 200, (status, body)
            login = json.loads(body)
            assert login["user"]["must_change_password"] is True, body
            session = cookie.split(";")[0]
            headers = {"Cookie": session, "X-CSRF-Token": login["csrf_token"]}
            # Nothing but one's own account before the password is changed.
            status, body, _ = request(port, "GET", "/api/v1/items", headers={"Cookie": session})
            assert status == 403, (status, body)
            status, body, _ = request(port, "POST", "/api/v1/auth/password",
                                      {"old_password": password, "new_password": "Qinghe#2025x"}, headers)
            assert status == 200, (status, body)
            status, body, _ = request(port, "GET", "/api/v1/items?limit=5&sort=deadline",
                                      headers={"Cookie": session})
            assert status == 200, (status, body)
            page = json.loads(body)
            assert page["total"] > 50, body[:500]
            assert len(page["items"]) == 5
            assert all(item["unit"] == "清河县农业农村局" for item in page["items"]), body[:500]
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=60)
        assert code == 0, ("exit code", code, open(out_path, encoding="utf-8").read())
    print("ok")


if __name__ == "__main__":
    main()
