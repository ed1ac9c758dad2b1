# Shared by the launchers in bin/: find the project, build it on first use, run a main class.
# shellcheck shell=bash
DTLSIP_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Builds the modules (skipping tests) when a launcher's jar or its dependencies are missing, or
# when a main source, resource or pom in the project is newer than the jar: target/lib holds copies
# of the other modules' jars, so a stale jar would silently run (and benchmark) old code.
dtlsip_ensure_built() {
  local module="$1"
  local jar="$DTLSIP_HOME/$module/target/$module-0.1.0-SNAPSHOT.jar"
  local why=""
  if [ ! -f "$jar" ] || [ ! -d "$DTLSIP_HOME/$module/target/lib" ]; then
    why="first use; this takes a minute"
  else
    # The module itself and the project modules whose jars target/lib holds.
    local dirs=("$DTLSIP_HOME/$module/src/main" "$DTLSIP_HOME/$module/pom.xml" "$DTLSIP_HOME/pom.xml") dep name
    for dep in "$DTLSIP_HOME/$module"/target/lib/*-0.1.0-SNAPSHOT.jar; do
      name="$(basename "$dep" -0.1.0-SNAPSHOT.jar)"
      [ -d "$DTLSIP_HOME/$name/src/main" ] && dirs+=("$DTLSIP_HOME/$name/src/main" "$DTLSIP_HOME/$name/pom.xml")
    done
    if [ -n "$(find "${dirs[@]}" -type f -newer "$jar" -print -quit 2>/dev/null)" ]; then
      why="sources changed since the last build"
    fi
  fi
  if [ -n "$why" ]; then
    echo "building $module ($why)..." >&2
    # The launchers need only the jars: no tests, sources or javadoc jars.
    (cd "$DTLSIP_HOME" && mvn -q -B -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true \
      -pl "$module" -am package) >&2 || {
      echo "build failed: run 'mvn -DskipTests package' in $DTLSIP_HOME to see why" >&2
      exit 1
    }
    touch "$jar" # Maven may leave an unchanged jar's time alone: mark this build as the latest
  fi
}

# The runtime class path of a module (its jar and target/lib).
dtlsip_classpath() {
  echo "$DTLSIP_HOME/$1/target/$1-0.1.0-SNAPSHOT.jar:$DTLSIP_HOME/$1/target/lib/*"
}

# dtlsip_java MODULE MAIN_CLASS ARGS... : runs a main class with the module's runtime class path
# in the foreground (the caller gets its exit code). DTLSIP_LOGBACK names the logback
# configuration resource (default: the DTLS command-line peers').
dtlsip_java() {
  local module="$1" main="$2"
  shift 2
  dtlsip_ensure_built "$module"
  java ${DTLSIP_JAVA_OPTS:-} -Dlogback.configurationFile="${DTLSIP_LOGBACK:-org/dtlsip/dtls/cli/logback-cli.xml}" \
    -cp "$(dtlsip_classpath "$module")" "$main" "$@"
}

# dtlsip_run MODULE MAIN_CLASS ARGS... : as dtlsip_java, replacing the shell.
dtlsip_run() {
  local module="$1" main="$2"
  shift 2
  dtlsip_ensure_built "$module"
  exec java ${DTLSIP_JAVA_OPTS:-} -Dlogback.configurationFile="${DTLSIP_LOGBACK:-org/dtlsip/dtls/cli/logback-cli.xml}" \
    -cp "$(dtlsip_classpath "$module")" "$main" "$@"
}
