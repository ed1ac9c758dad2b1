package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dtlsip.sample.uas.SampleUas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 16's sample errors: one line and the exit status, through the commands' entry points. */
@Timeout(60)
class SampleErrorsTest {
    private static final String VERSION = "\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?";

    @Test
    void aTargetThatIsNotAUriSaysSo() {
        Captured c = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "notauri"}, c.stream, c.stream));
        assertEquals(List.of("sample-uac: bad --target 'notauri': not a sip: URI (e.g. sip:uas@127.0.0.1:5061;transport=dtls-udp)"),
                c.text().lines().toList());
        Captured d = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:"}, d.stream, d.stream));
        assertEquals(List.of("sample-uac: bad --target 'sip:': not a SIP URI with a host (e.g. sip:uas@127.0.0.1:5061;transport=dtls-udp)"),
                d.text().lines().toList());
    }

    @Test
    void versionOptionsPrintTheVersion() {
        Captured uac = new Captured();
        assertEquals(0, SampleUac.run(new String[] {"--version"}, uac.stream, uac.stream));
        assertTrue(uac.text().matches("sample-uac " + VERSION + " \\(dtlsip; Java .*\\)\\n"), uac.text());
        Captured uas = new Captured();
        assertEquals(0, SampleUas.run(new String[] {"-V"}, uas.stream, uas.stream, new CountDownLatch(0)));
        assertTrue(uas.text().matches("sample-uas " + VERSION + " \\(dtlsip; Java .*\\)\\n"), uas.text());
    }

    @Test
    void compareHelpExitsZeroAndABadOptionTwo() throws Exception {
        Path compare = Path.of("..", "bin", "compare").toAbsolutePath().normalize();
        Process help = new ProcessBuilder(compare.toString(), "--help").redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes());
        assertTrue(help.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue(), text);
        assertTrue(text.startsWith("usage: bin/compare [--calls N]"), text);
        Process bad = new ProcessBuilder(compare.toString(), "--bogus").redirectErrorStream(true).start();
        String badText = new String(bad.getInputStream().readAllBytes());
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue(), badText);
        assertTrue(badText.startsWith("bin/compare: unknown option --bogus"), badText);
    }
}
