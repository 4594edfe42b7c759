/** The compose application ("demo") the Kubernetes tests deploy: a web with a published port and a healthcheck, a database with a named volume and a secret, a migration the web waits for, a global agent. */
import { loadComposeText } from "../load-text.ts";

export const SHOP = `
name: demo
services:
  web:
    image: example/web:1.2
    entrypoint: ["/bin/app"]
    command: ["serve", "--port", "8080"]
    environment:
      MODE: prod
    ports:
      - "30080:8080"
    healthcheck:
      test: ["CMD", "wget", "-q", "-O-", "http://localhost:8080/health"]
      interval: 10s
      timeout: 3s
      retries: 5
      start_period: 20s
    depends_on:
      db:
        condition: service_healthy
      db_migrate:
        condition: service_completed_successfully
    cap_add: [NET_ADMIN]
    user: "1000:1000"
    deploy:
      replicas: 3
      resources:
        limits: { cpus: "0.5", memory: 256M }
        reservations: { cpus: "0.25", memory: 128M }
      update_config:
        parallelism: 2
        order: start-first
        monitor: 30s
      placement:
        constraints:
          - node.labels.tier == frontend
          - node.labels.zone != eu-1
  db:
    image: postgres:16.4
    volumes:
      - db_data:/var/lib/postgresql/data
    secrets:
      - db_password
    healthcheck:
      test: pg_isready -U postgres
      interval: 5s
  db_migrate:
    image: example/web:1.2
    command: ["migrate"]
    secrets:
      - source: db_password
        target: /etc/app/db_password
        mode: 0400
    depends_on:
      db:
        condition: service_healthy
  agent:
    image: example/agent:1
    deploy:
      mode: global
      placement:
        constraints:
          - node.platform.arch == x86_64
volumes:
  db_data: {}
secrets:
  db_password:
    file: ./db_password.txt
`;

export function loadShop(password = "s3cret") {
  return loadComposeText(SHOP, { "db_password.txt": password });
}
