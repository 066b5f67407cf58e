#!/usr/bin/env bash
# Build the learners' Python environment for the classroom hub, as The Littlest JupyterHub's
# installer builds /opt/tljh/user: a venv that every learner's Unix user can read and run, made
# from the system interpreter (NOT a pyenv/conda one inside a private home: a venv's python is a
# link to its base interpreter, so learners could not start it), with the course's pinned
# requirements and the hub's jupyterhub pin (for jupyterhub-singleuser).
#
#   sudo classroom/hub/install_learner_env.sh [TARGET]      # default /opt/classroom/learner-env
#
# TARGET is reused when it was built from the same requirements (a stamp file); the course itself
# is NOT installed into it: each learner gets a copy in ~/course (PYTHONPATH), so no path into the
# teacher's repository is written anywhere learners can read.  LEARNER_PYTHON picks the base
# interpreter (default /usr/bin/python3).  Ends by starting the environment's python as `nobody`.
set -euo pipefail
umask 022
REPO=$(cd "$(dirname "$0")/../.." && pwd)
TARGET=${1:-${HUB_LEARNER_ENV:-/opt/classroom/learner-env}}
PYTHON=${LEARNER_PYTHON:-/usr/bin/python3}

hub_pin=$(grep -E '^jupyterhub==' "$REPO/requirements-dev.txt")
reqs=$(mktemp)
trap 'rm -f "$reqs"' EXIT
# the learner's pins without the editable course (`-e .`)
grep -vE '^\s*-e\s' "$REPO/requirements.txt" >"$reqs"
echo "$hub_pin" >>"$reqs"

overrides="$REPO/.jupyter/lab/settings/overrides.json"
stamp=$( { "$PYTHON" -c 'import sys; print(sys.version)'; cat "$reqs"; cat "$overrides";
           find "$REPO/jupyter-config" -maxdepth 1 -type f -print0 | sort -z | xargs -0 cat; } |
         sha256sum | cut -d' ' -f1)
if [ -f "$TARGET/.classroom-stamp" ] && [ "$(cat "$TARGET/.classroom-stamp")" = "$stamp" ]; then
  echo "[learner-env] $TARGET is up to date"
  exit 0
fi

echo "[learner-env] building $TARGET from $PYTHON"
# built in place (a venv's scripts name its folder): the stamp, written last, marks it complete
rm -rf "$TARGET"
mkdir -p "$(dirname "$TARGET")"
"$PYTHON" -m venv "$TARGET"
(cd "$REPO" && "$TARGET/bin/pip" install --quiet --disable-pip-version-check -r "$reqs")
# the course's JupyterLab settings (Chinese UI, keyboard shortcuts that leave arrow keys to widgets and
# scrollable tables, no news): JupyterLab reads overrides.json from <prefix>/share/jupyter/lab/settings,
# the same file README's launch command passes with --LabApp.app_settings_dir
install -D -m 0644 "$overrides" "$TARGET/share/jupyter/lab/settings/overrides.json"

# every learner must be able to start it: try as an unprivileged user
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  if ! HOME=/tmp MPLCONFIGDIR=/tmp setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
       "$TARGET/bin/python" -c 'import jupyterhub.singleuser, ipykernel, pandas, matplotlib' ; then
    echo "[learner-env] $TARGET cannot be used by other users (a private folder on the way?)" >&2
    exit 1
  fi
fi
echo "$stamp" >"$TARGET/.classroom-stamp"
echo "[learner-env] ready: $TARGET"
