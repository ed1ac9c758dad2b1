package org.dtlsip.dtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' first use (bin/lib.sh), with the real Maven, on a one-class stand-in for the
 * dtls module in a scratch copy of bin/: the build's stderr carries no terminal escape codes, the
 * class-data archive is trained once and then used, and a source change rebuilds both. The real
 * project is never rebuilt under a running test suite.
 */
@Timeout(300)
class LauncherTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final String ESC = "\u001b";

    private record Run(int status, String out, String err) { }

    @Test
    void firstUseBuildsQuietlyTrainsTheArchiveOnceAndRebuildsAfterAChange(@TempDir Path home) throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not installed");
        stageProject(home);

        Run first = run(home, "bin/dtls-client", "-connect", "example:1");
        assertEquals(3, first.status(), first.err());
        assertTrue(first.out().startsWith("stand-in client [-connect, example:1]"), first.out());
        assertTrue(first.err().contains("building dtls (first use; this takes a minute)..."), first.err());
        assertTrue(first.err().contains("preparing a class-data archive for faster starts (once per build)..."), first.err());
        assertFalse(first.err().contains(ESC), "escape codes on stderr: " + first.err().replace(ESC, "<ESC>"));
        Path archive = home.resolve("dtls/target/cds/app.jsa");
        assertTrue(Files.isRegularFile(archive), "no archive after the first run");
        assertTrue(Files.isRegularFile(home.resolve("dtls/target/cds/lib/slf4j-api-2.0.17.jar")));
        assertTrue(first.out().contains("-XX:SharedArchiveFile=" + archive), first.out());

        Run second = run(home, "bin/dtls-client", "-help");
        assertEquals(3, second.status(), second.err());
        assertEquals("", second.err(), "nothing to build or train the second time");
        assertTrue(second.out().contains("-XX:SharedArchiveFile=" + archive), second.out());

        FileTime trained = Files.getLastModifiedTime(archive);
        Path source = home.resolve("dtls/src/main/java/org/dtlsip/dtls/cli/DtlsClientMain.java");
        Files.setLastModifiedTime(source, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
        Run third = run(home, "bin/dtls-client");
        assertEquals(3, third.status(), third.err());
        assertTrue(third.err().contains("building dtls (sources changed since the last build)..."), third.err());
        assertTrue(third.err().contains("preparing a class-data archive"), third.err());
        assertFalse(third.err().contains(ESC), third.err().replace(ESC, "<ESC>"));
        assertTrue(Files.getLastModifiedTime(archive).compareTo(trained) >= 0, "archive recorded again");
    }

    /** bin/ as it is, and a project whose only module "dtls" has a stand-in client and training run. */
    private static void stageProject(Path home) throws IOException {
        Files.createDirectories(home.resolve("bin/tools"));
        for (String f : List.of("bin/lib.sh", "bin/dtls-client", "bin/tools/UnsignedJars.java")) {
            Path to = home.resolve(f);
            Files.copy(PROJECT.resolve(f), to);
            to.toFile().setExecutable(true);
        }
        Files.writeString(home.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>org.dtlsip.test</groupId>
                  <artifactId>launcher-test</artifactId>
                  <version>0.1.0-SNAPSHOT</version>
                  <packaging>pom</packaging>
                  <modules><module>dtls</module></modules>
                </project>
                """);
        Path module = home.resolve("dtls");
        Files.writeString(Files.createDirectories(module).resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent><groupId>org.dtlsip.test</groupId><artifactId>launcher-test</artifactId>
                    <version>0.1.0-SNAPSHOT</version></parent>
                  <artifactId>dtls</artifactId>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
                  </dependencies>
                  <build><plugins>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.2</version></plugin>
                    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
                      <executions><execution><id>copy-runtime-deps</id><phase>package</phase><goals><goal>copy-dependencies</goal></goals>
                        <configuration><includeScope>runtime</includeScope><outputDirectory>${project.build.directory}/lib</outputDirectory></configuration>
                      </execution></executions>
                    </plugin>
                  </plugins></build>
                </project>
                """);
        Path cli = Files.createDirectories(module.resolve("src/main/java/org/dtlsip/dtls/cli"));
        Files.writeString(cli.resolve("DtlsClientMain.java"), """
                package org.dtlsip.dtls.cli;

                public final class DtlsClientMain {
                    public static void main(String[] args) {
                        System.out.println("stand-in client " + java.util.Arrays.toString(args) + " "
                                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
                        System.exit(3);
                    }
                }
                """);
        Files.writeString(cli.resolve("CdsTraining.java"), """
                package org.dtlsip.dtls.cli;

                public final class CdsTraining {
                    public static void main(String[] args) {
                        org.slf4j.LoggerFactory.getLogger(CdsTraining.class).debug("trained");
                    }
                }
                """);
    }

    private static Run run(Path home, String... command) throws Exception {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("DTLSIP_JAVA_OPTS");
        pb.environment().remove("DTLSIP_CDS");
        pb.environment().put("MAVEN_OPTS", "");
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher did not finish: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
