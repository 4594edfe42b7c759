"""One-shot migration job for the postgres example app.

Connects as the database owner, applies each migrations/NNN_name.sql that is not
recorded in schema_migrations (each in its own transaction, under an advisory lock
so concurrent runs serialise), then makes sure the app's login role exists with
the password from APP_PASSWORD_FILE and may read the tables. Running it again
applies nothing and changes nothing. Exits non-zero on any failure.
"""

import base64
import hashlib
import hmac
import os
import pathlib
import secrets
import sys
import time

import psycopg2
from psycopg2 import sql

MIGRATIONS = pathlib.Path(__file__).with_name("migrations")
LOCK_ID = 7_210_001  # any constant shared by every migrate run of this database


def log(message):
    print(f"migrate: {message}", flush=True)


def secret(name):
    path = os.environ.get(f"{name}_FILE")
    if path:
        return pathlib.Path(path).read_text().rstrip("\n")
    if os.environ.get(name):
        return os.environ[name]
    raise SystemExit(f"migrate: set {name}_FILE (a secret file) or {name}")


def connect(user, password, attempts=30):
    """Connects, retrying while the server starts (swarm ignores depends_on)."""
    for attempt in range(1, attempts + 1):
        try:
            return psycopg2.connect(
                host=os.environ.get("DB_HOST", "db"),
                port=int(os.environ.get("DB_PORT", "5432")),
                dbname=os.environ["APP_DB"],
                user=user,
                password=password,
                connect_timeout=3,
            )
        except psycopg2.OperationalError as error:
            if attempt == attempts:
                raise
            log(f"database not reachable yet ({str(error).strip().splitlines()[0]}); retrying")
            time.sleep(2)


def scram_verifier(password, iterations=4096):
    """The SCRAM-SHA-256 verifier PostgreSQL stores, so the plain password never
    reaches the server (or its log, should a statement fail)."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda raw: base64.b64encode(raw).decode()
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def apply_migrations(conn):
    with conn, conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (LOCK_ID,))
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute("SELECT version FROM schema_migrations")
        applied = {row[0] for row in cur.fetchall()}
    pending = [path for path in sorted(MIGRATIONS.glob("*.sql")) if path.stem not in applied]
    for path in pending:
        with conn, conn.cursor() as cur:
            cur.execute(path.read_text())
            cur.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (path.stem,))
        log(f"applied {path.stem}")
    return pending


def password_works(user, password):
    try:
        connect(user, password, attempts=1).close()
        return True
    except psycopg2.OperationalError:
        return False


def ensure_app_role(conn, user, password):
    """Creates the role, or resets its password when the secret changed."""
    with conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,))
        exists = cur.fetchone() is not None
        changes = []
        if not exists:
            cur.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(user)),
                (scram_verifier(password),),
            )
            changes.append("created role")
        elif not password_works(user, password):
            cur.execute(
                sql.SQL("ALTER ROLE {} PASSWORD %s").format(sql.Identifier(user)),
                (scram_verifier(password),),
            )
            changes.append("updated password")
        cur.execute(
            "SELECT has_database_privilege(%s, current_database(), 'CONNECT')"
            " AND has_schema_privilege(%s, 'public', 'USAGE')"
            " AND NOT EXISTS (SELECT 1 FROM pg_class c"
            "   JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'"
            "   WHERE c.relkind IN ('r', 'p', 'v', 'm')"
            "     AND NOT has_table_privilege(%s, c.oid, 'SELECT'))",
            (user, user, user),
        )
        if not cur.fetchone()[0]:
            role = sql.Identifier(user)
            cur.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(os.environ["APP_DB"]), role))
            cur.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
            cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(role))
            changes.append("granted read access")
        return changes


def main():
    owner = os.environ["APP_OWNER"]
    app_user = os.environ["APP_USER"]
    conn = connect(owner, secret("APP_OWNER_PASSWORD"))
    try:
        applied = apply_migrations(conn)
        changes = ensure_app_role(conn, app_user, secret("APP_PASSWORD"))
    finally:
        conn.close()
    if applied or changes:
        what = [f"{len(applied)} migration(s)"] + [f"{c} for {app_user}" for c in changes]
        log("done: " + ", ".join(what))
    else:
        log("up to date; nothing to apply")


if __name__ == "__main__":
    try:
        main()
    except (psycopg2.Error, OSError, KeyError) as error:
        print(f"migrate: failed: {type(error).__name__}: {error}".rstrip(), file=sys.stderr)
        sys.exit(1)
