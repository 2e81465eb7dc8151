#!/usr/bin/env bash
# Run the product: Celery worker and beat in the background, the web server in front.
# Stops the worker and beat when the web server stops (Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
# One worker consuming every queue (imports, reports, exports, notifications and the default one);
# README "Deployment" runs each queue's workers on machines of their own.
QUEUES=$($PY -c 'from config.celery import all_queues; print(",".join(all_queues()))')
.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 -Q "$QUEUES" &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler &
pids+=($!)
echo "Web: http://127.0.0.1:${PORT}/  (demo users: see 'make seed' output above)"
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload
