"""App server of the postgres example: GET / answers the inventory rows as JSON."""

from contextlib import closing
import os
import pathlib
import socket

import psycopg2
from flask import Flask, jsonify

app = Flask(__name__)


def read_password():
    path = os.environ.get("APP_PASSWORD_FILE")
    if path:
        return pathlib.Path(path).read_text().rstrip("\n")
    return os.environ["APP_PASSWORD"]


def connect():
    return psycopg2.connect(
        host=os.environ.get("DB_HOST", "db"),
        port=int(os.environ.get("DB_PORT", "5432")),
        dbname=os.environ.get("APP_DB", "app"),
        user=os.environ.get("APP_USER", "app_user"),
        password=read_password(),
        connect_timeout=3,
    )


@app.get("/")
def list_items():
    with closing(connect()) as conn, conn.cursor() as cur:
        cur.execute("SELECT sku, name, quantity FROM items ORDER BY sku")
        rows = [{"sku": sku, "name": name, "quantity": qty} for sku, name, qty in cur.fetchall()]
    return jsonify(items=rows, host=socket.gethostname())


@app.get("/healthz")
def healthz():
    with closing(connect()) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1")
    return "ok\n", 200, {"Content-Type": "text/plain"}


@app.errorhandler(psycopg2.Error)
def database_unavailable(error):
    return jsonify(error=f"database error: {type(error).__name__}"), 503
