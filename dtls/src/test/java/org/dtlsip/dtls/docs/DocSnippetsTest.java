package org.dtlsip.dtls.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block in README.md and docs/EMBEDDING.md is a compiled and tested snippet: it sits
 * under {@code <!-- snippet: NAME -->} and its text equals the region "tag::NAME[]" ..
 * "end::NAME[]" of a *Snippets.java test source (dtls: DtlsSnippets, run by SnippetsRunTest;
 * sip-transport: SipSnippets, run by SipSnippetsRunTest). Change the source, then paste it here.
 */
class DocSnippetsTest {
    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Path> DOCS = List.of(PROJECT.resolve("README.md"), PROJECT.resolve("docs/EMBEDDING.md"));
    private static final List<Path> SOURCES = List.of(PROJECT.resolve("dtls/src/test/java/org/dtlsip/dtls/docs"),
            PROJECT.resolve("sip-transport/src/test/java/org/dtlsip/sip/docs"));
    private static final Pattern BLOCK = Pattern.compile("(?m)^(?:<!-- snippet: ([\\w-]+) -->\\n)?```java\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("(?m)^[ \\t]*// tag::([\\w-]+)\\[\\]\\n(.*?)^[ \\t]*// end::\\1\\[\\]$",
            Pattern.DOTALL);

    @Test
    void everyJavaBlockInTheDocsIsASnippetRegionVerbatim() throws IOException {
        Map<String, String> regions = regions();
        int blocks = 0;
        for (Path doc : DOCS) {
            Matcher m = BLOCK.matcher(Files.readString(doc));
            while (m.find()) {
                blocks++;
                String name = m.group(1);
                assertTrue(name != null, doc.getFileName() + ": a ```java block without <!-- snippet: NAME --> above it:\n" + m.group(2));
                assertTrue(regions.containsKey(name), doc.getFileName() + ": no tag::" + name + "[] region in " + SOURCES);
                assertEquals(regions.get(name), m.group(2), doc.getFileName() + ": snippet " + name
                        + " differs from its source region; copy the region into the doc");
            }
        }
        assertTrue(blocks >= 5, "found only " + blocks + " Java blocks: the pattern no longer matches the docs");
    }

    @Test
    void regionsAreFoundAndDeindented() throws IOException {
        Map<String, String> regions = regions();
        assertTrue(regions.containsKey("dtls-client") && regions.containsKey("sip-stack"), regions.keySet().toString());
        assertFalse(regions.get("dtls-client").startsWith(" "), regions.get("dtls-client"));
    }

    /** Name to region text, de-indented by the region's smallest indent, ending with a newline. */
    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new HashMap<>();
        for (Path dir : SOURCES) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().endsWith("Snippets.java")).toList();
            }
            for (Path f : files) {
                Matcher m = REGION.matcher(Files.readString(f));
                while (m.find()) {
                    regions.put(m.group(1), deindent(m.group(2)));
                }
            }
        }
        return regions;
    }

    private static String deindent(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
