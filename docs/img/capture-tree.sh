#!/usr/bin/env bash
# Takes docs/img/tree.png (mid-run) and docs/img/tree-final.png: runs the showcase pipeline
# with mallet in a real terminal (tmux), captures the screen with its colours, and renders
# it to PNG with aha and headless Chromium (apt-get install tmux aha chromium).
#   bash docs/img/capture-tree.sh [text-to-wait-for-before-the-mid-run-capture]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/docs/img
WAIT_FOR=${1:-[RETRY:1]}
WORK=$(mktemp -d)
SESSION=mallet-shot-$$
trap 'tmux kill-session -t $SESSION 2>/dev/null || true; rm -rf "$WORK"' EXIT

tmux new-session -d -s "$SESSION" -x 96 -y 22 \
  "cd $WORK && PS1='$ ' bash --norc -c 'echo \"\$ mallet run showcase.yaml\"; $ROOT/node_modules/.bin/bun $ROOT/src/cli/main.ts run $ROOT/tests/ui/fixtures/showcase.yaml; sleep 60'"
for _ in $(seq 900); do
  tmux capture-pane -p -t "$SESSION" | grep -qF -- "$WAIT_FOR" && break
  sleep 0.05
done
sleep 0.3
tmux capture-pane -e -p -t "$SESSION" >"$WORK/mid.ansi"
for _ in $(seq 60); do
  tmux capture-pane -p -t "$SESSION" | grep -q "^PipelineRun showcase" && break
  sleep 0.5
done
tmux capture-pane -e -p -t "$SESSION" >"$WORK/final.ansi"

render() { # ansi-file png-file
  local lines
  lines=$(sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$1" | wc -l)
  {
    echo '<!doctype html><meta charset="utf-8"><style>'
    echo 'body{margin:0;background:#1e1e1e} pre{margin:0;padding:14px 18px;color:#d4d4d4;'
    echo 'font:15px/1.35 "DejaVu Sans Mono",monospace}</style><pre>'
    aha --no-header <"$1"
    echo '</pre>'
  } >"$WORK/page.html"
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --hide-scrollbars --window-size=900,$((lines * 20 + 32)) \
    --screenshot="$2" "file://$WORK/page.html" 2>/dev/null
}
render "$WORK/mid.ansi" "$OUT/tree.png"
render "$WORK/final.ansi" "$OUT/tree-final.png"
echo "wrote $OUT/tree.png and $OUT/tree-final.png"
