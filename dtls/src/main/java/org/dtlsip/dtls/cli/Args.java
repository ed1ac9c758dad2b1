package org.dtlsip.dtls.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** OpenSSL-style single-dash options: flags ({@code -quiet}) and options with one value ({@code -port 4433}). */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Args() {
    }

    /**
     * @throws UsageException for an unknown option or a missing value
     */
    static Args parse(String[] argv, Set<String> flagNames, Set<String> valueNames) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (flagNames.contains(a)) {
                args.flags.add(a);
            } else if (valueNames.contains(a)) {
                if (i + 1 >= argv.length) {
                    throw new UsageException(a + " needs a value");
                }
                args.values.put(a, argv[++i]);
            } else {
                throw new UsageException("unknown option " + a);
            }
        }
        return args;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String value(String name) {
        return values.get(name);
    }

    String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int intValue(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, got '" + v + "'");
        }
    }

    /** An exception's message for one line of output; its type when it has no message. */
    static String describe(Exception e) {
        String m = e.getMessage();
        return m != null && !m.isBlank() ? m : e.getClass().getSimpleName();
    }

    /** A command line that cannot be run; the message says what to change. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
