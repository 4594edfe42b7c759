"""Hit counter: every GET / increments a counter in Redis and reports it."""

import os
import socket

import redis
from flask import Flask, jsonify

app = Flask(__name__)

VERSION = os.environ.get("APP_VERSION", "unknown")
COUNTER_KEY = os.environ.get("COUNTER_KEY", "hits")
store = redis.Redis(
    host=os.environ.get("REDIS_HOST", "redis"),
    port=int(os.environ.get("REDIS_PORT", "6379")),
    socket_connect_timeout=2,
    socket_timeout=2,
)


@app.get("/")
def count_hit():
    return jsonify(hits=store.incr(COUNTER_KEY), version=VERSION, host=socket.gethostname())


@app.get("/healthz")
def healthz():
    # Without Redis the app cannot count, so it reports itself unhealthy.
    store.ping()
    return "ok\n", 200, {"Content-Type": "text/plain"}


@app.errorhandler(redis.RedisError)
def redis_unavailable(error):
    return jsonify(error=f"redis unavailable: {type(error).__name__}"), 503
