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
    # target/lib is copied afresh: a dependency dropped from the pom must leave the class path.
    rm -rf "$DTLSIP_HOME/$module/target/lib" "$DTLSIP_HOME/$module/target/cds"
    # The launchers need only the jars: no tests, sources or javadoc jars. Maven's console
    # library writes colour resets even in batch mode unless told not to (jansi.noreset).
    (cd "$DTLSIP_HOME" && MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -q -B -Dstyle.color=never \
      -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true -pl "$module" -am package) >&2 || {
      echo "build failed: run 'mvn -DskipTests package' in $DTLSIP_HOME to see why" >&2
      exit 1
    }
    touch "$jar" # Maven may leave an unchanged jar's time alone: mark this build as the latest
  fi
}

# Class-data sharing (AppCDS, a JDK 17 dynamic archive): the classes a module's programs load are
# parsed and verified once, by a training run at first use after each build, and mapped from
# target/cds/app.jsa at every later start (docs/BENCHMARKS.md, "Cold start"). The class path runs
# from unsigned copies of the dependency jars (bin/tools/UnsignedJars.java says why). The archive
# goes with the build: dtlsip_ensure_built deletes target/cds, and the JVM itself refuses an
# archive whose jars changed (silently here, and the program just starts slower).
# DTLSIP_CDS=off runs from target/lib without an archive.
#
# dtlsip_cds_classpath MODULE TRAINING_MAIN : sets DTLSIP_CP and DTLSIP_CDS_OPTS.
dtlsip_cds_classpath() {
  local module="$1" training="$2"
  local target="$DTLSIP_HOME/$module/target" cds="$DTLSIP_HOME/$module/target/cds"
  local jar="$target/$module-0.1.0-SNAPSHOT.jar"
  DTLSIP_CP="$(dtlsip_classpath "$module")"
  DTLSIP_CDS_OPTS=""
  [ "${DTLSIP_CDS:-on}" != off ] && [ -n "$training" ] || return 0
  [ ! -f "$cds/failed" ] || [ -n "$(find "$jar" -newer "$cds/failed" -print -quit)" ] || return 0
  local cp="$jar:$cds/lib/*"
  # Any archive warning would land on stdout among the program's output.
  local quiet_cds="-Xlog:cds=off -Xlog:cds+dynamic=off"
  # A jar rebuilt since the archive (e.g. by a manual mvn package) makes it stale.
  if [ -f "$cds/app.jsa" ] && [ -n "$(find "$jar" "$target/lib" -name '*.jar' -newer "$cds/app.jsa" -print -quit)" ]; then
    rm -f "$cds/app.jsa"
  fi
  if [ ! -f "$cds/app.jsa" ]; then
    echo "preparing a class-data archive for faster starts (once per build)..." >&2
    rm -rf "$cds"
    mkdir -p "$cds"
    if ! java -Xshare:auto $quiet_cds "$DTLSIP_HOME/bin/tools/UnsignedJars.java" "$target/lib" "$cds/lib" >&2 \
        || ! java -XX:ArchiveClassesAtExit="$cds/app.jsa.$$" $quiet_cds ${DTLSIP_JVM:-} \
          -Dlogback.configurationFile="${DTLSIP_LOGBACK:-org/dtlsip/dtls/cli/logback-cli.xml}" \
          -cp "$cp" "$training" </dev/null >/dev/null 2>&1 \
        || ! mv "$cds/app.jsa.$$" "$cds/app.jsa"; then
      rm -f "$cds/app.jsa.$$"
      echo "  (no archive: the training run failed; starting without it until the next build)" >&2
      touch "$cds/failed"
      return 0
    fi
  fi
  DTLSIP_CP="$cp"
  DTLSIP_CDS_OPTS="-XX:SharedArchiveFile=$cds/app.jsa $quiet_cds"
}

# The runtime class path of a module (its jar and target/lib).
dtlsip_classpath() {
  echo "$DTLSIP_HOME/$1/target/$1-0.1.0-SNAPSHOT.jar:$DTLSIP_HOME/$1/target/lib/*"
}

# dtlsip_java MODULE MAIN_CLASS ARGS... : runs a main class with the module's runtime class path
# in the foreground (the caller gets its exit code). DTLSIP_LOGBACK names the logback
# configuration resource (default: the DTLS command-line peers'). DTLSIP_CDS_TRAINING names the
# main class of the module's class-data archive training run (dtlsip_cds_classpath); DTLSIP_JVM
# holds JVM options the launcher chose, before the user's DTLSIP_JAVA_OPTS.
dtlsip_java() {
  local module="$1" main="$2"
  shift 2
  dtlsip_ensure_built "$module"
  dtlsip_cds_classpath "$module" "${DTLSIP_CDS_TRAINING:-}"
  java $DTLSIP_CDS_OPTS ${DTLSIP_JVM:-} ${DTLSIP_JAVA_OPTS:-} \
    -Dlogback.configurationFile="${DTLSIP_LOGBACK:-org/dtlsip/dtls/cli/logback-cli.xml}" -cp "$DTLSIP_CP" "$main" "$@"
}

# dtlsip_run MODULE MAIN_CLASS ARGS... : as dtlsip_java, replacing the shell.
dtlsip_run() {
  local module="$1" main="$2"
  shift 2
  dtlsip_ensure_built "$module"
  dtlsip_cds_classpath "$module" "${DTLSIP_CDS_TRAINING:-}"
  exec java $DTLSIP_CDS_OPTS ${DTLSIP_JVM:-} ${DTLSIP_JAVA_OPTS:-} \
    -Dlogback.configurationFile="${DTLSIP_LOGBACK:-org/dtlsip/dtls/cli/logback-cli.xml}" -cp "$DTLSIP_CP" "$main" "$@"
}
