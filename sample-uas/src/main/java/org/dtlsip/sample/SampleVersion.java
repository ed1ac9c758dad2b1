package org.dtlsip.sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** What {@code -V} / {@code --version} print: the command's name and the project version. */
public final class SampleVersion implements CommandLine.IVersionProvider {
    /** The project version the build wrote into version.properties, or "unknown". */
    public static String version() {
        try (InputStream in = SampleVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-FULL-NAME} " + version() + " (dtlsip; Java " + Runtime.version() + ")"};
    }
}
