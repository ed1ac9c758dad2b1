// Run by bin/lib.sh in source-file mode (java UnsignedJars.java FROM TO): copies every jar in
// FROM to TO, leaving out the signature files of signed jars (Bouncy Castle's). The JVM leaves
// classes of signed jars out of a class-data sharing archive and checks every class it loads from
// them against the signed digests; the launchers run from these copies so that the whole class
// path is archived. Nothing is lost that the programs use: OpenJDK does not require a signed JCE
// provider, and dtlsip uses Bouncy Castle's provider for java.security services only (KeyFactory,
// Signature, KeyPairGenerator), which never did.
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;

public class UnsignedJars {
    /** JAR signature files (JAR File Specification, "Signed JAR File"). */
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]+");

    public static void main(String[] args) throws IOException {
        Path from = Path.of(args[0]);
        Path to = Files.createDirectories(Path.of(args[1]));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(from, "*.jar")) {
            for (Path jar : jars) {
                Path out = to.resolve(jar.getFileName());
                if (signed(jar)) {
                    strip(jar, out);
                } else {
                    Files.copy(jar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static boolean signed(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile(), false)) {
            return f.stream().anyMatch(e -> SIGNATURE.matcher(e.getName()).matches());
        }
    }

    private static void strip(Path jar, Path out) throws IOException {
        try (JarFile in = new JarFile(jar.toFile(), false);
                JarOutputStream o = new JarOutputStream(Files.newOutputStream(out))) {
            for (JarEntry e : (Iterable<JarEntry>) in.stream()::iterator) {
                if (SIGNATURE.matcher(e.getName()).matches()) {
                    continue;
                }
                o.putNextEntry(new JarEntry(e.getName()));
                try (InputStream data = in.getInputStream(e)) {
                    data.transferTo(o);
                }
                o.closeEntry();
            }
        }
    }
}
